//! Staking's books: the module account holds exactly the bonded and unbonding stake, the totals
//! match the accounts, total reputation is at least the sum of the accounts', and every
//! validator candidate is counted and owns its consensus key.

use std::collections::BTreeSet;

use atelier_primitives::{Address, Amount, Denom};
use atelier_state::{ChangeSet, StateError, StateRead};

use super::{
    Candidate,
    state::{self, Unbondings},
};
use crate::{
    invariants::{Moved, Violation, changed, presence},
    modules::bank,
};

/// Checks the books. O(accounts): for tests and debug builds.
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let mut fail = |detail: String| violations.push(Violation::new("staking", detail));
    let totals = state::totals(state)?;
    let (mut bonded, mut floor, mut reputation) = (Amount::ZERO, Amount::ZERO, 0u128);
    for (address, _) in state::latest_checkpoints(state)? {
        let standing = state::standing(state, &address, totals.epoch)?;
        bonded = bonded.saturating_add(standing.bonded);
        floor = floor.saturating_add(standing.floor);
        reputation = reputation.saturating_add(standing.reputation);
    }
    let unbonding =
        state::all_unbondings(state)?.iter().fold(Amount::ZERO, |sum, u| sum.saturating_add(u.amount));
    if (bonded, floor, unbonding) != (totals.bonded, totals.floor, totals.unbonding) {
        fail(format!(
            "accounts hold bonded {bonded}, floor {floor}, unbonding {unbonding}; totals say {}, {}, {}",
            totals.bonded, totals.floor, totals.unbonding
        ));
    }
    if reputation > totals.reputation {
        fail(format!("accounts hold {reputation} reputation, above the total {}", totals.reputation));
    }
    let held = bank::balance(state, &state::account(), &Denom::GDC)?;
    if held != totals.bonded.saturating_add(totals.unbonding) {
        fail(format!(
            "the staking account holds {held}, stake is {}",
            totals.bonded.saturating_add(totals.unbonding)
        ));
    }
    let candidates = state::candidates(state)?;
    if candidates.len() != state::candidate_count(state)? as usize {
        fail(format!("{} candidates, the count says {}", candidates.len(), state::candidate_count(state)?));
    }
    for candidate in &candidates {
        if state::key_owner(state, &candidate.consensus_key)? != Some(candidate.operator) {
            fail(format!("{}'s consensus key is not recorded as its own", candidate.operator));
        }
    }
    Ok(violations)
}

/// Checks the books from a block's `changes`. O(changes):
/// - the account holds the totals' bonded and unbonding stake;
/// - the totals' unbonding moved as the changed unbonding entries did, and their bonded (and,
///   within an epoch, their floor) as the standings of the accounts whose checkpoints changed;
/// - the candidate count moved as the candidates did, and each changed candidate owns its key.
///
/// Reputation is left to the full scan: every account's decays lazily at each epoch.
pub fn books_of_changes(
    before: &impl StateRead,
    after: &impl StateRead,
    changes: &ChangeSet,
) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let mut fail = |detail: String| violations.push(Violation::new("staking", detail));
    let (was, now) = (state::totals(before)?, state::totals(after)?);
    let held = bank::balance(after, &state::account(), &Denom::GDC)?;
    if held != now.bonded.saturating_add(now.unbonding) {
        fail(format!(
            "the staking account holds {held}, stake is {}",
            now.bonded.saturating_add(now.unbonding)
        ));
    }
    let unbonding = Moved::of(&changed::<Unbondings>(before, changes, state::UNBONDING)?, Unbondings::amount);
    if !unbonding.matches(was.unbonding.get(), now.unbonding.get()) {
        fail("the totals' unbonding moved unlike the unbonding entries".into());
    }
    // An account's checkpoints are keyed by its address, right after either prefix.
    let address_after = |prefix: &'static [u8]| {
        changes.with_prefix(prefix).filter_map(move |(key, _)| {
            key.get(prefix.len()..prefix.len() + 20).and_then(|b| <[u8; 20]>::try_from(b).ok()).map(Address)
        })
    };
    let accounts: BTreeSet<Address> =
        address_after(state::CHECKPOINTS).chain(address_after(state::CHECKPOINT)).collect();
    let (mut bonded, mut floor) = (Moved::default(), Moved::default());
    for address in &accounts {
        let (a, b) =
            (state::standing(before, address, was.epoch)?, state::standing(after, address, now.epoch)?);
        bonded = bonded.plus(Moved { before: a.bonded.get(), after: b.bonded.get() });
        floor = floor.plus(Moved { before: a.floor.get(), after: b.floor.get() });
    }
    if !bonded.matches(was.bonded.get(), now.bonded.get())
        || (was.epoch == now.epoch && !floor.matches(was.floor.get(), now.floor.get()))
    {
        fail("the totals' bonded or floor moved unlike the accounts' standings".into());
    }
    let count = presence(before, changes, state::CANDIDATE)?;
    let counted = (state::candidate_count(before)?, state::candidate_count(after)?);
    if !count.matches(u128::from(counted.0), u128::from(counted.1)) {
        fail("the candidate count moved unlike the candidates".into());
    }
    for candidate in
        changed::<Candidate>(before, changes, state::CANDIDATE)?.iter().filter_map(|c| c.after.as_ref())
    {
        if state::key_owner(after, &candidate.consensus_key)? != Some(candidate.operator) {
            fail(format!("{}'s consensus key is not recorded as its own", candidate.operator));
        }
    }
    Ok(violations)
}
