//! [`Evidence`]: what consensus activity the node keeps — the latest view, for metrics, and every
//! proof of a validator's equivocation, stored for the staking module to slash — and
//! [`EvidenceCheck`], which checks the proofs a proposed block carries.
//!
//! The ed25519 scheme is attributable: a proof carries the two conflicting signed votes, which
//! anyone can check against the validator's key. A leader puts the proofs its node recorded in its
//! block (`atelier_node::Node::propose`); every validator checks each one here before it votes for
//! the block, and the protocol slashes the validator at the block's end.

use std::sync::Arc;

use atelier_node::{Equivocation, Node};
use atelier_protocol::{EquivocationKind, Misbehavior};
use commonware_codec::{DecodeExt, Encode};
use commonware_consensus::{
    Epochable, Viewable,
    simplex::{
        scheme::ed25519::Scheme,
        types::{Activity, Attributable, ConflictingFinalize, ConflictingNotarize, NullifyFinalize},
    },
};
use commonware_cryptography::{ed25519, sha256::Digest};

use crate::{
    epochs::{EpochProvider, chain_key},
    participation::VoteLog,
};
use commonware_parallel::Sequential;
use commonware_utils::{Participant, ordered::Set};

/// The simplex reporter beside marshal's, one per epoch: records views, equivocation evidence,
/// and the finalize votes liveness records are built from.
#[derive(Clone)]
pub struct Evidence {
    node: Arc<Node>,
    participants: Set<ed25519::PublicKey>,
    epoch: u64,
    votes: VoteLog,
}

impl Evidence {
    /// Records `epoch`'s evidence into `node` and its finalize votes into `votes`; `participants`
    /// is its set in the scheme's order.
    pub fn new(node: Arc<Node>, participants: Set<ed25519::PublicKey>, epoch: u64, votes: VoteLog) -> Self {
        Evidence { node, participants, epoch, votes }
    }

    fn record(&self, kind: &'static str, signer: Participant, view: u64, proof: Vec<u8>) {
        let Some(validator) = self.participants.get(signer.get() as usize) else { return };
        let key = *chain_key(validator).as_bytes();
        tracing::warn!(kind, view, validator = %atelier_primitives::hash::hex_encode(&key), "equivocation evidence");
        let equivocation =
            Equivocation { kind: kind.to_string(), validator: key, epoch: self.epoch, view, proof };
        if let Err(error) = self.node.record_equivocation(&equivocation) {
            tracing::error!(%error, "storing equivocation evidence failed");
        }
    }
}

/// Checks misbehavior evidence against the set of the epoch it names.
#[derive(Clone)]
pub struct EvidenceCheck {
    sets: EpochProvider,
}

/// Why a piece of evidence is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadEvidence {
    /// The proof does not decode as the kind it claims.
    #[error("the proof is not a {0:?}")]
    Undecodable(EquivocationKind),
    /// The proof is by another validator, or in another epoch or view, than the evidence names.
    #[error("the proof is not the named validator's in the named epoch and view")]
    Mismatch,
    /// The chain keeps no validator set for the epoch the evidence names.
    #[error("no validator set is kept for epoch {0}")]
    UnknownEpoch(u64),
    /// A signature in the proof does not verify.
    #[error("a signature of the proof does not verify")]
    BadSignature,
}

impl EvidenceCheck {
    /// A check against the sets `sets` knows.
    pub fn new(sets: EpochProvider) -> Self {
        EvidenceCheck { sets }
    }

    /// Whether `evidence` proves what it says: both signed votes verify under the named
    /// validator's key, in the named epoch and view, and conflict.
    pub fn check(
        &self,
        rng: &mut impl commonware_rand::CryptoRng,
        evidence: &Misbehavior,
    ) -> Result<(), BadEvidence> {
        let set = self.sets.epoch(evidence.epoch).ok_or(BadEvidence::UnknownEpoch(evidence.epoch))?;
        let scheme = set.scheme.as_ref();
        let proof = || bytes::Bytes::copy_from_slice(&evidence.proof);
        let undecodable = |_| BadEvidence::Undecodable(evidence.kind);
        let (signer, epoch, view, verified) = match evidence.kind {
            EquivocationKind::ConflictingNotarize => {
                let p = ConflictingNotarize::<Scheme, Digest>::decode(proof()).map_err(undecodable)?;
                (p.signer(), p.epoch().get(), p.view().get(), p.verify(rng, scheme, &Sequential))
            }
            EquivocationKind::ConflictingFinalize => {
                let p = ConflictingFinalize::<Scheme, Digest>::decode(proof()).map_err(undecodable)?;
                (p.signer(), p.epoch().get(), p.view().get(), p.verify(rng, scheme, &Sequential))
            }
            EquivocationKind::NullifyFinalize => {
                let p = NullifyFinalize::<Scheme, Digest>::decode(proof()).map_err(undecodable)?;
                (p.signer(), p.epoch().get(), p.view().get(), p.verify(rng, scheme, &Sequential))
            }
        };
        let named = set
            .participants
            .get(signer.get() as usize)
            .map(|key| key.as_ref() == evidence.validator.as_bytes());
        if named != Some(true) || view != evidence.view || epoch != evidence.epoch {
            return Err(BadEvidence::Mismatch);
        }
        if !verified {
            return Err(BadEvidence::BadSignature);
        }
        Ok(())
    }
}

