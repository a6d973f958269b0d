//! What the registry reports, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Denom, Encode};
use serde::{Deserialize, Serialize};

use super::{DatasetId, ModelId};

/// A registry event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RegistryEvent {
    /// A dataset was registered.
    DatasetRegistered {
        /// Its id.
        dataset: DatasetId,
        /// Its owner.
        owner: Address,
        /// Contributors registered with it.
        contributors: u32,
    },
    /// Contributors joined a dataset; they earn from this point on.
    ContributorsAdded {
        /// The dataset.
        dataset: DatasetId,
        /// How many joined.
        added: u32,
        /// Its contributors now.
        contributors: u32,
    },
    /// A model was registered.
    ModelRegistered {
        /// Its id.
        model: ModelId,
        /// Its owner.
        owner: Address,
        /// The model it fine-tunes, if any.
        parent: Option<ModelId>,
        /// Datasets its lineage reaches.
        lineage_datasets: u32,
    },
    /// Royalties were paid into a dataset's vault for work done with a model.
    RoyaltiesPaid {
        /// The dataset.
        dataset: DatasetId,
        /// The model whose work paid them.
        model: ModelId,
        /// The denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
    /// A contributor claimed its royalties.
    RoyaltiesClaimed {
        /// The dataset.
        dataset: DatasetId,
        /// The contributor.
        contributor: Address,
        /// The denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
}
