//! Why a bank operation failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount, Denom, ErrorCode};

/// A broken bank rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
pub enum BankError {
    /// The account holds less than the amount to move.
    #[code(101)]
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
    #[code(102)]
    #[error("amount must be positive")]
    ZeroAmount,
    /// The denomination is not one the chain knows.
    #[code(103)]
    #[error("unknown denom {denom}")]
    UnknownDenom {
        /// The denomination named.
        denom: Denom,
    },
    /// Only the configured issuer may mint or burn the stablecoin.
    #[code(104)]
    #[error("{sender} is not the stablecoin issuer")]
    NotStableIssuer {
        /// Who tried.
        sender: Address,
    },
    /// A balance or the supply would exceed the largest amount.
    #[code(105)]
    #[error("{denom} balance or supply would overflow")]
    Overflow {
        /// The denomination.
        denom: Denom,
    },
}
