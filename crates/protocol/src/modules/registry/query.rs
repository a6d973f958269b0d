//! Read-only views of registry state.

use atelier_primitives::{Address, Amount};
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{Dataset, DatasetId, Model, ModelId, state};

/// A dataset, if registered.
pub fn dataset(state: &impl StateRead, id: DatasetId) -> Result<Option<Dataset>, StateError> {
    state::dataset(state, id)
}

/// A model, if registered.
pub fn model(state: &impl StateRead, id: ModelId) -> Result<Option<Model>, StateError> {
    state::model(state, id)
}

/// A contributor's stake in a dataset and what it can claim now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stake {
    /// Its shares.
    #[serde(with = "crate::serde_u128")]
    pub shares: u128,
    /// What it can claim now.
    pub claimable: Amount,
}

/// `contributor`'s stake in `dataset`, if it contributes.
pub fn stake(
    state: &impl StateRead,
    dataset: DatasetId,
    contributor: &Address,
) -> Result<Option<Stake>, StateError> {
    let Some(record) = state::dataset(state, dataset)? else { return Ok(None) };
    let Some(contribution) = state::contribution(state, dataset, contributor)? else { return Ok(None) };
    let claimable = contribution
        .claimable(record.acc_per_share)
        .map_err(|_| StateError::corrupt(b"registry/contribution", "claimable overflows"))?;
    Ok(Some(Stake { shares: contribution.shares, claimable }))
}

/// What `dataset` owes its contributors in all, and its dust: what was paid in and neither
/// claimed nor owed (the floors of the accumulator, which stay in the vault). O(contributors).
pub fn owed_and_dust(
    state: &impl StateRead,
    dataset: DatasetId,
) -> Result<Option<(Amount, Amount)>, StateError> {
    let Some(record) = state::dataset(state, dataset)? else { return Ok(None) };
    let mut owed = Amount::ZERO;
    for (_, contribution) in state::contributions(state, dataset)? {
        let claimable = contribution
            .claimable(record.acc_per_share)
            .map_err(|_| StateError::corrupt(b"registry/contribution", "claimable overflows"))?;
        owed = owed.saturating_add(claimable);
    }
    let held = record.paid_in.saturating_sub(record.claimed);
    Ok(Some((owed, held.saturating_sub(owed))))
}
