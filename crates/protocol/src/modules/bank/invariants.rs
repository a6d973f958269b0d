//! Conservation: for every denom, `sum(balances) + burned == minted`, over the whole state, and
//! for each block from what it changed: what balances gained less what they lost is what was
//! minted less what was burned.
//!
//! Module escrows are balances of module accounts, so they are inside `sum(balances)`.

use std::collections::BTreeMap;

use atelier_primitives::{Amount, Decode, Denom};
use atelier_state::{ChangeSet, StateError, StateRead};

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

/// Checks conservation from a block's `changes` alone: for each denom, what the changed balances
/// gained plus what was burned equals what they lost plus what was minted. O(changes).
pub fn conservation_of_changes(
    before: &impl StateRead,
    after: &impl StateRead,
    changes: &ChangeSet,
) -> Result<Vec<Violation>, StateError> {
    // (gained, lost) per denom; the sums commute, so the writes' order does not matter.
    let mut moved: BTreeMap<Denom, (u128, u128)> = BTreeMap::new();
    let mut violations = Vec::new();
    for (key, new) in changes.with_prefix(state::BALANCE) {
        let Some(denom) = key.get(state::BALANCE.len() + 20..).and_then(Denom::parse_bytes) else {
            violations.push(Violation::new("bank", format!("malformed balance key {key:?}")));
            continue;
        };
        let old = state::balance_at(before, key)?.get();
        let new = match new {
            Some(bytes) => Amount::from_bytes(bytes).map_err(|e| StateError::corrupt(key, e))?.get(),
            None => 0,
        };
        let (gained, lost) = moved.entry(denom).or_default();
        let sum = if new >= old { gained.checked_add(new - old) } else { lost.checked_add(old - new) };
        match (sum, new >= old) {
            (Some(sum), true) => *gained = sum,
            (Some(sum), false) => *lost = sum,
            (None, _) => violations.push(Violation::new("bank", format!("{denom} moved more than exists"))),
        }
    }
    for denom in DENOMS {
        let (gained, lost) = moved.get(&denom).copied().unwrap_or((0, 0));
        let minted = state::minted(after, &denom)?.get().checked_sub(state::minted(before, &denom)?.get());
        let burned = state::burned(after, &denom)?.get().checked_sub(state::burned(before, &denom)?.get());
        let (Some(minted), Some(burned)) = (minted, burned) else {
            violations.push(Violation::new("bank", format!("{denom}: a supply counter went down")));
            continue;
        };
        if gained.checked_add(burned) != lost.checked_add(minted) {
            violations.push(Violation::new(
                "bank",
                format!("{denom}: balances gained {gained} and lost {lost}, but {minted} was minted and {burned} burned"),
            ));
        }
    }
    Ok(violations)
}

#[cfg(test)]
mod tests {
    use atelier_primitives::{Address, Encode};
    use atelier_state::{MemoryStore, Overlay, StateWrite};

    use super::*;

    fn funded() -> MemoryStore {
        let mut store = MemoryStore::new();
        let mut state = Overlay::new(&store);
        state::init_balance(&mut state, &Address([1; 20]), &Denom::GDC, Amount::new(1_000));
        state::init_supply(&mut state, &Denom::GDC, Amount::new(1_000), Amount::ZERO);
        store.apply(state.into_changes()).unwrap();
        store
    }

    fn check(store: &MemoryStore, writes: &[(Vec<u8>, u128)]) -> Vec<Violation> {
        let mut after = Overlay::new(store);
        for (key, amount) in writes {
            after.put(key.clone(), Amount::new(*amount).to_bytes());
        }
        conservation_of_changes(store, &after, after.changes()).unwrap()
    }

    #[test]
    fn a_block_that_moves_funds_conserves_and_one_that_creates_them_is_caught() {
        let store = funded();
        let (a, b) = (
            state::balance_key(&Address([1; 20]), &Denom::GDC),
            state::balance_key(&Address([2; 20]), &Denom::GDC),
        );
        assert!(check(&store, &[(a.clone(), 600), (b.clone(), 400)]).is_empty(), "a transfer");
        let created = check(&store, &[(a.clone(), 1_000), (b.clone(), 5)]);
        assert_eq!(created.len(), 1, "{created:?}");
        // Minting the same 5 makes it whole again.
        let minted = check(&store, &[(a, 1_000), (b, 5), (key_of_minted(), 1_005)]);
        assert!(minted.is_empty(), "{minted:?}");
    }

    fn key_of_minted() -> Vec<u8> {
        crate::store::key(state::MINTED, &[Denom::GDC.as_bytes()])
    }
}
