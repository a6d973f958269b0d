//! provenance: every generated work becomes an asset that remembers where it came from — its
//! model and datasets, its job and prompt, and its parents — with a royalty stack fixed at mint
//! that pays its ancestors from everything it earns. Spec: `README.md` beside this file.

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

pub use error::ProvenanceError;
pub use events::ProvenanceEvent;
pub use genesis::ProvenanceGenesis;
pub use msg::ProvenanceMsg;
pub use params::ProvenanceParams;
/// What other modules may read and change here: the module's state stays private to it.
pub(crate) use state::{ASSET, Mint, asset, lineage, mint, pay_license_fees, pay_through_stack, set_owner};
pub use state::{
    Asset, AssetId, DigitalSourceType, Edge, MAX_ANCESTORS, MAX_PARENTS, RoyaltyPolicy, StackEntry,
};

use atelier_primitives::Height;
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Governed, Handler, Module, fees::GasSchedule},
};

/// Assets with their lineage.
#[derive(Debug)]
pub struct Provenance;

impl Module for Provenance {
    const NAME: &'static str = "provenance";
    type Genesis = ProvenanceGenesis;
    type Event = ProvenanceEvent;

    fn normalize(section: ProvenanceGenesis, _: &Genesis) -> Result<ProvenanceGenesis, GenesisError> {
        section.normalize()
    }

    fn init(state: &mut impl StateWrite, section: &ProvenanceGenesis) -> Result<(), GenesisError> {
        genesis::init(state, section);
        Ok(())
    }

    fn export(state: &impl StateRead) -> Result<ProvenanceGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        invariants::books(state)
    }

    /// The owner index, from what the block changed. O(changes).
    fn block_invariants(
        before: &impl StateRead,
        after: &impl StateRead,
        changes: &ChangeSet,
    ) -> Result<Vec<Violation>, StateError> {
        invariants::books_of_changes(before, after, changes)
    }
}

impl Handler for Provenance {
    type Msg = ProvenanceMsg;
    type Error = ProvenanceError;
    type Caps = ();

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<()>,
        msg: &ProvenanceMsg,
    ) -> Result<(), Failure<ProvenanceError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &ProvenanceMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }
}

impl Governed for Provenance {
    type Params = ProvenanceParams;

    fn set_params(
        state: &mut impl StateWrite,
        _: Height,
        params: &ProvenanceParams,
    ) -> Result<(), Failure<String>> {
        state::set_params(state, params);
        Ok(())
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        state::params(state)?.validate().map_err(|e| Failure::Rule(e.to_string()))
    }
}
