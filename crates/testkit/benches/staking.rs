//! Reputation reads: the reputation of an account at a past height, with 1 and with 10 000
//! checkpoints (a binary search, so the second costs a handful more reads), and carrying an idle
//! standing across 10 and 1 000 000 epochs (the walk stops once the standing settles).
//!
//! Run: `cargo bench -p atelier-testkit --bench staking`.

use std::hint::black_box;

use atelier_primitives::{Amount, Height};
use atelier_protocol::{
    Msg,
    modules::staking::{self, ReputationRates, StakingMsg, Standing, reputation},
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address};
use criterion::{Criterion, criterion_group, criterion_main};

/// A chain of one-block epochs where dev 1 stakes in `blocks` blocks, one checkpoint each.
fn chain_with_checkpoints(blocks: u64) -> TestChain {
    let mut genesis = GenesisBuilder::new().fund_dev_accounts(2, Amount::new(1_000_000_000_000)).build();
    genesis.staking.params.epoch_blocks = 1;
    genesis.staking.params.min_stake = Amount::new(1);
    let mut chain = TestChain::new(genesis);
    for _ in 0..blocks {
        chain.block_of(vec![(1, Msg::Staking(StakingMsg::Stake { amount: Amount::new(1_000) }))]);
    }
    chain
}

fn reputation_at(c: &mut Criterion) {
    let mut group = c.benchmark_group("staking::reputation_at");
    for checkpoints in [1u64, 10_000] {
        let chain = chain_with_checkpoints(checkpoints);
        let head = chain.head.height.0;
        let mut height = 0;
        group.bench_function(format!("checkpoints={checkpoints}"), |b| {
            b.iter(|| {
                height = (height + 7_919) % head + 1;
                black_box(
                    staking::query::reputation_at(&chain.store, &dev_address(1), Height(height)).unwrap(),
                )
            })
        });
    }
    group.finish();
}

fn advance(c: &mut Criterion) {
    let rates = ReputationRates {
        stake: 100,
        creation_ugdc: 1_000,
        creation_uusd: 1_000,
        creation_cap: 10_000,
        decay: 100,
    };
    let start = Standing {
        bonded: Amount::new(1_000_000_000_000),
        floor: Amount::new(1_000_000_000_000),
        reputation: 123_456_789_000,
        ..Standing::default()
    };
    let mut group = c.benchmark_group("staking::advance");
    for epochs in [10u64, 1_000_000] {
        group.bench_function(format!("idle_epochs={epochs}/decay=1%"), |b| {
            b.iter(|| reputation::advance(black_box(start), epochs, |_| Ok::<_, ()>((rates, None))).unwrap())
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = reputation_at, advance
}
criterion_main!(benches);
