//! provenance: every settled job's output becomes an asset of its requester, recording which
//! model and job made it and the hashes of its output and prompt. Spec: `README.md` beside this
//! file.

pub mod genesis;
pub mod query;
pub(crate) mod state;

pub use genesis::ProvenanceGenesis;
pub use state::{Asset, AssetId};

use atelier_primitives::{Address, Decode, Encode};
use serde::{Deserialize, Serialize};

use crate::modules::{compute::JobId, registry::ModelId};

/// A provenance event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProvenanceEvent {
    /// An asset was minted.
    AssetMinted {
        /// Its id.
        asset: AssetId,
        /// Its owner.
        owner: Address,
        /// The model that made it.
        model: ModelId,
        /// The job that made it.
        job: JobId,
    },
}
