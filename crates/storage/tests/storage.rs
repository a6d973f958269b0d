//! The chain on disk: same roots as in memory, everything survives a reopen, and nothing is
//! written for a block that does not extend the head.

use std::path::Path;

use atelier_primitives::{Amount, Denom, Height, crypto::BatchVerifier};
use atelier_protocol::{ExecutedBlock, SignatureCheck, SignedTx, build_block, init_chain, modules::bank};
use atelier_storage::{Storage, StorageError, TxLocation};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};

const FUNDS: Amount = Amount::new(1_000_000_000);

fn genesis() -> atelier_protocol::Genesis {
    GenesisBuilder::new().fund_dev_accounts(4, FUNDS).build()
}

fn open(dir: &Path) -> Storage {
    let storage = Storage::open(&dir.join("chain.redb")).expect("opens");
    if storage.head().unwrap().is_none() {
        let state = init_chain(&storage.snapshot().unwrap(), genesis()).unwrap();
        storage.init(&state).unwrap();
    }
    storage
}

fn build(storage: &Storage, txs: Vec<SignedTx>) -> ExecutedBlock {
    let head = storage.head().unwrap().unwrap();
    let snapshot = storage.snapshot().unwrap();
    let proposer = dev_address(3);
    build_block(
        &snapshot,
        &head,
        head.time_ms + 1_000,
        proposer,
        txs,
        Default::default(),
        SignatureCheck::Verify(&BatchVerifier),
    )
    .unwrap()
}

fn produce(storage: &Storage, txs: Vec<SignedTx>) -> ExecutedBlock {
    let executed = build(storage, txs);
    storage.commit_block(&executed).unwrap();
    executed
}

fn transfers(chain: &TestChain, round: u64) -> Vec<SignedTx> {
    let factory = chain.factory();
    (0..3)
        .map(|i| {
            factory.transfer(
                &dev_key(i),
                round,
                dev_address((i + 1) % 4),
                Amount::new(10 + u128::from(round)),
            )
        })
        .collect()
}

#[test]
fn blocks_committed_to_disk_reach_the_same_roots_as_the_in_memory_chain() {
    let dir = tempfile::tempdir().unwrap();
    let storage = open(dir.path());
    let mut memory = TestChain::new(genesis());
    assert_eq!(storage.head().unwrap().unwrap(), memory.head);
    for round in 0..5 {
        let txs = transfers(&memory, round);
        let on_disk = produce(&storage, txs.clone());
        let in_memory = memory.apply(on_disk.block.clone()).unwrap();
        assert_eq!(in_memory.block.header, on_disk.block.header);
    }
    storage.audit_state().unwrap();
}

#[test]
fn reopening_keeps_height_root_balances_blocks_receipts_and_the_tx_index() {
    let dir = tempfile::tempdir().unwrap();
    let memory = TestChain::new(genesis());
    let (head, tx_hash) = {
        let storage = open(dir.path());
        produce(&storage, transfers(&memory, 0));
        let txs = transfers(&memory, 1);
        let hash = txs[2].hash();
        let executed = produce(&storage, txs);
        (executed.block.header, hash)
    };
    let storage = open(dir.path());
    assert_eq!(storage.head().unwrap().unwrap(), head);
    assert_eq!(storage.snapshot().unwrap().root(), head.state_root);
    let balance = bank::query::balance(&storage.snapshot().unwrap(), &dev_address(3), &Denom::GDC).unwrap();
    assert!(balance > FUNDS, "dev account 3 received transfers and tips");
    assert_eq!(storage.block(Height(2)).unwrap().unwrap().header, head);
    assert_eq!(storage.receipts(Height(2)).unwrap().unwrap().receipts.len(), 3);
    assert_eq!(storage.tx_location(&tx_hash).unwrap(), Some(TxLocation { height: Height(2), index: 2 }));
    let (_, tx, receipt) = storage.tx(&tx_hash).unwrap().unwrap();
    assert_eq!((tx.hash(), receipt.tx_hash), (tx_hash, tx_hash));
    storage.audit_state().unwrap();
}

#[test]
fn a_second_handle_on_an_open_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _first = open(dir.path());
    assert!(matches!(Storage::open(&dir.path().join("chain.redb")), Err(StorageError::Locked { .. })));
}

#[test]
fn a_block_that_does_not_extend_the_head_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let storage = open(dir.path());
    let memory = TestChain::new(genesis());
    let first = build(&storage, transfers(&memory, 0));
    let rival = build(&storage, vec![]);
    storage.commit_block(&first).unwrap();
    let head = storage.head().unwrap().unwrap();
    assert!(matches!(storage.commit_block(&first), Err(StorageError::NotNext { .. })));
    assert!(matches!(storage.commit_block(&rival), Err(StorageError::NotNext { .. })));
    assert_eq!(storage.head().unwrap().unwrap(), head);
    storage.audit_state().unwrap();
}

