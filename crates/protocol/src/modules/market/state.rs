//! Market state.
//!
//! | key | value |
//! |---|---|
//! | `market/params` | [`MarketParams`] |
//! | `market/next_listing` | `u64`: the next listing id |
//! | `market/listing/{id:8 BE}` | [`Listing`] |
//! | `market/listed/{asset:8 BE}` | [`ListingId`]: an asset's one listing |
//!
//! The market holds no funds: a sale moves the price from buyer to payees at once.

use std::fmt;

use atelier_primitives::{Address, Amount, Decode, Denom, Encode, Height, Layout};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::MarketParams;
use crate::{
    modules::{provenance::AssetId, revenue::VaultId},
    store::{key, page, read, scan, write},
};

const PARAMS: &[u8] = b"market/params";

const NEXT_LISTING: &[u8] = b"market/next_listing";

pub(crate) const LISTING: &[u8] = b"market/listing/";

pub(crate) const LISTED: &[u8] = b"market/listed/";

/// The id of a listing, from 1.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    Encode,
    Decode,
    Layout,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct ListingId(pub u64);

impl fmt::Display for ListingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a listing offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// An asset.
    Asset {
        /// The asset.
        asset: AssetId,
    },
    /// Units of a royalty vault.
    Shares {
        /// The vault.
        vault: VaultId,
        /// Share units.
        units: u64,
    },
}

/// An open offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Listing {
    /// Its id.
    pub id: ListingId,
    /// Who sells.
    pub seller: Address,
    /// What.
    pub item: Item,
    /// For how much.
    pub price: Amount,
    /// In what.
    pub denom: Denom,
    /// Last height it can be bought at.
    pub expires_at: Height,
}

fn listing_key(id: ListingId) -> Vec<u8> {
    key(LISTING, &[&id.0.to_be_bytes()])
}

fn listed_key(asset: AssetId) -> Vec<u8> {
    key(LISTED, &[&asset.0.to_be_bytes()])
}

pub(crate) fn params(state: &(impl StateRead + ?Sized)) -> Result<MarketParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "market params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &MarketParams) {
    write(state, PARAMS.to_vec(), params);
}

pub(crate) fn next_listing(state: &(impl StateRead + ?Sized)) -> Result<u64, StateError> {
    Ok(read(state, NEXT_LISTING)?.unwrap_or(1))
}

pub(crate) fn set_next_listing(state: &mut impl StateWrite, next: u64) {
    write(state, NEXT_LISTING.to_vec(), &next);
}

pub(crate) fn listing(
    state: &(impl StateRead + ?Sized),
    id: ListingId,
) -> Result<Option<Listing>, StateError> {
    read(state, &listing_key(id))
}

pub(crate) fn listing_of(
    state: &(impl StateRead + ?Sized),
    asset: AssetId,
) -> Result<Option<ListingId>, StateError> {
    read(state, &listed_key(asset))
}

/// Stores a listing (and, for an asset, its one-listing index).
pub(crate) fn put_listing(state: &mut impl StateWrite, listing: &Listing) {
    if let Item::Asset { asset } = listing.item {
        write(state, listed_key(asset), &listing.id);
    }
    write(state, listing_key(listing.id), listing);
}

/// Removes a listing and its index.
pub(crate) fn remove_listing(state: &mut impl StateWrite, listing: &Listing) {
    if let Item::Asset { asset } = listing.item {
        state.delete(listed_key(asset));
    }
    state.delete(listing_key(listing.id));
}

/// Every listing, by id. O(listings): export, invariants, queries.
pub(crate) fn listings(state: &(impl StateRead + ?Sized)) -> Result<Vec<Listing>, StateError> {
    Ok(scan(state, LISTING)?.into_iter().map(|(_, l)| l).collect())
}

/// Listings with ids above `after`, at most `limit`, by id; reads only the page.
pub(crate) fn listings_page(
    state: &(impl StateRead + ?Sized),
    after: Option<ListingId>,
    limit: usize,
) -> Result<Vec<Listing>, StateError> {
    page(state, LISTING, after.map(|id| id.0), limit)
}
