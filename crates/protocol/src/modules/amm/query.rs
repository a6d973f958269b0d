//! AMM queries: the pool with its price and TWAP accumulator, LP positions, waiting swaps.

use atelier_primitives::Address;
use atelier_state::{StateError, StateRead};

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

/// Swaps waiting for the current block's end (none between blocks).
pub fn orders(state: &impl StateRead) -> Result<Vec<Order>, StateError> {
    state::orders(state)
}
