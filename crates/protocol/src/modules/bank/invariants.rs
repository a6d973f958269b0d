//! Conservation: for every denom, `sum(balances) + burned == minted`.
//!
//! Module escrows are balances of module accounts, so they are inside `sum(balances)`.

use std::collections::BTreeMap;

use atelier_primitives::{Amount, Denom};
use atelier_state::{StateError, StateRead};

use super::{DENOMS, state};
use crate::{invariants::Violation, store};

/// Checks conservation over the whole state. O(accounts): for tests and debug builds.
pub fn conservation(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut held: BTreeMap<Denom, u128> = BTreeMap::new();
    let mut violations = Vec::new();
    for (key, amount) in store::scan::<Amount>(state, state::BALANCE)? {
        let denom = key.get(state::BALANCE.len() + 20..).and_then(Denom::parse_bytes);
        let Some(denom) = denom else {
            violations.push(Violation::new("bank", format!("malformed balance key {key:?}")));
            continue;
        };
        let total = held.entry(denom).or_default();
        match total.checked_add(amount.get()) {
            Some(sum) => *total = sum,
            None => violations.push(Violation::new("bank", format!("{denom} balances overflow"))),
        }
    }
    for denom in DENOMS {
        let held = held.get(&denom).copied().unwrap_or(0);
        let burned = state::burned(state, &denom)?.get();
        let minted = state::minted(state, &denom)?.get();
        if held.checked_add(burned) != Some(minted) {
            violations.push(Violation::new(
                "bank",
                format!("{denom}: held {held} + burned {burned} != minted {minted}"),
            ));
        }
    }
    Ok(violations)
}
