//! The market's listings: every asset listing is its owner's, and an asset's only one. (The
//! market holds no funds: a sale pays from the buyer to every payee directly.)

use std::collections::BTreeSet;

use atelier_primitives::Decode;
use atelier_state::{ChangeSet, StateError, StateRead};

use super::{Item, Listing, ListingId, state};
use crate::{
    invariants::{Violation, changed},
    modules::provenance,
};

/// Checks the listings. O(listings): for tests and debug builds.
pub fn listings(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    for listing in state::listings(state)? {
        violations.extend(misplaced(state, &listing)?);
    }
    Ok(violations)
}

/// The violation of an asset listing that is not its asset owner's one listing.
fn misplaced(state: &impl StateRead, listing: &Listing) -> Result<Option<Violation>, StateError> {
    let Item::Asset { asset } = listing.item else { return Ok(None) };
    let owner = provenance::asset(state, asset)?.map(|a| a.owner);
    if owner != Some(listing.seller) || state::listing_of(state, asset)? != Some(listing.id) {
        return Ok(Some(Violation::new(
            "market",
            format!("listing {} is not its asset owner's one listing", listing.id),
        )));
    }
    Ok(None)
}

/// Checks, from a block's `changes`, every listing the block could have displaced: the listings
/// it changed, those its changed asset pointers name, and those of the assets it changed.
/// O(changes).
pub fn listings_of_changes(
    before: &impl StateRead,
    after: &impl StateRead,
    changes: &ChangeSet,
) -> Result<Vec<Violation>, StateError> {
    let mut ids: BTreeSet<ListingId> = changed::<Listing>(before, changes, state::LISTING)?
        .into_iter()
        .filter_map(|l| l.after.map(|l| l.id))
        .collect();
    for (key, value) in changes.with_prefix(state::LISTED) {
        if let Some(bytes) = value {
            ids.insert(ListingId::from_bytes(bytes).map_err(|e| StateError::corrupt(key, e))?);
        }
    }
    for asset in changed::<provenance::Asset>(before, changes, provenance::ASSET)? {
        if let Some(asset) = asset.after
            && let Some(id) = state::listing_of(after, asset.id)?
        {
            ids.insert(id);
        }
    }
    let mut violations = Vec::new();
    for id in ids {
        if let Some(listing) = state::listing(after, id)? {
            violations.extend(misplaced(after, &listing)?);
        }
    }
    Ok(violations)
}
