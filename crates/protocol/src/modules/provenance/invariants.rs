//! Provenance's books: every asset is listed under its owner, and nothing else is.

use atelier_state::{ChangeSet, StateError, StateRead};

use super::{Asset, state};
use crate::invariants::{Moved, Violation, changed, presence};

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

/// Checks the owner index from a block's `changes`: every changed asset is listed under its owner,
/// and the index gained and lost as many entries as the assets did. O(changes).
pub fn books_of_changes(
    before: &impl StateRead,
    after: &impl StateRead,
    changes: &ChangeSet,
) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let assets = changed::<Asset>(before, changes, state::ASSET)?;
    for asset in assets.iter().filter_map(|a| a.after.as_ref()) {
        if !state::is_indexed_under_owner(after, asset)? {
            violations.push(Violation::new(
                "provenance",
                format!("asset {} is not listed under its owner {}", asset.id, asset.owner),
            ));
        }
    }
    let index = presence(before, changes, state::BY_OWNER)?;
    let count = Moved::of(&assets, |_| 1);
    if !index.matches(count.before, count.after) {
        violations.push(Violation::new("provenance", "the owner index moved unlike the assets".into()));
    }
    Ok(violations)
}
