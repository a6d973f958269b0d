//! What an account can ask of the bank.

use atelier_primitives::{Address, Amount, Decode, Denom, Encode};
use serde::{Deserialize, Serialize};

/// A bank message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
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
