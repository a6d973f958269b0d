//! The compliance books: its account holds exactly the open disputes' bonds and the escrows.

use atelier_primitives::{Amount, Denom};
use atelier_state::{ChangeSet, StateError, StateRead};

use super::{
    DisputeStatus,
    state::{self, Dispute},
};
use crate::{
    invariants::{Moved, Violation, changed},
    modules::bank,
};

/// Checks the books. O(disputes + escrows): for tests and debug builds.
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let bonds = state::disputes(state)?
        .iter()
        .filter(|d| d.status == DisputeStatus::Open)
        .fold(Amount::ZERO, |sum, d| sum.saturating_add(d.bond));
    let escrows = state::escrows(state)?;
    for denom in [Denom::GDC, Denom::USD] {
        let escrowed = escrows
            .iter()
            .filter(|(_, d, _)| *d == denom)
            .fold(Amount::ZERO, |sum, (_, _, a)| sum.saturating_add(*a));
        let owed = if denom == Denom::GDC { escrowed.saturating_add(bonds) } else { escrowed };
        let held = bank::balance(state, &state::account(), &denom)?;
        if held != owed {
            violations.push(Violation::new(
                "compliance",
                format!("the compliance account holds {held} {denom}, bonds and escrows are {owed}"),
            ));
        }
    }
    Ok(violations)
}

/// The bond the account holds for `dispute`: all of it while it is open.
fn bond_held(dispute: &Dispute) -> u128 {
    if dispute.status == DisputeStatus::Open { dispute.bond.get() } else { 0 }
}

/// Checks the books from a block's `changes`: in each denom, the account moved as the changed
/// escrows (and, in GDC, the changed disputes' open bonds) did. O(changes).
pub fn books_of_changes(
    before: &impl StateRead,
    after: &impl StateRead,
    changes: &ChangeSet,
) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let bonds = Moved::of(&changed::<Dispute>(before, changes, state::DISPUTE)?, bond_held);
    let escrows = changed::<Amount>(before, changes, state::ESCROW)?;
    for denom in [Denom::GDC, Denom::USD] {
        let in_denom = escrows.iter().filter(|e| e.key.ends_with(denom.as_bytes()));
        let moved = Moved::of(in_denom, |a| a.get());
        let moved = if denom == Denom::GDC { moved.plus(bonds) } else { moved };
        if !moved.matches_balance(before, after, &state::account(), &denom)? {
            violations.push(Violation::new(
                "compliance",
                format!("the account moved unlike the bonds and escrows it holds in {denom}"),
            ));
        }
    }
    Ok(violations)
}
