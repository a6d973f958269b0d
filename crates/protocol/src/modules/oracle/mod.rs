//! oracle: staked operators submit observations per round for the feeds listed in the params; a
//! round's value is the median of its observations once a quorum has them, published on deviation
//! or heartbeat; consumers refuse stale values; operators far from the median lose reputation.
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

pub use error::{OracleError, OracleParamsError};
pub use events::OracleEvent;
pub use genesis::OracleGenesis;
pub use msg::OracleMsg;
pub use params::{FeedSpec, MAX_FEEDS, MAX_OPERATORS, OracleParams};
pub use state::{FeedId, FreshError, MAX_FEED_BYTES, Operator, Published, Round, RoundResult, fresh};

use atelier_primitives::Height;
use atelier_state::{StateError, StateRead, StateWrite};

use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Governed, Handler, Module, fees::GasSchedule},
};

/// Staked operators' feeds.
#[derive(Debug)]
pub struct Oracle;

impl Module for Oracle {
    const NAME: &'static str = "oracle";
    type Genesis = OracleGenesis;
    type Event = OracleEvent;

    fn normalize(section: OracleGenesis, _: &Genesis) -> Result<OracleGenesis, GenesisError> {
        section.normalize()
    }

    fn init(state: &mut impl StateWrite, section: &OracleGenesis) -> Result<(), GenesisError> {
        Ok(genesis::init(state, section)?)
    }

    fn export(state: &impl StateRead) -> Result<OracleGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(_state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        Ok(Vec::new())
    }
}

impl Handler for Oracle {
    type Msg = OracleMsg;
    type Error = OracleError;
    type Caps = ();

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<()>,
        msg: &OracleMsg,
    ) -> Result<(), Failure<OracleError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &OracleMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }
}

impl Governed for Oracle {
    type Params = OracleParams;

    fn set_params(
        state: &mut impl StateWrite,
        _: Height,
        params: &OracleParams,
    ) -> Result<(), Failure<String>> {
        state::set_params(state, params);
        Ok(())
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        state::params(state)?.validate().map_err(|e| Failure::Rule(e.to_string()))
    }
}
