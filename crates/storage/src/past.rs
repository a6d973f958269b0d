//! The state at past heights: what each block overwrote — state values and trie branches — kept
//! for a configurable number of blocks ([`Storage::keep_state_history`]), so that values and proofs
//! can be served as of any height kept, not only the head.
//!
//! A record `(key, h)` holds the key's value before block `h` (absent included). The value at a
//! past height `x` is the first record of the key above `x`, or the current value when the key has
//! not changed since. Records are written in the block's own write transaction (redb hands back
//! the value each write replaces, so this costs no extra read), and those of the block falling out
//! of the window are deleted in the same write: bounded work per block.

use atelier_primitives::{Decode, Hash, Height};
use atelier_protocol::Header;
use atelier_state::{
    StateError, TrieRead, Value,
    trie::{Branch, Child, NodePath},
};
use redb::{ReadOnlyTable, ReadTransaction, ReadableTable, TableDefinition, WriteTransaction};

use crate::{BLOCKS, META, META_GENESIS, STATE, Storage, StorageError, TRIE};

/// `(key, height)` → the key's value before block `height`: 0 for absent, 1 and the value.
const STATE_BEFORE: TableDefinition<(&[u8], u64), &[u8]> = TableDefinition::new("state_before");
/// `(trie path, height)` → the branch there before block `height`, encoded as in [`STATE_BEFORE`].
const TRIE_BEFORE: TableDefinition<(&[u8], u64), &[u8]> = TableDefinition::new("state_trie_before");
/// `height` → the keys and paths block `height` overwrote, so its records can be deleted.
const WRITTEN_AT: TableDefinition<u64, &[u8]> = TableDefinition::new("state_written_at");
/// `height` → the trie's top after block `height`.
const TOPS: TableDefinition<u64, &[u8]> = TableDefinition::new("state_trie_tops");
/// The lowest height whose state can be read.
const META_KEPT_FROM: &str = "state_kept_from";

/// Most past blocks' records one commit deletes: a window shrunk by a restart is caught up
/// gradually, without a long write.
const PRUNE_PER_COMMIT: u64 = 16;

pub(crate) fn ensure_tables(txn: &WriteTransaction) -> Result<(), StorageError> {
    txn.open_table(STATE_BEFORE).map_err(StorageError::db)?;
    txn.open_table(TRIE_BEFORE).map_err(StorageError::db)?;
    txn.open_table(WRITTEN_AT).map_err(StorageError::db)?;
    txn.open_table(TOPS).map_err(StorageError::db)?;
    Ok(())
}

fn encode_before(before: Option<&[u8]>) -> Vec<u8> {
    match before {
        None => vec![0],
        Some(bytes) => [&[1u8][..], bytes].concat(),
    }
}

fn decode_before(bytes: &[u8]) -> Result<Option<&[u8]>, StateError> {
    match bytes.split_first() {
        Some((0, [])) => Ok(None),
        Some((1, value)) => Ok(Some(value)),
        _ => Err(StateError::corrupt(bytes, "not a record of a past value")),
    }
}

