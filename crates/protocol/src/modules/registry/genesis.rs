//! registry genesis: params, datasets with their contributors, models, and the next ids.

use atelier_primitives::Address;
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{Contribution, Dataset, Model, RegistryParams, state};
use crate::genesis::GenesisError;

/// One contributor's stake in a dataset, at genesis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContributionGenesis {
    /// The contributor.
    pub contributor: Address,
    /// Its stake.
    pub contribution: Contribution,
}

/// A dataset and its contributors, at genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DatasetGenesis {
    /// The dataset.
    pub dataset: Dataset,
    /// Its contributors, by address.
    pub contributions: Vec<ContributionGenesis>,
}

/// The registry part of genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegistryGenesis {
    /// Parameters.
    pub params: RegistryParams,
    /// Datasets, by id.
    #[serde(default)]
    pub datasets: Vec<DatasetGenesis>,
    /// Models, by id.
    #[serde(default)]
    pub models: Vec<Model>,
    /// The id the next dataset gets (after every id above).
    #[serde(default = "first_id")]
    pub next_dataset: u64,
    /// The id the next model gets.
    #[serde(default = "first_id")]
    pub next_model: u64,
}

fn first_id() -> u64 {
    1
}

impl Default for RegistryGenesis {
    fn default() -> Self {
        RegistryGenesis {
            params: RegistryParams::default(),
            datasets: Vec::new(),
            models: Vec::new(),
            next_dataset: 1,
            next_model: 1,
        }
    }
}

impl RegistryGenesis {
    /// Checks the section and sorts it canonically.
    pub fn normalize(mut self) -> Result<RegistryGenesis, GenesisError> {
        let invalid = |reason: String| GenesisError::Section { module: "registry", reason };
        self.params.validate().map_err(|e| invalid(e.to_string()))?;
        self.datasets.sort_by_key(|d| d.dataset.id);
        self.models.sort_by_key(|m| m.id);
        if self.datasets.windows(2).any(|w| w[0].dataset.id == w[1].dataset.id) {
            return Err(invalid("a dataset id appears twice".into()));
        }
        if self.models.windows(2).any(|w| w[0].id == w[1].id) {
            return Err(invalid("a model id appears twice".into()));
        }
        for entry in &mut self.datasets {
            let id = entry.dataset.id;
            if id.0 == 0 || id.0 >= self.next_dataset {
                return Err(invalid(format!("dataset {id} is not below next_dataset")));
            }
            entry.contributions.sort_by_key(|c| c.contributor);
            if entry.contributions.windows(2).any(|w| w[0].contributor == w[1].contributor) {
                return Err(invalid(format!("dataset {id} names a contributor twice")));
            }
            let shares =
                entry.contributions.iter().try_fold(0u128, |sum, c| sum.checked_add(c.contribution.shares));
            if shares != Some(entry.dataset.total_shares)
                || entry.contributions.len() != entry.dataset.contributors as usize
            {
                return Err(invalid(format!("dataset {id}'s contributors do not match its totals")));
            }
        }
        for model in &self.models {
            if model.id.0 == 0 || model.id.0 >= self.next_model {
                return Err(invalid(format!("model {} is not below next_model", model.id)));
            }
            let style = &model.style;
            if style.is_empty()
                || style.len() > super::MAX_STYLE_BYTES
                || !style.chars().all(super::state::in_label)
            {
                return Err(invalid(format!(
                    "model {}'s style {style:?} is not a label of a-z, 0-9 and -",
                    model.id
                )));
            }
            let known = |id| self.datasets.binary_search_by_key(&id, |d| d.dataset.id).is_ok();
            if !model.lineage_datasets.iter().chain(&model.datasets).all(|d| known(d.dataset)) {
                return Err(invalid(format!("model {} names an unknown dataset", model.id)));
            }
        }
        Ok(self)
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &RegistryGenesis) {
    state::set_params(state, &genesis.params);
    state::set_next_ids(state, genesis.next_dataset, genesis.next_model);
    for entry in &genesis.datasets {
        state::put_dataset(state, &entry.dataset);
        for c in &entry.contributions {
            state::put_contribution(state, entry.dataset.id, &c.contributor, &c.contribution);
        }
    }
    for model in &genesis.models {
        state::put_model(state, model);
    }
}

pub(crate) fn export(state: &impl StateRead) -> Result<RegistryGenesis, StateError> {
    let (next_dataset, next_model) = state::next_ids(state)?;
    let mut datasets = Vec::new();
    for dataset in state::datasets(state)? {
        let contributions = state::contributions(state, dataset.id)?
            .into_iter()
            .map(|(contributor, contribution)| ContributionGenesis { contributor, contribution })
            .collect();
        datasets.push(DatasetGenesis { dataset, contributions });
    }
    Ok(RegistryGenesis {
        params: state::params(state)?,
        datasets,
        models: state::models(state)?,
        next_dataset,
        next_model,
    })
}
