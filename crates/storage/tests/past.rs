//! Past state: every value and proof as of any height in the kept window equals what the chain
//! held then, heights out of the window are refused with the reason, and the window follows its
//! configured size across commits, shrinks and reopens.

use std::path::Path;

use atelier_primitives::{Amount, Height, crypto::BatchVerifier};
use atelier_protocol::{SignatureCheck, build_block, init_chain};
use atelier_state::{MemoryStore, StateRead, TrieRead};
use atelier_storage::{PastStateError, Storage};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};

fn genesis() -> atelier_protocol::Genesis {
    GenesisBuilder::new().fund_dev_accounts(4, Amount::new(1_000_000_000)).build()
}

fn open(dir: &Path) -> Storage {
    let storage = Storage::open(&dir.join("chain.redb")).expect("opens");
    if storage.head().unwrap().is_none() {
        let state = init_chain(&storage.snapshot().unwrap(), genesis()).unwrap();
        storage.init(&state).unwrap();
    }
    storage
}

/// Commits one block of a transfer from each dev account, and returns the state it left.
fn produce(storage: &Storage, round: u64) -> MemoryStore {
    let head = storage.head().unwrap().unwrap();
    let snapshot = storage.snapshot().unwrap();
    let factory = TestChain::new(genesis()).factory();
    let txs = (0..4)
        .map(|i| {
            factory.transfer(&dev_key(i), round, dev_address((i + 1) % 4), Amount::new(7 + u128::from(round)))
        })
        .collect();
    let proposer = dev_address(3);
    let executed = build_block(
        &snapshot,
        &head,
        head.time_ms + 1_000,
        proposer,
        txs,
        Default::default(),
        SignatureCheck::Verify(&BatchVerifier),
    )
    .unwrap();
    storage.commit_block(&executed).unwrap();
    copy(storage)
}

/// The whole current state, in memory.
fn copy(storage: &Storage) -> MemoryStore {
    let mut store = MemoryStore::new();
    let mut all = atelier_state::ChangeSet::new();
    for (key, value) in storage.snapshot().unwrap().scan_prefix(&[]).unwrap() {
        all.put(key, value);
    }
    store.apply(all).unwrap();
    store
}

#[test]
fn every_value_and_proof_in_the_window_is_what_the_chain_held_at_that_height() {
    let dir = tempfile::tempdir().unwrap();
    let storage = open(dir.path());
    storage.keep_state_history(3);
    let mut states = vec![(storage.head().unwrap().unwrap().height, copy(&storage))];
    for round in 0..6 {
        let state = produce(&storage, round);
        states.push((storage.head().unwrap().unwrap().height, state));
    }
    let head = storage.head().unwrap().unwrap().height;
    assert_eq!(storage.state_kept_from().unwrap(), Height(head.get() - 3));
    for (height, then) in &states {
        match storage.state_at(*height) {
            Ok(past) => {
                assert!(height.get() >= head.get() - 3, "height {height} should be out of the window");
                assert_eq!(past.root(), then.root());
                assert_eq!(past.header().state_root, then.root());
                // Every key that ever existed, present or not at this height.
                for (_, any) in &states {
                    for (key, _) in any.scan_prefix(&[]).unwrap() {
                        let value = past.get(&key).unwrap();
                        assert_eq!(value, then.get(&key).unwrap(), "key {key:?} at height {height}");
                        let proof = past.prove(&key).unwrap();
                        assert_eq!(proof, then.prove(&key).unwrap());
                        proof.verify(&past.header().state_root, &key, value.as_deref()).unwrap();
                    }
                }
            }
            Err(PastStateError::NotKept { kept_from, .. }) => {
                assert!(height.get() < head.get() - 3);
                assert_eq!(kept_from, Height(head.get() - 3));
            }
            Err(other) => panic!("height {height}: {other}"),
        }
    }
    assert!(matches!(storage.state_at(Height(head.get() + 1)), Err(PastStateError::Ahead { .. })));
}

#[test]
fn a_window_shrunk_or_closed_keeps_what_it_still_covers_and_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let storage = open(dir.path());
        storage.keep_state_history(10);
        for round in 0..5 {
            produce(&storage, round);
        }
        let head = storage.head().unwrap().unwrap().height;
        assert_eq!(storage.state_kept_from().unwrap(), Height(0), "the window covers every block so far");
        storage.keep_state_history(2);
        let then = copy(&storage);
        produce(&storage, 5);
        assert_eq!(storage.state_kept_from().unwrap(), Height(head.get() - 1));
        assert_eq!(storage.state_at(head).unwrap().root(), then.root());
    }
    let storage = open(dir.path());
    let head = storage.head().unwrap().unwrap().height;
    assert_eq!(storage.state_kept_from().unwrap(), Height(head.get() - 2), "the floor is stored");
    // Closed: only the head from the next commit on.
    storage.keep_state_history(0);
    produce(&storage, 6);
    let head = storage.head().unwrap().unwrap().height;
    assert_eq!(storage.state_kept_from().unwrap(), head);
    assert!(matches!(storage.state_at(Height(head.get() - 1)), Err(PastStateError::NotKept { .. })));
    assert_eq!(storage.state_at(head).unwrap().root(), storage.snapshot().unwrap().root());
    storage.audit_state().unwrap();
}

#[test]
fn a_synced_database_holds_the_peers_state_at_its_head_and_refuses_a_tampered_one_writing_nothing() {
    let (peer_dir, dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let peer = open(peer_dir.path());
    for round in 0..3 {
        produce(&peer, round);
    }
    let image = peer.image().unwrap();
    let genesis = peer.genesis_header().unwrap().unwrap();
    let head_block = peer.block(image.head.height).unwrap().unwrap();
    let synced = Storage::open(&dir.path().join("chain.redb")).unwrap();

    // A value changed on the way: the root does not hold, and nothing is written.
    let mut tampered = image.clone();
    tampered.entries[0].1.push(1);
    let refused = synced.init_synced(&genesis, &tampered, std::slice::from_ref(&head_block), b"certificate");
    assert!(matches!(refused, Err(atelier_storage::StorageError::RootMismatch { .. })), "{refused:?}");
    assert_eq!(synced.head().unwrap(), None);

    synced.init_synced(&genesis, &image, std::slice::from_ref(&head_block), b"certificate").unwrap();
    assert_eq!(synced.head().unwrap(), Some(image.head.clone()));
    assert_eq!(synced.image().unwrap(), image, "the same state at the same head");
    assert_eq!(synced.block(image.head.height).unwrap(), Some(head_block.clone()));
    assert_eq!(synced.block(Height(1)).unwrap(), None, "no earlier block");
    assert_eq!(synced.synced_certificate().unwrap(), Some(b"certificate".to_vec()));
    assert_eq!(synced.history_head().unwrap(), image.head.height, "the history index starts at the head");
    // Its proofs are the peer's.
    let key = [b"bank/balance/".as_slice(), dev_address(1).as_bytes(), b"ugdc"].concat();
    assert_eq!(
        synced.snapshot().unwrap().prove(&key).unwrap(),
        peer.snapshot().unwrap().prove(&key).unwrap()
    );

    let again = synced.init_synced(&genesis, &image, &[], b"certificate");
    assert!(matches!(again, Err(atelier_storage::StorageError::AlreadyInitialized { .. })));
}
