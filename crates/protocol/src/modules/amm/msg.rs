//! AMM messages: what a transaction asks of the module.

use atelier_primitives::{Amount, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::Side;

/// An AMM message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        min_lp: u128,
    },
    /// Burn LP units for their share of both reserves.
    RemoveLiquidity {
        /// LP units burned.
        #[serde(with = "crate::serde_u128")]
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
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

impl AmmMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        match self {
            AmmMsg::AddLiquidity { .. } | AmmMsg::RemoveLiquidity { .. } => schedule.liquidity,
            AmmMsg::Swap { .. } => schedule.swap,
        }
    }
}
