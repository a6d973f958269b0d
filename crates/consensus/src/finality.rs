//! Finalization certificates outside consensus: the node's API serves them beside proven answers
//! ([`MarshalCertificates`], from marshal's archive), and a client checks one against the
//! validator set it trusts ([`verify_certificate`]): a quorum of that set signed the block's hash.

use std::{future::Future, pin::Pin};

use atelier_node::finality::{Certificate, Certificates};
use atelier_primitives::Hash;
use atelier_protocol::modules::staking::ValidatorSet;
use commonware_codec::{Decode, Encode};
use commonware_consensus::{
    Epochable, Viewable,
    marshal::{core::Mailbox, standard::Standard},
    simplex::{scheme::ed25519::Scheme, types::Finalization},
    types::Height,
};
use commonware_cryptography::{certificate::Verifier as _, sha256::Digest};
use commonware_parallel::Sequential;
use commonware_utils::ordered::Set;

use crate::{
    block::{ChainBlock, digest_of, hash_of},
    engine::NAMESPACE,
    epochs::consensus_key,
};

/// Final blocks' certificates from marshal's archive.
#[derive(Clone)]
pub struct MarshalCertificates(pub(crate) Mailbox<Scheme, Standard<ChainBlock>>);

impl std::fmt::Debug for MarshalCertificates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MarshalCertificates")
    }
}

impl Certificates for MarshalCertificates {
    fn certificate(
        &self,
        height: atelier_primitives::Height,
    ) -> Pin<Box<dyn Future<Output = Option<Certificate>> + Send + '_>> {
        Box::pin(async move {
            let finalization = self.0.get_finalization(Height::new(height.get())).await?;
            Some(Certificate {
                epoch: finalization.epoch().get(),
                view: finalization.view().get(),
                bytes: finalization.encode().to_vec(),
            })
        })
    }
}

/// Why a certificate does not prove a block final.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    /// The validator set holds a key that is not an ed25519 key, or no key at all.
    #[error("the validator set is not usable: {0}")]
    BadSet(String),
    /// The bytes are not a finalization certificate for a set of this size.
    #[error("the certificate does not decode")]
    Undecodable,
    /// It was signed in another epoch than the set's.
    #[error("the certificate is of epoch {certificate}; the validator set given is epoch {set}'s")]
    OtherEpoch {
        /// The certificate's epoch.
        certificate: u64,
        /// The set's.
        set: u64,
    },
    /// It finalizes another block.
    #[error("the certificate finalizes block {finalized}, not {block}")]
    OtherBlock {
        /// The block it finalizes.
        finalized: Hash,
        /// The block it should.
        block: Hash,
    },
    /// Its signatures are not a quorum of the set's over the block.
    #[error("the certificate's signatures are not a quorum of the validator set's")]
    BadSignatures,
}

