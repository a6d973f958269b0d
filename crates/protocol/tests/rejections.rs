//! Every rejection: the transaction never enters a block, the typed reason is reported, and the
//! state is unchanged.

use atelier_primitives::{Amount, Denom, Height, SecretKey, Signature};
use atelier_protocol::{
    Block, BlockError, Rejection, SignedTx,
    modules::fees::{FeeParams, FeesGenesis},
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key, factory::transfer};

const FUNDS: Amount = Amount::new(1_000_000_000);

fn chain() -> TestChain {
    let fees = FeesGenesis { params: FeeParams::default(), base_fee: Amount::new(10) };
    TestChain::new(GenesisBuilder::new().fund_dev_accounts(4, FUNDS).fees(fees).build())
}

/// The proposer leaves `tx` out with exactly `expected`; a block that carries it anyway is refused
/// with the same reason; nothing about the sender changes.
fn assert_rejected(chain: &mut TestChain, tx: SignedTx, expected: Rejection) {
    let sender = tx.sender();
    let (balance, nonce) = (chain.balance(&sender, Denom::GDC), chain.nonce(&sender));

    let built = chain.build(vec![tx.clone()]);
    assert!(built.block.txs.is_empty(), "rejected tx was included");
    assert_eq!(built.skipped.len(), 1);
    assert_eq!(built.skipped[0].rejection, expected);
    assert_eq!(built.skipped[0].hash, tx.hash());

    let root = chain.root();
    let mut forged = built.block.clone();
    forged.txs = vec![tx];
    let refused = chain.apply(forged).unwrap_err();
    assert_eq!(refused, BlockError::InvalidTx { index: 0, rejection: expected });
    assert_eq!(chain.root(), root, "a refused block changed state");
    assert_eq!(chain.balance(&sender, Denom::GDC), balance);
    assert_eq!(chain.nonce(&sender), nonce);
}

#[test]
fn a_replayed_transaction_is_rejected_as_nonce_too_low() {
    let mut chain = chain();
    let tx = chain.factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    chain.produce(vec![tx.clone()]);
    assert_rejected(&mut chain, tx, Rejection::NonceTooLow { expected: 1, got: 0 });
}

#[test]
fn the_same_transaction_twice_in_one_block_is_included_once() {
    let mut chain = chain();
    let tx = chain.factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    let built = chain.produce(vec![tx.clone(), tx]);
    assert_eq!(built.block.txs.len(), 1);
    assert_eq!(built.skipped[0].rejection, Rejection::NonceTooLow { expected: 1, got: 0 });
}

#[test]
fn a_transaction_for_another_chain_is_rejected() {
    let mut chain = chain();
    let mut factory = chain.factory();
    factory.chain_id = "other-chain".parse().unwrap();
    let tx = factory.transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    let expected = Rejection::WrongChainId {
        expected: chain.head.chain_id.clone(),
        got: "other-chain".parse().unwrap(),
    };
    assert_rejected(&mut chain, tx, expected);
}

#[test]
fn an_expired_transaction_is_rejected() {
    let mut chain = chain();
    chain.produce(vec![]);
    let mut factory = chain.factory();
    factory.expiry_height = Height(1);
    let tx = factory.transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    assert_rejected(&mut chain, tx, Rejection::Expired { expiry_height: Height(1), height: Height(2) });
}

#[test]
fn a_transaction_expiring_at_this_height_is_still_included() {
    let mut chain = chain();
    let mut factory = chain.factory();
    factory.expiry_height = Height(1);
    let built = chain.produce(vec![factory.transfer(&dev_key(1), 0, dev_address(2), Amount::new(5))]);
    assert_eq!(built.block.txs.len(), 1);
}

