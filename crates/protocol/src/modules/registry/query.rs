//! Read-only views of registry state.

use atelier_primitives::{Address, Amount, Denom};
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{Dataset, DatasetId, Model, ModelId, RegistryParams, state};

/// The registry's params.
pub fn params(state: &impl StateRead) -> Result<RegistryParams, StateError> {
    state::params(state)
}

/// A dataset, if registered.
pub fn dataset(state: &impl StateRead, id: DatasetId) -> Result<Option<Dataset>, StateError> {
    state::dataset(state, id)
}

/// A model, if registered.
pub fn model(state: &impl StateRead, id: ModelId) -> Result<Option<Model>, StateError> {
    state::model(state, id)
}

/// What each style's models were asked for in `epoch` (jobs admitted, units, fees), most units
/// first. O(styles asked for in the epoch).
pub fn style_demand(state: &impl StateRead, epoch: u64) -> Result<Vec<super::StyleDemand>, StateError> {
    state::style_demand(state, epoch)
}

/// A contributor's stake in a dataset and what it can claim now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stake {
    /// Its shares.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub shares: u128,
    /// `ugdc` it can claim now.
    pub claimable_gdc: Amount,
    /// `uusd` it can claim now.
    pub claimable_usd: Amount,
}

fn claimable(record: &Dataset, contribution: &super::Contribution) -> Result<(Amount, Amount), StateError> {
    contribution
        .claimable(record)
        .map_err(|_| StateError::corrupt(b"registry/contribution", "claimable overflows"))
}

/// `contributor`'s stake in `dataset`, if it contributes.
pub fn stake(
    state: &impl StateRead,
    dataset: DatasetId,
    contributor: &Address,
) -> Result<Option<Stake>, StateError> {
    let Some(record) = state::dataset(state, dataset)? else { return Ok(None) };
    let Some(contribution) = state::contribution(state, dataset, contributor)? else { return Ok(None) };
    let (claimable_gdc, claimable_usd) = claimable(&record, &contribution)?;
    Ok(Some(Stake { shares: contribution.shares, claimable_gdc, claimable_usd }))
}

/// What `dataset` owes its contributors in all in `denom`, and its dust there: what was paid in
/// and neither claimed nor owed (the floors of the accumulator, which stay in the vault).
/// O(contributors).
pub fn owed_and_dust(
    state: &impl StateRead,
    dataset: DatasetId,
    denom: &Denom,
) -> Result<Option<(Amount, Amount)>, StateError> {
    let Some(record) = state::dataset(state, dataset)? else { return Ok(None) };
    let held = if *denom == Denom::USD { record.usd.unclaimed() } else { record.gdc.unclaimed() };
    let mut owed = Amount::ZERO;
    for (_, contribution) in state::contributions(state, dataset)? {
        let (gdc, usd) = claimable(&record, &contribution)?;
        owed = owed.saturating_add(if *denom == Denom::USD { usd } else { gdc });
    }
    Ok(Some((owed, held.saturating_sub(owed))))
}
