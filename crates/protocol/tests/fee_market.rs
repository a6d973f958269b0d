//! The block-space fee market: the EIP-1559 update rule against a reference written here, and
//! the base fee following real blocks.

use atelier_primitives::Amount;
use atelier_protocol::modules::fees::{FeeParams, FeesGenesis, GasSchedule, math::next_base_fee, query};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};
use proptest::prelude::*;

/// A plain transcription of the rule in DESIGN §4 "fees", for inputs where no product overflows.
fn reference(base: u128, used: u128, limit: u128, elasticity: u128, denominator: u128) -> u128 {
    let target = limit / elasticity;
    if target == 0 {
        return base;
    }
    if used == target {
        base
    } else if used > target {
        let delta = base * (used - target) / target / denominator;
        base + delta.max(1)
    } else {
        base - base * (target - used) / target / denominator
    }
}

proptest! {
    #[test]
    fn the_base_fee_update_matches_the_reference_on_random_inputs(
        base in 0u128..(1 << 64),
        limit in 1u64..(1 << 40),
        used_fraction in 0u64..=1000,
        elasticity in 1u64..8,
        denominator in 1u64..64,
    ) {
        let used = limit / 1000 * used_fraction;
        let ours = next_base_fee(Amount::new(base), used, limit, elasticity, denominator);
        let expected = reference(base, used.into(), limit.into(), elasticity.into(), denominator.into());
        prop_assert_eq!(ours.get(), expected);
    }

    #[test]
    fn the_base_fee_never_moves_more_than_one_denominator_th_per_block(
        base in 1_000u128..(1 << 100),
        used in 0u64..=30_000_000,
    ) {
        let next = next_base_fee(Amount::new(base), used, 30_000_000, 2, 8).get();
        let bound = base / 8 + 1;
        prop_assert!(next.abs_diff(base) <= bound);
    }
}

/// A chain whose blocks hold four transfers of 1 000 gas at most, target two.
fn small_block_chain() -> TestChain {
    let params = FeeParams {
        block_gas_limit: 4_000,
        elasticity_multiplier: 2,
        base_fee_change_denominator: 8,
        min_base_fee: Amount::new(100),
        gas: GasSchedule {
            tx: 500,
            transfer: 500,
            mint_stable: 1_000,
            burn_stable: 1_000,
            register_dataset: 1_000,
            per_contributor: 100,
            register_model: 1_000,
            claim_royalties: 1_000,
            provider: 1_000,
            submit_job: 1_000,
            job_update: 1_000,
            dispute: 1_000,
            revenue: 1_000,
            register_derivative: 1_000,
            listing: 1_000,
            buy: 1_000,
            staking: 1_000,
            propose: 1_000,
            vote: 1_000,
            clusters: 1_000,
            liquidity: 1_000,
            swap: 1_000,
            oracle: 1_000,
            compliance: 1_000,
        },
    };
    let genesis = GenesisBuilder::new()
        .fund_dev_accounts(8, Amount::new(1_000_000_000_000))
        .fees(FeesGenesis { params, base_fee: Amount::new(1_000_000) })
        .build();
    TestChain::new(genesis)
}

#[test]
fn full_blocks_raise_the_base_fee_by_an_eighth_and_empty_blocks_lower_it() {
    let mut chain = small_block_chain();
    let factory = {
        let mut f = chain.factory();
        f.max_fee_per_gas = Amount::new(10_000_000);
        f
    };
    let txs = (0..4).map(|i| factory.transfer(&dev_key(i), 0, dev_address(7), Amount::new(1))).collect();
    let executed = chain.produce(txs);
    assert_eq!(executed.block.header.gas_used, 4_000);
    assert_eq!(query::base_fee(&chain.store).unwrap(), Amount::new(1_125_000));
    chain.produce(vec![]);
    assert_eq!(query::base_fee(&chain.store).unwrap(), Amount::new(1_125_000 - 140_625));
}

#[test]
fn a_block_at_the_target_keeps_the_base_fee_and_excess_waits_for_the_next_block() {
    let mut chain = small_block_chain();
    let mut factory = chain.factory();
    factory.max_fee_per_gas = Amount::new(10_000_000);
    let txs: Vec<_> =
        (0..6).map(|i| factory.transfer(&dev_key(i), 0, dev_address(7), Amount::new(1))).collect();
    let executed = chain.produce(txs[..2].to_vec());
    assert_eq!(executed.block.header.gas_used, 2_000);
    assert_eq!(query::base_fee(&chain.store).unwrap(), Amount::new(1_000_000));
    let executed = chain.produce(txs[2..].to_vec());
    assert_eq!(executed.block.txs.len(), 4, "only four fit");
    assert!(executed.skipped.is_empty());
}

#[test]
fn transactions_beyond_the_block_gas_limit_are_skipped_as_block_full() {
    let mut chain = small_block_chain();
    let mut factory = chain.factory();
    factory.max_fee_per_gas = Amount::new(10_000_000);
    let txs = (0..5).map(|i| factory.transfer(&dev_key(i), 0, dev_address(7), Amount::new(1))).collect();
    let executed = chain.produce(txs);
    assert_eq!(executed.block.txs.len(), 4);
    assert_eq!(
        executed.skipped[0].rejection,
        atelier_protocol::Rejection::BlockGasExhausted { gas: 1_000, gas_left: 0 }
    );
}

#[test]
fn the_base_fee_never_falls_below_the_minimum() {
    let mut chain = small_block_chain();
    for _ in 0..200 {
        chain.produce(vec![]);
    }
    assert_eq!(query::base_fee(&chain.store).unwrap(), Amount::new(100));
}

#[test]
fn the_tip_is_capped_by_the_fee_cap_above_the_base_fee() {
    let mut chain = small_block_chain();
    let mut factory = chain.factory();
    factory.max_fee_per_gas = Amount::new(1_000_004);
    factory.max_priority_fee_per_gas = Amount::new(50);
    let executed = chain.produce(vec![factory.transfer(&dev_key(1), 0, dev_address(7), Amount::new(1))]);
    assert_eq!(executed.receipts[0].fee, Amount::new(1_000 * 1_000_004));
    assert_eq!(chain.balance(&chain.proposer.clone(), atelier_primitives::Denom::GDC), Amount::new(4_000));
}

#[test]
fn a_transaction_larger_than_any_block_is_rejected_for_good() {
    let mut chain = small_block_chain();
    let mut factory = chain.factory();
    factory.max_fee_per_gas = Amount::new(10_000_000);
    let msgs = vec![
        atelier_testkit::factory::transfer(
            dev_address(7),
            atelier_primitives::Denom::GDC,
            Amount::new(1)
        );
        8
    ];
    let executed = chain.produce(vec![factory.tx(&dev_key(1), 0, msgs)]);
    let expected = atelier_protocol::Rejection::ExceedsBlockGasLimit { gas: 4_500, block_gas_limit: 4_000 };
    assert_eq!(executed.skipped[0].rejection, expected);
}