#[test]
fn a_database_is_initialized_once() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(&dir.path().join("chain.redb")).unwrap();
    assert!(matches!(storage.commit_block(&build_on_memory()), Err(StorageError::Uninitialized)));
    let state = init_chain(&storage.snapshot().unwrap(), genesis()).unwrap();
    storage.init(&state).unwrap();
    assert!(matches!(storage.init(&state), Err(StorageError::AlreadyInitialized { height: Height(0) })));
}

fn build_on_memory() -> ExecutedBlock {
    TestChain::new(genesis()).build(vec![])
}

#[test]
fn events_are_paged_by_height_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let storage = open(dir.path());
    let memory = TestChain::new(genesis());
    for round in 0..3 {
        produce(&storage, transfers(&memory, round));
    }
    let all = storage.events(Height(1), 10_000).unwrap();
    let heights: Vec<u64> = all.iter().map(|e| e.height.get()).collect();
    assert!(heights.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(heights.first(), Some(&1));
    assert_eq!(heights.last(), Some(&3));
    let from_two = storage.events(Height(2), 5).unwrap();
    assert_eq!(from_two.len(), 5);
    assert!(from_two.iter().all(|e| e.height == Height(2)));
    assert_eq!(from_two[0].tx.map(|(index, _)| index), Some(0));
    let per_block = all.iter().filter(|e| e.height == Height(1)).count();
    let receipts = storage.receipts(Height(1)).unwrap().unwrap();
    let expected =
        receipts.receipts.iter().map(|r| r.events.len()).sum::<usize>() + receipts.end_block_events.len();
    assert_eq!(per_block, expected);
}

/// A state image taken at height 2 and restored at height 4 puts the state, root and head back,
/// deletes blocks 3 and 4 with their events and index, and the chain goes on from height 2.
#[test]
fn a_restored_image_rewinds_state_head_and_history_and_the_chain_continues_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let storage = open(dir.path());
    let chain = TestChain::new(genesis());
    produce(&storage, transfers(&chain, 0));
    produce(&storage, transfers(&chain, 1));
    let image = storage.image().unwrap();
    assert_eq!((image.head.height, image.root()), (Height(2), image.head.state_root));
    produce(&storage, transfers(&chain, 2));
    let fourth = produce(&storage, transfers(&chain, 3));
    let late_tx = fourth.block.txs[0].hash();

    storage.restore(&image).unwrap();
    assert_eq!(storage.head().unwrap().unwrap(), image.head);
    assert_eq!(storage.snapshot().unwrap().root(), image.head.state_root);
    storage.audit_state().unwrap();
    assert_eq!(storage.image().unwrap(), image);
    assert!(storage.block(Height(2)).unwrap().is_some(), "history up to the image stays");
    assert!(storage.block(Height(3)).unwrap().is_none() && storage.block(Height(4)).unwrap().is_none());
    assert!(storage.tx_location(&late_tx).unwrap().is_none());
    assert!(storage.events(Height(3), 100).unwrap().is_empty());
    let nonce = bank_nonce(&storage, 0);
    assert_eq!(nonce, 2, "dev 0's later transactions are undone");
    let next = produce(&storage, transfers(&chain, 2));
    assert_eq!(next.block.header.height, Height(3));
}

/// An image whose entries do not hash to its head's root, or of another chain, is refused and
/// nothing changes.
#[test]
fn a_tampered_or_foreign_image_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let storage = open(dir.path());
    let chain = TestChain::new(genesis());
    produce(&storage, transfers(&chain, 0));
    let before = storage.image().unwrap();
    let mut tampered = before.clone();
    tampered.entries[0].1.push(1);
    assert!(matches!(storage.restore(&tampered), Err(StorageError::RootMismatch { .. })));
    let mut foreign = before.clone();
    foreign.head.chain_id = "another-chain".parse().unwrap();
    assert!(matches!(storage.restore(&foreign), Err(StorageError::OtherChain { .. })));
    assert_eq!(storage.image().unwrap(), before);
}

fn bank_nonce(storage: &Storage, dev: u64) -> u64 {
    atelier_protocol::modules::auth::query::nonce(&storage.snapshot().unwrap(), &dev_address(dev)).unwrap()
}

/// What the index keeps of a bank event: the accounts it names, and what each received.
fn bank_parties(event: &atelier_protocol::Event) -> atelier_storage::Mentions {
    use atelier_protocol::{Event, modules::bank::BankEvent};
    let (accounts, received): (std::collections::BTreeSet<_>, _) = match event {
        Event::Bank(BankEvent::Transferred { from, to, amount, .. }) => {
            ([*from, *to].into(), Some((*to, *amount)))
        }
        Event::Bank(BankEvent::Minted { to, amount, .. }) => ([*to].into(), Some((*to, *amount))),
        Event::Bank(BankEvent::Burned { from, .. }) => ([*from].into(), None),
        _ => Default::default(),
    };
    let tallies = received.map(|(to, amount)| (to, "received", amount.get() as i128)).into_iter().collect();
    atelier_storage::Mentions {
        subjects: accounts.into_iter().map(atelier_storage::Subject::Account).collect(),
        tallies,
    }
}

