//! The revenue module's books: its account holds exactly what vaults were paid and not claimed,
//! no vault owes more than it holds, and every vault's units sum to 100 000 000.

use std::collections::BTreeSet;

use atelier_primitives::Denom;
use atelier_state::{ChangeSet, StateError, StateRead};

use super::{SHARE_UNITS, Vault, query, state};
use crate::{
    invariants::{Moved, Violation, changed},
    modules::bank,
};

/// Checks the books. O(holdings): for tests and debug builds.
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let vaults = state::vaults(state)?;
    for vault in &vaults {
        violations.extend(vault_books(state, vault)?);
    }
    for denom in [Denom::GDC, Denom::USD] {
        let expected = vaults.iter().fold(0u128, |sum, v| sum.saturating_add(unclaimed(v, &denom)));
        let balance = bank::query::balance(state, &state::account(), &denom)?;
        if balance.get() != expected {
            violations.push(Violation::new(
                "revenue",
                format!("account holds {balance} {denom}, vaults {expected}"),
            ));
        }
    }
    Ok(violations)
}

/// What `vault` was paid in `denom` and its holders have not claimed.
fn unclaimed(vault: &Vault, denom: &Denom) -> u128 {
    if *denom == Denom::USD { vault.usd.unclaimed().get() } else { vault.gdc.unclaimed().get() }
}

/// One vault's books: its holdings' units sum to [`SHARE_UNITS`] over as many holders as it
/// records, and it owes them no more than it holds. O(its holders).
fn vault_books(state: &impl StateRead, vault: &Vault) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
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
        && (gdc.get() > unclaimed(vault, &Denom::GDC) || usd.get() > unclaimed(vault, &Denom::USD))
    {
        violations.push(Violation::new("revenue", format!("vault {} owes more than it holds", vault.id)));
    }
    Ok(violations)
}

/// Checks the books from a block's `changes`: in each denom the account moved as the changed
/// vaults' unclaimed payments did, and every recorded vault whose record or holdings changed keeps
/// its books. O(changes, and the holders of the changed vaults).
pub fn books_of_changes(
    before: &impl StateRead,
    after: &impl StateRead,
    changes: &ChangeSet,
) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let vaults = changed::<Vault>(before, changes, state::VAULT)?;
    for denom in [Denom::GDC, Denom::USD] {
        if !Moved::of(&vaults, |v| unclaimed(v, &denom)).matches_balance(
            before,
            after,
            &state::account(),
            &denom,
        )? {
            violations.push(Violation::new(
                "revenue",
                format!("the account moved unlike the vaults' unclaimed {denom}"),
            ));
        }
    }
    // A vault's key part (kind and id) follows the prefix in both its record's and its holdings' keys.
    let part = |key: &[u8], prefix: &[u8]| key.get(prefix.len()..prefix.len() + 9).map(<[u8]>::to_vec);
    let mut touched: BTreeSet<Vec<u8>> = vaults.iter().filter_map(|v| part(&v.key, state::VAULT)).collect();
    touched.extend(changes.with_prefix(state::HOLDING).filter_map(|(key, _)| part(key, state::HOLDING)));
    for id in touched {
        let key = [state::VAULT, id.as_slice()].concat();
        if let Some(vault) = crate::store::read::<Vault>(after, &key)? {
            violations.extend(vault_books(after, &vault)?);
        }
    }
    Ok(violations)
}
