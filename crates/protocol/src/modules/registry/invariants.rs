//! The registry's vault: the module account holds exactly what datasets were paid and not
//! claimed in each denomination, and no dataset owes its contributors more than it holds.

use std::collections::BTreeSet;

use atelier_primitives::{Amount, Denom};
use atelier_state::{ChangeSet, StateError, StateRead};

use super::{Dataset, DatasetId, query, state};
use crate::modules::revenue::Accrual;
use crate::{
    invariants::{Moved, Violation, changed},
    modules::bank,
};

/// Checks the vault. O(contributors): for tests and debug builds.
pub fn vault(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let datasets = state::datasets(state)?;
    for dataset in &datasets {
        violations.extend(dataset_books(state, dataset)?);
    }
    for denom in [Denom::GDC, Denom::USD] {
        let held =
            datasets.iter().fold(Amount::ZERO, |sum, d| sum.saturating_add(accrual(d, &denom).unclaimed()));
        let balance = bank::query::balance(state, &state::account(), &denom)?;
        if balance != held {
            violations
                .push(Violation::new("registry", format!("vault holds {balance} {denom}, datasets {held}")));
        }
    }
    Ok(violations)
}

/// What `dataset` was paid and claimed in `denom`.
fn accrual<'a>(dataset: &'a Dataset, denom: &Denom) -> &'a Accrual {
    if *denom == Denom::USD { &dataset.usd } else { &dataset.gdc }
}

/// One dataset's books in each denom: it claimed no more than it was paid, and owes its
/// contributors no more than it holds. O(its contributors).
fn dataset_books(state: &impl StateRead, dataset: &Dataset) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    for denom in [Denom::GDC, Denom::USD] {
        let accrual = accrual(dataset, &denom);
        if accrual.claimed > accrual.paid_in {
            violations.push(Violation::new(
                "registry",
                format!("dataset {} claimed more {denom} than paid", dataset.id),
            ));
        }
        let unclaimed = accrual.unclaimed();
        if let Some((owed, _)) = query::owed_and_dust(state, dataset.id, &denom)?
            && owed > unclaimed
        {
            violations.push(Violation::new(
                "registry",
                format!("dataset {} owes {owed} {denom} but holds {unclaimed}", dataset.id),
            ));
        }
    }
    Ok(violations)
}

/// Checks the vault from a block's `changes`: in each denom the account moved as the changed
/// datasets' unclaimed payments did, and each dataset whose record or contributions changed keeps
/// its books. O(changes, and the contributors of the changed datasets).
pub fn vault_of_changes(
    before: &impl StateRead,
    after: &impl StateRead,
    changes: &ChangeSet,
) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let datasets = changed::<Dataset>(before, changes, state::DATASET)?;
    for denom in [Denom::GDC, Denom::USD] {
        if !Moved::of(&datasets, |d| accrual(d, &denom).unclaimed().get()).matches_balance(
            before,
            after,
            &state::account(),
            &denom,
        )? {
            violations.push(Violation::new(
                "registry",
                format!("the vault moved unlike the datasets' unclaimed {denom}"),
            ));
        }
    }
    let mut touched: BTreeSet<u64> =
        datasets.iter().filter_map(|d| d.after.as_ref().map(|d| d.id.0)).collect();
    for (key, _) in changes.with_prefix(state::CONTRIBUTION) {
        let id = key.get(state::CONTRIBUTION.len()..state::CONTRIBUTION.len() + 8);
        if let Some(id) = id.and_then(|b| <[u8; 8]>::try_from(b).ok()) {
            touched.insert(u64::from_be_bytes(id));
        }
    }
    for id in touched {
        if let Some(dataset) = state::dataset(after, DatasetId(id))? {
            violations.extend(dataset_books(after, &dataset)?);
        }
    }
    Ok(violations)
}
