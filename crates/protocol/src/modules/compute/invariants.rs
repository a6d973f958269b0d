//! The compute market's books: the module account holds exactly every bond and what every open
//! job has paid, and each class's counters match its providers and queue.

use atelier_primitives::{Address, Amount, Denom};
use atelier_state::{ChangeSet, StateError, StateRead};

use super::{Job, JobStatus, Provider, ProviderStatus, state};
use crate::{
    invariants::{Moved, Violation, changed, presence},
    modules::bank,
};

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
        let active = providers.iter().filter(|p| serves(p, &class.name)).count();
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

/// Checks the books from a block's `changes`. O(changes + classes):
/// - the account moved as the changed providers' bonds and jobs' holdings did, and no changed job
///   that is over holds anything;
/// - in each class, the recorded capacity and providers moved as the changed members did, the
///   recorded queue as the queue's changed entries and the changed jobs' queued status did;
/// - each changed provider is a member of exactly the classes it is active in with capacity, and
///   each changed member is such a provider.
pub fn books_of_changes(
    before: &impl StateRead,
    after: &impl StateRead,
    changes: &ChangeSet,
) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let mut fail = |detail: String| violations.push(Violation::new("compute", detail));
    let providers = changed::<Provider>(before, changes, state::PROVIDER)?;
    let jobs = changed::<Job>(before, changes, state::JOB)?;
    let owed = Moved::of(&providers, |p| p.bond.get()).plus(Moved::of(&jobs, |j| j.held.get()));
    if !owed.matches_balance(before, after, &state::account(), &Denom::GDC)? {
        fail("the account moved unlike the bonds and job payments it holds".into());
    }
    for job in jobs.iter().filter_map(|j| j.after.as_ref()) {
        if job.status.is_final() && !job.held.is_zero() {
            fail(format!("job {} is over but holds {}", job.id, job.held));
        }
    }
    let params = state::params(after)?;
    for class_params in &params.classes {
        let name = &class_params.name;
        let (Some(was), Some(now)) =
            (state::class(before, &params, name)?, state::class(after, &params, name)?)
        else {
            continue;
        };
        let members = changed::<u64>(before, changes, &state::member_prefix(name))?;
        let capacity = Moved::of(&members, |units| u128::from(*units));
        let count = Moved::of(&members, |_| 1);
        if !capacity.matches(u128::from(was.capacity), u128::from(now.capacity))
            || !count.matches(u128::from(was.providers), u128::from(now.providers))
        {
            fail(format!("class {name}: capacity or providers moved unlike its members"));
        }
        let queued_jobs = Moved::of(&jobs, |j| u128::from(&j.class == name && j.status == JobStatus::Queued));
        let queue = presence(before, changes, &state::queue_prefix(name))?;
        let (was_queued, now_queued) = (u128::from(was.queued), u128::from(now.queued));
        if !queued_jobs.matches(was_queued, now_queued) || !queue.matches(was_queued, now_queued) {
            fail(format!("class {name}: the queue moved unlike its jobs"));
        }
        for member in &members {
            let address = member.key.len().checked_sub(20).and_then(|at| member.key.get(at..));
            let address = address.and_then(|bytes| <[u8; 20]>::try_from(bytes).ok()).map(Address);
            let provider = match address {
                Some(address) => state::provider(after, &address)?,
                None => None,
            };
            if member.after.is_some() != provider.as_ref().is_some_and(|p| serves(p, name)) {
                fail(format!("class {name}: a member is not an active provider of it, or the reverse"));
            }
        }
        for provider in providers.iter().filter_map(|p| p.after.as_ref()) {
            let member = state::member_units(after, name, &provider.address)?;
            if member.is_some() != serves(provider, name) {
                fail(format!("class {name}: provider {} is a member unlike its status", provider.address));
            }
        }
    }
    Ok(violations)
}

/// Whether `provider` offers capacity in `class` now.
fn serves(provider: &Provider, class: &str) -> bool {
    provider.status == ProviderStatus::Active && provider.capacity(class) > 0
}
