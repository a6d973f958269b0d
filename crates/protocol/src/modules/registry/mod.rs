//! registry: datasets with their contributors, models with their lineage, and dataset royalties
//! paid to any number of contributors in O(1) per payment. Spec: `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod invariants;
pub mod math;
pub mod msg;
pub mod params;
pub mod query;
mod state;

pub use error::RegistryError;
pub use events::RegistryEvent;
pub use genesis::{ContributionGenesis, DatasetGenesis, RegistryGenesis};
pub use msg::RegistryMsg;
pub use params::RegistryParams;
pub use state::{
    Contribution, ContributorShares, DEFAULT_STYLE, Dataset, DatasetId, DatasetWeight, FeeShare,
    MAX_CLASS_BYTES, MAX_LICENSE_BYTES, MAX_LINEAGE, MAX_MODEL_DATASETS, MAX_STYLE_BYTES, Model, ModelId,
    StyleDemand, account,
};
/// What other modules may read and change here: the module's state stays private to it.
pub(crate) use state::{count_demand, dataset, model, models_of_style, pay_royalties, style_demand};

use atelier_primitives::Height;
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Governed, Handler, Module, fees::GasSchedule},
};

/// Datasets, models and their royalties.
#[derive(Debug)]
pub struct Registry;

impl Module for Registry {
    const NAME: &'static str = "registry";
    type Genesis = RegistryGenesis;
    type Event = RegistryEvent;

    fn normalize(section: RegistryGenesis, _: &Genesis) -> Result<RegistryGenesis, GenesisError> {
        section.normalize()
    }

    fn init(state: &mut impl StateWrite, section: &RegistryGenesis) -> Result<(), GenesisError> {
        genesis::init(state, section);
        Ok(())
    }

    fn export(state: &impl StateRead) -> Result<RegistryGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        invariants::vault(state)
    }

    /// The vault, from what the block changed.
    fn block_invariants(
        before: &impl StateRead,
        after: &impl StateRead,
        changes: &ChangeSet,
    ) -> Result<Vec<Violation>, StateError> {
        invariants::vault_of_changes(before, after, changes)
    }
}

impl Handler for Registry {
    type Msg = RegistryMsg;
    type Error = RegistryError;
    type Caps = ();

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<()>,
        msg: &RegistryMsg,
    ) -> Result<(), Failure<RegistryError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &RegistryMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }
}

impl Governed for Registry {
    type Params = RegistryParams;

    fn set_params(
        state: &mut impl StateWrite,
        _: Height,
        params: &RegistryParams,
    ) -> Result<(), Failure<String>> {
        state::set_params(state, params);
        Ok(())
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        state::params(state)?.validate().map_err(|e| Failure::Rule(e.to_string()))
    }
}
