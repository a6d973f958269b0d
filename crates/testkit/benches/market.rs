//! Asset sales at scale: a block of 2 000 `Buy` transactions of assets whose royalty stacks have 1,
//! 16 and 64 (`max_ancestors`) entries. A sale pays one vault per stack entry and never walks the
//! graph.
//!
//! Run: `cargo bench -p atelier-testkit --bench market`.

use std::hint::black_box;

use atelier_primitives::{Amount, Bps, Denom, Hash, Height};
use atelier_protocol::{
    Block, Msg, SignedTx, TxOutcome,
    modules::{
        market::{Item, Listing, ListingId, MarketMsg},
        provenance::{Asset, AssetId, DigitalSourceType, RoyaltyPolicy, StackEntry},
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SALES: u64 = 2_000;
const PRICE: u128 = 1_000_000;

/// `stack` root ancestors, then `SALES` assets each owned by its seller with every ancestor in its
/// stack, each listed; `SALES` buyers.
fn fixture(stack: u64) -> (TestChain, Block) {
    let mut builder = GenesisBuilder::new().fund_dev_accounts(2 * SALES, Amount::new(10 * PRICE));
    for i in 0..stack {
        builder = builder.root_asset(dev_address(2 * SALES + i), RoyaltyPolicy::default());
    }
    let mut genesis = builder.build();
    let share = Bps::new((5_000 / stack) as u32).expect("a share");
    let ancestors: Vec<AssetId> = (1..=stack).map(AssetId).collect();
    for i in 0..SALES {
        let id = AssetId(stack + 1 + i);
        genesis.provenance.assets.push(Asset {
            id,
            owner: dev_address(i),
            creator: dev_address(i),
            model: None,
            datasets: Vec::new(),
            job: None,
            output_hash: Hash::digest("bench/asset", &[&id.0.to_be_bytes()]),
            prompt_hash: Hash::ZERO,
            prompt_history: Vec::new(),
            parents: Vec::new(),
            ancestors: ancestors.clone(),
            royalty_stack: ancestors.iter().map(|&ancestor| StackEntry { ancestor, share }).collect(),
            policy: RoyaltyPolicy::default(),
            source_type: DigitalSourceType::Composite,
            minted_at: Height(0),
        });
        genesis.market.listings.push(Listing {
            id: ListingId(i + 1),
            seller: dev_address(i),
            item: Item::Asset { asset: id },
            price: Amount::new(PRICE),
            denom: Denom::GDC,
            expires_at: Height(1_000),
        });
    }
    genesis.provenance.next_asset = stack + SALES + 1;
    genesis.market.next_listing = SALES + 1;
    let chain = TestChain::new(genesis);
    let factory = chain.factory();
    let txs: Vec<SignedTx> = (0..SALES)
        .map(|i| {
            let buy = MarketMsg::Buy { listing: ListingId(i + 1), max_price: Amount::new(PRICE) };
            factory.tx(&dev_key(SALES + i), 0, vec![Msg::Market(buy)])
        })
        .collect();
    let built = chain.build_unchecked(txs);
    assert!(built.receipts.iter().all(|r| r.outcome == TxOutcome::Applied), "every sale applies");
    assert_eq!(built.block.txs.len() as u64, SALES);
    eprintln!("stack={stack}: {} state writes", built.commit.changes.len());
    (chain, built.block)
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("market");
    group.sample_size(10);
    group.throughput(Throughput::Elements(SALES));
    for stack in [1, 16, 64] {
        let (chain, block) = fixture(stack);
        group.bench_function(format!("buy/sales={SALES}/stack={stack}"), |b| {
            b.iter(|| black_box(chain.replay(&block)))
        });
    }
    group.finish();
}

criterion_group!(market_sales, benches);
criterion_main!(market_sales);
