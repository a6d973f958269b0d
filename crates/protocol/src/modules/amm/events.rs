//! AMM events: what happened, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Encode};
use serde::{Deserialize, Serialize};

use super::{OrderId, Side};

/// An AMM event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
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
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
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
        /// The pool's price after the batch ([`super::math::PRICE_SCALE`]).
        #[serde(with = "crate::serde_u128")]
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        price: u128,
    },
}
