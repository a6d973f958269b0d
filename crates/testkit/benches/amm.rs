//! The AMM's batch: a block of 2 000 swaps (half each way, or all one way) clearing at one price
//! against a pool, through `apply_block` with the new state root.
//!
//! Run: `cargo bench -p atelier-testkit --bench amm`.

use std::hint::black_box;

use atelier_primitives::{Amount, Denom};
use atelier_protocol::{
    Block, Msg, SignedTx, TxOutcome,
    modules::amm::{AmmMsg, Side},
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SWAPS: u64 = 2_000;
const FUNDS: u128 = 1_000_000_000_000;

/// A pool of 10^12 a side, deposited by the last account, and a block of `SWAPS` swaps: every
/// `one_in`-th sells uusd, the rest sell ugdc.
fn fixture(one_in: u64) -> (TestChain, Block) {
    let builder = (0..=SWAPS)
        .fold(GenesisBuilder::new().fund_dev_accounts(SWAPS + 1, Amount::new(FUNDS)), |b, i| {
            b.fund(dev_address(i), Denom::USD, Amount::new(FUNDS))
        });
    let mut chain = TestChain::new(builder.build());
    let deposit =
        AmmMsg::AddLiquidity { max_gdc: Amount::new(FUNDS / 2), max_usd: Amount::new(FUNDS / 2), min_lp: 0 };
    chain.block_of(vec![(SWAPS, Msg::Amm(deposit))]);
    let factory = chain.factory();
    let txs: Vec<SignedTx> = (0..SWAPS)
        .map(|i| {
            let side = if i % one_in == 0 { Side::SellUsd } else { Side::SellGdc };
            let swap = AmmMsg::Swap {
                side,
                amount_in: Amount::new(1_000_000 + u128::from(i)),
                min_out: Amount::new(1),
            };
            factory.tx(&dev_key(i), 0, vec![Msg::Amm(swap)])
        })
        .collect();
    let built = chain.build_unchecked(txs);
    assert!(built.receipts.iter().all(|r| r.outcome == TxOutcome::Applied), "every swap is placed");
    eprintln!("one_in={one_in}: {} state writes", built.commit.changes.len());
    (chain, built.block)
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("amm");
    group.sample_size(10);
    group.throughput(Throughput::Elements(SWAPS));
    for (name, one_in) in [("both_ways", 2), ("one_way", SWAPS + 1)] {
        let (chain, block) = fixture(one_in);
        group.bench_function(format!("batch/swaps={SWAPS}/{name}"), |b| {
            b.iter(|| black_box(chain.replay(&block)))
        });
    }
    group.finish();
}

criterion_group!(amm_batch, benches);
criterion_main!(amm_batch);
