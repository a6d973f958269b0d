//! Deliberately broken blocks, for the tests that prove a broken invariant stops a node: what a
//! bug or a corrupted disk could produce, which no protocol path does.

use atelier_primitives::{Address, Amount, Denom, Encode};
use atelier_protocol::{ExecutedBlock, Header, SignatureCheck, build_block};
use atelier_state::{StateError, Store, prepare_commit};

/// An empty block on `parent` that also credits `to` with `amount` out of nothing (no mint), so
/// the state it leads to breaks conservation. Its header and commit agree, so storage takes it.
pub fn block_creating_funds<S: Store>(
    store: &S,
    parent: &Header,
    to: &Address,
    amount: Amount,
) -> Result<ExecutedBlock, StateError> {
    let mut executed = build_block(
        store,
        parent,
        parent.time_ms + 1_000,
        Address::default(),
        Vec::new(),
        atelier_protocol::BlockEvidence::default(),
        SignatureCheck::Skip,
    )
    .expect("an empty block builds");
    let mut changes = executed.commit.changes.clone();
    let held = atelier_protocol::modules::bank::query::balance(store, to, &Denom::GDC)?;
    let credited = held.checked_add(amount).expect("a test amount fits");
    // The bank's balance key: `bank/balance/{address}{denom}` (spec: bank README, State).
    let key = [b"bank/balance/".as_slice(), to.as_bytes(), Denom::GDC.as_bytes()].concat();
    changes.put(key, credited.to_bytes());
    executed.commit = prepare_commit(store, changes)?;
    executed.block.header.state_root = executed.commit.root;
    Ok(executed)
}
