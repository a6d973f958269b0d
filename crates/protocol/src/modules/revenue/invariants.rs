//! The revenue module's books: its account holds exactly what vaults were paid and not claimed,
//! no vault owes more than it holds, and every vault's units sum to 100 000 000.

use atelier_primitives::{Amount, Denom};
use atelier_state::{StateError, StateRead};

use super::{SHARE_UNITS, query, state};
use crate::{invariants::Violation, modules::bank};

/// Checks the books. O(holdings): for tests and debug builds.
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let mut held = (Amount::ZERO, Amount::ZERO);
    for vault in state::vaults(state)? {
        let unclaimed = (vault.gdc.unclaimed(), vault.usd.unclaimed());
        held = (held.0.saturating_add(unclaimed.0), held.1.saturating_add(unclaimed.1));
        let holdings = state::holdings(state, &vault.id)?;
        let units: u128 = holdings.iter().map(|(_, h)| u128::from(h.units)).sum();
        if units != u128::from(SHARE_UNITS) || holdings.len() as u64 != vault.holders {
            violations.push(Violation::new(
                "revenue",
                format!(
                    "vault {}: {units} units over {} holders, {} recorded",
                    vault.id,
                    holdings.len(),
                    vault.holders
                ),
            ));
        }
        if let Some((gdc, usd)) = query::owed(state, &vault.id)?
            && (gdc > unclaimed.0 || usd > unclaimed.1)
        {
            violations.push(Violation::new("revenue", format!("vault {} owes more than it holds", vault.id)));
        }
    }
    for (denom, expected) in [(Denom::GDC, held.0), (Denom::USD, held.1)] {
        let balance = bank::query::balance(state, &state::account(), &denom)?;
        if balance != expected {
            violations.push(Violation::new(
                "revenue",
                format!("account holds {balance} {denom}, vaults {expected}"),
            ));
        }
    }
    Ok(violations)
}
