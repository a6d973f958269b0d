//! ed25519 keys and signatures under ZIP-215 rules, and batch verification.
//!
//! ZIP-215 (via `ed25519-consensus`) fixes exactly which signatures are valid, and makes batch and
//! single verification agree on every input, so a block is valid or invalid the same way on every
//! node whichever way it checks. Everything signed is a 32-byte digest already taken under a
//! domain tag (see [`crate::Hash::digest`]).

use std::{
    fmt,
    num::NonZeroUsize,
    str::FromStr,
    sync::atomic::{AtomicUsize, Ordering},
};

use ed25519_consensus::{SigningKey, VerificationKey, VerificationKeyBytes, batch};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    address::Address,
    hash::{Hash, hex_decode, hex_encode},
};

/// Why a signature does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The public key bytes are not a point on the curve.
    #[error("public key is not a valid ed25519 point")]
    MalformedPublicKey,
    /// The signature does not verify for that key and message.
    #[error("signature does not verify")]
    Invalid,
}

/// A signing key. Its bytes never appear in `Debug` output.
#[derive(Clone)]
pub struct SecretKey(SigningKey);

impl SecretKey {
    /// The key with the given 32-byte seed.
    pub fn from_seed(seed: [u8; 32]) -> SecretKey {
        SecretKey(SigningKey::from(seed))
    }

    /// The seed; handle with care.
    pub fn to_seed(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(VerificationKeyBytes::from(&self.0).to_bytes())
    }

    /// Signs a domain-tagged digest.
    pub fn sign(&self, message: &Hash) -> Signature {
        Signature(self.0.sign(message.as_bytes()).to_bytes())
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey(for {})", self.public_key())
    }
}

/// An ed25519 public key, as its 32 encoded bytes (validated when used).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublicKey([u8; 32]);

impl PublicKey {
    /// Wraps encoded bytes; they are checked to be a curve point on verification.
    pub const fn from_array(bytes: [u8; 32]) -> PublicKey {
        PublicKey(bytes)
    }

    /// The encoded bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Whether the bytes encode an ed25519 public key.
    pub fn check(&self) -> Result<(), SignatureError> {
        VerificationKey::try_from(self.0).map(|_| ()).map_err(|_| SignatureError::MalformedPublicKey)
    }

    /// The account this key controls.
    pub fn address(&self) -> Address {
        Address::from_public_key(self)
    }

    /// Verifies `signature` over `message` under ZIP-215 rules.
    pub fn verify(&self, message: &Hash, signature: &Signature) -> Result<(), SignatureError> {
        let key = VerificationKey::try_from(self.0).map_err(|_| SignatureError::MalformedPublicKey)?;
        key.verify(&ed25519_consensus::Signature::from(signature.0), message.as_bytes())
            .map_err(|_| SignatureError::Invalid)
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex_encode(&self.0))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({self})")
    }
}

/// Why text is not a public key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected 64 hex digits of an ed25519 public key")]
pub struct PublicKeyParseError;

impl FromStr for PublicKey {
    type Err = PublicKeyParseError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        hex_decode(text).map(PublicKey).ok_or(PublicKeyParseError)
    }
}

serde_as_text!(PublicKey);

/// An ed25519 signature: `R` (32 bytes) then `S` (32 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; 64]);

impl Signature {
    /// Wraps encoded bytes; they are checked on verification.
    pub const fn from_array(bytes: [u8; 64]) -> Signature {
        Signature(bytes)
    }

    /// The encoded bytes.
    pub const fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", hex_encode(&self.0))
    }
}

impl Serialize for Signature {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&hex_encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Signature {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        hex_decode(&text).map(Signature).ok_or_else(|| serde::de::Error::custom("expected 128 hex digits"))
    }
}

/// One claim to check: `signature` is `public_key`'s signature over `message`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedMessage {
    /// The claimed signer.
    pub public_key: PublicKey,
    /// The domain-tagged digest that was signed.
    pub message: Hash,
    /// The signature.
    pub signature: Signature,
}

impl SignedMessage {
    /// Verifies this one claim alone.
    pub fn verify(&self) -> Result<(), SignatureError> {
        self.public_key.verify(&self.message, &self.signature)
    }
}

/// The first claim, by position, that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("signature {index} does not verify: {reason}")]
pub struct InvalidSignatureAt {
    /// Position of the claim in the checked slice.
    pub index: usize,
    /// Why it failed.
    pub reason: SignatureError,
}

/// Something that checks many signatures at once. The answer never depends on the implementation:
/// ZIP-215 makes batch and single verification agree.
pub trait SignatureVerifier: Sync {
    /// `Ok` if every claim verifies, else the first failing one.
    fn verify_all(&self, claims: &[SignedMessage]) -> Result<(), InvalidSignatureAt>;

