//! Why an AMM message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Amount, ErrorCode};

/// A broken AMM rule. Codes are stable (the AMM range is 1000–1099).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
// Wrapped errors once had codes of their own; they now keep the inner error's.
#[code(retired(1007))]
pub enum AmmError {
    /// A zero amount.
    #[code(1001)]
    #[error("amounts must be positive")]
    ZeroAmount,
    /// The first deposit is too small to lock the minimum liquidity.
    #[code(1002)]
    #[error("the first deposit must give more than 1000 liquidity units (sqrt(gdc × usd)), not {units}")]
    FirstDepositTooSmall {
        /// `floor(sqrt(gdc × usd))`.
        units: u128,
    },
    /// Fewer LP units than the minimum.
    #[code(1003)]
    #[error("the deposit gives {lp} LP units, under the minimum {min_lp}")]
    LpBelowMinimum {
        /// Units it gives.
        lp: u128,
        /// The minimum asked.
        min_lp: u128,
    },
    /// Burning more units than held.
    #[code(1004)]
    #[error("{held} LP units held, {lp} asked")]
    InsufficientLp {
        /// Held.
        held: u128,
        /// Asked.
        lp: u128,
    },
    /// A withdrawal under its minimums.
    #[code(1005)]
    #[error("the withdrawal gives {gdc} ugdc and {usd} uusd, under the minimums")]
    WithdrawalBelowMinimum {
        /// `ugdc` it gives.
        gdc: Amount,
        /// `uusd` it gives.
        usd: Amount,
    },
    /// The block has as many swaps as it clears.
    #[code(1006)]
    #[error("the block already holds {max} swaps")]
    TooManyOrders {
        /// The maximum.
        max: u32,
    },
    /// Moving funds failed.
    #[code(inner)]
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// An amount overflowed.
    #[code(1008)]
    #[error("arithmetic overflow")]
    Overflow,
}

/// Why AMM params are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmmParamsError {
    /// The clearing reads every swap of a block: the cap bounds its work.
    #[error("max_orders_per_block must be between 1 and 20000")]
    MaxOrdersOutOfRange,
}
