//! Governance's books: the module account holds exactly the deposits of proposals still voting.

use atelier_primitives::{Amount, Denom};
use atelier_state::{StateError, StateRead};

use super::{Status, state};
use crate::{invariants::Violation, modules::bank};

/// Checks the books. O(proposals): for tests and debug builds.
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let voting =
        state::proposals(state)?.into_iter().filter(|p| matches!(p.status, Status::Pending | Status::Active));
    let deposits = voting.fold(Amount::ZERO, |sum, p| sum.saturating_add(p.deposit));
    let held = bank::balance(state, &state::account(), &Denom::GDC)?;
    if held != deposits {
        return Ok(vec![Violation::new(
            "governance",
            format!("the governance account holds {held}, deposits are {deposits}"),
        )]);
    }
    Ok(Vec::new())
}
