//! Why a market message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount, Denom, ErrorCode};

use super::ListingId;

/// A broken market rule. Codes are stable (the market range is 600–699).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
// 613 and 614 (moving funds, vaults) now keep the inner error's code; 615 and 616 (paying
// royalties after the sale's checks) could only fail by a bug, which now refuses the block.
#[code(retired(613, 614, 615, 616))]
pub enum MarketError {
    /// No listing has this id.
    #[code(601)]
    #[error("no listing {listing}")]
    UnknownListing {
        /// The id named.
        listing: ListingId,
    },
    /// The asset does not exist.
    #[code(602)]
    #[error("no asset {asset}")]
    UnknownAsset {
        /// The id named.
        asset: crate::modules::provenance::AssetId,
    },
    /// Only the owner lists an asset.
    #[code(603)]
    #[error("{sender} does not own asset {asset}")]
    NotOwner {
        /// The asset.
        asset: crate::modules::provenance::AssetId,
        /// Who tried.
        sender: Address,
    },
    /// The asset has an open listing already.
    #[code(604)]
    #[error("asset {asset} is listed already (listing {listing})")]
    AlreadyListed {
        /// The asset.
        asset: crate::modules::provenance::AssetId,
        /// Its listing.
        listing: ListingId,
    },
    /// The price is below the minimum.
    #[code(605)]
    #[error("price {price} is below the minimum {min}")]
    PriceTooLow {
        /// The price.
        price: Amount,
        /// The minimum.
        min: Amount,
    },
    /// A denomination the market does not price in.
    #[code(606)]
    #[error("cannot price in {denom}")]
    UnknownDenom {
        /// The denomination.
        denom: Denom,
    },
    /// The listing's life is zero or too long.
    #[code(607)]
    #[error("a listing lasts 1 to {max} blocks, not {blocks}")]
    InvalidExpiry {
        /// Blocks asked for.
        blocks: u64,
        /// The maximum.
        max: u64,
    },
    /// The seller does not hold the shares (now).
    #[code(608)]
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
    #[code(609)]
    #[error("{sender} did not list {listing}")]
    NotSeller {
        /// The listing.
        listing: ListingId,
        /// Who tried.
        sender: Address,
    },
    /// The listing expired.
    #[code(610)]
    #[error("listing {listing} expired at height {expired_at}")]
    Expired {
        /// The listing.
        listing: ListingId,
        /// Its last height.
        expired_at: u64,
    },
    /// A seller cannot buy its own listing.
    #[code(611)]
    #[error("the seller cannot buy its own listing")]
    SelfPurchase,
    /// The price is above what the buyer pays.
    #[code(612)]
    #[error("price {price} is above the buyer's maximum {max_price}")]
    PriceAboveMax {
        /// The price.
        price: Amount,
        /// The buyer's maximum.
        max_price: Amount,
    },
    /// Moving funds failed (the buyer cannot pay).
    #[code(inner)]
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// Paying a vault or moving shares failed.
    #[code(inner)]
    #[error("royalty vault: {0}")]
    Revenue(crate::modules::revenue::RevenueError),
    /// More than `u64::MAX` listings, or an amount overflow.
    #[code(617)]
    #[error("arithmetic or ids exhausted")]
    Overflow,
}

/// Why market params are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarketParamsError {
    /// The fee, the dataset royalty and the largest royalties could exceed a sale's price.
    #[error("a sale could owe {total} bps, over 10000")]
    OverOwed {
        /// What a sale could owe, in bps.
        total: u32,
    },
    /// A bound is zero.
    #[error("max_listing_blocks and min_price must be positive")]
    Zero,
}
