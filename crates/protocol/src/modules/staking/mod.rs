//! staking: bonded GDC, the unbonding queue, slashing, and Proof-of-Creation reputation — a
//! soulbound, checkpointed score earned by stake held and by value other parties paid for an
//! account's work, decaying every epoch. Reputation has no transfer path. Spec: `README.md` beside
//! this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod invariants;
pub mod msg;
pub mod params;
pub mod query;
pub mod reputation;
mod state;
pub mod validators;

pub use error::{StakingError, StakingParamsError};
pub use events::{JailReason, SlashReason, StakingEvent};
pub use genesis::StakingGenesis;
pub(crate) use handler::{Origin, bonded, credit, credit_all, penalize};
pub use msg::StakingMsg;
pub use params::{ReputationRates, SlashDestination, StakingParams, Tier};
pub use reputation::{RateSegment, Standing, Totals};
pub use state::{Checkpoint, Unbonding, account, epoch_of};
/// What other modules may read and change here: the module's state stays private to it.
pub(crate) use state::{lock, params, record_funding, reputation_at, standing, totals, update_standing};
pub use validators::{Candidate, Liveness, Validator, ValidatorParams, ValidatorSet};

use atelier_primitives::Height;
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Governed, Handler, Module, fees::GasSchedule},
};

/// Stake, unbonding, slashing and Proof-of-Creation reputation.
#[derive(Debug)]
pub struct Staking;

impl Module for Staking {
    const NAME: &'static str = "staking";
    type Genesis = StakingGenesis;
    type Event = StakingEvent;

    fn normalize(section: StakingGenesis, genesis: &Genesis) -> Result<StakingGenesis, GenesisError> {
        section.normalize(genesis.initial_height)
    }

    fn init(state: &mut impl StateWrite, section: &StakingGenesis) -> Result<(), GenesisError> {
        Ok(genesis::init(state, section)?)
    }

    fn export(state: &impl StateRead) -> Result<StakingGenesis, StateError> {
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

impl Handler for Staking {
    type Msg = StakingMsg;
    type Error = StakingError;
    type Caps = ();

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<()>,
        msg: &StakingMsg,
    ) -> Result<(), Failure<StakingError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &StakingMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }
}

impl Governed for Staking {
    type Params = StakingParams;

    fn set_params(
        state: &mut impl StateWrite,
        height: Height,
        params: &StakingParams,
    ) -> Result<(), Failure<String>> {
        handler::set_params(state, height, params)
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        state::params(state)?.validate().map_err(|e| Failure::Rule(e.to_string()))
    }
}
