//! Read-only views of compute state.

use atelier_primitives::{Address, Amount, Bps};
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{ComputeParams, Job, JobId, Provider, state};

/// A class's market as a user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassView {
    /// The class.
    pub name: String,
    /// Price per compute unit for jobs admitted in the next block, before tips.
    pub base_fee: Amount,
    /// The floor of the base fee.
    pub min_base_fee: Amount,
    /// Units per block its active providers offer.
    pub capacity: u64,
    /// Units per block the base fee aims at.
    pub target: u64,
    /// Active providers.
    pub providers: u32,
    /// Jobs waiting.
    pub queued: u32,
    /// Units admitted in the last block that changed it.
    pub last_admitted_units: u64,
    /// Those units over the capacity.
    pub utilisation: Bps,
}

/// The market's parameters.
pub fn params(state: &impl StateRead) -> Result<ComputeParams, StateError> {
    state::params(state)
}

/// Every class, in the order of the params.
pub fn classes(state: &impl StateRead) -> Result<Vec<ClassView>, StateError> {
    let params = state::params(state)?;
    let mut views = Vec::with_capacity(params.classes.len());
    for class_params in &params.classes {
        let Some(class) = state::class(state, &params, &class_params.name)? else { continue };
        let share = |units: u64, of: u64, by: u64| -> u64 {
            Amount::new(u128::from(units))
                .mul_div_floor(u128::from(by), u128::from(of.max(1)))
                .map_or(0, |a| a.get() as u64)
        };
        let utilisation = share(class.last_admitted_units.min(class.capacity), class.capacity, 10_000);
        views.push(ClassView {
            target: share(class.capacity, 10_000, u64::from(class_params.target_utilisation.get())),
            name: class.name,
            base_fee: class.base_fee,
            min_base_fee: class_params.min_base_fee,
            capacity: class.capacity,
            providers: class.providers,
            queued: class.queued,
            last_admitted_units: class.last_admitted_units,
            utilisation: Bps::new(utilisation as u32).unwrap_or(Bps::ONE),
        });
    }
    Ok(views)
}

/// A job, if submitted.
pub fn job(state: &impl StateRead, id: JobId) -> Result<Option<Job>, StateError> {
    state::job(state, id)
}

/// `address`'s jobs as requester (or, with `assigned`, as provider) with ids above `after`, at
/// most `limit`, by id.
pub fn jobs_of(
    state: &impl StateRead,
    address: &Address,
    assigned: bool,
    after: Option<JobId>,
    limit: usize,
) -> Result<Vec<Job>, StateError> {
    let mut jobs = Vec::new();
    for id in state::jobs_of(state, address, assigned, after, limit)? {
        jobs.extend(state::job(state, id)?);
    }
    Ok(jobs)
}

/// A provider, if registered.
pub fn provider(state: &impl StateRead, address: &Address) -> Result<Option<Provider>, StateError> {
    state::provider(state, address)
}

/// Providers with addresses above `after`, at most `limit`, by address.
pub fn providers(
    state: &impl StateRead,
    after: Option<&Address>,
    limit: usize,
) -> Result<Vec<Provider>, StateError> {
    state::providers_page(state, after, limit)
}
