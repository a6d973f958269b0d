//! clusters: high-compute training clusters registered by governance, offering slots per epoch.
//! `ReserveSlots` is open to accounts whose reputation tier allows it; contention for an epoch is
//! settled at its start by reputation, then bid; the operator is paid when the epoch ends.
//! Spec: `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod invariants;
pub mod msg;
pub mod params;
pub mod query;
mod state;

pub use error::{ClustersError, ClustersParamsError};
pub use events::ClustersEvent;
pub use genesis::ClustersGenesis;
pub use msg::ClustersMsg;
pub use params::ClusterParams;
pub use state::{Cluster, ClusterId, Reservation, ReservationStatus, account};

use atelier_primitives::Height;
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Governed, Handler, Module, fees::GasSchedule},
};

/// Training clusters and their slots.
#[derive(Debug)]
pub struct Clusters;

impl Module for Clusters {
    const NAME: &'static str = "clusters";
    type Genesis = ClustersGenesis;
    type Event = ClustersEvent;

    fn normalize(section: ClustersGenesis, _: &Genesis) -> Result<ClustersGenesis, GenesisError> {
        section.normalize()
    }

    fn init(state: &mut impl StateWrite, section: &ClustersGenesis) -> Result<(), GenesisError> {
        Ok(genesis::init(state, section)?)
    }

    fn export(state: &impl StateRead) -> Result<ClustersGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        invariants::books(state)
    }

    /// The books, from what the block changed. O(changes).
    fn block_invariants(
        before: &impl StateRead,
        after: &impl StateRead,
        changes: &ChangeSet,
    ) -> Result<Vec<Violation>, StateError> {
        invariants::books_of_changes(before, after, changes)
    }
}

impl Handler for Clusters {
    type Msg = ClustersMsg;
    type Error = ClustersError;
    type Caps = ();

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<()>,
        msg: &ClustersMsg,
    ) -> Result<(), Failure<ClustersError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &ClustersMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }
}

impl Governed for Clusters {
    type Params = ClusterParams;

    fn set_params(
        state: &mut impl StateWrite,
        _: Height,
        params: &ClusterParams,
    ) -> Result<(), Failure<String>> {
        state::set_params(state, params);
        Ok(())
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        state::params(state)?.validate().map_err(|e| Failure::Rule(e.to_string()))
    }
}
