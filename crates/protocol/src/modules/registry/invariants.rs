//! The registry's vault: the module account holds exactly what datasets were paid and not
//! claimed in each denomination, and no dataset owes its contributors more than it holds.

use atelier_primitives::{Amount, Denom};
use atelier_state::{StateError, StateRead};

use super::{query, state};
use crate::{invariants::Violation, modules::bank};

/// Checks the vault. O(contributors): for tests and debug builds.
pub fn vault(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let datasets = state::datasets(state)?;
    for denom in [Denom::GDC, Denom::USD] {
        let mut held = Amount::ZERO;
        for dataset in &datasets {
            let accrual = if denom == Denom::USD { &dataset.usd } else { &dataset.gdc };
            if accrual.claimed > accrual.paid_in {
                violations.push(Violation::new(
                    "registry",
                    format!("dataset {} claimed more {denom} than paid", dataset.id),
                ));
            }
            let unclaimed = accrual.unclaimed();
            held = held.saturating_add(unclaimed);
            if let Some((owed, _)) = query::owed_and_dust(state, dataset.id, &denom)?
                && owed > unclaimed
            {
                violations.push(Violation::new(
                    "registry",
                    format!("dataset {} owes {owed} {denom} but holds {unclaimed}", dataset.id),
                ));
            }
        }
        let balance = bank::query::balance(state, &state::account(), &denom)?;
        if balance != held {
            violations
                .push(Violation::new("registry", format!("vault holds {balance} {denom}, datasets {held}")));
        }
    }
    Ok(violations)
}
