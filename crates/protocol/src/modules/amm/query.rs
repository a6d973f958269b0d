//! AMM queries: the pool with its price and TWAP accumulator, LP positions, waiting swaps.

use atelier_primitives::{Address, Amount, math::mul_div_floor};
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{AmmParams, Order, Pool, state};

/// AMM params.
pub fn params(state: &impl StateRead) -> Result<AmmParams, StateError> {
    state::params(state)
}

/// The pool: reserves, LP supply, the last closing price and the price accumulator.
pub fn pool(state: &impl StateRead) -> Result<Pool, StateError> {
    state::pool(state)
}

/// An account's LP units.
pub fn lp_units(state: &impl StateRead, holder: &Address) -> Result<u128, StateError> {
    state::lp_units(state, holder)
}

/// An account's LP units and what withdrawing them would pay now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LpPosition {
    /// The account.
    pub account: Address,
    /// LP units held.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub units: u128,
    /// `ugdc` a withdrawal of all of them pays: `floor(units × x / supply)`.
    pub gdc: Amount,
    /// `uusd` a withdrawal of all of them pays.
    pub usd: Amount,
}

/// `holder`'s LP position, priced as `RemoveLiquidity` would pay it (spec: amm §Liquidity).
pub fn lp_position(state: &impl StateRead, holder: &Address) -> Result<LpPosition, StateError> {
    let units = state::lp_units(state, holder)?;
    let pool = state::pool(state)?;
    let share = |reserve: Amount| match pool.lp_supply {
        0 => Amount::ZERO,
        supply => Amount::new(mul_div_floor(units, reserve.get(), supply).unwrap_or(0)),
    };
    Ok(LpPosition { account: *holder, units, gdc: share(pool.reserve_gdc), usd: share(pool.reserve_usd) })
}

/// Swaps waiting for the current block's end (none between blocks).
pub fn orders(state: &impl StateRead) -> Result<Vec<Order>, StateError> {
    state::orders(state)
}
