//! Provenance's books: every asset is listed under its owner, and nothing else is.

use atelier_state::{StateError, StateRead};

use super::state;
use crate::invariants::Violation;

/// Checks the owner index. O(assets).
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let assets = state::assets(state)?;
    let mut violations = Vec::new();
    for asset in &assets {
        if !state::is_indexed_under_owner(state, asset)? {
            violations.push(Violation::new(
                "provenance",
                format!("asset {} is not listed under its owner {}", asset.id, asset.owner),
            ));
        }
    }
    let indexed = state::owner_index_len(state)?;
    if indexed != assets.len() {
        violations.push(Violation::new(
            "provenance",
            format!("{indexed} owner index entries for {} assets", assets.len()),
        ));
    }
    Ok(violations)
}