/// What one block overwrote, gathered as its writes are made.
#[derive(Default)]
pub(crate) struct Overwritten {
    values: Vec<(Vec<u8>, Vec<u8>)>,
    branches: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Overwritten {
    /// The value `key` held before the block.
    pub(crate) fn value(&mut self, key: &[u8], before: Option<&[u8]>) {
        self.values.push((key.to_vec(), encode_before(before)));
    }

    /// The branch at the encoded `path` before the block.
    pub(crate) fn branch(&mut self, path: &[u8], before: Option<&[u8]>) {
        self.branches.push((path.to_vec(), encode_before(before)));
    }
}

/// Appends one item of a block's written list: which table (0 values, 1 branches), the length,
/// the key or path.
fn push_written(out: &mut Vec<u8>, table: u8, item: &[u8]) {
    out.push(table);
    out.extend_from_slice(&(item.len() as u32).to_le_bytes());
    out.extend_from_slice(item);
}

/// Reads back a block's written list.
fn written_items(mut bytes: &[u8]) -> Result<Vec<(u8, &[u8])>, StorageError> {
    let corrupt = || StorageError::corrupt("state records of a block", "a cut list");
    let mut out = Vec::new();
    while let Some((&table, rest)) = bytes.split_first() {
        let len: [u8; 4] = rest.get(..4).ok_or_else(corrupt)?.try_into().map_err(|_| corrupt())?;
        let end = 4 + u32::from_le_bytes(len) as usize;
        out.push((table, rest.get(4..end).ok_or_else(corrupt)?));
        bytes = &rest[end..];
    }
    Ok(out)
}

/// Records the top block `height` left and, when `keep` blocks of state are kept, what it
/// overwrote; then deletes the records that fall out of the window.
pub(crate) fn record(
    txn: &WriteTransaction,
    height: u64,
    top: &Child,
    overwritten: Overwritten,
    keep: u64,
) -> Result<(), StorageError> {
    if keep > 0 {
        let mut written = Vec::new();
        let mut values = txn.open_table(STATE_BEFORE).map_err(StorageError::db)?;
        for (key, before) in &overwritten.values {
            values.insert((key.as_slice(), height), before.as_slice()).map_err(StorageError::db)?;
            push_written(&mut written, 0, key);
        }
        let mut branches = txn.open_table(TRIE_BEFORE).map_err(StorageError::db)?;
        for (path, before) in &overwritten.branches {
            branches.insert((path.as_slice(), height), before.as_slice()).map_err(StorageError::db)?;
            push_written(&mut written, 1, path);
        }
        txn.open_table(WRITTEN_AT)
            .map_err(StorageError::db)?
            .insert(height, written.as_slice())
            .map_err(StorageError::db)?;
    }
    write_top(txn, height, top)?;
    prune(txn, height, keep)
}

fn write_top(txn: &WriteTransaction, height: u64, top: &Child) -> Result<(), StorageError> {
    let mut bytes = Vec::new();
    top.encode_to(&mut bytes);
    txn.open_table(TOPS)
        .map_err(StorageError::db)?
        .insert(height, bytes.as_slice())
        .map_err(StorageError::db)?;
    Ok(())
}

/// Starts the window afresh at `height` (a new chain, or a state restored there): every record
/// goes, and the state at `height` is the only one kept.
pub(crate) fn start(txn: &WriteTransaction, height: u64, top: &Child) -> Result<(), StorageError> {
    txn.open_table(STATE_BEFORE).map_err(StorageError::db)?.retain(|_, _| false).map_err(StorageError::db)?;
    txn.open_table(TRIE_BEFORE).map_err(StorageError::db)?.retain(|_, _| false).map_err(StorageError::db)?;
    txn.open_table(WRITTEN_AT).map_err(StorageError::db)?.retain(|_, _| false).map_err(StorageError::db)?;
    txn.open_table(TOPS).map_err(StorageError::db)?.retain(|_, _| false).map_err(StorageError::db)?;
    write_top(txn, height, top)?;
    set_kept_from(txn, height)
}

fn set_kept_from(txn: &WriteTransaction, height: u64) -> Result<(), StorageError> {
    txn.open_table(META)
        .map_err(StorageError::db)?
        .insert(META_KEPT_FROM, height.to_le_bytes().as_slice())
        .map_err(StorageError::db)?;
    Ok(())
}

fn kept_from(meta: &impl ReadableTable<&'static str, &'static [u8]>) -> Result<u64, StorageError> {
    let Some(bytes) = meta.get(META_KEPT_FROM).map_err(StorageError::db)? else { return Ok(0) };
    let bytes: [u8; 8] =
        bytes.value().try_into().map_err(|_| StorageError::corrupt("state history floor", "not 8 bytes"))?;
    Ok(u64::from_le_bytes(bytes))
}

/// Moves the window's floor to `head - keep` and deletes records no read needs any more, oldest
/// first, at most [`PRUNE_PER_COMMIT`] blocks' worth. Reading height `x` takes the first record
/// above `x`, so records at the floor and below are never read again.
fn prune(txn: &WriteTransaction, head: u64, keep: u64) -> Result<(), StorageError> {
    let floor = head.saturating_sub(keep).max(kept_from(&txn.open_table(META).map_err(StorageError::db)?)?);
    set_kept_from(txn, floor)?;
    let mut written_at = txn.open_table(WRITTEN_AT).map_err(StorageError::db)?;
    let mut values = txn.open_table(STATE_BEFORE).map_err(StorageError::db)?;
    let mut branches = txn.open_table(TRIE_BEFORE).map_err(StorageError::db)?;
    for _ in 0..PRUNE_PER_COMMIT {
        let Some((height, written)) =
            written_at.first().map_err(StorageError::db)?.map(|(h, w)| (h.value(), w.value().to_vec()))
        else {
            break;
        };
        if height > floor {
            break;
        }
        for (table, item) in written_items(&written)? {
            match table {
                0 => values.remove((item, height)).map(drop),
                _ => branches.remove((item, height)).map(drop),
            }
            .map_err(StorageError::db)?;
        }
        written_at.remove(height).map_err(StorageError::db)?;
    }
    let mut tops = txn.open_table(TOPS).map_err(StorageError::db)?;
    for _ in 0..PRUNE_PER_COMMIT {
        let first = tops.first().map_err(StorageError::db)?.map(|(height, _)| height.value());
        match first {
            Some(height) if height < floor => tops.remove(height).map_err(StorageError::db)?,
            _ => break,
        };
    }
    Ok(())
}

/// The state as of a past height: point reads and the trie, for values and proofs.
pub struct StateAt {
    height: Height,
    header: Header,
    top: Child,
    state: ReadOnlyTable<&'static [u8], &'static [u8]>,
    trie: ReadOnlyTable<&'static [u8], &'static [u8]>,
    values_before: ReadOnlyTable<(&'static [u8], u64), &'static [u8]>,
    branches_before: ReadOnlyTable<(&'static [u8], u64), &'static [u8]>,
}

fn backend(error: impl std::fmt::Display) -> StateError {
    StateError::Backend(error.to_string())
}

/// The first record of `item` above `height`, if any: what it held at `height`.
fn before(
    table: &ReadOnlyTable<(&'static [u8], u64), &'static [u8]>,
    item: &[u8],
    height: u64,
) -> Result<Option<Option<Vec<u8>>>, StateError> {
    let Some(above) = height.checked_add(1) else { return Ok(None) };
    let Some(entry) = table.range((item, above)..=(item, u64::MAX)).map_err(backend)?.next() else {
        return Ok(None);
    };
    let (_, record) = entry.map_err(backend)?;
    Ok(Some(decode_before(record.value())?.map(<[u8]>::to_vec)))
}

impl StateAt {
    fn open(txn: &ReadTransaction, height: Height) -> Result<StateAt, StorageError> {
        let tops = txn.open_table(TOPS).map_err(StorageError::db)?;
        let top = match tops.get(height.get()).map_err(StorageError::db)? {
            Some(bytes) => match Child::decode_from(bytes.value()) {
                Some((top, [])) => top,
                _ => return Err(StorageError::corrupt("state trie top", "not a trie node")),
            },
            None => {
                return Err(StorageError::corrupt("state trie top", format!("none kept at height {height}")));
            }
        };
        let header = match txn
            .open_table(BLOCKS)
            .map_err(StorageError::db)?
            .get(height.get())
            .map_err(StorageError::db)?
        {
            Some(bytes) => {
                atelier_protocol::Block::from_bytes(bytes.value())
                    .map_err(|e| StorageError::corrupt("block", e))?
                    .header
            }
            None => {
                let meta = txn.open_table(META).map_err(StorageError::db)?;
                let genesis =
                    meta.get(META_GENESIS).map_err(StorageError::db)?.ok_or(StorageError::Uninitialized)?;
                Header::from_bytes(genesis.value()).map_err(|e| StorageError::corrupt("genesis header", e))?
            }
        };
        if header.height != height || header.state_root != top.hash() {
            return Err(StorageError::RootMismatch {
                height,
                stored: top.hash(),
                expected: header.state_root,
            });
        }
        Ok(StateAt {
            height,
            header,
            top,
            state: txn.open_table(STATE).map_err(StorageError::db)?,
            trie: txn.open_table(TRIE).map_err(StorageError::db)?,
            values_before: txn.open_table(STATE_BEFORE).map_err(StorageError::db)?,
            branches_before: txn.open_table(TRIE_BEFORE).map_err(StorageError::db)?,
        })
    }

    /// The header of the block the state is after.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The state root.
    pub fn root(&self) -> Hash {
        self.top.hash()
    }

    /// The value under `key` at this height.
    pub fn get(&self, key: &[u8]) -> Result<Option<Value>, StateError> {
        match before(&self.values_before, key, self.height.get())? {
            Some(value) => Ok(value),
            None => Ok(self.state.get(key).map_err(backend)?.map(|value| value.value().to_vec())),
        }
    }
}

impl TrieRead for StateAt {
    fn trie_top(&self) -> Result<Child, StateError> {
        Ok(self.top)
    }

    fn branch(&self, path: &NodePath) -> Result<Option<Branch>, StateError> {
        let encoded = path.encode();
        let bytes = match before(&self.branches_before, &encoded, self.height.get())? {
            Some(bytes) => bytes,
            None => self.trie.get(encoded.as_slice()).map_err(backend)?.map(|bytes| bytes.value().to_vec()),
        };
        match bytes {
            None => Ok(None),
            Some(bytes) => Branch::decode(&bytes)
                .map(Some)
                .ok_or_else(|| StateError::corrupt(&encoded, "not a state trie branch")),
        }
    }
}

impl Storage {
    /// Keeps the state of the last `blocks` blocks readable ([`Storage::state_at`]); 0 keeps the
    /// head's alone. Takes effect from the next commit; a smaller window than before is pruned
    /// to over the following commits.
    pub fn keep_state_history(&self, blocks: u64) {
        self.state_history.store(blocks, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn state_history_blocks(&self) -> u64 {
        self.state_history.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The lowest height whose state [`Storage::state_at`] reads.
    pub fn state_kept_from(&self) -> Result<Height, StorageError> {
        let txn = self.begin_read()?;
        Ok(Height(kept_from(&txn.open_table(META).map_err(StorageError::db)?)?))
    }

    /// The state as of `height`, which must be from [`Storage::state_kept_from`] to the head.
    pub fn state_at(&self, height: Height) -> Result<StateAt, PastStateError> {
        let txn = self.begin_read()?;
        let meta = txn.open_table(META).map_err(StorageError::db)?;
        let head = match meta.get(crate::META_HEAD).map_err(StorageError::db)? {
            Some(bytes) => Header::from_bytes(bytes.value()).map_err(|e| StorageError::corrupt("head", e))?,
            None => return Err(StorageError::Uninitialized.into()),
        };
        let from = kept_from(&meta)?;
        if height > head.height {
            return Err(PastStateError::Ahead { height, head: head.height });
        }
        if height.get() < from {
            return Err(PastStateError::NotKept { height, kept_from: Height(from) });
        }
        Ok(StateAt::open(&txn, height)?)
    }
}

/// Why the state at a height cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum PastStateError {
    /// The height is above the head.
    #[error("no block at height {height}: the head is at {head}")]
    Ahead {
        /// The height asked for.
        height: Height,
        /// The head's.
        head: Height,
    },
    /// The height's state is no longer kept.
    #[error("the state at height {height} is no longer kept: this node keeps it from height {kept_from}")]
    NotKept {
        /// The height asked for.
        height: Height,
        /// The lowest height kept.
        kept_from: Height,
    },
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}