#[test]
fn a_signature_by_another_key_is_rejected() {
    let mut chain = chain();
    let body =
        chain.factory().body(&dev_key(1), 0, vec![transfer(dev_address(2), Denom::GDC, Amount::new(5))]);
    let forged = SignedTx::new(body.clone(), dev_key(3).sign(&body.hash()));
    let rejection = Rejection::InvalidSignature(atelier_primitives::SignatureError::Invalid);
    assert_rejected(&mut chain, forged, rejection);
}

/// The group order L of the ed25519 base point, little-endian.
const L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

#[test]
fn a_malleated_signature_with_s_plus_l_is_rejected() {
    let mut chain = chain();
    let valid = chain.factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    let mut bytes = *valid.signature().as_bytes();
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(bytes[32 + i]) + u16::from(L[i]) + carry;
        bytes[32 + i] = sum as u8;
        carry = sum >> 8;
    }
    let malleated = SignedTx::new(valid.tx().clone(), Signature::from_array(bytes));
    let rejection = Rejection::InvalidSignature(atelier_primitives::SignatureError::Invalid);
    assert_rejected(&mut chain, malleated, rejection);
}

#[test]
fn a_nonce_gap_is_rejected_and_names_the_expected_nonce() {
    let mut chain = chain();
    let tx = chain.factory().transfer(&dev_key(1), 3, dev_address(2), Amount::new(5));
    assert_rejected(&mut chain, tx, Rejection::NonceGap { expected: 0, got: 3 });
}

#[test]
fn a_sender_who_cannot_pay_the_fee_is_rejected() {
    let mut chain = chain();
    let broke = SecretKey::from_seed([9; 32]);
    let tx = chain.factory().transfer(&broke, 0, dev_address(2), Amount::new(5));
    let fee = Amount::new(1_000 * 11);
    assert_rejected(&mut chain, tx, Rejection::InsufficientFeeBalance { balance: Amount::ZERO, fee });
}

#[test]
fn a_fee_cap_under_the_base_fee_is_rejected() {
    let mut chain = chain();
    let mut factory = chain.factory();
    factory.max_fee_per_gas = Amount::new(9);
    factory.max_priority_fee_per_gas = Amount::new(0);
    let tx = factory.transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    assert_rejected(
        &mut chain,
        tx,
        Rejection::FeeCapBelowBaseFee { max_fee_per_gas: Amount::new(9), base_fee: Amount::new(10) },
    );
}

#[test]
fn a_tip_cap_above_the_fee_cap_is_rejected() {
    let mut chain = chain();
    let mut factory = chain.factory();
    factory.max_fee_per_gas = Amount::new(20);
    factory.max_priority_fee_per_gas = Amount::new(21);
    let tx = factory.transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    let expected = Rejection::PriorityFeeAboveFeeCap {
        max_priority_fee_per_gas: Amount::new(21),
        max_fee_per_gas: Amount::new(20),
    };
    assert_rejected(&mut chain, tx, expected);
}

#[test]
fn a_fee_cap_near_u128_max_overflows_into_a_rejection_not_a_panic() {
    let mut chain = chain();
    let mut factory = chain.factory();
    factory.max_fee_per_gas = Amount::MAX;
    factory.max_priority_fee_per_gas = Amount::MAX;
    let tx = factory.transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    assert_rejected(&mut chain, tx, Rejection::FeeOverflow);
}

#[test]
fn a_gas_limit_below_the_schedule_is_rejected() {
    let mut chain = chain();
    let key = dev_key(1);
    let mut body = chain.factory().body(&key, 0, vec![transfer(dev_address(2), Denom::GDC, Amount::new(5))]);
    body.gas_limit -= 1;
    let expected = Rejection::GasLimitTooLow { required: body.gas_limit + 1, gas_limit: body.gas_limit };
    assert_rejected(&mut chain, body.sign(&key), expected);
}

