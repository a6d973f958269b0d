//! The compute market's books: the module account holds exactly every bond and what every open
//! job has paid, and each class's counters match its providers and queue.

use atelier_primitives::{Amount, Denom};
use atelier_state::{StateError, StateRead};

use super::{JobStatus, ProviderStatus, state};
use crate::{invariants::Violation, modules::bank};

/// Checks the books. O(providers + jobs): for tests and debug builds.
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let params = state::params(state)?;
    let providers = state::providers(state)?;
    let jobs = state::jobs(state)?;
    let mut held = Amount::ZERO;
    for provider in &providers {
        held = held.saturating_add(provider.bond);
    }
    for job in &jobs {
        if job.status.is_final() && !job.held.is_zero() {
            violations
                .push(Violation::new("compute", format!("job {} is over but holds {}", job.id, job.held)));
        }
        held = held.saturating_add(job.held);
    }
    let balance = bank::query::balance(state, &state::account(), &Denom::GDC)?;
    if balance != held {
        violations.push(Violation::new("compute", format!("module holds {balance}, bonds and jobs {held}")));
    }
    for class_params in &params.classes {
        let Some(class) = state::class(state, &params, &class_params.name)? else { continue };
        let members = state::members(state, &class.name, usize::MAX)?;
        let capacity: u64 = members.iter().map(|(_, units)| *units).sum();
        let active = providers
            .iter()
            .filter(|p| p.status == ProviderStatus::Active && p.capacity(&class.name) > 0)
            .count();
        let queued = jobs.iter().filter(|j| j.class == class.name && j.status == JobStatus::Queued).count();
        if capacity != class.capacity || members.len() != class.providers as usize || active != members.len()
        {
            violations.push(Violation::new(
                "compute",
                format!(
                    "class {}: capacity {} over {} providers recorded, {capacity} over {} members, {active} active",
                    class.name,
                    class.capacity,
                    class.providers,
                    members.len()
                ),
            ));
        }
        let queue = state::queue_len(state, &class.name)?;
        if queued != class.queued as usize || queue != queued {
            violations.push(Violation::new(
                "compute",
                format!(
                    "class {}: {} queued recorded, {queue} in the queue, {queued} jobs queued",
                    class.name, class.queued
                ),
            ));
        }
    }
    Ok(violations)
}
