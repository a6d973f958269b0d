//! amm: the protocol-owned constant-product pool GDC/uusd (Uniswap v2 integer math, 0.3% fee,
//! 1 000 LP units locked at the first mint). Liquidity moves at once; swaps wait for the block's
//! end and clear together at one uniform price, so no ordering inside a block carries value. A
//! TWAP accumulator follows the price block by block. Spec: `README.md` beside this file.

pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod invariants;
pub mod math;
pub mod query;
pub(crate) mod state;

pub use genesis::AmmGenesis;
pub use state::{AmmParams, Order, OrderId, Pool, Side, account};

use atelier_primitives::{Address, Amount, Decode, Encode};
use serde::{Deserialize, Serialize};

/// An AMM message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AmmMsg {
    /// Deposit both sides at the pool's ratio, at most these amounts, for at least `min_lp` units.
    /// The first deposit sets the price and locks 1 000 units.
    AddLiquidity {
        /// Most `ugdc` deposited.
        max_gdc: Amount,
        /// Most `uusd` deposited.
        max_usd: Amount,
        /// Least LP units received.
        #[serde(with = "crate::serde_u128")]
        min_lp: u128,
    },
    /// Burn LP units for their share of both reserves.
    RemoveLiquidity {
        /// LP units burned.
        #[serde(with = "crate::serde_u128")]
        lp: u128,
        /// Least `ugdc` received.
        min_gdc: Amount,
        /// Least `uusd` received.
        min_usd: Amount,
    },
    /// Swap at the block's clearing price; the input is held now, the output paid (or the input
    /// refunded) at the block's end.
    Swap {
        /// Which way.
        side: Side,
        /// The input.
        amount_in: Amount,
        /// Least output, or a refund.
        min_out: Amount,
    },
}

/// An AMM event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AmmEvent {
    /// Liquidity was deposited.
    LiquidityAdded {
        /// Who.
        provider: Address,
        /// `ugdc` in.
        gdc: Amount,
        /// `uusd` in.
        usd: Amount,
        /// Units minted.
        #[serde(with = "crate::serde_u128")]
        lp: u128,
    },
    /// Liquidity was withdrawn.
    LiquidityRemoved {
        /// Who.
        provider: Address,
        /// `ugdc` out.
        gdc: Amount,
        /// `uusd` out.
        usd: Amount,
        /// Units burned.
        #[serde(with = "crate::serde_u128")]
        lp: u128,
    },
    /// A swap is waiting for the block's end.
    SwapPlaced {
        /// The order.
        order: OrderId,
        /// Who.
        trader: Address,
        /// Which way.
        side: Side,
        /// Held.
        amount_in: Amount,
    },
    /// A swap was filled at the block's price.
    SwapFilled {
        /// The order.
        order: OrderId,
        /// Paid out.
        amount_out: Amount,
    },
    /// A swap was refunded: its minimum was not met at the block's price, or nothing could clear.
    SwapRefunded {
        /// The order.
        order: OrderId,
    },
    /// The block's swaps cleared.
    BatchCleared {
        /// `ugdc` sold by the GDC side.
        gdc_in: Amount,
        /// `uusd` sold by the USD side.
        usd_in: Amount,
        /// `ugdc` into the pool (its net part).
        pool_gdc_in: Amount,
        /// `uusd` into the pool.
        pool_usd_in: Amount,
        /// `ugdc` out of the pool.
        pool_gdc_out: Amount,
        /// `uusd` out of the pool.
        pool_usd_out: Amount,
        /// The pool's price after the batch ([`math::PRICE_SCALE`]).
        #[serde(with = "crate::serde_u128")]
        price: u128,
    },
}

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
