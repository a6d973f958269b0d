//! The ledger under a BFT engine: blocks built and verified on parents that are not final yet,
//! committed only when final, in order, once.

use std::path::Path;

use atelier_node::ledger::{Application, Finalized, Ledger, LedgerError};
use atelier_primitives::{Amount, Denom};
use atelier_protocol::{ExecutedBlock, Header};
use atelier_storage::Storage;
use atelier_testkit::{GenesisBuilder, TestChain, TxFactory, dev_address, dev_key};

const FUNDS: Amount = Amount::new(1_000_000_000_000);

fn genesis() -> atelier_protocol::Genesis {
    GenesisBuilder::new().fund_dev_accounts(4, FUNDS).build()
}

fn ledger(dir: &Path) -> Ledger {
    let storage = Storage::open(&dir.join("chain.redb")).unwrap();
    let state = atelier_protocol::init_chain(&storage.snapshot().unwrap(), genesis()).unwrap();
    storage.init(&state).unwrap();
    Ledger::new(storage, 1)
}

fn factory() -> TxFactory {
    TestChain::new(genesis()).factory()
}

/// A block on `parent` moving `amount` from dev account 1 (nonce `nonce`) to dev account 2.
fn propose(ledger: &Ledger, parent: &Header, nonce: u64, amount: u128) -> std::sync::Arc<ExecutedBlock> {
    let tx = factory().transfer(&dev_key(1), nonce, dev_address(2), Amount::new(amount));
    let executed =
        ledger.propose(parent, parent.time_ms + 1_000, dev_address(3), vec![tx], Default::default()).unwrap();
    assert_eq!(executed.block.txs.len(), 1, "the transfer is included");
    executed
}

fn balance(ledger: &Ledger, index: u64) -> Amount {
    atelier_protocol::modules::bank::query::balance(
        &ledger.storage().snapshot().unwrap(),
        &dev_address(index),
        &Denom::GDC,
    )
    .unwrap()
}

#[test]
fn blocks_chain_on_pending_parents_and_state_moves_only_when_they_are_final() {
    let dir = tempfile::tempdir().unwrap();
    let proposer = ledger(dir.path());
    let validator = ledger(&dir.path().join("validator"));
    let genesis = proposer.head().unwrap();

    let first = propose(&proposer, &genesis, 0, 10);
    let second = propose(&proposer, &first.block.header, 1, 20);
    assert_eq!(proposer.head().unwrap(), genesis, "nothing is committed before finality");
    assert_eq!(balance(&proposer, 2), FUNDS);

    // Another validator verifies the same chain on its own pending state and reaches the same roots.
    let verified_first = validator.verify(&genesis, first.block.clone()).unwrap();
    let verified_second = validator.verify(&first.block.header, second.block.clone()).unwrap();
    assert_eq!(verified_first.block.header, first.block.header);
    assert_eq!(verified_second.block.header, second.block.header);

    for ledger in [&proposer, &validator] {
        assert!(matches!(ledger.finalize(&first.block).unwrap(), Finalized::Committed(_)));
        assert_eq!(ledger.head().unwrap(), first.block.header);
        assert!(matches!(ledger.finalize(&second.block).unwrap(), Finalized::Committed(_)));
        assert_eq!(ledger.head().unwrap(), second.block.header);
        assert_eq!(balance(ledger, 2), FUNDS.checked_add(Amount::new(30)).unwrap());
        // Delivered again, as after a restart: nothing changes.
        assert!(matches!(ledger.finalize(&first.block).unwrap(), Finalized::AlreadyCommitted));
        assert_eq!(ledger.head().unwrap(), second.block.header);
    }
}

#[test]
fn a_final_block_never_executed_here_is_executed_then_committed() {
    let dir = tempfile::tempdir().unwrap();
    let proposer = ledger(dir.path());
    let late = ledger(&dir.path().join("late"));
    let genesis = proposer.head().unwrap();
    let first = propose(&proposer, &genesis, 0, 10);
    assert!(matches!(late.finalize(&first.block).unwrap(), Finalized::Committed(_)));
    assert_eq!(late.head().unwrap(), first.block.header);
    assert_eq!(balance(&late, 2), FUNDS.checked_add(Amount::new(10)).unwrap());
}

