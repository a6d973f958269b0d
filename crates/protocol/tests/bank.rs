//! Bank messages: each success and each failure code. A failed transaction pays its fee and uses
//! its nonce; nothing else it asked for happens.

use atelier_primitives::{Amount, Denom};
use atelier_protocol::{
    Event, Msg, TxOutcome,
    modules::{
        bank::{BankEvent, BankMsg, query},
        fees::{FeeParams, FeesGenesis},
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key, factory::transfer};

const FUNDS: Amount = Amount::new(1_000_000_000);
const FEE: Amount = Amount::new(1_000 * 11);

fn chain() -> TestChain {
    let fees = FeesGenesis { params: FeeParams::default(), base_fee: Amount::new(10) };
    TestChain::new(GenesisBuilder::new().fund_dev_accounts(4, FUNDS).fees(fees).build())
}

/// Runs one transaction of `msgs` from test key 1 and returns its outcome.
fn run(chain: &mut TestChain, sender: u64, msgs: Vec<Msg>) -> TxOutcome {
    let nonce = chain.nonce(&dev_address(sender));
    let tx = chain.factory().tx(&dev_key(sender), nonce, msgs);
    let executed = chain.produce(vec![tx]);
    assert_eq!(executed.receipts.len(), 1, "skipped: {:?}", executed.skipped);
    executed.receipts[0].outcome.clone()
}

fn failed_code(outcome: TxOutcome) -> u32 {
    match outcome {
        TxOutcome::Failed { code, .. } => code,
        TxOutcome::Applied => panic!("expected a failure"),
    }
}

#[test]
fn a_transfer_moves_exactly_the_amount_and_the_sender_pays_the_fee() {
    let mut chain = chain();
    let (alice, bob) = (dev_address(1), dev_address(2));
    let executed = {
        let tx = chain.factory().transfer(&dev_key(1), 0, bob, Amount::new(250));
        chain.produce(vec![tx])
    };
    let receipt = &executed.receipts[0];
    assert_eq!(receipt.outcome, TxOutcome::Applied);
    assert_eq!(receipt.fee, FEE);
    assert!(receipt.events.contains(&Event::Bank(BankEvent::Transferred {
        from: alice,
        to: bob,
        denom: Denom::GDC,
        amount: Amount::new(250)
    })));
    assert_eq!(chain.balance(&alice, Denom::GDC), Amount::new(1_000_000_000 - 250 - 11_000));
    assert_eq!(chain.balance(&bob, Denom::GDC), Amount::new(1_000_000_250));
    assert_eq!(chain.nonce(&alice), 1);
}

#[test]
fn the_base_fee_is_burned_and_the_tip_goes_to_the_proposer() {
    let mut chain = chain();
    let before = query::supply(&chain.store, &Denom::GDC).unwrap();
    let tx = chain.factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(1));
    chain.produce(vec![tx]);
    let after = query::supply(&chain.store, &Denom::GDC).unwrap();
    assert_eq!(after.burned.get() - before.burned.get(), 10_000);
    assert_eq!(chain.balance(&chain.proposer.clone(), Denom::GDC), Amount::new(1_000));
    let collector = atelier_protocol::modules::fees::query::collector();
    assert_eq!(chain.balance(&collector, Denom::GDC), Amount::ZERO, "the collector is emptied every block");
}

#[test]
fn a_transfer_beyond_the_balance_fails_with_code_101_and_only_the_fee_is_taken() {
    let mut chain = chain();
    let outcome = run(&mut chain, 1, vec![transfer(dev_address(2), Denom::GDC, FUNDS)]);
    assert_eq!(failed_code(outcome), 101);
    assert_eq!(chain.balance(&dev_address(1), Denom::GDC), FUNDS.checked_sub(FEE).unwrap());
    assert_eq!(chain.balance(&dev_address(2), Denom::GDC), FUNDS);
    assert_eq!(chain.nonce(&dev_address(1)), 1);
}

