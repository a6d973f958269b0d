//! Governance's books: the module account holds exactly the deposits of proposals still voting.

use atelier_primitives::{Amount, Denom};
use atelier_state::{ChangeSet, StateError, StateRead};

use super::{Proposal, Status, state};
use crate::{
    invariants::{Moved, Violation, changed},
    modules::bank,
};

/// The deposit the account holds for `proposal`: all of it while it is voting, none after.
fn held_for(proposal: &Proposal) -> u128 {
    if matches!(proposal.status, Status::Pending | Status::Active) { proposal.deposit.get() } else { 0 }
}

/// Checks the books. O(proposals): for tests and debug builds.
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let deposits = Amount::new(state::proposals(state)?.iter().map(held_for).fold(0, u128::saturating_add));
    let held = bank::balance(state, &state::account(), &Denom::GDC)?;
    if held != deposits {
        return Ok(vec![Violation::new(
            "governance",
            format!("the governance account holds {held}, deposits are {deposits}"),
        )]);
    }
    Ok(Vec::new())
}

/// Checks the books from a block's `changes`: the account moved as the deposits of the proposals
/// it changed did. O(changes).
pub fn books_of_changes(
    before: &impl StateRead,
    after: &impl StateRead,
    changes: &ChangeSet,
) -> Result<Vec<Violation>, StateError> {
    let deposits = Moved::of(&changed(before, changes, state::PROPOSAL)?, held_for);
    if !deposits.matches_balance(before, after, &state::account(), &Denom::GDC)? {
        return Ok(vec![Violation::new(
            "governance",
            "the account moved unlike the deposits it holds".into(),
        )]);
    }
    Ok(Vec::new())
}
