//! The compute market's block end at scale: 10 000 jobs a block with 1 000 providers.
//!
//! - `settle/contributors=C`: 10 000 answered jobs whose challenge window closes in the block,
//!   for a model whose one dataset has C contributors (1 to 100 000); each settlement pays the
//!   treasury, the dataset's vault, the fine-tuner, the burn and the provider, and mints an asset.
//!   Equal times and equal state writes across C are the evidence that settlement does not grow
//!   with contributors.
//! - `admit`: 10 000 queued jobs admitted by tip and assigned among 1 000 providers.
//!
//! Run: `cargo bench -p atelier-testkit --bench compute`.

use std::hint::black_box;

use atelier_primitives::{Address, Amount, Bps, Denom, Hash, Height};
use atelier_protocol::{
    Block, Genesis,
    modules::{
        compute::{self, ClassCapacity, Job, JobId, JobStatus, Provider, ProviderStatus},
        registry::{
            Contribution, ContributionGenesis, Dataset, DatasetGenesis, DatasetId, DatasetWeight, FeeShare,
            Model, ModelId,
        },
        revenue::{Accrual, Holding, HoldingGenesis, SHARE_UNITS, Vault, VaultGenesis, VaultId},
    },
};
use atelier_testkit::{GenesisBuilder, TestChain};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const JOBS: u64 = 10_000;
const PROVIDERS: u64 = 1_000;
const UNITS: u64 = 10;
const BASE_FEE: u128 = 1_000;
const TIP: u128 = 100;

fn address(tag: u8, i: u64) -> Address {
    let mut bytes = [tag; 20];
    bytes[..8].copy_from_slice(&i.to_be_bytes());
    Address(bytes)
}

