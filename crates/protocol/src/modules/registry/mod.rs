//! registry: datasets with their contributors, models with their lineage, and dataset royalties
//! paid to any number of contributors in O(1) per payment. Spec: `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod invariants;
pub mod math;
pub mod msg;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use error::RegistryError;
pub use events::RegistryEvent;
pub use genesis::{ContributionGenesis, DatasetGenesis, RegistryGenesis};
pub use msg::RegistryMsg;
pub use params::RegistryParams;
pub(crate) use state::pay_royalties;
pub use state::{
    Contribution, ContributorShares, Dataset, DatasetId, DatasetWeight, FeeShare, MAX_CLASS_BYTES,
    MAX_LICENSE_BYTES, MAX_LINEAGE, MAX_MODEL_DATASETS, Model, ModelId, account,
};
