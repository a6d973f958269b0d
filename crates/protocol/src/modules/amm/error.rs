//! Why a AMM message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::Amount;

/// A broken AMM rule. Codes are stable (the AMM range is 1000–1099).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmmError {
    /// A zero amount.
    #[error("amounts must be positive")]
    ZeroAmount,
    /// The first deposit is too small to lock the minimum liquidity.
    #[error("the first deposit must give more than 1000 liquidity units (sqrt(gdc × usd)), not {units}")]
    FirstDepositTooSmall {
        /// `floor(sqrt(gdc × usd))`.
        units: u128,
    },
    /// Fewer LP units than the minimum.
    #[error("the deposit gives {lp} LP units, under the minimum {min_lp}")]
    LpBelowMinimum {
        /// Units it gives.
        lp: u128,
        /// The minimum asked.
        min_lp: u128,
    },
    /// Burning more units than held.
    #[error("{held} LP units held, {lp} asked")]
    InsufficientLp {
        /// Held.
        held: u128,
        /// Asked.
        lp: u128,
    },
    /// A withdrawal under its minimums.
    #[error("the withdrawal gives {gdc} ugdc and {usd} uusd, under the minimums")]
    WithdrawalBelowMinimum {
        /// `ugdc` it gives.
        gdc: Amount,
        /// `uusd` it gives.
        usd: Amount,
    },
    /// The block has as many swaps as it clears.
    #[error("the block already holds {max} swaps")]
    TooManyOrders {
        /// The maximum.
        max: u32,
    },
    /// Moving funds failed.
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// An amount overflowed.
    #[error("arithmetic overflow")]
    Overflow,
}

impl AmmError {
    /// The stable numeric code.
    pub fn code(&self) -> u32 {
        match self {
            AmmError::ZeroAmount => 1001,
            AmmError::FirstDepositTooSmall { .. } => 1002,
            AmmError::LpBelowMinimum { .. } => 1003,
            AmmError::InsufficientLp { .. } => 1004,
            AmmError::WithdrawalBelowMinimum { .. } => 1005,
            AmmError::TooManyOrders { .. } => 1006,
            AmmError::Bank(_) => 1007,
            AmmError::Overflow => 1008,
        }
    }
}
