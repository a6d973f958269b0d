//! Market messages: what a transaction asks of the module.

use atelier_primitives::{Amount, Decode, Denom, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::{Item, ListingId};

/// A market message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MarketMsg {
    /// Offer `item` at `price` of `denom` for `expires_in` blocks.
    List {
        /// The asset or the shares.
        item: Item,
        /// The price.
        price: Amount,
        /// Its denomination (`ugdc` or `uusd`).
        denom: Denom,
        /// Blocks the listing stays open.
        expires_in: u64,
    },
    /// The seller withdraws a listing.
    Cancel {
        /// The listing.
        listing: ListingId,
    },
    /// Buy a listing, paying at most `max_price`.
    Buy {
        /// The listing.
        listing: ListingId,
        /// The most the buyer pays.
        max_price: Amount,
    },
}

impl MarketMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        match self {
            MarketMsg::List { .. } | MarketMsg::Cancel { .. } => schedule.listing,
            MarketMsg::Buy { .. } => schedule.buy,
        }
    }
}
