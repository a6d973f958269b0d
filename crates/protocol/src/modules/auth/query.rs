//! Read-only views of auth state.

use atelier_primitives::{Address, Height};
use atelier_state::{StateError, StateRead};

use super::state;
use crate::tx::ChainId;

/// The nonce the next transaction of `address` must carry.
pub fn nonce(state: &impl StateRead, address: &Address) -> Result<u64, StateError> {
    state::nonce(state, address)
}

/// The height of the last applied block.
pub fn height(state: &impl StateRead) -> Result<Height, StateError> {
    state::height(state)
}

/// The chain's identity.
pub fn chain_id(state: &impl StateRead) -> Result<ChainId, StateError> {
    state::chain_id(state)
}
