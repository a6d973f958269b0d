//! Read-only views of the fee market.

use atelier_primitives::Amount;
use atelier_state::{StateError, StateRead};

use super::{FeeParams, state};

/// The base fee per gas the next block charges.
pub fn base_fee(state: &impl StateRead) -> Result<Amount, StateError> {
    state::base_fee(state)
}

/// The fee market's parameters.
pub fn params(state: &impl StateRead) -> Result<FeeParams, StateError> {
    state::params(state)
}

/// The module account that holds a block's fees until the end of the block.
pub fn collector() -> atelier_primitives::Address {
    state::collector()
}
