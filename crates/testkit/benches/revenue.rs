//! Revenue claims at scale: a block of 10 000 `ClaimRevenue` transactions, from 10 000 vaults of
//! one holder each, and from one vault of 1 000 000 holders. Equal times are the evidence that a
//! claim does not grow with the number of holders.
//!
//! Run: `cargo bench -p atelier-testkit --bench revenue`.

use std::hint::black_box;

use atelier_primitives::{Address, Amount, Denom};
use atelier_protocol::{
    Block, Msg, SignedTx,
    modules::{
        provenance::AssetId,
        revenue::{
            self, Accrual, Holding, HoldingGenesis, RevenueMsg, SHARE_UNITS, Vault, VaultGenesis, VaultId,
        },
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const CLAIMS: u64 = 10_000;
/// Revenue per vault, in `ugdc`.
const REVENUE: u128 = 1_000_000_000;

/// An accrual as if `REVENUE` had been paid in.
fn accrual() -> Accrual {
    let acc_per_unit =
        atelier_protocol::modules::registry::math::accrue(0, Amount::new(REVENUE), u128::from(SHARE_UNITS))
            .expect("fits");
    Accrual { acc_per_unit, paid_in: Amount::new(REVENUE), claimed: Amount::ZERO }
}

fn synthetic(i: u64) -> Address {
    let mut bytes = [0xEE; 20];
    bytes[..8].copy_from_slice(&i.to_be_bytes());
    Address(bytes)
}

/// `vaults` vaults whose holders are the `CLAIMS` claimants (spread evenly) plus synthetic
/// holders up to `holders` per vault, every unit accounted for.
fn fixture(vaults: u64, holders: u64) -> (TestChain, Block) {
    let claimants_per_vault = CLAIMS / vaults;
    let mut entries = Vec::new();
    for v in 0..vaults {
        let mut holdings: Vec<HoldingGenesis> = (0..holders)
            .map(|h| {
                let holder = if h < claimants_per_vault {
                    dev_address(v * claimants_per_vault + h)
                } else {
                    synthetic(h)
                };
                HoldingGenesis { holder, holding: Holding { units: 0, settled_gdc: 0, settled_usd: 0 } }
            })
            .collect();
        let each = SHARE_UNITS / holders;
        for h in &mut holdings {
            h.holding.units = each;
        }
        holdings[0].holding.units += SHARE_UNITS - each * holders;
        entries.push(VaultGenesis {
            vault: Vault {
                id: VaultId::Asset(AssetId(v + 1)),
                creator: synthetic(u64::MAX),
                gdc: accrual(),
                usd: Accrual::default(),
                holders,
            },
            holdings,
        });
    }
    let mut genesis = GenesisBuilder::new()
        .fund_dev_accounts(CLAIMS, Amount::new(1_000_000_000))
        .fund(revenue::account(), Denom::GDC, Amount::new(REVENUE * u128::from(vaults)))
        .build();
    genesis.revenue.vaults = entries;
    let chain = TestChain::new(genesis);
    let factory = chain.factory();
    let txs: Vec<SignedTx> = (0..CLAIMS)
        .map(|i| {
            let vault = VaultId::Asset(AssetId(i / claimants_per_vault + 1));
            factory.tx(&dev_key(i), 0, vec![Msg::Revenue(RevenueMsg::ClaimRevenue { vault })])
        })
        .collect();
    let built = chain.build_unchecked(txs);
    assert_eq!(built.block.txs.len() as u64, CLAIMS);
    let applied = built.receipts.iter().filter(|r| r.outcome == atelier_protocol::TxOutcome::Applied).count();
    assert_eq!(applied as u64, CLAIMS, "every claim pays");
    eprintln!("vaults={vaults} holders={holders}: {} state writes", built.commit.changes.len());
    (chain, built.block)
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("revenue");
    group.sample_size(10);
    group.throughput(Throughput::Elements(CLAIMS));
    for (vaults, holders, name) in [(CLAIMS, 1, "holders=1"), (1, 1_000_000, "holders=1000000")] {
        let (chain, block) = fixture(vaults, holders);
        group.bench_function(format!("claim/claims={CLAIMS}/{name}"), |b| {
            b.iter(|| black_box(chain.replay(&block)))
        });
    }
    group.finish();
}

criterion_group!(revenue_claims, benches);
criterion_main!(revenue_claims);
