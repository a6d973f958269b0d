//! Read-only views of bank state.

use atelier_primitives::{Address, Amount, Denom};
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{Coin, DENOMS, state};

/// The bank's params: who issues the stablecoin.
pub fn params(state: &impl StateRead) -> Result<super::BankParams, StateError> {
    state::params(state)
}

/// What `address` holds of `denom`.
pub fn balance(state: &impl StateRead, address: &Address, denom: &Denom) -> Result<Amount, StateError> {
    state::balance(state, address, denom)
}

/// Every non-zero holding of `address`, by denom.
pub fn balances(state: &impl StateRead, address: &Address) -> Result<Vec<Coin>, StateError> {
    let mut coins = Vec::new();
    for denom in DENOMS {
        let amount = state::balance(state, address, &denom)?;
        if !amount.is_zero() {
            coins.push(Coin { denom, amount });
        }
    }
    coins.sort_by_key(|c| c.denom);
    Ok(coins)
}

/// Supply of one denomination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Supply {
    /// The denomination.
    pub denom: Denom,
    /// Ever minted.
    pub minted: Amount,
    /// Ever burned.
    pub burned: Amount,
    /// Held in accounts now: `minted - burned`.
    pub circulating: Amount,
}

/// The supply of `denom`.
pub fn supply(state: &impl StateRead, denom: &Denom) -> Result<Supply, StateError> {
    let minted = state::minted(state, denom)?;
    let burned = state::burned(state, denom)?;
    let circulating = minted
        .checked_sub(burned)
        .map_err(|_| StateError::corrupt(state::MINTED, "burned exceeds minted"))?;
    Ok(Supply { denom: *denom, minted, burned, circulating })
}

/// The supply of every denomination the chain knows, in order.
pub fn supplies(state: &impl StateRead) -> Result<Vec<Supply>, StateError> {
    DENOMS.iter().map(|denom| supply(state, denom)).collect()
}
