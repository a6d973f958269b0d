//! governance: proposals with typed actions, voted by reputation at a snapshot taken before the
//! proposal opens, executed at the end of a block after a timelock; grants streamed from the
//! treasury. Spec: `README.md` beside this file.

pub(crate) mod actions;
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

pub use error::{GovernanceError, GovernanceParamsError};
pub use events::GovernanceEvent;
pub use genesis::GovernanceGenesis;
pub use msg::{Action, Choice, GovernanceMsg, MAX_ACTIONS, MAX_SUMMARY_BYTES, ParamsChange};
pub use params::GovParams;
pub use state::{ActionResult, Grant, MAX_REASON_BYTES, Proposal, ProposalId, Status, Tally, Vote, account};

use atelier_primitives::Height;
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Governed, Handler, Module, fees::GasSchedule},
};

/// Proposals, votes, the one SetParams path and grants.
#[derive(Debug)]
pub struct Governance;

impl Module for Governance {
    const NAME: &'static str = "governance";
    type Genesis = GovernanceGenesis;
    type Event = GovernanceEvent;

    fn normalize(section: GovernanceGenesis, _: &Genesis) -> Result<GovernanceGenesis, GenesisError> {
        section.normalize()
    }

    fn init(state: &mut impl StateWrite, section: &GovernanceGenesis) -> Result<(), GenesisError> {
        genesis::init(state, section);
        Ok(())
    }

    fn export(state: &impl StateRead) -> Result<GovernanceGenesis, StateError> {
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

impl Handler for Governance {
    type Msg = GovernanceMsg;
    type Error = GovernanceError;
    type Caps = ();

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<()>,
        msg: &GovernanceMsg,
    ) -> Result<(), Failure<GovernanceError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &GovernanceMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }
}

impl Governed for Governance {
    type Params = GovParams;

    fn set_params(state: &mut impl StateWrite, _: Height, params: &GovParams) -> Result<(), Failure<String>> {
        state::set_params(state, params);
        Ok(())
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        state::params(state)?.validate().map_err(|e| Failure::Rule(e.to_string()))
    }
}
