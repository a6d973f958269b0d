//! Mempool policies: ordering, parking, replacement, caps and eviction, each refusal typed.

use atelier_node::mempool::{ChainView, Mempool, MempoolConfig, MempoolError};
use atelier_primitives::{Address, Amount, Height};
use atelier_protocol::{Prechecked, Spend};
use atelier_protocol::{Rejection, SignedTx};
use atelier_testkit::{GenesisBuilder, TestChain, TxFactory, dev_address, dev_key};

const VIEW: ChainView = ChainView { next_height: Height(1), base_fee: Amount::new(10) };

/// Passed the protocol's precheck with the sender's next nonce on chain `chain_nonce`.
fn at(chain_nonce: u64) -> Prechecked {
    Prechecked { chain_nonce, spend: Spend::default() }
}

fn factory(max_fee: u128, tip: u128) -> TxFactory {
    let mut factory = TestChain::new(GenesisBuilder::new().build()).factory();
    factory.max_fee_per_gas = Amount::new(max_fee);
    factory.max_priority_fee_per_gas = Amount::new(tip);
    factory
}

fn tx(sender: u64, nonce: u64, tip: u128) -> SignedTx {
    factory(1_000, tip).transfer(&dev_key(sender), nonce, dev_address(99), Amount::new(1))
}

fn pool(config: MempoolConfig) -> Mempool {
    Mempool::new(config)
}

fn nonces_zero(_: &Address) -> u64 {
    0
}

#[test]
fn ready_transactions_come_out_by_tip_then_arrival_and_each_sender_in_nonce_order() {
    let mut pool = pool(MempoolConfig::default());
    let a = [tx(1, 0, 5), tx(1, 1, 50)];
    let b = [tx(2, 0, 20)];
    let c = [tx(3, 0, 5)];
    for t in [&a[1], &a[0], &b[0], &c[0]] {
        pool.insert(t.clone(), at(0), VIEW).unwrap();
    }
    let order: Vec<_> = pool.ready(VIEW.base_fee, 10, nonces_zero).iter().map(SignedTx::hash).collect();
    // b0 (tip 20) first; then a0 and c0 tie at 5, a0 arrived first; a1 only after a0.
    assert_eq!(order, vec![b[0].hash(), a[0].hash(), a[1].hash(), c[0].hash()]);
    assert_eq!(pool.ready(VIEW.base_fee, 2, nonces_zero).len(), 2);
}

#[test]
fn a_nonce_gap_parks_the_transaction_until_the_gap_fills() {
    let mut pool = pool(MempoolConfig::default());
    pool.insert(tx(1, 2, 5), at(0), VIEW).unwrap();
    assert!(pool.ready(VIEW.base_fee, 10, nonces_zero).is_empty());
    assert_eq!(pool.next_nonce(&dev_address(1), 0), 0);
    pool.insert(tx(1, 0, 5), at(0), VIEW).unwrap();
    pool.insert(tx(1, 1, 5), at(0), VIEW).unwrap();
    assert_eq!(pool.ready(VIEW.base_fee, 10, nonces_zero).len(), 3);
    assert_eq!(pool.next_nonce(&dev_address(1), 0), 3);
}

#[test]
fn a_nonce_beyond_the_window_or_already_used_is_refused_with_the_expected_nonce() {
    let mut pool = pool(MempoolConfig { nonce_window: 4, ..MempoolConfig::default() });
    let far = pool.insert(tx(1, 9, 5), at(5), VIEW).unwrap_err();
    assert_eq!(far, MempoolError::NonceTooFarAhead { expected: 5, got: 9, window: 4 });
    assert_eq!(far.expected_nonce(), Some(5));
    let used = pool.insert(tx(1, 4, 5), at(5), VIEW).unwrap_err();
    assert_eq!(used, MempoolError::Rejected(Rejection::NonceTooLow { expected: 5, got: 4 }));
    assert!(pool.is_empty());
}

