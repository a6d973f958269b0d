//! Laws of the state trie, its proofs, pending state and overlays.

use std::collections::BTreeMap;

use atelier_primitives::Hash;
use atelier_state::{
    ChangeSet, MemoryStore, Overlay, Pending, ProofError, StateRead, StateWrite, TrieRead, prepare_commit,
};
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

/// Keys over a wider space than `ops`, so that paths part deep in the trie.
fn wide_state() -> impl Strategy<Value = Vec<(u16, u8)>> {
    prop::collection::vec((0u16..600, any::<u8>()), 0..200)
}

fn store_of(entries: &[(u16, u8)]) -> MemoryStore {
    let mut store = MemoryStore::new();
    let mut set = ChangeSet::new();
    for (key, value) in entries {
        set.put(key.to_be_bytes().to_vec(), vec![*value]);
    }
    store.apply(set).unwrap();
    store
}

proptest! {
    #[test]
    fn every_presence_and_absence_proof_verifies_against_its_root_and_nothing_else(
        entries in wide_state(),
        probes in prop::collection::vec(0u16..700, 1..20),
        other in any::<[u8; 32]>(),
    ) {
        let store = store_of(&entries);
        let root = store.root();
        for probe in probes {
            let key = probe.to_be_bytes();
            let value = store.get(&key).unwrap();
            let proof = store.prove(&key).unwrap();
            prop_assert_eq!(proof.verify(&root, &key, value.as_deref()), Ok(()));
            // Against any other root.
            let other = Hash(other);
            prop_assume!(other != root);
            let wrong = matches!(proof.verify(&other, &key, value.as_deref()), Err(ProofError::WrongRoot { .. }));
            prop_assert!(wrong, "a proof held against another root");
            // For any other value, or the other presence.
            match &value {
                Some(held) => {
                    let changed = vec![held[0].wrapping_add(1)];
                    prop_assert_eq!(proof.verify(&root, &key, Some(&changed)), Err(ProofError::OtherValue));
                    prop_assert!(proof.verify(&root, &key, None).is_err());
                }
                None => prop_assert!(proof.verify(&root, &key, Some(&[0])).is_err()),
            }
            // A proof of one key says nothing of another on a different path.
            let elsewhere = (probe ^ 0x8000).to_be_bytes();
            prop_assert!(
                proof.verify(&root, &elsewhere, store.get(&elsewhere).unwrap().as_deref()).is_err()
                    || store.prove(&elsewhere).unwrap() == proof
            );
        }
    }

    #[test]
    fn a_tampered_proof_fails(
        entries in prop::collection::vec((0u16..600, any::<u8>()), 2..200),
        probe in 0u16..700,
        at in any::<prop::sample::Index>(),
        flip in 0u8..8,
    ) {
        let store = store_of(&entries);
        let root = store.root();
        let key = probe.to_be_bytes();
        let value = store.get(&key).unwrap();
        let proof = store.prove(&key).unwrap();
        // Flip one bit of a sibling, of the end leaf, drop a sibling or add one.
        let mut tampered = proof.clone();
        if !tampered.siblings.is_empty() {
            let i = at.index(tampered.siblings.len());
            tampered.siblings[i].0[0] ^= 1 << flip;
            prop_assert!(tampered.verify(&root, &key, value.as_deref()).is_err());
            let mut shorter = proof.clone();
            shorter.siblings.remove(i);
            prop_assert!(shorter.verify(&root, &key, value.as_deref()).is_err());
        }
        if let Some(mut leaf) = proof.end {
            leaf.value.0[31] ^= 1 << flip;
            let tampered = atelier_state::Proof { end: Some(leaf), ..proof.clone() };
            prop_assert!(tampered.verify(&root, &key, value.as_deref()).is_err());
            let dropped = atelier_state::Proof { end: None, ..proof.clone() };
            prop_assert!(dropped.verify(&root, &key, None).is_err());
        }
        let mut longer = proof.clone();
        longer.siblings.push(Hash::ZERO);
        prop_assert!(longer.verify(&root, &key, value.as_deref()).is_err());
    }

    #[test]
    fn blocks_on_pending_state_reach_the_roots_of_the_same_blocks_committed_one_by_one(blocks in ops()) {
        let base = MemoryStore::new();
        let mut committed = MemoryStore::new();
        let mut prepared = Vec::new();
        for block in &blocks {
            let pending = Pending::after(&base, &prepared);
            prop_assert_eq!(pending.state_root().unwrap(), committed.root());
            let commit = prepare_commit(&pending, changes(block)).unwrap();
            let root = committed.apply(changes(block)).unwrap();
            prop_assert_eq!(commit.root, root);
            prepared.push(commit);
        }
        let pending = Pending::after(&base, &prepared);
        prop_assert_eq!(pending.state_root().unwrap(), committed.root());
        for key in 0u8..16 {
            prop_assert_eq!(pending.prove(&[key]).unwrap(), committed.prove(&[key]).unwrap());
        }
    }

    #[test]
    fn the_incremental_root_equals_the_root_recomputed_from_the_whole_state(blocks in ops()) {
        let mut store = MemoryStore::new();
        for block in &blocks {
            let root = store.apply(changes(block)).unwrap();
            prop_assert_eq!(root, store.recompute_root());
            // No branch is left behind by keys that moved or left.
            let mut fresh = MemoryStore::new();
            let mut all = ChangeSet::new();
            for (key, value) in store.scan_prefix(&[]).unwrap() { all.put(key, value); }
            fresh.apply(all).unwrap();
            prop_assert_eq!(store.branch_count(), fresh.branch_count());
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
fn a_proof_at_a_million_entries_is_under_one_kibibyte() {
    let mut store = MemoryStore::new();
    let mut set = ChangeSet::new();
    for i in 0u32..1_000_000 {
        set.put(i.to_be_bytes().to_vec(), vec![1; 40]);
    }
    store.apply(set).unwrap();
    for probe in [0u32, 7, 999_999, 1_000_000, 5_000_000] {
        let proof = store.prove(&probe.to_be_bytes()).unwrap();
        assert!(proof.byte_len() <= 1024, "{} bytes", proof.byte_len());
        let value = store.get(&probe.to_be_bytes()).unwrap();
        assert_eq!(proof.verify(&store.root(), &probe.to_be_bytes(), value.as_deref()), Ok(()));
    }
}

#[test]
fn a_large_update_split_across_cores_reaches_the_root_of_the_state_rebuilt() {
    let mut store = MemoryStore::new();
    let mut genesis = ChangeSet::new();
    for i in 0u32..6_000 {
        genesis.put(i.to_be_bytes().to_vec(), vec![1]);
    }
    store.apply(genesis).unwrap();
    // Past the threshold: changes, inserts and deletes all over the trie.
    let mut block = ChangeSet::new();
    for i in (0u32..9_000).step_by(2) {
        if i % 6 == 0 {
            block.delete(i.to_be_bytes().to_vec())
        } else {
            block.put(i.to_be_bytes().to_vec(), vec![2])
        }
    }
    let root = store.apply(block).unwrap();
    assert_eq!(root, store.recompute_root());
    let mut fresh = MemoryStore::new();
    let mut all = ChangeSet::new();
    for (key, value) in store.scan_prefix(&[]).unwrap() {
        all.put(key, value);
    }
    fresh.apply(all).unwrap();
    assert_eq!(store.branch_count(), fresh.branch_count());
}

#[test]
fn the_empty_state_has_the_zero_root_and_proves_every_absence() {
    let store = MemoryStore::new();
    assert_eq!(store.root(), Hash::ZERO);
    let proof = store.prove(b"anything").unwrap();
    assert_eq!(proof.verify(&Hash::ZERO, b"anything", None), Ok(()));
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