impl commonware_consensus::Reporter for Evidence {
    type Activity = Activity<Scheme, Digest>;

    fn report(&mut self, activity: Self::Activity) -> commonware_actor::Feedback {
        self.node.metrics().observe_view(activity.view().get());
        match &activity {
            Activity::ConflictingNotarize(proof) => self.record(
                "conflicting_notarize",
                proof.signer(),
                proof.view().get(),
                proof.encode().to_vec(),
            ),
            Activity::ConflictingFinalize(proof) => self.record(
                "conflicting_finalize",
                proof.signer(),
                proof.view().get(),
                proof.encode().to_vec(),
            ),
            Activity::NullifyFinalize(proof) => {
                self.record("nullify_finalize", proof.signer(), proof.view().get(), proof.encode().to_vec())
            }
            Activity::Finalize(vote) => self.votes.record(self.epoch, vote.clone()),
            _ => {}
        }
        commonware_actor::Feedback::Ok
    }
}

#[cfg(test)]
mod tests {
    use atelier_protocol::{EquivocationKind, Misbehavior};
    use commonware_codec::Encode;
    use commonware_consensus::{
        simplex::{
            scheme::ed25519::Scheme,
            types::{ConflictingNotarize, Notarize, Proposal},
        },
        types::{Epoch, Round, View},
    };
    use commonware_cryptography::{Hasher, Sha256, Signer as _};

    use super::{BadEvidence, EvidenceCheck};
    use crate::{
        epochs::chain_key,
        testing::{key_at, node, participants, provider},
    };

    /// Validator `signer` notarizes two different proposals in `view`.
    fn double_notarize(signer: usize, view: u64) -> Misbehavior {
        let key = key_at(signer);
        let scheme = Scheme::signer(crate::engine::NAMESPACE, participants(), key.clone()).unwrap();
        let proposal = |payload: &[u8]| {
            Proposal::new(
                Round::new(Epoch::new(0), View::new(view)),
                View::new(view - 1),
                Sha256::hash(&[payload]),
            )
        };
        let first = Notarize::sign(&scheme, proposal(b"one block")).unwrap();
        let second = Notarize::sign(&scheme, proposal(b"another block")).unwrap();
        Misbehavior {
            validator: chain_key(&key.public_key()),
            epoch: 0,
            view,
            kind: EquivocationKind::ConflictingNotarize,
            proof: ConflictingNotarize::new(first, second).encode().to_vec(),
        }
    }

    #[test]
    fn a_real_double_notarize_is_accepted_and_any_alteration_refused() {
        let dir = tempfile::tempdir().unwrap();
        let check = EvidenceCheck::new(provider(node(dir.path())));
        let mut rng = commonware_utils::test_rng();
        let evidence = double_notarize(2, 7);
        assert_eq!(check.check(&mut rng, &evidence), Ok(()));

        let other = participants().iter().nth(1).map(chain_key).unwrap();
        let framed = Misbehavior { validator: other, ..evidence.clone() };
        assert_eq!(check.check(&mut rng, &framed), Err(BadEvidence::Mismatch), "named another validator");
        let elsewhere = Misbehavior { view: 8, ..evidence.clone() };
        assert_eq!(check.check(&mut rng, &elsewhere), Err(BadEvidence::Mismatch), "named another view");
        let later = Misbehavior { epoch: 1, ..evidence.clone() };
        assert_eq!(
            check.check(&mut rng, &later),
            Err(BadEvidence::UnknownEpoch(1)),
            "an epoch without a set"
        );
        let relabelled = Misbehavior { kind: EquivocationKind::ConflictingFinalize, ..evidence.clone() };
        assert!(check.check(&mut rng, &relabelled).is_err(), "claimed another kind");

        let mut forged = evidence.clone();
        let last = forged.proof.len() - 1;
        forged.proof[last] ^= 1;
        assert!(check.check(&mut rng, &forged).is_err(), "a signature byte changed");
        let truncated = Misbehavior { proof: evidence.proof[..10].to_vec(), ..evidence };
        assert_eq!(
            check.check(&mut rng, &truncated),
            Err(BadEvidence::Undecodable(EquivocationKind::ConflictingNotarize))
        );
    }
}
