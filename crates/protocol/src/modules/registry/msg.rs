//! What an account can ask of the registry.

use atelier_primitives::{Bps, Decode, Encode, Hash, Layout};
use serde::{Deserialize, Serialize};

use super::{ContributorShares, DatasetId, DatasetWeight, ModelId, state};

/// Most contributors any one message may carry on the wire (params set the rule below it).
pub const MAX_CONTRIBUTORS_ON_WIRE: usize = 4_096;

/// A registry message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RegistryMsg {
    /// Register a dataset owned by the sender, with its first contributors.
    RegisterDataset {
        /// The hash of its content.
        content_hash: Hash,
        /// Its license (an SPDX id or a URL).
        #[codec(max = state::MAX_LICENSE_BYTES)]
        license: String,
        /// Contributors and their shares.
        #[codec(max = MAX_CONTRIBUTORS_ON_WIRE)]
        contributors: Vec<ContributorShares>,
    },
    /// Owner only: more contributors join; they earn from now on.
    AddContributors {
        /// The dataset.
        dataset: DatasetId,
        /// Contributors and their shares.
        #[codec(max = MAX_CONTRIBUTORS_ON_WIRE)]
        contributors: Vec<ContributorShares>,
    },
    /// Register a model owned by the sender: a base model, or a fine-tune of `parent`.
    RegisterModel {
        /// The compute class it runs on.
        #[codec(max = state::MAX_CLASS_BYTES)]
        class: String,
        /// Hash of the blob a provider loads to run it: a procedural model's style file, another
        /// backend's weights or manifest. A fine-tune's differs from its parent's.
        weights_hash: Hash,
        /// The model it fine-tunes.
        parent: Option<ModelId>,
        /// The datasets it was trained on, with weights; a fine-tune's leave the rest of 10 000 to
        /// its parent's.
        #[codec(max = state::MAX_MODEL_DATASETS)]
        datasets: Vec<DatasetWeight>,
        /// The fee it takes of every job's base-fee part.
        performance_fee: Bps,
        /// The generative style it makes (`watercolor`, `isometric`): up to 32 of a-z, 0-9 and
        /// `-`. Empty: a fine-tune keeps its parent's, a base model is `general`. Demand is
        /// counted per style.
        #[codec(max = state::MAX_STYLE_BYTES)]
        #[serde(default)]
        style: String,
    },
    /// Claim everything the sender earned as a contributor of `dataset`.
    ClaimRoyalties {
        /// The dataset.
        dataset: DatasetId,
    },
}

impl RegistryMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        match self {
            RegistryMsg::RegisterDataset { contributors, .. }
            | RegistryMsg::AddContributors { contributors, .. } => schedule
                .register_dataset
                .saturating_add(schedule.per_contributor.saturating_mul(contributors.len() as u64)),
            RegistryMsg::RegisterModel { .. } => schedule.register_model,
            RegistryMsg::ClaimRoyalties { .. } => schedule.claim_royalties,
        }
    }
}
