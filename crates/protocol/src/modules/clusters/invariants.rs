//! The clusters' books: the module account holds exactly the escrowed bids.

use atelier_primitives::{Amount, Denom};
use atelier_state::{ChangeSet, StateError, StateRead};

use super::{Reservation, state};
use crate::{
    invariants::{Moved, Violation, changed},
    modules::bank,
};

/// Checks the books. O(reservations): for tests and debug builds.
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let reservations = state::all_reservations(state)?;
    let escrow = reservations.iter().fold(Amount::ZERO, |sum, r| sum.saturating_add(r.escrow));
    let held = bank::balance(state, &state::account(), &Denom::GDC)?;
    if held != escrow {
        violations.push(Violation::new(
            "clusters",
            format!("the clusters account holds {held}, escrow is {escrow}"),
        ));
    }
    violations.extend(reservations.iter().filter_map(misescrowed));
    Ok(violations)
}

/// The violation of a reservation whose escrow is not its bid for its slots.
fn misescrowed(r: &Reservation) -> Option<Violation> {
    (r.bid_per_slot.checked_mul(u128::from(r.slots)).ok() != Some(r.escrow)).then(|| {
        Violation::new("clusters", format!("reservation {} escrows {} for {} slots", r.id, r.escrow, r.slots))
    })
}

/// Checks the books from a block's `changes`: the account moved as the escrow of the changed
/// reservations did, and each of them escrows its bid. O(changes).
pub fn books_of_changes(
    before: &impl StateRead,
    after: &impl StateRead,
    changes: &ChangeSet,
) -> Result<Vec<Violation>, StateError> {
    let reservations = changed::<Reservation>(before, changes, state::RESERVATION)?;
    let mut violations: Vec<Violation> =
        reservations.iter().filter_map(|r| r.after.as_ref().and_then(misescrowed)).collect();
    let escrow = Moved::of(&reservations, |r| r.escrow.get());
    if !escrow.matches_balance(before, after, &state::account(), &Denom::GDC)? {
        violations.push(Violation::new("clusters", "the account moved unlike the escrow it holds".into()));
    }
    Ok(violations)
}
