//! Commonware's QMDB (`current::ordered::variable`, the family that proves any value and any
//! absence), measured on the block benchmark's own changes: the state loaded into it once, then a
//! block's changed keys written into a batch and merkleized to a root, as the state trie computes
//! its root from the same changes. QMDB keys are fixed-size, so each state key goes in as its
//! SHA-256 (the trie hashes its keys too).

use std::{
    hint::black_box,
    num::{NonZeroU64, NonZeroUsize},
    time::{Duration, Instant},
};

use atelier_state::ChangeSet;
use commonware_codec::RangeCfg;
use commonware_cryptography::{Hasher as _, Sha256, sha256::Digest};
use commonware_parallel::Rayon;
use commonware_runtime::{
    BLOB_PAGE_SIZE, Strategizer, Supervisor as _,
    benchmarks::{context, tokio},
    buffer::paged::{CacheRef, page_size},
    tokio::{Config, Context},
};
use commonware_storage::{
    journal::contiguous::variable::Config as JournalConfig,
    merkle::{full::Config as MerkleConfig, mmr},
    qmdb::{
        current::{VariableConfig, ordered::variable::Db},
        floor::Proportional,
    },
    translator::EightCap,
};
use criterion::{BenchmarkGroup, measurement::WallTime};

/// Bitmap chunk bytes: QMDB's default.
const CHUNK: usize = 32;
/// How a value's bytes are read back: any length up to 64 KiB.
type ValueCodec = ((), (RangeCfg<usize>, ()));
type Qmdb = Db<mmr::Family, Context, Digest, Vec<u8>, Sha256, EightCap, CHUNK, Rayon>;

fn config(context: &Context) -> VariableConfig<EightCap, ValueCodec, Rayon> {
    let page_cache = CacheRef::new(page_size(BLOB_PAGE_SIZE), NonZeroUsize::new(1 << 14).expect("positive"));
    let buffer = NonZeroUsize::new(2 << 20).expect("positive");
    let per_blob = NonZeroU64::new(1 << 20).expect("positive");
    VariableConfig {
        merkle_config: MerkleConfig {
            journal_partition: "bench-merkle-journal".into(),
            metadata_partition: "bench-merkle-metadata".into(),
            items_per_blob: per_blob,
            write_buffer: buffer,
            replay_buffer: buffer,
            // Every core, as the trie's update uses.
            strategy: context.strategy(std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)),
            page_cache: page_cache.clone(),
        },
        journal_config: JournalConfig {
            partition: "bench-log".into(),
            items_per_section: per_blob,
            compression: None,
            codec_config: ((), ((0..=1 << 16).into(), ())),
            page_cache,
            write_buffer: buffer,
            replay_buffer: buffer,
        },
        grafted_metadata_partition: "bench-grafted".into(),
        translator: EightCap,
        init_cache: NonZeroUsize::new(1 << 18),
        init_buffer: buffer,
        init_concurrency: (),
    }
}

/// `state/root/qmdb/…`: the root after `changes` over `entries` (the state before the block).
pub(crate) fn bench(
    group: &mut BenchmarkGroup<'_, WallTime>,
    entries: &[(Vec<u8>, Vec<u8>)],
    changes: &ChangeSet,
) {
    let runner = tokio::Runner::new(Config::default());
    let name = format!("root/qmdb/changed_keys={}/entries={}", changes.len(), entries.len());
    group.bench_function(name, |b| {
        b.to_async(&runner).iter_custom(|iterations| async move {
            let context = context::get::<Context>();
            let db = Qmdb::init(context.child("qmdb"), config(&context), None).await.expect("opens");
            let mut batch = db.new_batch();
            for (key, value) in entries {
                batch = batch.write(Sha256::hash(&[key]), Some(value.clone()));
            }
            let loaded = batch.merkleize(&db, None, &mut Proportional).await.expect("merkleizes");
            let db = db.apply_batch(loaded).await.expect("applies");
            let db = db.commit().await.expect("commits");
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                let started = Instant::now();
                let mut batch = db.new_batch();
                for (key, value) in changes.iter_unordered() {
                    batch = batch.write(Sha256::hash(&[key]), value.cloned());
                }
                let merkleized = batch.merkleize(&db, None, &mut Proportional).await.expect("merkleizes");
                black_box(merkleized.root());
                spent += started.elapsed();
            }
            db.destroy().await.expect("removed");
            spent
        })
    });
}
