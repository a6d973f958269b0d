//! The treasury's books: between blocks its operations account is empty and no order waits.

use atelier_primitives::Denom;
use atelier_state::{StateError, StateRead};

use super::state;
use crate::{invariants::Violation, modules::bank};

/// Checks the books. O(1).
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    for denom in [Denom::GDC, Denom::USD] {
        let held = bank::balance(state, &state::operations(), &denom)?;
        if !held.is_zero() {
            violations
                .push(Violation::new("treasury", format!("the operations account holds {held} {denom}")));
        }
    }
    if state::pending(state)?.is_some() {
        violations.push(Violation::new("treasury", "an order outlived its block".to_string()));
    }
    Ok(violations)
}
