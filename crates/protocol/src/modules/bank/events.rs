//! What the bank reports, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Denom, Encode};
use serde::{Deserialize, Serialize};

/// A bank event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BankEvent {
    /// Funds moved between accounts.
    Transferred {
        /// The payer.
        from: Address,
        /// The payee.
        to: Address,
        /// The denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
    /// New supply was created.
    Minted {
        /// Who received it.
        to: Address,
        /// The denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
    /// Supply was destroyed.
    Burned {
        /// Whose balance it came from.
        from: Address,
        /// The denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
}
