//! compute genesis: params, class markets, providers, jobs and the next job id.
//!
//! The indexes (class membership, queues, timers, jobs by requester and provider) are derived
//! from the providers and jobs, and so are the class counters: `normalize` recomputes them.

use std::collections::BTreeMap;

use atelier_primitives::Bps;
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{ClassState, ComputeParams, Job, JobStatus, Provider, ProviderStatus, state};
use crate::genesis::GenesisError;

/// The compute part of genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ComputeGenesis {
    /// Parameters.
    pub params: ComputeParams,
    /// Class markets that moved from their start (base fee at the minimum, no providers).
    #[serde(default)]
    pub classes: Vec<ClassState>,
    /// Providers, by address.
    #[serde(default)]
    pub providers: Vec<Provider>,
    /// Jobs, by id.
    #[serde(default)]
    pub jobs: Vec<Job>,
    /// The id the next job gets.
    #[serde(default = "first_id")]
    pub next_job: u64,
}

fn first_id() -> u64 {
    1
}

impl Default for ComputeGenesis {
    fn default() -> Self {
        ComputeGenesis {
            params: ComputeParams::default(),
            classes: Vec::new(),
            providers: Vec::new(),
            jobs: Vec::new(),
            next_job: 1,
        }
    }
}

impl ComputeGenesis {
    /// Checks the section against the registry's lineage fee cap, sorts it, and recomputes the
    /// class counters from the providers and jobs.
    pub fn normalize(mut self, max_lineage_fee: Bps) -> Result<ComputeGenesis, GenesisError> {
        let invalid = |reason: String| GenesisError::Section { module: "compute", reason };
        self.params.validate(max_lineage_fee).map_err(|e| invalid(e.to_string()))?;
        self.providers.sort_by_key(|p| p.address);
        self.jobs.sort_by_key(|j| j.id);
        if self.providers.windows(2).any(|w| w[0].address == w[1].address) {
            return Err(invalid("a provider appears twice".into()));
        }
        if self.jobs.windows(2).any(|w| w[0].id == w[1].id) {
            return Err(invalid("a job id appears twice".into()));
        }
        if let Some(job) = self.jobs.iter().find(|j| j.id.0 == 0 || j.id.0 >= self.next_job) {
            return Err(invalid(format!("job {} is not between 1 and next_job", job.id)));
        }
        let mut classes: BTreeMap<String, ClassState> = BTreeMap::new();
        for class in self.classes.drain(..) {
            if self.params.class(&class.name).is_none() {
                return Err(invalid(format!("class {} is not in the params", class.name)));
            }
            if classes.insert(class.name.clone(), class).is_some() {
                return Err(invalid("a class appears twice".into()));
            }
        }
        let empty = StartingClasses(&self.params);
        for class in classes.values_mut() {
            class.capacity = 0;
            class.providers = 0;
            class.queued = 0;
        }
        for provider in self.providers.iter().filter(|p| p.status == ProviderStatus::Active) {
            for offer in &provider.capacities {
                let class = empty.entry(&mut classes, &offer.class).map_err(invalid)?;
                class.capacity = class
                    .capacity
                    .checked_add(offer.units)
                    .ok_or_else(|| invalid("capacity overflows".into()))?;
                class.providers += 1;
            }
        }
        for job in self.jobs.iter().filter(|j| j.status == JobStatus::Queued) {
            empty.entry(&mut classes, &job.class).map_err(invalid)?.queued += 1;
        }
        self.classes = classes.into_values().collect();
        Ok(self)
    }
}

/// Makes the starting state of a class on first mention.
struct StartingClasses<'a>(&'a ComputeParams);

impl StartingClasses<'_> {
    fn entry<'m>(
        &self,
        classes: &'m mut BTreeMap<String, ClassState>,
        name: &str,
    ) -> Result<&'m mut ClassState, String> {
        let Some(params) = self.0.class(name) else {
            return Err(format!("class {name} is not in the params"));
        };
        Ok(classes.entry(name.to_string()).or_insert_with(|| ClassState {
            name: name.to_string(),
            base_fee: params.min_base_fee,
            capacity: 0,
            providers: 0,
            queued: 0,
            last_admitted_units: 0,
        }))
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &ComputeGenesis) {
    state::set_params(state, &genesis.params);
    state::set_next_job(state, genesis.next_job);
    for class in &genesis.classes {
        state::put_class(state, class);
    }
    for provider in &genesis.providers {
        if provider.status == ProviderStatus::Active {
            for offer in &provider.capacities {
                state::put_member(state, &offer.class, &provider.address, offer.units);
            }
        }
        state::put_provider(state, provider);
    }
    for job in &genesis.jobs {
        state::insert_job(state, job);
    }
}

pub(crate) fn export(state: &impl StateRead) -> Result<ComputeGenesis, StateError> {
    Ok(ComputeGenesis {
        params: state::params(state)?,
        classes: state::stored_classes(state)?,
        providers: state::providers(state)?,
        jobs: state::jobs(state)?,
        next_job: state::next_job(state)?,
    })
}
