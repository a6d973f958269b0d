//! Market events: what happened, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Denom, Encode};
use serde::{Deserialize, Serialize};

use super::{Item, ListingId};

/// A market event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MarketEvent {
    /// An item was listed.
    Listed {
        /// The listing.
        listing: ListingId,
        /// What is for sale.
        item: Item,
        /// The seller.
        seller: Address,
        /// The price.
        price: Amount,
        /// Its denomination.
        denom: Denom,
    },
    /// A listing was withdrawn.
    Cancelled {
        /// The listing.
        listing: ListingId,
    },
    /// A listing was bought. The parts sum to the price.
    Sold {
        /// The listing.
        listing: ListingId,
        /// What was sold.
        item: Item,
        /// The buyer.
        buyer: Address,
        /// The seller.
        seller: Address,
        /// Its denomination.
        denom: Denom,
        /// To the treasury.
        protocol_fee: Amount,
        /// To the ancestors' vaults, the datasets and the model vaults.
        royalties: Amount,
        /// To the seller.
        proceeds: Amount,
    },
}
