//! Why a bank operation failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount, Denom};

/// A broken bank rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankError {
    /// The account holds less than the amount to move.
    #[error("insufficient {denom} balance: have {balance}, need {amount}")]
    InsufficientBalance {
        /// The denomination.
        denom: Denom,
        /// What the account holds.
        balance: Amount,
        /// What was asked for.
        amount: Amount,
    },
    /// Moving nothing is refused, so that every transfer event means something.
    #[error("amount must be positive")]
    ZeroAmount,
    /// The denomination is not one the chain knows.
    #[error("unknown denom {denom}")]
    UnknownDenom {
        /// The denomination named.
        denom: Denom,
    },
    /// Only the configured issuer may mint or burn the stablecoin.
    #[error("{sender} is not the stablecoin issuer")]
    NotStableIssuer {
        /// Who tried.
        sender: Address,
    },
    /// A balance or the supply would exceed the largest amount.
    #[error("{denom} balance or supply would overflow")]
    Overflow {
        /// The denomination.
        denom: Denom,
    },
}

impl BankError {
    /// The stable numeric code (bank's range is 100–199).
    pub fn code(&self) -> u32 {
        match self {
            BankError::InsufficientBalance { .. } => 101,
            BankError::ZeroAmount => 102,
            BankError::UnknownDenom { .. } => 103,
            BankError::NotStableIssuer { .. } => 104,
            BankError::Overflow { .. } => 105,
        }
    }
}
