//! The market's listings: every asset listing is its owner's, and an asset's only one. (The
//! market holds no funds: a sale pays from the buyer to every payee directly.)

use atelier_state::{StateError, StateRead};

use super::{Item, state};
use crate::{invariants::Violation, modules::provenance};

/// Checks the listings. O(listings): for tests and debug builds.
pub fn listings(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    for listing in state::listings(state)? {
        if let Item::Asset { asset } = listing.item {
            let owner = provenance::asset(state, asset)?.map(|a| a.owner);
            if owner != Some(listing.seller) || state::listing_of(state, asset)? != Some(listing.id) {
                violations.push(Violation::new(
                    "market",
                    format!("listing {} is not its asset owner's one listing", listing.id),
                ));
            }
        }
    }
    Ok(violations)
}
