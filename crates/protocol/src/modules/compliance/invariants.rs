//! The compliance books: its account holds exactly the open disputes' bonds and the escrows.

use atelier_primitives::{Amount, Denom};
use atelier_state::{StateError, StateRead};

use super::{DisputeStatus, state};
use crate::{invariants::Violation, modules::bank};

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
