//! The fee market's books: between blocks the fee collector is empty (the block's end burned its
//! base fees and paid its tips).

use atelier_primitives::Denom;
use atelier_state::{StateError, StateRead};

use super::state;
use crate::{invariants::Violation, modules::bank};

/// Checks the books. O(1).
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let held = bank::balance(state, &state::collector(), &Denom::GDC)?;
    if held.is_zero() {
        return Ok(Vec::new());
    }
    Ok(vec![Violation::new("fees", format!("the fee collector holds {held} between blocks"))])
}