#[test]
fn a_fork_of_final_history_is_refused_and_a_conflicting_finality_stops_the_node() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger(dir.path());
    let genesis = ledger.head().unwrap();
    let chosen = propose(&ledger, &genesis, 0, 10);
    let rival = propose(&ledger, &genesis, 0, 99);
    assert!(matches!(ledger.finalize(&chosen.block).unwrap(), Finalized::Committed(_)));

    // The rival's sibling slot is final: building on it is no longer possible.
    let refused = ledger.propose(
        &rival.block.header,
        rival.block.header.time_ms + 1,
        dev_address(3),
        vec![],
        Default::default(),
    );
    assert!(matches!(refused, Err(LedgerError::UnknownParent { .. })), "{refused:?}");
    let conflicting = ledger.finalize(&rival.block);
    assert!(matches!(conflicting, Err(LedgerError::ConflictingFinality { .. })), "{conflicting:?}");
    assert_eq!(ledger.head().unwrap(), chosen.block.header);
}

#[test]
fn a_validator_trusts_only_the_exact_signatures_it_admitted() {
    use atelier_node::{Node, NodeConfig, Origin};
    use atelier_protocol::{BlockError, Rejection, SignatureCheck, SignedTx, build_block};
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(&dir.path().join("chain.redb")).unwrap();
    let state = atelier_protocol::init_chain(&storage.snapshot().unwrap(), genesis()).unwrap();
    storage.init(&state).unwrap();
    let node = Node::new(storage, NodeConfig::new("127.0.0.1:0".parse().unwrap(), dev_address(3))).unwrap();
    let valid = factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(10));
    assert!(node.submit_batch(vec![valid.clone()], Origin::Client)[0].is_ok());
    // The same body (so the same hash) under a signature by another key.
    let forged = SignedTx::new(valid.tx().clone(), dev_key(2).sign(&valid.hash()));
    assert_eq!(forged.hash(), valid.hash());

    let head = node.head();
    let block_with = |tx: SignedTx| {
        let snapshot = node.storage().snapshot().unwrap();
        build_block(
            &snapshot,
            &head,
            head.time_ms + 1_000,
            dev_address(3),
            vec![tx],
            Default::default(),
            SignatureCheck::Skip,
        )
        .unwrap()
        .block
    };
    let refused = node.verify(&head, block_with(forged));
    let expected = Rejection::InvalidSignature(atelier_primitives::SignatureError::Invalid);
    assert!(
        matches!(&refused, Err(LedgerError::Block(BlockError::InvalidTx { index: 0, rejection })) if *rejection == expected),
        "{refused:?}"
    );
    assert!(node.verify(&head, block_with(valid)).is_ok());
}

#[test]
fn a_node_refuses_to_start_on_a_state_that_breaks_an_invariant() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(&dir.path().join("chain.redb")).unwrap();
    let state = atelier_protocol::init_chain(&storage.snapshot().unwrap(), genesis()).unwrap();
    storage.init(&state).unwrap();
    let head = storage.head().unwrap().unwrap();
    let broken = atelier_testkit::tamper::block_creating_funds(
        &storage.snapshot().unwrap(),
        &head,
        &dev_address(9),
        Amount::new(5),
    )
    .unwrap();
    storage.commit_block(&broken).unwrap();
    let config = atelier_node::NodeConfig::new("127.0.0.1:0".parse().unwrap(), dev_address(3));
    match atelier_node::Node::new(storage, config) {
        Err(LedgerError::Block(atelier_protocol::BlockError::InvariantBroken(detail))) => {
            assert!(detail.starts_with("bank: ugdc"), "{detail}")
        }
        other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
    }
}
