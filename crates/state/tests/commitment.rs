//! Laws of the state commitment and of overlays.

use std::collections::BTreeMap;

use atelier_state::{ChangeSet, MemoryStore, Overlay, StateRead, StateWrite};
use proptest::prelude::*;

type Op = (u8, Option<u8>);

fn ops() -> impl Strategy<Value = Vec<Vec<Op>>> {
    // Small key and value spaces so that overwrites, deletes and re-inserts all happen.
    prop::collection::vec(prop::collection::vec((0u8..16, prop::option::of(0u8..4)), 0..12), 0..8)
}

fn changes(block: &[Op]) -> ChangeSet {
    let mut set = ChangeSet::new();
    for (key, value) in block {
        match value {
            Some(v) => set.put(vec![*key], vec![*v]),
            None => set.delete(vec![*key]),
        }
    }
    set
}

fn model_after(blocks: &[Vec<Op>]) -> BTreeMap<u8, u8> {
    let mut model = BTreeMap::new();
    for (key, value) in blocks.iter().flatten() {
        match value {
            Some(v) => model.insert(*key, *v),
            None => model.remove(key),
        };
    }
    model
}

proptest! {
    #[test]
    fn the_incremental_root_equals_the_root_recomputed_from_the_whole_state(blocks in ops()) {
        let mut store = MemoryStore::new();
        for block in &blocks {
            let root = store.apply(changes(block)).unwrap();
            prop_assert_eq!(root, store.recompute_commitment().root());
        }
    }

    #[test]
    fn equal_states_have_equal_roots_and_different_states_different_roots(a in ops(), b in ops()) {
        let mut left = MemoryStore::new();
        for block in &a { left.apply(changes(block)).unwrap(); }
        let mut right = MemoryStore::new();
        for block in &b { right.apply(changes(block)).unwrap(); }
        let same_state = model_after(&a) == model_after(&b);
        prop_assert_eq!(left.root() == right.root(), same_state);
    }

    #[test]
    fn a_discarded_overlay_changes_nothing_and_a_kept_one_changes_exactly_its_writes(block in prop::collection::vec((0u8..16, prop::option::of(0u8..4)), 0..12)) {
        let mut store = MemoryStore::new();
        store.apply(changes(&[(1, Some(1)), (2, Some(2))])).unwrap();
        let before = store.root();
        {
            let mut overlay = Overlay::new(&store);
            for (key, value) in &block {
                match value { Some(v) => overlay.put(vec![*key], vec![*v]), None => overlay.delete(vec![*key]) }
            }
        }
        prop_assert_eq!(store.root(), before);
        let mut overlay = Overlay::new(&store);
        for (key, value) in &block {
            match value { Some(v) => overlay.put(vec![*key], vec![*v]), None => overlay.delete(vec![*key]) }
        }
        let seen: Vec<_> = overlay.scan_prefix(&[]).unwrap();
        let kept = overlay.into_changes();
        store.apply(kept).unwrap();
        prop_assert_eq!(store.scan_prefix(&[]).unwrap(), seen);
    }

    #[test]
    fn a_limited_scan_of_an_overlay_is_the_head_of_the_full_scan(
        base in prop::collection::vec((0u8..32, 0u8..4), 0..24),
        block in prop::collection::vec((0u8..32, prop::option::of(0u8..4)), 0..24),
        limit in 0usize..12,
    ) {
        let mut store = MemoryStore::new();
        let base: Vec<(u8, Option<u8>)> = base.into_iter().map(|(k, v)| (k, Some(v))).collect();
        store.apply(changes(&base)).unwrap();
        let mut overlay = Overlay::new(&store);
        for (key, value) in &block {
            match value { Some(v) => overlay.put(vec![*key], vec![*v]), None => overlay.delete(vec![*key]) }
        }
        let full = overlay.scan_prefix(&[]).unwrap();
        let head: Vec<_> = full.into_iter().take(limit).collect();
        prop_assert_eq!(overlay.scan_prefix_limited(&[], limit).unwrap(), head);
    }

    #[test]
    fn a_scan_from_a_cursor_is_the_full_scan_from_that_key_in_the_store_and_any_overlay(
        base in prop::collection::vec((0u8..32, 0u8..4), 0..24),
        block in prop::collection::vec((0u8..32, prop::option::of(0u8..4)), 0..24),
        from in prop::collection::vec(0u8..33, 0..3),
        limit in 0usize..12,
    ) {
        let mut store = MemoryStore::new();
        let base: Vec<(u8, Option<u8>)> = base.into_iter().map(|(k, v)| (k, Some(v))).collect();
        store.apply(changes(&base)).unwrap();
        let expected = |full: Vec<(Vec<u8>, Vec<u8>)>| -> Vec<(Vec<u8>, Vec<u8>)> {
            full.into_iter().filter(|(k, _)| *k >= from).take(limit).collect()
        };
        prop_assert_eq!(store.scan_from(&[], &from, limit).unwrap(), expected(store.scan_prefix(&[]).unwrap()));
        let mut overlay = Overlay::new(&store);
        for (key, value) in &block {
            match value { Some(v) => overlay.put(vec![*key], vec![*v]), None => overlay.delete(vec![*key]) }
        }
        let full = overlay.scan_prefix(&[]).unwrap();
        prop_assert_eq!(overlay.scan_from(&[], &from, limit).unwrap(), expected(full));
    }
}

#[test]
fn nested_overlays_read_through_to_the_base() {
    let mut store = MemoryStore::new();
    store.apply(changes(&[(1, Some(10))])).unwrap();
    let mut block = Overlay::new(&store);
    block.put(vec![2], vec![20]);
    let mut tx = Overlay::new(&block);
    tx.delete(vec![1]);
    assert_eq!(tx.get(&[1]).unwrap(), None);
    assert_eq!(tx.get(&[2]).unwrap(), Some(vec![20]));
    let kept = tx.into_changes();
    block.apply(kept);
    assert_eq!(block.get(&[1]).unwrap(), None);
    assert_eq!(store.get(&[1]).unwrap(), Some(vec![10]));
}
