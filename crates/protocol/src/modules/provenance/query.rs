//! Read-only views of provenance state.

use atelier_primitives::Address;
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{Asset, AssetId, ProvenanceParams, StackEntry, state};

/// The params.
pub fn params(state: &impl StateRead) -> Result<ProvenanceParams, StateError> {
    state::params(state)
}

/// An asset, if minted.
pub fn asset(state: &impl StateRead, id: AssetId) -> Result<Option<Asset>, StateError> {
    state::asset(state, id)
}

/// The ids of `owner`'s assets above `after`, at most `limit`, ascending.
pub fn assets_of(
    state: &impl StateRead,
    owner: &Address,
    after: Option<AssetId>,
    limit: usize,
) -> Result<Vec<AssetId>, StateError> {
    state::assets_of(state, owner, after, limit)
}

/// Up to `limit` assets, newest first, from the one before `before` (the newest when `None`).
/// O(limit): ids are dense and assets are never removed.
pub fn newest(
    state: &impl StateRead,
    before: Option<AssetId>,
    limit: usize,
) -> Result<Vec<Asset>, StateError> {
    let next = state::next_asset(state)?;
    let start = before.map_or(next, |id| id.0.min(next));
    let mut found = Vec::new();
    for id in (1..start).rev().take(limit) {
        found.extend(state::asset(state, AssetId(id))?);
    }
    Ok(found)
}

/// An asset's place in the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lineage {
    /// Every ancestor, by id (bounded by `max_ancestors`).
    pub ancestors: Vec<AssetId>,
    /// A page of its direct descendants, by id.
    pub children: Vec<AssetId>,
}

/// `asset`'s ancestors and a page of its direct descendants after `after`, at most `limit`.
pub fn lineage(
    state: &impl StateRead,
    asset: AssetId,
    after: Option<AssetId>,
    limit: usize,
) -> Result<Option<Lineage>, StateError> {
    let Some(record) = state::asset(state, asset)? else { return Ok(None) };
    let children = state::children(state, asset, after, limit)?;
    Ok(Some(Lineage { ancestors: record.ancestors, children }))
}

/// What each ancestor takes of `asset`'s revenue.
pub fn royalty_stack(state: &impl StateRead, asset: AssetId) -> Result<Option<Vec<StackEntry>>, StateError> {
    Ok(state::asset(state, asset)?.map(|a| a.royalty_stack))
}
