//! Provenance events: what happened, in the past tense.

use atelier_primitives::{Address, Decode, Encode};
use serde::{Deserialize, Serialize};

use super::AssetId;
use crate::modules::{compute::JobId, registry::ModelId};

/// A provenance event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProvenanceEvent {
    /// An asset was minted.
    AssetMinted {
        /// Its id.
        asset: AssetId,
        /// Its owner.
        owner: Address,
        /// The model that made it, if made on chain.
        model: Option<ModelId>,
        /// The job that made it, if made on chain.
        job: Option<JobId>,
        /// How many parents it has.
        parents: u32,
    },
}
