//! The checks a block runs from what it changed catch every violation the full scan catches: each
//! test plants one in an otherwise valid block, through writes no protocol path makes, and both
//! checks must name the module whose invariant broke.

use std::collections::BTreeSet;

use atelier_primitives::{Address, Amount, Denom, Encode};
use atelier_protocol::{
    invariants,
    modules::{amm, bank, clusters, compliance, compute, governance, registry, revenue, staking, treasury},
};
use atelier_state::ChangeSet;
use atelier_testkit::{GenesisBuilder, TestChain, dev_address};

/// A chain with funded dev accounts and a staked validator, a few blocks in.
fn chain() -> TestChain {
    let genesis = GenesisBuilder::new()
        .fund_dev_accounts(4, Amount::new(1_000_000_000_000))
        .fund(dev_address(0), Denom::USD, Amount::new(1_000_000_000))
        .validator(
            dev_address(3),
            atelier_testkit::dev_key(3).public_key(),
            Amount::new(10_000_000),
            1_000_000,
        )
        .build();
    let mut chain = TestChain::new(genesis);
    chain.idle(3);
    chain
}

/// The modules whose invariants the block check and the full scan find broken after an empty
/// block on `chain`'s head that also makes `writes`.
fn caught(
    chain: &TestChain,
    writes: Vec<(Vec<u8>, Vec<u8>)>,
) -> (BTreeSet<&'static str>, BTreeSet<&'static str>) {
    let mut changes: ChangeSet = chain.build(Vec::new()).commit.changes.clone();
    for (key, value) in writes {
        changes.put(key, value);
    }
    let mut after = chain.store.clone();
    after.apply(changes.clone()).expect("the planted writes apply");
    let modules = |violations: Vec<invariants::Violation>| violations.into_iter().map(|v| v.module).collect();
    let by_block = modules(invariants::check_block(&chain.store, &after, &changes).unwrap());
    let by_scan = modules(invariants::check_all(&after).unwrap());
    (by_block, by_scan)
}

fn balance_key(account: &Address, denom: &Denom) -> Vec<u8> {
    [b"bank/balance/".as_slice(), account.as_bytes(), denom.as_bytes()].concat()
}

/// Writes that move one base unit of `denom` from dev0 to `account`: the bank's books still
/// balance, the account's module's do not.
fn one_unit_to(chain: &TestChain, account: Address, denom: Denom) -> Vec<(Vec<u8>, Vec<u8>)> {
    let held = |a: &Address| bank::query::balance(&chain.store, a, &denom).unwrap();
    let from = held(&dev_address(0)).checked_sub(Amount::new(1)).unwrap();
    let to = held(&account).checked_add(Amount::new(1)).unwrap();
    vec![
        (balance_key(&dev_address(0), &denom), from.to_bytes()),
        (balance_key(&account, &denom), to.to_bytes()),
    ]
}

/// Asserts that both checks name `module` once `writes` are planted, and nothing else but what the
/// full scan names too.
fn both_catch(module: &'static str, writes: Vec<(Vec<u8>, Vec<u8>)>, chain: &TestChain) {
    let (by_block, by_scan) = caught(chain, writes);
    assert!(by_scan.contains(module), "the full scan misses the planted {module} violation: {by_scan:?}");
    assert!(by_block.contains(module), "the block check misses the planted {module} violation: {by_block:?}");
    assert!(by_block.is_subset(&by_scan), "the block check names {by_block:?}, the scan {by_scan:?}");
}

#[test]
fn an_unplanted_block_passes_both_checks() {
    let (by_block, by_scan) = caught(&chain(), Vec::new());
    assert!(by_block.is_empty() && by_scan.is_empty(), "{by_block:?} {by_scan:?}");
}

#[test]
fn a_module_account_holding_more_than_its_books_is_caught_from_the_blocks_changes() {
    let chain = chain();
    let accounts = [
        ("amm", amm::account(), Denom::GDC),
        ("amm", amm::account(), Denom::USD),
        ("clusters", clusters::account(), Denom::GDC),
        ("compliance", compliance::account(), Denom::GDC),
        ("compliance", compliance::account(), Denom::USD),
        ("compute", compute::account(), Denom::GDC),
        ("governance", governance::account(), Denom::GDC),
        ("registry", registry::account(), Denom::GDC),
        ("registry", registry::account(), Denom::USD),
        ("revenue", revenue::account(), Denom::GDC),
        ("revenue", revenue::account(), Denom::USD),
        ("staking", staking::account(), Denom::GDC),
        ("treasury", treasury::operations(), Denom::GDC),
        ("treasury", treasury::operations(), Denom::USD),
    ];
    for (module, account, denom) in accounts {
        both_catch(module, one_unit_to(&chain, account, denom), &chain);
    }
}
