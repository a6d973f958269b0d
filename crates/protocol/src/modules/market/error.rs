//! Why a market message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount, Denom};

use super::ListingId;

/// A broken market rule. Codes are stable (the market range is 600–699).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarketError {
    /// No listing has this id.
    #[error("no listing {listing}")]
    UnknownListing {
        /// The id named.
        listing: ListingId,
    },
    /// The asset does not exist.
    #[error("no asset {asset}")]
    UnknownAsset {
        /// The id named.
        asset: crate::modules::provenance::AssetId,
    },
    /// Only the owner lists an asset.
    #[error("{sender} does not own asset {asset}")]
    NotOwner {
        /// The asset.
        asset: crate::modules::provenance::AssetId,
        /// Who tried.
        sender: Address,
    },
    /// The asset has an open listing already.
    #[error("asset {asset} is listed already (listing {listing})")]
    AlreadyListed {
        /// The asset.
        asset: crate::modules::provenance::AssetId,
        /// Its listing.
        listing: ListingId,
    },
    /// The price is below the minimum.
    #[error("price {price} is below the minimum {min}")]
    PriceTooLow {
        /// The price.
        price: Amount,
        /// The minimum.
        min: Amount,
    },
    /// A denomination the market does not price in.
    #[error("cannot price in {denom}")]
    UnknownDenom {
        /// The denomination.
        denom: Denom,
    },
    /// The listing's life is zero or too long.
    #[error("a listing lasts 1 to {max} blocks, not {blocks}")]
    InvalidExpiry {
        /// Blocks asked for.
        blocks: u64,
        /// The maximum.
        max: u64,
    },
    /// The seller does not hold the shares (now).
    #[error("{seller} holds {held} units of the vault, the listing offers {units}")]
    InsufficientShares {
        /// The seller.
        seller: Address,
        /// Units held.
        held: u64,
        /// Units listed.
        units: u64,
    },
    /// Only the seller cancels.
    #[error("{sender} did not list {listing}")]
    NotSeller {
        /// The listing.
        listing: ListingId,
        /// Who tried.
        sender: Address,
    },
    /// The listing expired.
    #[error("listing {listing} expired at height {expired_at}")]
    Expired {
        /// The listing.
        listing: ListingId,
        /// Its last height.
        expired_at: u64,
    },
    /// A seller cannot buy its own listing.
    #[error("the seller cannot buy its own listing")]
    SelfPurchase,
    /// The price is above what the buyer pays.
    #[error("price {price} is above the buyer's maximum {max_price}")]
    PriceAboveMax {
        /// The price.
        price: Amount,
        /// The buyer's maximum.
        max_price: Amount,
    },
    /// Moving funds failed (the buyer cannot pay).
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// Paying a vault or moving shares failed.
    #[error("royalty vault: {0}")]
    Revenue(crate::modules::revenue::RevenueError),
    /// Paying dataset royalties failed (a bug guard).
    #[error("dataset royalties: {0}")]
    Royalties(crate::modules::registry::RegistryError),
    /// Paying the royalty stack failed (a bug guard).
    #[error("royalty stack: {0}")]
    Provenance(crate::modules::provenance::ProvenanceError),
    /// More than `u64::MAX` listings, or an amount overflow.
    #[error("arithmetic or ids exhausted")]
    Overflow,
}

impl MarketError {
    /// The stable numeric code.
    pub fn code(&self) -> u32 {
        match self {
            MarketError::UnknownListing { .. } => 601,
            MarketError::UnknownAsset { .. } => 602,
            MarketError::NotOwner { .. } => 603,
            MarketError::AlreadyListed { .. } => 604,
            MarketError::PriceTooLow { .. } => 605,
            MarketError::UnknownDenom { .. } => 606,
            MarketError::InvalidExpiry { .. } => 607,
            MarketError::InsufficientShares { .. } => 608,
            MarketError::NotSeller { .. } => 609,
            MarketError::Expired { .. } => 610,
            MarketError::SelfPurchase => 611,
            MarketError::PriceAboveMax { .. } => 612,
            MarketError::Bank(_) => 613,
            MarketError::Revenue(_) => 614,
            MarketError::Royalties(_) => 615,
            MarketError::Provenance(_) => 616,
            MarketError::Overflow => 617,
        }
    }
}
