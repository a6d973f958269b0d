//! [`Evidence`]: what consensus activity the node keeps — the latest view, for metrics, and every
//! proof of a validator's equivocation, stored for the staking module to slash.
//!
//! The ed25519 scheme is attributable: a proof carries the two conflicting signed votes, which
//! anyone can check against the validator's key, so it can be shown on chain later.

use std::sync::Arc;

use atelier_node::{Equivocation, Node};
use commonware_codec::Encode;
use commonware_consensus::{
    Viewable,
    simplex::{scheme::ed25519::Scheme, types::Activity},
};
use commonware_cryptography::{ed25519, sha256::Digest};
use commonware_utils::{Participant, ordered::Set};

/// The simplex reporter beside marshal's: records views and equivocation evidence.
#[derive(Clone)]
pub struct Evidence {
    node: Arc<Node>,
    participants: Set<ed25519::PublicKey>,
}

impl Evidence {
    /// Records into `node`; `participants` is the validator set in the scheme's order.
    pub fn new(node: Arc<Node>, participants: Set<ed25519::PublicKey>) -> Self {
        Evidence { node, participants }
    }

    fn record(&self, kind: &'static str, signer: Participant, view: u64, proof: Vec<u8>) {
        let Some(validator) = self.participants.get(signer.get() as usize) else { return };
        let mut key = [0u8; 32];
        key.copy_from_slice(validator.as_ref());
        tracing::warn!(kind, view, validator = %atelier_primitives::hash::hex_encode(&key), "equivocation evidence");
        let equivocation = Equivocation { kind: kind.to_string(), validator: key, view, proof };
        if let Err(error) = self.node.record_equivocation(&equivocation) {
            tracing::error!(%error, "storing equivocation evidence failed");
        }
    }
}

impl commonware_consensus::Reporter for Evidence {
    type Activity = Activity<Scheme, Digest>;

    fn report(&mut self, activity: Self::Activity) -> commonware_actor::Feedback {
        use commonware_consensus::simplex::types::Attributable;
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
            _ => {}
        }
        commonware_actor::Feedback::Ok
    }
}
