//! The clusters' books: the module account holds exactly the escrowed bids.

use atelier_primitives::{Amount, Denom};
use atelier_state::{StateError, StateRead};

use super::state;
use crate::{invariants::Violation, modules::bank};

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
    if let Some(r) =
        reservations.iter().find(|r| r.bid_per_slot.checked_mul(u128::from(r.slots)).ok() != Some(r.escrow))
    {
        violations.push(Violation::new(
            "clusters",
            format!("reservation {} escrows {} for {} slots", r.id, r.escrow, r.slots),
        ));
    }
    Ok(violations)
}
