//! amm: the protocol-owned constant-product pool GDC/uusd (Uniswap v2 integer math, 0.3% fee,
//! 1 000 LP units locked at the first mint). Liquidity moves at once; swaps wait for the block's
//! end and clear together at one uniform price, so no ordering inside a block carries value. A
//! TWAP accumulator follows the price block by block. Spec: `README.md` beside this file.

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

pub use error::{AmmError, AmmParamsError};
pub use events::AmmEvent;
pub use genesis::AmmGenesis;
pub use msg::AmmMsg;
pub use params::AmmParams;
pub use state::{Order, OrderId, Pool, Side, account};
/// What other modules may read and change here: the module's state stays private to it.
pub(crate) use state::{lp_units, pool};

use atelier_primitives::Height;
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Governed, Handler, Module, fees::GasSchedule},
};

/// The GDC/uusd pool.
#[derive(Debug)]
pub struct Amm;

impl Module for Amm {
    const NAME: &'static str = "amm";
    type Genesis = AmmGenesis;
    type Event = AmmEvent;

    fn normalize(section: AmmGenesis, _: &Genesis) -> Result<AmmGenesis, GenesisError> {
        section.normalize()
    }

    fn init(state: &mut impl StateWrite, section: &AmmGenesis) -> Result<(), GenesisError> {
        genesis::init(state, section);
        Ok(())
    }

    fn export(state: &impl StateRead) -> Result<AmmGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        invariants::books(state)
    }

    fn block_invariants(
        before: &impl StateRead,
        after: &impl StateRead,
        changes: &ChangeSet,
    ) -> Result<Vec<Violation>, StateError> {
        let mut violations = invariants::reserves(after)?;
        violations.extend(invariants::lp_units_of_changes(before, after, changes)?);
        Ok(violations)
    }
}

impl Handler for Amm {
    type Msg = AmmMsg;
    type Error = AmmError;
    type Caps = ();

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<()>,
        msg: &AmmMsg,
    ) -> Result<(), Failure<AmmError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &AmmMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }
}

impl Governed for Amm {
    type Params = AmmParams;

    fn set_params(state: &mut impl StateWrite, _: Height, params: &AmmParams) -> Result<(), Failure<String>> {
        state::set_params(state, params);
        Ok(())
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        state::params(state)?.validate().map_err(|e| Failure::Rule(e.to_string()))
    }
}
