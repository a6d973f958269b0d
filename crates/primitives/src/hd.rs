//! Keys from a mnemonic: BIP-39 phrases and SLIP-0010 hardened derivation for ed25519.
//!
//! ed25519 has no public derivation, so every path step is hardened (SLIP-0010). Atelier's path
//! is `m/44'/7771'/{account}'/0'/{index}'`.

use hmac::{Hmac, Mac};
use sha2::Sha512;

use crate::crypto::SecretKey;

/// The published development mnemonic. Its keys fund the dev node's accounts; never use it for
/// anything of value.
pub const DEV_MNEMONIC: &str = "test test test test test test test test test test test junk";

/// The SLIP-0044-style coin type in Atelier's derivation path.
pub const COIN_TYPE: u32 = 7771;

const HARDENED: u32 = 0x8000_0000;

/// Why a phrase or path is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HdError {
    /// Not a valid BIP-39 English phrase (unknown word, wrong length or checksum).
    #[error("invalid mnemonic: {0}")]
    Mnemonic(String),
    /// A path that is not `m/…` of hardened indices.
    #[error("invalid derivation path {0:?}: ed25519 needs m/ followed by hardened indices like 44'")]
    Path(String),
}

/// The standard path of account key `index`.
pub fn account_path(index: u32) -> String {
    format!("m/44'/{COIN_TYPE}'/0'/0'/{index}'")
}

/// The 64-byte BIP-39 seed of `phrase` with `passphrase`.
pub fn seed_from_mnemonic(phrase: &str, passphrase: &str) -> Result<[u8; 64], HdError> {
    let mnemonic = bip39::Mnemonic::parse_normalized(phrase).map_err(|e| HdError::Mnemonic(e.to_string()))?;
    Ok(mnemonic.to_seed_normalized(passphrase))
}

/// A fresh 24-word phrase from 32 bytes of entropy supplied by the caller.
pub fn mnemonic_from_entropy(entropy: &[u8; 32]) -> String {
    // 32 bytes is a valid BIP-39 entropy length, so this cannot fail.
    bip39::Mnemonic::from_entropy(entropy).map(|m| m.to_string()).unwrap_or_default()
}

/// The SLIP-0010 ed25519 key at `path` under `seed`.
pub fn derive(seed: &[u8], path: &str) -> Result<SecretKey, HdError> {
    let steps = parse_path(path)?;
    let (mut key, mut chain) = split(hmac(b"ed25519 seed", &[seed]));
    for index in steps {
        (key, chain) = split(hmac(&chain, &[&[0], &key, &index.to_be_bytes()]));
    }
    Ok(SecretKey::from_seed(key))
}

/// The key of dev account `index` from [`DEV_MNEMONIC`].
pub fn dev_key(index: u32) -> SecretKey {
    dev_keys(index..index + 1).remove(0)
}

/// The keys of dev accounts `indices`, stretching the mnemonic once (PBKDF2 is slow by design).
pub fn dev_keys(indices: std::ops::Range<u32>) -> Vec<SecretKey> {
    // The dev mnemonic and the standard path are valid by construction.
    let seed = seed_from_mnemonic(DEV_MNEMONIC, "").unwrap_or([0; 64]);
    indices
        .map(|i| derive(&seed, &account_path(i)).unwrap_or_else(|_| SecretKey::from_seed([0; 32])))
        .collect()
}

fn parse_path(path: &str) -> Result<Vec<u32>, HdError> {
    let bad = || HdError::Path(path.to_owned());
    let mut parts = path.split('/');
    if parts.next() != Some("m") {
        return Err(bad());
    }
    parts
        .map(|part| {
            let number = part.strip_suffix('\'').or_else(|| part.strip_suffix('h')).ok_or_else(bad)?;
            let index: u32 = number.parse().map_err(|_| bad())?;
            if index >= HARDENED { Err(bad()) } else { Ok(index | HARDENED) }
        })
        .collect()
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 64] {
    // HMAC accepts keys of any length.
    let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

fn split(bytes: [u8; 64]) -> ([u8; 32], [u8; 32]) {
    let mut key = [0u8; 32];
    let mut chain = [0u8; 32];
    key.copy_from_slice(&bytes[..32]);
    chain.copy_from_slice(&bytes[32..]);
    (key, chain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::hex_encode;

    /// SLIP-0010 test vector 1 for ed25519.
    #[test]
    fn slip10_vector_1_derives_the_published_keys() {
        let seed = (0u8..16).collect::<Vec<u8>>();
        let cases = [
            ("m", "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7"),
            ("m/0'", "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3"),
            ("m/0'/1'", "b1d0bad404bf35da785a64ca1ac54b2617211d2777696fbffaf208f746ae84f2"),
            ("m/0'/1'/2'", "92a5b23c0b8a99e37d07df3fb9966917f5d06e02ddbd909c7e184371463e9fc9"),
            ("m/0'/1'/2'/2'", "30d1dc7e5fc04c31219ab25a27ae00b50f6fd66622f6e9c913253d6511d1e662"),
            ("m/0'/1'/2'/2'/1000000000'", "8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793"),
        ];
        for (path, private) in cases {
            assert_eq!(hex_encode(&derive(&seed, path).unwrap().to_seed()), private, "{path}");
        }
    }

    /// SLIP-0010 test vector 2 for ed25519.
    #[test]
    fn slip10_vector_2_derives_the_published_keys() {
        let seed = crate::hash::hex_decode::<64>(
            "fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542",
        )
        .unwrap();
        let cases = [
            ("m", "171cb88b1b3c1db25add599712e36245d75bc65a1a5c9e18d76f9f2b1eab4012"),
            ("m/0'", "1559eb2bbec5790b0c65d8693e4d0875b1747f4970ae8b650486ed7470845635"),
        ];
        for (path, private) in cases {
            assert_eq!(hex_encode(&derive(&seed, path).unwrap().to_seed()), private, "{path}");
        }
    }

    #[test]
    fn non_hardened_or_malformed_paths_are_refused() {
        for path in ["", "m/0", "44'/0'", "m/x'", "m/2147483648'"] {
            assert!(matches!(derive(&[0; 64], path), Err(HdError::Path(_))), "{path}");
        }
    }

    #[test]
    fn a_phrase_with_a_bad_checksum_is_refused_and_dev_keys_are_distinct() {
        assert!(
            seed_from_mnemonic("test test test test test test test test test test test test", "").is_err()
        );
        assert_ne!(dev_key(0).public_key(), dev_key(1).public_key());
        let phrase = mnemonic_from_entropy(&[7; 32]);
        assert_eq!(phrase.split(' ').count(), 24);
        assert!(seed_from_mnemonic(&phrase, "").is_ok());
    }
}