    /// Verifies `claims` while `work` runs on the calling thread, and returns the verdict once
    /// both are done: how a block executes while its signatures are checked. Whatever `work`
    /// produced must be thrown away if the verdict is an error. `work` runs once, unless the
    /// verdict is known to be an error before it starts. The default verifies, then works.
    fn verify_alongside(
        &self,
        claims: &[SignedMessage],
        work: &mut dyn FnMut(),
    ) -> Result<(), InvalidSignatureAt> {
        self.verify_all(claims)?;
        work();
        Ok(())
    }
}

/// Runs `work` while `verifier` checks `claims` (see [`SignatureVerifier::verify_alongside`]):
/// the verdict, and what `work` returned if it ran.
pub fn verify_while<R>(
    verifier: &dyn SignatureVerifier,
    claims: &[SignedMessage],
    work: impl FnOnce() -> R,
) -> (Result<(), InvalidSignatureAt>, Option<R>) {
    let mut work = Some(work);
    let mut output = None;
    let verdict = verifier.verify_alongside(claims, &mut || {
        if let Some(work) = work.take() {
            output = Some(work());
        }
    });
    (verdict, output)
}

/// Batch verification on the calling thread.
#[derive(Clone, Copy, Debug, Default)]
pub struct BatchVerifier;

impl SignatureVerifier for BatchVerifier {
    fn verify_all(&self, claims: &[SignedMessage]) -> Result<(), InvalidSignatureAt> {
        verify_batch(claims).map_err(|_| first_invalid(claims, 0))
    }
}

/// Batch verification spread over several threads. The claims are cut into batches that the
/// threads take in turn, so a thread busy with other work (see
/// [`SignatureVerifier::verify_alongside`]) joins in when it is done and the cores stay balanced.
#[derive(Clone, Copy, Debug)]
pub struct ParallelBatchVerifier {
    threads: NonZeroUsize,
}

/// Fewest claims per batch: smaller batches lose most of batch verification's advantage.
const MIN_BATCH: usize = 64;
/// Batches per thread: enough that threads that start late still share the work evenly.
const BATCHES_PER_THREAD: usize = 8;

impl ParallelBatchVerifier {
    /// Uses `threads` threads, the calling one included.
    pub fn new(threads: NonZeroUsize) -> Self {
        ParallelBatchVerifier { threads }
    }

    /// Uses every core the machine reports.
    pub fn all_cores() -> Self {
        Self::new(std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN))
    }
}

impl SignatureVerifier for ParallelBatchVerifier {
    fn verify_all(&self, claims: &[SignedMessage]) -> Result<(), InvalidSignatureAt> {
        self.verify_alongside(claims, &mut || {})
    }

    fn verify_alongside(
        &self,
        claims: &[SignedMessage],
        work: &mut dyn FnMut(),
    ) -> Result<(), InvalidSignatureAt> {
        let threads = self.threads.get();
        let batch = claims.len().div_ceil(threads * BATCHES_PER_THREAD).max(MIN_BATCH);
        if threads == 1 || claims.len() <= batch {
            work();
            return BatchVerifier.verify_all(claims);
        }
        let batches: Vec<&[SignedMessage]> = claims.chunks(batch).collect();
        let next = AtomicUsize::new(0);
        // Each thread verifies the batches it takes and reports the failed ones by position.
        let take_batches = || {
            let mut failed = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(part) = batches.get(i) else { return failed };
                if verify_batch(part).is_err() {
                    failed.push(first_invalid(part, i * batch));
                }
            }
        };
        let mut failed = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(take_batches)).collect();
            work();
            let mut failed = take_batches();
            for helper in helpers {
                // A helper only panics if the machine is out of memory; count its batches as
                // suspect rather than valid.
                failed.extend(helper.join().unwrap_or_else(|_| vec![first_invalid(claims, 0)]));
            }
            failed
        });
        // Every batch was checked, so the lowest failing position is the first overall.
        failed.sort_by_key(|bad| bad.index);
        failed.into_iter().next().map_or(Ok(()), Err)
    }
}

/// One batch equation over all `claims`. The random coefficients come from a ChaCha stream seeded
/// with a digest of the whole batch: deterministic, no I/O, and unpredictable to whoever made the
/// signatures (changing any signature changes every coefficient).
fn verify_batch(claims: &[SignedMessage]) -> Result<(), ()> {
    let mut seed = Hash::hasher("atelier/batch-verify-coefficients");
    let mut verifier = batch::Verifier::new();
    for claim in claims {
        seed.update(claim.public_key.as_bytes());
        seed.update(claim.message.as_bytes());
        seed.update(claim.signature.as_bytes());
        verifier.queue((
            VerificationKeyBytes::from(claim.public_key.0),
            ed25519_consensus::Signature::from(claim.signature.0),
            claim.message.as_bytes(),
        ));
    }
    let rng = ChaCha20Rng::from_seed(*seed.finalize().as_bytes());
    verifier.verify(rng).map_err(|_| ())
}