#[test]
fn a_replacement_must_raise_both_fee_caps_by_the_minimum_bump() {
    let mut pool = pool(MempoolConfig::default());
    let original = factory(100, 10).transfer(&dev_key(1), 0, dev_address(9), Amount::new(1));
    pool.insert(original.clone(), at(0), VIEW).unwrap();
    assert_eq!(pool.insert(original.clone(), at(0), VIEW), Err(MempoolError::AlreadyKnown));
    let too_little = factory(109, 20).transfer(&dev_key(1), 0, dev_address(9), Amount::new(1));
    let refused = pool.insert(too_little, at(0), VIEW).unwrap_err();
    assert_eq!(
        refused,
        MempoolError::ReplacementUnderpriced {
            min_max_fee: Amount::new(110),
            min_tip: Amount::new(11),
            bump_percent: 10
        }
    );
    let enough = factory(110, 11).transfer(&dev_key(1), 0, dev_address(9), Amount::new(1));
    pool.insert(enough.clone(), at(0), VIEW).unwrap();
    assert_eq!(pool.len(), 1);
    assert!(pool.get(&original.hash()).is_none());
    assert!(pool.get(&enough.hash()).is_some());
}

#[test]
fn a_sender_over_its_cap_is_refused() {
    let mut pool = pool(MempoolConfig { max_per_sender: 2, ..MempoolConfig::default() });
    pool.insert(tx(1, 0, 5), at(0), VIEW).unwrap();
    pool.insert(tx(1, 1, 5), at(0), VIEW).unwrap();
    assert_eq!(pool.insert(tx(1, 2, 5), at(0), VIEW), Err(MempoolError::SenderFull { max: 2 }));
}

#[test]
fn a_full_pool_evicts_the_worst_paying_tail_for_a_better_offer_and_refuses_a_worse_one() {
    let mut pool = pool(MempoolConfig { max_txs: 2, ..MempoolConfig::default() });
    let cheap = tx(1, 0, 1);
    pool.insert(cheap.clone(), at(0), VIEW).unwrap();
    pool.insert(tx(2, 0, 5), at(0), VIEW).unwrap();
    assert_eq!(pool.insert(tx(3, 0, 1), at(0), VIEW), Err(MempoolError::Full { min_tip: Amount::new(1) }));
    pool.insert(tx(3, 0, 9), at(0), VIEW).unwrap();
    assert_eq!(pool.len(), 2);
    assert!(pool.get(&cheap.hash()).is_none());
}

#[test]
fn the_byte_cap_holds_whatever_arrives() {
    let one = tx(1, 0, 5).encoded_len();
    let mut pool = pool(MempoolConfig { max_bytes: one * 3, ..MempoolConfig::default() });
    for sender in 1..10 {
        let _ = pool.insert(tx(sender, 0, sender.into()), at(0), VIEW);
        assert!(pool.bytes() <= one * 3);
    }
    assert_eq!(pool.len(), 3);
}

#[test]
fn pruning_drops_used_nonces_and_expired_transactions() {
    let mut pool = pool(MempoolConfig::default());
    pool.insert(tx(1, 0, 5), at(0), VIEW).unwrap();
    pool.insert(tx(1, 1, 5), at(0), VIEW).unwrap();
    let mut expiring = factory(1_000, 5);
    expiring.expiry_height = Height(3);
    pool.insert(expiring.transfer(&dev_key(2), 0, dev_address(9), Amount::new(1)), at(0), VIEW).unwrap();
    let dropped = pool.prune(Height(4), |address| if *address == dev_address(1) { 1 } else { 0 });
    assert_eq!(dropped, 2);
    assert_eq!(pool.len(), 1);
}

#[test]
fn a_fee_cap_under_the_base_fee_waits_instead_of_entering_a_block() {
    let mut pool = pool(MempoolConfig::default());
    let low = factory(10, 0).transfer(&dev_key(1), 0, dev_address(9), Amount::new(1));
    pool.insert(low, at(0), VIEW).unwrap();
    assert!(pool.ready(Amount::new(11), 10, nonces_zero).is_empty());
    assert_eq!(pool.ready(Amount::new(10), 10, nonces_zero).len(), 1);
}
