//! Read-only views of market state.

use atelier_state::{StateError, StateRead};

use super::{Listing, ListingId, MarketParams, state};
use crate::modules::provenance::AssetId;

/// The params.
pub fn params(state: &impl StateRead) -> Result<MarketParams, StateError> {
    state::params(state)
}

/// A listing, if open.
pub fn listing(state: &impl StateRead, id: ListingId) -> Result<Option<Listing>, StateError> {
    state::listing(state, id)
}

/// The open listing of `asset`, if any.
pub fn listing_of_asset(state: &impl StateRead, asset: AssetId) -> Result<Option<Listing>, StateError> {
    match state::listing_of(state, asset)? {
        Some(id) => state::listing(state, id),
        None => Ok(None),
    }
}

/// Listings with ids above `after`, at most `limit`, by id (expired ones included until they are
/// replaced or cancelled).
pub fn listings(
    state: &impl StateRead,
    after: Option<ListingId>,
    limit: usize,
) -> Result<Vec<Listing>, StateError> {
    state::listings_page(state, after, limit)
}