/// What `account` received in blocks from 1 on, summed from the stored events.
fn received(storage: &Storage, account: &atelier_primitives::Address) -> i128 {
    storage
        .events_from(Height(1), 0, 10_000)
        .unwrap()
        .iter()
        .flat_map(|(_, event)| bank_parties(&event.event).tallies)
        .filter(|(to, _, _)| to == account)
        .map(|(_, _, amount)| amount)
        .sum()
}

/// Every event naming an account, read back newest first, page by page, none twice.
fn history(
    storage: &Storage,
    account: &atelier_primitives::Address,
    page: usize,
) -> Vec<atelier_storage::EventPosition> {
    let mut out = Vec::new();
    let mut before = None;
    loop {
        let found = storage.history(&atelier_storage::Subject::Account(*account), before, page).unwrap();
        let Some((last, _)) = found.last() else { return out };
        before = Some(*last);
        out.extend(found.iter().map(|(position, _)| *position));
    }
}

/// The account index lists exactly the stored events that name an account, newest first and in
/// pages, and catches up a bounded number of events at a time, whole blocks only.
#[test]
fn the_account_index_lists_each_accounts_events_newest_first_and_catches_up_in_whole_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let storage = open(dir.path());
    let chain = TestChain::new(genesis());
    for round in 0..4 {
        produce(&storage, transfers(&chain, round));
    }
    assert_eq!(storage.history_head().unwrap(), Height(0));
    let first = storage.index_history(1, bank_parties).unwrap();
    assert_eq!(first, Height(1), "one event's budget still indexes its whole block");
    assert_eq!(storage.index_history(10_000, bank_parties).unwrap(), Height(4));
    assert_eq!(storage.index_history(10_000, bank_parties).unwrap(), Height(4), "nothing new: nothing moves");

    let account = dev_address(1);
    let mut expected: Vec<_> = storage
        .events_from(Height(1), 0, 10_000)
        .unwrap()
        .into_iter()
        .filter(|(_, event)| {
            bank_parties(&event.event).subjects.contains(&atelier_storage::Subject::Account(account))
        })
        .map(|(position, event)| (event.height, position))
        .collect();
    expected.reverse();
    assert!(expected.len() >= 8, "dev 1 sends and receives in every block");
    assert_eq!(history(&storage, &account, 3), expected);
    assert_eq!(history(&storage, &account, 1_000), expected);
    let (_, newest) = &storage.history(&atelier_storage::Subject::Account(account), None, 1).unwrap()[0];
    assert!(bank_parties(&newest.event).subjects.contains(&atelier_storage::Subject::Account(account)));
    assert!(
        storage.history(&atelier_storage::Subject::Account(dev_address(9)), None, 10).unwrap().is_empty()
    );
    assert_eq!(
        storage.account_tallies(&account).unwrap(),
        vec![("received".to_owned(), received(&storage, &account))]
    );
    assert!(storage.account_tallies(&dev_address(9)).unwrap().is_empty());
}

/// Restoring an earlier state forgets the index, which is then rebuilt from the blocks kept and
/// the blocks built after them.
#[test]
fn a_restored_image_rewinds_the_account_index_with_the_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let storage = open(dir.path());
    let chain = TestChain::new(genesis());
    produce(&storage, transfers(&chain, 0));
    let image = storage.image().unwrap();
    produce(&storage, transfers(&chain, 1));
    produce(&storage, transfers(&chain, 2));
    storage.index_history(10_000, bank_parties).unwrap();
    let account = dev_address(0);
    let before = history(&storage, &account, 100);

    storage.restore(&image).unwrap();
    assert_eq!(storage.history_head().unwrap(), Height(0));
    assert!(
        history(&storage, &account, 100).is_empty() && storage.account_tallies(&account).unwrap().is_empty()
    );
    assert_eq!(storage.index_history(10_000, bank_parties).unwrap(), Height(1));
    let kept = history(&storage, &account, 100);
    assert!(kept.iter().all(|(height, _)| *height == Height(1)) && kept.len() < before.len());
    produce(&storage, transfers(&chain, 1));
    assert_eq!(storage.index_history(10_000, bank_parties).unwrap(), Height(2));
    assert!(history(&storage, &account, 100).len() > kept.len());
    let payee = dev_address(1);
    assert_eq!(
        storage.account_tallies(&payee).unwrap(),
        vec![("received".to_owned(), received(&storage, &payee))]
    );
}
