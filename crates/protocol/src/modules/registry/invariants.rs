//! The registry's vault: the module account holds exactly what datasets were paid and not
//! claimed, and no dataset owes its contributors more than it holds.

use atelier_primitives::{Amount, Denom};
use atelier_state::{StateError, StateRead};

use super::{query, state};
use crate::{invariants::Violation, modules::bank};

/// Checks the vault. O(contributors): for tests and debug builds.
pub fn vault(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let mut held = Amount::ZERO;
    for dataset in state::datasets(state)? {
        let unclaimed = match dataset.paid_in.checked_sub(dataset.claimed) {
            Ok(unclaimed) => unclaimed,
            Err(_) => {
                violations.push(Violation::new(
                    "registry",
                    format!("dataset {} claimed more than paid", dataset.id),
                ));
                continue;
            }
        };
        held = held.saturating_add(unclaimed);
        if let Some((owed, _)) = query::owed_and_dust(state, dataset.id)?
            && owed > unclaimed
        {
            violations.push(Violation::new(
                "registry",
                format!("dataset {} owes {owed} but holds {unclaimed}", dataset.id),
            ));
        }
    }
    let balance = bank::query::balance(state, &state::account(), &Denom::GDC)?;
    if balance != held {
        violations.push(Violation::new("registry", format!("vault holds {balance}, datasets {held}")));
    }
    Ok(violations)
}