/// Called only after a batch failed: finds the culprit one by one.
fn first_invalid(claims: &[SignedMessage], offset: usize) -> InvalidSignatureAt {
    claims
        .iter()
        .enumerate()
        .find_map(|(i, claim)| {
            claim.verify().err().map(|reason| InvalidSignatureAt { index: offset + i, reason })
        })
        // Unreachable under ZIP-215 (batch and single agree); report the whole range as suspect.
        .unwrap_or(InvalidSignatureAt { index: offset, reason: SignatureError::Invalid })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(n: u8) -> Vec<SignedMessage> {
        (0..n)
            .map(|i| {
                let key = SecretKey::from_seed([i; 32]);
                let message = Hash::digest("test", &[&[i]]);
                SignedMessage { public_key: key.public_key(), message, signature: key.sign(&message) }
            })
            .collect()
    }

    /// The group order L of the ed25519 base point, little-endian.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];

    /// `S + L`: the same signature with a non-canonical scalar, which ZIP-215 rejects.
    pub(crate) fn malleate(signature: &Signature) -> Signature {
        let mut bytes = signature.0;
        let mut carry = 0u16;
        for i in 0..32 {
            let sum = u16::from(bytes[32 + i]) + u16::from(L[i]) + carry;
            bytes[32 + i] = sum as u8;
            carry = sum >> 8;
        }
        Signature(bytes)
    }

    #[test]
    fn a_signature_verifies_only_for_its_key_and_message() {
        let all = claims(2);
        assert_eq!(all[0].verify(), Ok(()));
        let wrong_message = SignedMessage { message: all[1].message, ..all[0] };
        assert_eq!(wrong_message.verify(), Err(SignatureError::Invalid));
        let wrong_key = SignedMessage { public_key: all[1].public_key, ..all[0] };
        assert_eq!(wrong_key.verify(), Err(SignatureError::Invalid));
    }

    #[test]
    fn a_malleated_signature_s_plus_l_is_rejected_singly_and_in_batches() {
        let mut all = claims(100);
        all[37].signature = malleate(&all[37].signature);
        assert_eq!(all[37].verify(), Err(SignatureError::Invalid));
        let expected = Err(InvalidSignatureAt { index: 37, reason: SignatureError::Invalid });
        assert_eq!(BatchVerifier.verify_all(&all), expected);
        let parallel = ParallelBatchVerifier::new(NonZeroUsize::new(2).unwrap());
        assert_eq!(parallel.verify_all(&all), expected);
    }

    #[test]
    fn batch_and_parallel_verification_accept_what_single_verification_accepts() {
        let all = claims(200);
        assert_eq!(BatchVerifier.verify_all(&all), Ok(()));
        assert_eq!(ParallelBatchVerifier::new(NonZeroUsize::new(3).unwrap()).verify_all(&all), Ok(()));
        assert_eq!(BatchVerifier.verify_all(&[]), Ok(()));
    }

    #[test]
    fn work_alongside_verification_runs_once_and_the_verdict_is_that_of_verify_all() {
        let mut all = claims(200);
        let verifiers: [&dyn SignatureVerifier; 3] = [
            &BatchVerifier,
            &ParallelBatchVerifier::new(NonZeroUsize::new(1).unwrap()),
            &ParallelBatchVerifier::new(NonZeroUsize::new(2).unwrap()),
        ];
        for verifier in verifiers {
            let mut runs = 0;
            let (verdict, output) = verify_while(verifier, &all, || {
                runs += 1;
                runs
            });
            assert_eq!((verdict, output, runs), (Ok(()), Some(1), 1));
        }
        all[170].message = Hash::ZERO;
        for verifier in verifiers {
            let (verdict, _) = verify_while(verifier, &all, || ());
            assert_eq!(verdict, verifier.verify_all(&all));
            assert_eq!(verdict.unwrap_err().index, 170);
        }
    }

    #[test]
    fn parallel_verification_reports_the_first_bad_signature_across_chunks() {
        let mut all = claims(200);
        all[150].message = Hash::ZERO;
        all[190].message = Hash::ZERO;
        let parallel = ParallelBatchVerifier::new(NonZeroUsize::new(2).unwrap());
        assert_eq!(parallel.verify_all(&all).unwrap_err().index, 150);
    }
}
