//! Provenance messages: what a transaction asks of the module.

use atelier_primitives::{Decode, Encode, Hash, Layout};
use serde::{Deserialize, Serialize};

use super::{AssetId, DigitalSourceType, MAX_PARENTS, RoyaltyPolicy};

/// A provenance message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProvenanceMsg {
    /// Register a remix made elsewhere, owned by the sender: it names its parents (paying each
    /// its license fee) and takes on their royalty stacks.
    RegisterDerivative {
        /// The assets it was made from.
        #[codec(max = MAX_PARENTS)]
        parents: Vec<AssetId>,
        /// Hash of the work.
        output_hash: Hash,
        /// Hash of the prompt, if any (zero if none).
        prompt_hash: Hash,
        /// How it was made.
        source_type: DigitalSourceType,
        /// What it asks of its own descendants.
        policy: RoyaltyPolicy,
    },
}

impl ProvenanceMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        match self {
            ProvenanceMsg::RegisterDerivative { .. } => schedule.register_derivative,
        }
    }
}