#[test]
fn a_transaction_without_messages_or_with_too_many_is_rejected() {
    let mut chain = chain();
    let key = dev_key(1);
    let empty = chain.factory().tx(&key, 0, vec![]);
    assert_rejected(&mut chain, empty, Rejection::NoMessages);
    let msgs = vec![transfer(dev_address(2), Denom::GDC, Amount::new(1)); 65];
    let full = chain.factory().tx(&key, 0, msgs);
    assert_rejected(&mut chain, full, Rejection::TooManyMessages { count: 65, max: 64 });
}

#[test]
fn oversized_or_malformed_bytes_are_rejected_before_decoding() {
    assert_eq!(SignedTx::decode(&vec![0; 70_000]), Err(Rejection::TooLarge { size: 70_000, max: 64 * 1024 }));
    assert!(matches!(SignedTx::decode(&[1, 2, 3]), Err(Rejection::Malformed { .. })));
}

#[test]
fn a_block_whose_header_lies_about_the_state_root_is_refused_and_changes_nothing() {
    let mut chain = chain();
    let tx = chain.factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    let mut block: Block = chain.build(vec![tx]).block;
    block.header.state_root = atelier_primitives::Hash::ZERO;
    let root = chain.root();
    assert_eq!(chain.apply(block).unwrap_err(), BlockError::HeaderMismatch { field: "state_root" });
    assert_eq!(chain.root(), root);
}

#[test]
fn a_block_on_the_wrong_parent_or_back_in_time_is_refused() {
    let mut chain = chain();
    let mut block = chain.build(vec![]).block;
    block.header.parent_hash = atelier_primitives::Hash::ZERO;
    assert_eq!(chain.apply(block).unwrap_err(), BlockError::NotAChild("parent hash"));
    let mut block = chain.build(vec![]).block;
    block.header.time_ms = chain.head.time_ms - 1;
    assert!(matches!(chain.apply(block).unwrap_err(), BlockError::TimeWentBackwards { .. }));
}

#[test]
fn a_forged_signature_among_many_is_left_out_or_voids_the_block_whichever_verifier_checks_it() {
    use atelier_primitives::crypto::{BatchVerifier, ParallelBatchVerifier, SignatureVerifier};
    use atelier_protocol::{SignatureCheck, apply_block, build_block};

    let senders = 300;
    let chain = TestChain::new(GenesisBuilder::new().fund_dev_accounts(senders, FUNDS).build());
    let factory = chain.factory();
    let mut txs: Vec<SignedTx> =
        (0..senders).map(|i| factory.transfer(&dev_key(i), 0, dev_address(0), Amount::new(5))).collect();
    let forged_at = 217;
    let body = txs[forged_at].tx().clone();
    txs[forged_at] = SignedTx::new(body.clone(), dev_key(0).sign(&body.hash()));
    let time = chain.head.time_ms + 1_000;
    let parallel = ParallelBatchVerifier::new(std::num::NonZeroUsize::new(3).unwrap());
    let verifiers: [&dyn SignatureVerifier; 2] = [&BatchVerifier, &parallel];

    let mut built_blocks = Vec::new();
    for verifier in verifiers {
        let built = build_block(
            &chain.store,
            &chain.head,
            time,
            chain.proposer,
            txs.clone(),
            Default::default(),
            SignatureCheck::Verify(verifier),
        )
        .unwrap();
        assert_eq!(built.block.txs.len(), txs.len() - 1);
        assert_eq!(built.skipped.len(), 1);
        assert_eq!(built.skipped[0].hash, txs[forged_at].hash());
        built_blocks.push(built.block);
    }
    assert_eq!(built_blocks[0], built_blocks[1], "the verifier changed the block");

    let mut forged = built_blocks[0].clone();
    forged.txs.insert(forged_at, txs[forged_at].clone());
    for verifier in verifiers {
        let refused =
            apply_block(&chain.store, &chain.head, forged.clone(), SignatureCheck::Verify(verifier))
                .unwrap_err();
        let expected = Rejection::InvalidSignature(atelier_primitives::SignatureError::Invalid);
        assert_eq!(refused, BlockError::InvalidTx { index: forged_at, rejection: expected });
    }
}
