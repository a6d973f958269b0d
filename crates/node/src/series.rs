//! The economy's series: measured after every committed block and written with it, read by
//! `GET /stats/series`, rebuilt from the stored blocks by [`rebuild`].
//!
//! The figures after a block depend on the figures after the block before (totals since genesis)
//! and on the state the block left, so they are recorded only while they follow the chain from
//! its genesis. A database from before the series, or one whose state was restored from an image,
//! records none until `atelier stats rebuild` has replayed its blocks.

use atelier_primitives::Height;
use atelier_protocol::{
    Event, ExecutedBlock, Genesis, Header, SignatureCheck, apply_block, economy::Economy, init_chain,
};
use atelier_state::{MemoryStore, StateRead};
use atelier_storage::{Sample, Storage, StorageError};

use crate::LedgerError;

/// Where the series stand against the chain.
#[derive(Debug, Clone, Default)]
pub(crate) enum Figures {
    /// Not read from the database yet.
    #[default]
    Unread,
    /// Recorded up to the head: the economy after it.
    Following(Box<Economy>),
    /// Behind the chain: nothing is recorded until they are rebuilt.
    Behind,
}

/// Where the series stand in `storage`; the economy at genesis is recorded for a chain that has
/// no block yet.
pub(crate) fn read(storage: &Storage) -> Result<Figures, LedgerError> {
    let head = storage.head()?.ok_or(StorageError::Uninitialized)?;
    match storage.series_head()? {
        Some(sample) if sample.height == head.height => Ok(Figures::Following(Box::new(
            Economy::from_series(sample.height, sample.time_ms, &sample.figures),
        ))),
        None if storage.genesis_header()?.as_ref() == Some(&head) => {
            let economy = Economy::after(&storage.snapshot()?, &head, &[], &Economy::default())
                .map_err(StorageError::from)?;
            storage.record_series(&[sample(&economy)])?;
            Ok(Figures::Following(Box::new(economy)))
        }
        recorded => {
            tracing::warn!(
                head = head.height.get(),
                series = recorded.map(|s| s.height.get()),
                "the economy series are behind the chain and are not recorded: stop the node and run `atelier stats rebuild`"
            );
            Ok(Figures::Behind)
        }
    }
}

/// The economy after `executed`, on the state it left.
pub(crate) fn after(
    state: &impl StateRead,
    executed: &ExecutedBlock,
    before: &Economy,
) -> Result<Economy, LedgerError> {
    Ok(Economy::after(state, &executed.block.header, &events(executed), before)
        .map_err(StorageError::from)?)
}

/// A block's events in order: its transactions', then the end of block's.
fn events(executed: &ExecutedBlock) -> Vec<Event> {
    executed
        .receipts
        .iter()
        .flat_map(|receipt| receipt.events.iter().cloned())
        .chain(executed.end_block_events.iter().cloned())
        .collect()
}

/// `economy` as the figures storage keeps.
pub(crate) fn sample(economy: &Economy) -> Sample {
    Sample { height: economy.height, time_ms: economy.time_ms, figures: economy.series() }
}

/// Blocks whose figures are written at once while rebuilding.
const REBUILD_BATCH: u64 = 1_000;

/// Replays every stored block from `genesis` (which must be the chain's) in memory and records
/// the figures after each, replacing what was recorded; `progress` hears `(done, total)` blocks
/// after each batch. The node must not be running. A block whose replay does not give the stored
/// header is reported, and the series are left unrecorded past the last good batch.
pub fn rebuild(
    storage: &Storage,
    genesis: Genesis,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(), LedgerError> {
    let head = storage.head()?.ok_or(StorageError::Uninitialized)?;
    let store = MemoryStore::new();
    let started = init_chain(&store, genesis).map_err(|e| LedgerError::Genesis(e.to_string()))?;
    if Some(&started.header) != storage.genesis_header()?.as_ref() {
        return Err(LedgerError::Genesis("it is not the genesis this chain started from".into()));
    }
    let mut store = store;
    store.commit(started.commit);
    storage.clear_series()?;
    let mut parent: Header = started.header;
    let mut economy =
        Economy::after(&store, &parent, &[], &Economy::default()).map_err(StorageError::from)?;
    let mut batch = vec![sample(&economy)];
    let total = head.height.get() - parent.height.get();
    let first = parent.height.get() + 1;
    for height in first..=head.height.get() {
        let block = storage.block(Height(height))?.ok_or_else(|| StorageError::Corrupt {
            what: "block",
            reason: format!("no block stored at height {height} below the head"),
        })?;
        let stored = block.header.clone();
        let executed = apply_block(&store, &parent, block, SignatureCheck::Skip)?;
        if executed.block.header != stored {
            return Err(StorageError::Corrupt {
                what: "block",
                reason: format!("replaying block {height} does not give the stored header"),
            }
            .into());
        }
        store.commit(executed.commit.clone());
        economy = after(&store, &executed, &economy)?;
        batch.push(sample(&economy));
        parent = stored;
        if (height - first + 1).is_multiple_of(REBUILD_BATCH) || height == head.height.get() {
            storage.record_series(&batch)?;
            batch.clear();
            progress(height - first + 1, total);
        }
    }
    if !batch.is_empty() {
        storage.record_series(&batch)?;
        progress(total, total);
    }
    Ok(())
}
