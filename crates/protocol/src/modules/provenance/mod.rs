//! provenance: every generated work becomes an asset that remembers where it came from — its
//! model and datasets, its job and prompt, and its parents — with a royalty stack fixed at mint
//! that pays its ancestors from everything it earns. Spec: `README.md` beside this file.

pub mod error;
pub mod genesis;
pub(crate) mod handler;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use error::ProvenanceError;
pub use genesis::ProvenanceGenesis;
pub use params::ProvenanceParams;
pub use state::{
    Asset, AssetId, DigitalSourceType, Edge, MAX_ANCESTORS, MAX_PARENTS, RoyaltyPolicy, StackEntry,
};

use atelier_primitives::{Address, Decode, Encode, Hash};
use serde::{Deserialize, Serialize};

use crate::modules::{compute::JobId, registry::ModelId};

/// A provenance message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
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
        /// The model that made it, if made on chain.
        model: Option<ModelId>,
        /// The job that made it, if made on chain.
        job: Option<JobId>,
        /// How many parents it has.
        parents: u32,
    },
}