/// Genesis with 1 000 providers of 100 units each, one dataset of `contributors` and a model on
/// it, and 10 000 jobs of that model in `status` (answered jobs are due at the first block).
fn genesis(contributors: u64, status: JobStatus) -> Genesis {
    let answered = status != JobStatus::Queued;
    let bond = compute::ComputeParams::default().min_provider_bond;
    let max_fee = Amount::new(BASE_FEE + TIP);
    let tip = |id: u64| TIP - u128::from(id % 50);
    // What each job holds: its escrow while queued, its price once admitted.
    let held =
        |id: u64| Amount::new(u128::from(UNITS) * if answered { BASE_FEE + tip(id) } else { BASE_FEE + TIP });
    let total = (1..=JOBS).map(|id| held(id).get()).sum::<u128>() + bond.get() * u128::from(PROVIDERS);
    // The module holds every bond and what every job holds; the bank's supply counts it.
    let mut genesis = GenesisBuilder::new().fund(compute::account(), Denom::GDC, Amount::new(total)).build();
    let shares: Vec<ContributionGenesis> = (0..contributors)
        .map(|i| ContributionGenesis {
            contributor: address(0xC0, i),
            contribution: Contribution { shares: 1 + u128::from(i % 7), settled_gdc: 0, settled_usd: 0 },
        })
        .collect();
    let total_shares = shares.iter().map(|c| c.contribution.shares).sum();
    genesis.registry.datasets = vec![DatasetGenesis {
        dataset: Dataset {
            id: DatasetId(1),
            owner: address(0xD0, 0),
            content_hash: Hash::ZERO,
            license: "CC-BY-4.0".into(),
            total_shares,
            gdc: Default::default(),
            usd: Default::default(),
            contributors: contributors as u32,
        },
        contributions: shares,
    }];
    let all = vec![DatasetWeight { dataset: DatasetId(1), weight: Bps::ONE }];
    genesis.registry.models = vec![Model {
        id: ModelId(1),
        owner: address(0xF0, 0),
        class: "image-xl".into(),
        weights_hash: atelier_primitives::Hash::blob(b"a base model's style"),
        parent: None,
        depth: 0,
        performance_fee: Bps::new(500).unwrap(),
        datasets: all.clone(),
        lineage_datasets: all,
        lineage_fees: vec![FeeShare {
            model: ModelId(1),
            owner: address(0xF0, 0),
            fee: Bps::new(500).unwrap(),
        }],
        style: "general".into(),
    }];
    genesis.revenue.vaults = vec![VaultGenesis {
        vault: Vault {
            id: VaultId::Model(ModelId(1)),
            creator: address(0xF0, 0),
            gdc: Accrual::default(),
            usd: Accrual::default(),
            holders: 1,
        },
        holdings: vec![HoldingGenesis {
            holder: address(0xF0, 0),
            holding: Holding { units: SHARE_UNITS, settled_gdc: 0, settled_usd: 0 },
        }],
    }];
    genesis.registry.next_dataset = 2;
    genesis.registry.next_model = 2;
    genesis.compute.providers = (0..PROVIDERS)
        .map(|i| Provider {
            address: address(0xA0, i),
            bond,
            endpoint: "https://gpu.example".into(),
            capacities: vec![ClassCapacity { class: "image-xl".into(), units: 100 }],
            status: ProviderStatus::Active,
            open: if answered { (JOBS / PROVIDERS) as u32 } else { 0 },
        })
        .collect();
    genesis.compute.jobs = (1..=JOBS)
        .map(|id| Job {
            id: JobId(id),
            requester: address(0xB0, id % 100),
            model: ModelId(1),
            class: "image-xl".into(),
            units: UNITS,
            max_fee_per_unit: max_fee,
            tip_per_unit: Amount::new(tip(id)),
            prompt_hash: Hash::digest("bench/prompt", &[&id.to_be_bytes()]),
            params_hash: Hash::ZERO,
            deterministic: true,
            submitted_at: Height(0),
            status,
            held: held(id),
            provider: answered.then(|| address(0xA0, id % PROVIDERS)),
            base_fee_per_unit: Amount::new(if answered { BASE_FEE } else { 0 }),
            tip_paid_per_unit: Amount::new(if answered { tip(id) } else { 0 }),
            output_hash: answered.then(|| Hash::digest("bench/output", &[&id.to_be_bytes()])),
            due: Some(Height(if answered { 1 } else { 100 })),
            dispute: None,
            asset: None,
            parents: Vec::new(),
            policy: Default::default(),
        })
        .collect();
    genesis.compute.next_job = JOBS + 1;
    genesis
}

/// The chain at genesis and the empty first block whose end does the work.
fn fixture(contributors: u64, status: JobStatus) -> (TestChain, Block, usize) {
    let chain = TestChain::new(genesis(contributors, status));
    let built = chain.build_unchecked(Vec::new());
    let done = atelier_protocol::modules::compute::query::job(&built_store(&chain, &built), JobId(JOBS))
        .unwrap()
        .unwrap();
    assert_ne!(done.status, status, "the block moved the jobs on");
    let writes = built.commit.changes.len();
    (chain, built.block, writes)
}

fn built_store(chain: &TestChain, built: &atelier_protocol::ExecutedBlock) -> atelier_state::MemoryStore {
    let mut store = chain.store.clone();
    store.commit(built.commit.clone());
    store
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("compute");
    group.sample_size(10);
    group.throughput(Throughput::Elements(JOBS));
    for contributors in [1, 100, 10_000, 100_000] {
        let (chain, block, writes) = fixture(contributors, JobStatus::Submitted);
        eprintln!("settle/contributors={contributors}: {writes} state writes in the block");
        group.bench_function(
            format!("settle/jobs={JOBS}/providers={PROVIDERS}/contributors={contributors}"),
            |b| b.iter(|| black_box(chain.replay(&block))),
        );
    }
    let (chain, block, writes) = fixture(1, JobStatus::Queued);
    eprintln!("admit: {writes} state writes in the block");
    group.bench_function(format!("admit/jobs={JOBS}/providers={PROVIDERS}"), |b| {
        b.iter(|| black_box(chain.replay(&block)))
    });
    group.finish();
}

criterion_group!(compute_market, benches);
criterion_main!(compute_market);
