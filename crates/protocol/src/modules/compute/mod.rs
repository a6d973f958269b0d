//! compute: the inference market. Providers bond and offer capacity per compute class; jobs are
//! priced per class by EIP-1559, admitted by tip, assigned by free capacity, verified through a
//! challenge window and disputes, and settled to everyone who made them possible. Spec:
//! `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub(crate) mod hooks;
pub mod invariants;
pub mod math;
pub mod msg;
pub mod params;
pub mod query;
pub(crate) mod settle;
mod state;

pub use error::ComputeError;
pub use events::ComputeEvent;
pub use genesis::ComputeGenesis;
pub use msg::ComputeMsg;
pub use params::{ClassParams, ComputeParams, Waterfall};
/// What other modules may read and change here: the module's state stays private to it.
pub(crate) use state::params;
pub use state::{
    ClassCapacity, ClassState, Dispute, Job, JobId, JobStatus, MAX_CLASSES, MAX_DISPUTE_CLAIMS,
    MAX_ENDPOINT_BYTES, OutputClaim, Provider, ProviderStatus, account, jobs_settled, valid_class_name,
};

use atelier_primitives::Height;
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::app::caps::{Burner, Capabilities, Seal, Slasher};
use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Governed, Handler, Module, fees::GasSchedule},
};

/// The inference market.
#[derive(Debug)]
pub struct Compute;

/// What the compute market may do beyond its own books: burn its share of job fees, and slash the
/// stake of a provider whose result is proven wrong.
#[derive(Debug)]
pub struct ComputeCaps {
    burner: Burner,
    slasher: Slasher,
}

impl Capabilities for ComputeCaps {
    fn grant(seal: &mut dyn FnMut() -> Seal) -> Self {
        ComputeCaps { burner: Burner::grant(seal), slasher: Slasher::grant(seal) }
    }
}

impl Module for Compute {
    const NAME: &'static str = "compute";
    type Genesis = ComputeGenesis;
    type Event = ComputeEvent;

    fn normalize(section: ComputeGenesis, genesis: &Genesis) -> Result<ComputeGenesis, GenesisError> {
        section.normalize(genesis.registry.params.max_lineage_fee)
    }

    fn init(state: &mut impl StateWrite, section: &ComputeGenesis) -> Result<(), GenesisError> {
        genesis::init(state, section);
        Ok(())
    }

    fn export(state: &impl StateRead) -> Result<ComputeGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        invariants::books(state)
    }

    /// The books, from what the block changed. O(changes + classes).
    fn block_invariants(
        before: &impl StateRead,
        after: &impl StateRead,
        changes: &ChangeSet,
    ) -> Result<Vec<Violation>, StateError> {
        invariants::books_of_changes(before, after, changes)
    }
}

impl Handler for Compute {
    type Msg = ComputeMsg;
    type Error = ComputeError;
    type Caps = ComputeCaps;

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<ComputeCaps>,
        msg: &ComputeMsg,
    ) -> Result<(), Failure<ComputeError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &ComputeMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }
}

impl Governed for Compute {
    type Params = ComputeParams;

    fn set_params(
        state: &mut impl StateWrite,
        _: Height,
        params: &ComputeParams,
    ) -> Result<(), Failure<String>> {
        state::set_params(state, params);
        Ok(())
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        let max_lineage_fee = super::registry::query::params(state)?.max_lineage_fee;
        state::params(state)?.validate(max_lineage_fee).map_err(|e| Failure::Rule(e.to_string()))
    }
}