/// The view in which a quorum of `set` finalized `block`, if `certificate` (as
/// [`MarshalCertificates`] encodes it) proves it.
pub fn verify_certificate(
    certificate: &[u8],
    set: &ValidatorSet,
    block: &Hash,
) -> Result<u64, CertificateError> {
    let keys = set
        .validators
        .iter()
        .map(|validator| {
            consensus_key(validator.consensus_key.as_bytes()).ok_or_else(|| {
                CertificateError::BadSet(format!("{} is not an ed25519 key", validator.consensus_key))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let participants = Set::from_iter_dedup(keys);
    if participants.is_empty() {
        return Err(CertificateError::BadSet("it has no validators".into()));
    }
    let scheme = Scheme::verifier(NAMESPACE, participants);
    let finalization = Finalization::<Scheme, Digest>::decode_cfg(
        bytes::Bytes::copy_from_slice(certificate),
        &scheme.certificate_codec_config(),
    )
    .map_err(|_| CertificateError::Undecodable)?;
    if finalization.epoch().get() != set.epoch {
        return Err(CertificateError::OtherEpoch { certificate: finalization.epoch().get(), set: set.epoch });
    }
    if finalization.proposal.payload != digest_of(block) {
        return Err(CertificateError::OtherBlock {
            finalized: hash_of(&finalization.proposal.payload),
            block: *block,
        });
    }
    // Batch verification's coefficients come from the system's randomness: a node choosing the
    // signatures cannot predict them.
    let mut rng = commonware_rand::UnwrapErr(getrandom04::SysRng);
    if !finalization.verify(&mut rng, &scheme, &Sequential) {
        return Err(CertificateError::BadSignatures);
    }
    Ok(finalization.view().get())
}

#[cfg(test)]
mod tests {
    use atelier_primitives::{Address, Amount};
    use atelier_protocol::modules::staking::Validator;
    use commonware_consensus::{
        simplex::types::{Finalize, Proposal},
        types::{Epoch, Round, View},
    };
    use commonware_cryptography::Signer as _;
    use commonware_utils::iter::NonEmpty;

    use super::*;
    use crate::{
        epochs::chain_key,
        testing::{key_at, participants},
    };

    /// The four test validators as the chain records epoch `epoch`'s set.
    fn set(epoch: u64) -> ValidatorSet {
        let validators = participants()
            .iter()
            .map(|key| Validator {
                operator: Address([7; 20]),
                consensus_key: chain_key(key),
                p2p_addr: String::new(),
                weight: Amount::new(1),
            })
            .collect();
        ValidatorSet { epoch, validators }
    }

    /// The certificate of `signers`' finalize votes for `block` in view 9 of `epoch`, encoded.
    fn certificate(signers: &[usize], epoch: u64, block: &Hash) -> Vec<u8> {
        let proposal =
            Proposal::new(Round::new(Epoch::new(epoch), View::new(9)), View::new(8), digest_of(block));
        let votes: Vec<Finalize<Scheme, Digest>> = signers
            .iter()
            .map(|signer| {
                let scheme = Scheme::signer(NAMESPACE, participants(), key_at(*signer)).unwrap();
                Finalize::sign(&scheme, proposal.clone()).unwrap()
            })
            .collect();
        let scheme = Scheme::verifier(NAMESPACE, participants());
        Finalization::from_finalizes(&scheme, NonEmpty::try_new(votes.iter()).unwrap(), &Sequential)
            .unwrap()
            .encode()
            .to_vec()
    }

    #[test]
    fn a_quorum_of_the_trusted_set_proves_its_block_final_and_nothing_else_does() {
        let block = Hash([3; 32]);
        let good = certificate(&[0, 1, 3], 2, &block);
        assert_eq!(verify_certificate(&good, &set(2), &block), Ok(9));

        let other = Hash([4; 32]);
        assert!(matches!(
            verify_certificate(&good, &set(2), &other),
            Err(CertificateError::OtherBlock { .. })
        ));
        assert_eq!(
            verify_certificate(&good, &set(3), &block),
            Err(CertificateError::OtherEpoch { certificate: 2, set: 3 })
        );
        // The same signatures checked against a set of other keys.
        let mut strangers = set(2);
        for (validator, seed) in strangers.validators.iter_mut().zip(10u64..) {
            validator.consensus_key =
                chain_key(&commonware_cryptography::ed25519::PrivateKey::from_seed(seed).public_key());
        }
        assert!(verify_certificate(&good, &strangers, &block).is_err());
        let mut forged = good.clone();
        let last = forged.len() - 1;
        forged[last] ^= 1;
        assert_eq!(verify_certificate(&forged, &set(2), &block), Err(CertificateError::BadSignatures));
        assert_eq!(verify_certificate(&good[..20], &set(2), &block), Err(CertificateError::Undecodable));
        assert!(matches!(
            verify_certificate(&good, &ValidatorSet { epoch: 2, validators: Vec::new() }, &block),
            Err(CertificateError::BadSet(_))
        ));
    }
}
