//! Block execution throughput: 10 000 signed transfers among 100 000 accounts, with and without
//! signature verification, against the raw rate of batch-verifying the same signatures on every
//! core (the machine's limit for signed transfers); and the parts of a block: its state root —
//! the trie's against the LtHash it replaced and Commonware's QMDB, over the same changed keys —
//! and the invariant
//! checks it runs from its changes. Then a proof's size and verification at a million entries.
//!
//! Run: `cargo bench -p atelier-testkit --bench block`.

#[path = "support/lthash.rs"]
mod lthash;
#[path = "support/qmdb.rs"]
mod qmdb;

use std::hint::black_box;

use atelier_primitives::{
    Amount,
    crypto::{BatchVerifier, ParallelBatchVerifier, SignatureVerifier, SignedMessage},
};
use atelier_protocol::{SignatureCheck, SignedTx, apply_block, build_block, invariants};
use atelier_state::{ChangeSet, MemoryStore, StateRead, TrieRead, prepare_commit};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key, seeded_rng};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rand_core::RngCore;

const ACCOUNTS: u64 = 100_000;
const TRANSFERS: u64 = 10_000;

struct Fixture {
    chain: TestChain,
    block: atelier_protocol::Block,
    claims: Vec<SignedMessage>,
}

fn fixture() -> Fixture {
    let genesis = GenesisBuilder::new().fund_dev_accounts(ACCOUNTS, Amount::new(1_000_000_000_000)).build();
    let chain = TestChain::new(genesis);
    let factory = chain.factory();
    let mut rng = seeded_rng(7);
    // Distinct senders, random recipients: every transfer touches two accounts of the 100 000.
    let txs: Vec<SignedTx> = (0..TRANSFERS)
        .map(|i| {
            factory.transfer(
                &dev_key(i * (ACCOUNTS / TRANSFERS)),
                0,
                dev_address(rng.next_u64() % ACCOUNTS),
                Amount::new(1 + i as u128),
            )
        })
        .collect();
    let claims = txs.iter().map(SignedTx::claim).collect();
    let time = chain.head.time_ms + 1_000;
    let built = build_block(
        &chain.store,
        &chain.head,
        time,
        chain.proposer,
        txs,
        Default::default(),
        SignatureCheck::Skip,
    )
    .expect("block builds");
    assert_eq!(built.block.txs.len() as u64, TRANSFERS, "every transfer is included");
    Fixture { chain, block: built.block, claims }
}

fn apply(store: &MemoryStore, fixture: &Fixture, signatures: SignatureCheck<'_>) {
    let executed =
        apply_block(store, &fixture.chain.head, fixture.block.clone(), signatures).expect("block applies");
    black_box(executed.commit.root);
}

fn benches(c: &mut Criterion) {
    let fixture = fixture();
    let parallel = ParallelBatchVerifier::all_cores();

    let mut group = c.benchmark_group("block");
    group.sample_size(10);
    group.throughput(Throughput::Elements(TRANSFERS));
    group.bench_function("apply/transfers=10000/accounts=100000/signatures=skip", |b| {
        b.iter_batched(
            || (),
            |()| apply(&fixture.chain.store, &fixture, SignatureCheck::Skip),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("apply/transfers=10000/accounts=100000/signatures=parallel_batch", |b| {
        b.iter(|| apply(&fixture.chain.store, &fixture, SignatureCheck::Verify(&parallel)))
    });
    group.finish();

    // The state-root part of `apply`: the root after the block's changed keys, as the trie
    // computes it and as the LtHash did.
    let changes =
        apply_block(&fixture.chain.store, &fixture.chain.head, fixture.block.clone(), SignatureCheck::Skip)
            .expect("block applies")
            .commit
            .changes;
    let entries = fixture.chain.store.len();
    let mut before = lthash::LtHash::empty();
    for (key, value) in fixture.chain.store.scan_prefix(&[]).expect("readable") {
        before.insert(&key, &value);
    }
    let mut group = c.benchmark_group("state");
    group.sample_size(10);
    group.throughput(Throughput::Elements(changes.len() as u64));
    group.bench_function(format!("root/trie/changed_keys={}/entries={entries}", changes.len()), |b| {
        b.iter_batched(
            || changes.clone(),
            |changes| black_box(prepare_commit(&fixture.chain.store, changes).expect("readable").root),
            BatchSize::LargeInput,
        )
    });
    group.bench_function(format!("root/lthash/changed_keys={}/entries={entries}", changes.len()), |b| {
        b.iter_batched(
            || changes.clone(),
            |changes| black_box(lthash::commit(&fixture.chain.store, &before, changes)),
            BatchSize::LargeInput,
        )
    });
    qmdb::bench(&mut group, &fixture.chain.store.scan_prefix(&[]).expect("readable"), &changes);
    group.finish();

    // The invariant checks every block runs, from its changes alone (inside `apply` above).
    let mut after = fixture.chain.store.clone();
    after.apply(changes.clone()).expect("the block's changes apply");
    let mut group = c.benchmark_group("invariants");
    group.sample_size(10);
    group.throughput(Throughput::Elements(changes.len() as u64));
    group.bench_function(format!("check_block/changed_keys={}", changes.len()), |b| {
        b.iter(|| {
            black_box(invariants::check_block(&fixture.chain.store, &after, &changes).expect("readable"))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("signatures");
    group.sample_size(10);
    group.throughput(Throughput::Elements(TRANSFERS));
    group.bench_function("verify/n=10000/batch_all_cores", |b| {
        b.iter(|| parallel.verify_all(black_box(&fixture.claims)).expect("valid"))
    });
    group.bench_function("verify/n=10000/batch_one_core", |b| {
        b.iter(|| BatchVerifier.verify_all(black_box(&fixture.claims)).expect("valid"))
    });
    group.finish();
}

/// A proof's size and verification against a state of a million entries.
fn proofs(c: &mut Criterion) {
    const ENTRIES: u32 = 1_000_000;
    let mut store = MemoryStore::new();
    let mut all = ChangeSet::new();
    for i in 0..ENTRIES {
        // Keys and values shaped like balances: a prefix, an address, an amount.
        let key = [b"bank/balance/".as_slice(), &i.to_be_bytes(), &[0; 28], b"gdc"].concat();
        all.put(key, u128::from(i).to_le_bytes().to_vec());
    }
    let root = store.apply(all).expect("applies");
    let key = [b"bank/balance/".as_slice(), &77u32.to_be_bytes(), &[0; 28], b"gdc"].concat();
    let value = store.get(&key).expect("readable");
    let proof = store.prove(&key).expect("provable");
    let absent = store.prove(b"bank/balance/nobody").expect("provable");
    let mut group = c.benchmark_group("proof");
    group.sample_size(20);
    group.bench_function(format!("verify/present/entries={ENTRIES}/bytes={}", proof.byte_len()), |b| {
        b.iter(|| proof.verify(black_box(&root), &key, value.as_deref()).expect("holds"))
    });
    group.bench_function(format!("verify/absent/entries={ENTRIES}/bytes={}", absent.byte_len()), |b| {
        b.iter(|| absent.verify(black_box(&root), b"bank/balance/nobody", None).expect("holds"))
    });
    group.bench_function(format!("prove/entries={ENTRIES}"), |b| b.iter(|| store.prove(black_box(&key))));
    group.finish();
}

criterion_group!(block, benches, proofs);
criterion_main!(block);
