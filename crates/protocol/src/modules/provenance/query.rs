//! Read-only views of provenance state.

use atelier_primitives::Address;
use atelier_state::{StateError, StateRead};

use super::{Asset, AssetId, state};

/// An asset, if minted.
pub fn asset(state: &impl StateRead, id: AssetId) -> Result<Option<Asset>, StateError> {
    state::asset(state, id)
}

/// The ids of `owner`'s assets, ascending.
pub fn assets_of(state: &impl StateRead, owner: &Address) -> Result<Vec<AssetId>, StateError> {
    state::assets_of(state, owner)
}
