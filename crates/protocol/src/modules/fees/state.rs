//! fees state.
//!
//! | key | value |
//! |---|---|
//! | `fees/params` | [`FeeParams`] |
//! | `fees/base_fee` | `Amount` per gas that the next block charges |
//!
//! Fees paid during a block sit in the module account [`collector`] until the end of the block.

use atelier_primitives::{Address, Amount};
use atelier_state::{StateError, StateRead, StateWrite};

use super::FeeParams;
use crate::store::{read, write};

pub(crate) const PARAMS: &[u8] = b"fees/params";
pub(crate) const BASE_FEE: &[u8] = b"fees/base_fee";

/// The module account that holds a block's fees until they are burned and paid out.
/// The fee collector, derived once: a module address costs a hash, and every transaction pays it.
static COLLECTOR: std::sync::LazyLock<Address> = std::sync::LazyLock::new(|| Address::module("fees"));

pub(crate) fn collector() -> Address {
    *COLLECTOR
}

pub(crate) fn params(state: &impl StateRead) -> Result<FeeParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "fee params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &FeeParams) {
    write(state, PARAMS.to_vec(), params);
}

pub(crate) fn base_fee(state: &impl StateRead) -> Result<Amount, StateError> {
    read(state, BASE_FEE)?.ok_or_else(|| StateError::corrupt(BASE_FEE, "base fee missing"))
}

pub(crate) fn set_base_fee(state: &mut impl StateWrite, base_fee: Amount) {
    write(state, BASE_FEE.to_vec(), &base_fee);
}
