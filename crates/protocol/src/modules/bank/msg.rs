//! What an account can ask of the bank.

use atelier_primitives::{Address, Amount, Decode, Denom, Encode, Layout};
use serde::{Deserialize, Serialize};

use crate::modules::fees::GasSchedule;

/// A bank message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BankMsg {
    /// Move `amount` of `denom` from the sender to `to`.
    Transfer {
        /// The payee.
        to: Address,
        /// The denomination.
        denom: Denom,
        /// How much, in base units; must be positive.
        amount: Amount,
    },
    /// Issuer only: create `amount` of the stablecoin for `to` (funds bridged in).
    MintStable {
        /// The recipient.
        to: Address,
        /// How much.
        amount: Amount,
    },
    /// Issuer only: destroy `amount` of the stablecoin from the issuer's balance (funds bridged out).
    BurnStable {
        /// How much.
        amount: Amount,
    },
}

impl BankMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &GasSchedule) -> u64 {
        match self {
            BankMsg::Transfer { .. } => schedule.transfer,
            BankMsg::MintStable { .. } => schedule.mint_stable,
            BankMsg::BurnStable { .. } => schedule.burn_stable,
        }
    }
}