#[test]
fn a_failing_second_message_undoes_the_first() {
    let mut chain = chain();
    let msgs = vec![
        transfer(dev_address(2), Denom::GDC, Amount::new(7)),
        transfer(dev_address(2), Denom::USD, Amount::new(1)),
    ];
    match run(&mut chain, 1, msgs) {
        TxOutcome::Failed { msg_index, code, .. } => assert_eq!((msg_index, code), (1, 101)),
        TxOutcome::Applied => panic!("expected a failure"),
    }
    assert_eq!(chain.balance(&dev_address(2), Denom::GDC), FUNDS);
}

#[test]
fn a_zero_transfer_fails_with_code_102() {
    let mut chain = chain();
    assert_eq!(
        failed_code(run(&mut chain, 1, vec![transfer(dev_address(2), Denom::GDC, Amount::ZERO)])),
        102
    );
}

#[test]
fn an_unknown_denom_fails_with_code_103() {
    let mut chain = chain();
    let outcome =
        run(&mut chain, 1, vec![transfer(dev_address(2), Denom::from_static("ueur"), Amount::new(1))]);
    assert_eq!(failed_code(outcome), 103);
}

#[test]
fn only_the_issuer_mints_stablecoin_code_104_otherwise() {
    let mut chain = chain();
    let mint = |amount| Msg::Bank(BankMsg::MintStable { to: dev_address(3), amount: Amount::new(amount) });
    assert_eq!(failed_code(run(&mut chain, 1, vec![mint(5)])), 104);
    assert_eq!(run(&mut chain, 0, vec![mint(5)]), TxOutcome::Applied);
    assert_eq!(chain.balance(&dev_address(3), Denom::USD), Amount::new(5));
    assert_eq!(query::supply(&chain.store, &Denom::USD).unwrap().minted, Amount::new(5));
}

#[test]
fn the_issuer_burns_stablecoin_from_its_own_balance_only() {
    let mut chain = chain();
    let issuer = dev_address(0);
    let mint = Msg::Bank(BankMsg::MintStable { to: issuer, amount: Amount::new(9) });
    assert_eq!(run(&mut chain, 0, vec![mint]), TxOutcome::Applied);
    let burn = |amount| Msg::Bank(BankMsg::BurnStable { amount: Amount::new(amount) });
    assert_eq!(failed_code(run(&mut chain, 1, vec![burn(1)])), 104);
    assert_eq!(failed_code(run(&mut chain, 0, vec![burn(10)])), 101);
    assert_eq!(run(&mut chain, 0, vec![burn(4)]), TxOutcome::Applied);
    let supply = query::supply(&chain.store, &Denom::USD).unwrap();
    assert_eq!(
        (supply.minted, supply.burned, supply.circulating),
        (Amount::new(9), Amount::new(4), Amount::new(5))
    );
}

#[test]
fn minting_past_u128_max_fails_with_code_105_and_mints_nothing() {
    let mut chain = chain();
    let mint = |amount| Msg::Bank(BankMsg::MintStable { to: dev_address(3), amount });
    assert_eq!(run(&mut chain, 0, vec![mint(Amount::MAX)]), TxOutcome::Applied);
    assert_eq!(failed_code(run(&mut chain, 0, vec![mint(Amount::new(1))])), 105);
    assert_eq!(chain.balance(&dev_address(3), Denom::USD), Amount::MAX);
    let transfer_all = transfer(dev_address(2), Denom::USD, Amount::MAX);
    assert_eq!(failed_code(run(&mut chain, 1, vec![transfer_all])), 101);
}

#[test]
fn a_self_transfer_changes_no_balance_but_the_fee() {
    let mut chain = chain();
    assert_eq!(
        run(&mut chain, 1, vec![transfer(dev_address(1), Denom::GDC, Amount::new(3))]),
        TxOutcome::Applied
    );
    assert_eq!(chain.balance(&dev_address(1), Denom::GDC), FUNDS.checked_sub(FEE).unwrap());
}
