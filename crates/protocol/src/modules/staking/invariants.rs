//! Staking's books: the module account holds exactly the bonded and unbonding stake, the totals
//! match the accounts, total reputation is at least the sum of the accounts', and every
//! validator candidate is counted and owns its consensus key.

use atelier_primitives::{Amount, Denom};
use atelier_state::{StateError, StateRead};

use super::state;
use crate::{invariants::Violation, modules::bank};

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
