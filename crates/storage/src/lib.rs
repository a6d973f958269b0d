//! Durable storage: the chain's state, blocks, receipts and indexes in one embedded redb file.
//!
//! One block's state changes, the block, its receipts, the transaction index and the event index
//! are written in one redb write transaction with immediate durability: once
//! [`Storage::commit_block`] returns, the block survives a crash, and a crash before that leaves
//! no trace of it. The state trie's branches are written in the same transaction; on open, the
//! stored trie's root is checked against the last header, so a database that does not hold the
//! state its head claims is refused rather than built upon.
//!
//! This crate holds no protocol rules: it stores what `atelier-protocol` computed.

mod history;
mod image;
mod past;
mod receipts;
mod series;
mod snapshot;
mod sync;

use std::{
    path::Path,
    sync::{PoisonError, RwLock},
};

use atelier_primitives::{Decode, Encode, Hash, Height};
use atelier_protocol::{Block, ExecutedBlock, Header, Receipt, app::GenesisState};
use atelier_state::{
    PreparedCommit, TrieChanges,
    trie::{Branch, Child},
};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

pub use history::{EventPosition, Mentions, Subject};
pub use image::StateImage;
pub use past::{PastStateError, StateAt};
pub use receipts::{BlockReceipts, IndexedEvent};
pub use series::{MAX_POINTS, Point, Sample, Series, TIERS, Tier};
pub use snapshot::Snapshot;
pub use sync::SyncSnapshot;

const STATE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("state");
/// The state trie's branches, by encoded path.
const TRIE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("state_trie");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const BLOCKS: TableDefinition<u64, &[u8]> = TableDefinition::new("blocks");
const RECEIPTS: TableDefinition<u64, &[u8]> = TableDefinition::new("receipts");
const TX_INDEX: TableDefinition<&[u8], (u64, u32)> = TableDefinition::new("tx_index");
const EVENTS: TableDefinition<(u64, u32), &[u8]> = TableDefinition::new("events");
/// Equivocation proofs by (epoch, view, validator key, kind).
const EQUIVOCATIONS: TableDefinition<(u64, u64, &[u8], &str), &[u8]> =
    TableDefinition::new("equivocations_by_epoch");

/// Page cache of the database: bounds the node's memory (redb's default is 1 GiB).
const CACHE_BYTES: usize = 128 * 1024 * 1024;

/// The top of the state trie: its hash is the state root.
const META_TRIE_TOP: &str = "trie_top";
const META_HEAD: &str = "head";
const META_GENESIS: &str = "genesis_header";

/// Why storage refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Another process (or another handle in this one) has the database open.
    #[error("database {path} is already open by another node")]
    Locked {
        /// The database file.
        path: String,
    },
    /// The database holds no chain yet.
    #[error("database holds no chain: initialize it from a genesis first")]
    Uninitialized,
    /// The database already holds a chain.
    #[error("database already holds a chain at height {height}")]
    AlreadyInitialized {
        /// Its head height.
        height: Height,
    },
    /// A block does not extend the stored head.
    #[error("block {height} with parent {parent} does not extend the head {head_height} ({head_hash})")]
    NotNext {
        /// The block's height.
        height: Height,
        /// The block's parent hash.
        parent: Hash,
        /// The head's height.
        head_height: Height,
        /// The head's hash.
        head_hash: Hash,
    },
    /// The commit was prepared against another state than the stored one.
    #[error("the commit was prepared on another state root than the stored one")]
    StaleCommit,
    /// A state image of another chain cannot be restored here.
    #[error("the state is of chain {image}, and this chain is {chain}")]
    OtherChain {
        /// The image's chain.
        image: String,
        /// This chain.
        chain: String,
    },
    /// The stored state does not match the stored head.
    #[error("stored state root {stored} differs from the head's {expected} at height {height}")]
    RootMismatch {
        /// Height of the head.
        height: Height,
        /// Root of the stored state.
        stored: Hash,
        /// Root in the head.
        expected: Hash,
    },
    /// A stored record does not decode.
    #[error("corrupt {what}: {reason}")]
    Corrupt {
        /// What was being read.
        what: &'static str,
        /// Why it failed.
        reason: String,
    },
    /// The database was closed.
    #[error("database is closed")]
    Closed,
    /// The database engine failed.
    #[error("database: {0}")]
    Database(String),
}

impl StorageError {
    fn db(error: impl std::fmt::Display) -> Self {
        StorageError::Database(error.to_string())
    }

    fn corrupt(what: &'static str, error: impl std::fmt::Display) -> Self {
        StorageError::Corrupt { what, reason: error.to_string() }
    }
}

impl From<atelier_state::StateError> for StorageError {
    fn from(error: atelier_state::StateError) -> Self {
        StorageError::Database(error.to_string())
    }
}

/// Where a transaction is: its block's height and its position in the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TxLocation {
    /// The block.
    pub height: Height,
    /// Position in the block.
    pub index: u32,
}

/// The chain on disk. [`Storage::close`] releases the database file (and its lock) even while
/// other parts of the program still hold the handle; they get [`StorageError::Closed`].
#[derive(Debug)]
pub struct Storage {
    db: RwLock<Option<Database>>,
    /// How many past blocks' state stays readable ([`Storage::keep_state_history`]).
    state_history: std::sync::atomic::AtomicU64,
}

impl Storage {
    /// Opens (creating if needed) the database at `path`, and checks that a stored chain's state
    /// matches its head. Refuses a database another node has open.
    pub fn open(path: &Path) -> Result<Storage, StorageError> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(StorageError::db)?;
        }
        let db =
            Database::builder().set_cache_size(CACHE_BYTES).create(path).map_err(|error| match error {
                redb::DatabaseError::DatabaseAlreadyOpen => Storage::locked(path),
                other => StorageError::db(other),
            })?;
        let storage = Storage { db: RwLock::new(Some(db)), state_history: Default::default() };
        storage.ensure_tables()?;
        storage.verify_head()?;
        Ok(storage)
    }

    fn database(&self) -> Result<std::sync::RwLockReadGuard<'_, Option<Database>>, StorageError> {
        let guard = self.db.read().unwrap_or_else(PoisonError::into_inner);
        if guard.is_none() {
            return Err(StorageError::Closed);
        }
        Ok(guard)
    }

    fn begin_read(&self) -> Result<redb::ReadTransaction, StorageError> {
        let guard = self.database()?;
        guard.as_ref().ok_or(StorageError::Closed)?.begin_read().map_err(StorageError::db)
    }

    fn begin_write(&self) -> Result<redb::WriteTransaction, StorageError> {
        let guard = self.database()?;
        guard.as_ref().ok_or(StorageError::Closed)?.begin_write().map_err(StorageError::db)
    }

    /// Closes the database and releases its file. Later calls fail with [`StorageError::Closed`].
    pub fn close(&self) {
        self.db.write().unwrap_or_else(PoisonError::into_inner).take();
    }

    fn locked(path: &Path) -> StorageError {
        StorageError::Locked { path: path.display().to_string() }
    }

    fn ensure_tables(&self) -> Result<(), StorageError> {
        let txn = self.begin_write()?;
        txn.open_table(STATE).map_err(StorageError::db)?;
        txn.open_table(TRIE).map_err(StorageError::db)?;
        txn.open_table(META).map_err(StorageError::db)?;
        txn.open_table(BLOCKS).map_err(StorageError::db)?;
        txn.open_table(RECEIPTS).map_err(StorageError::db)?;
        txn.open_table(TX_INDEX).map_err(StorageError::db)?;
        txn.open_table(EVENTS).map_err(StorageError::db)?;
        txn.open_table(EQUIVOCATIONS).map_err(StorageError::db)?;
        series::ensure_tables(&txn)?;
        history::ensure_tables(&txn)?;
        past::ensure_tables(&txn)?;
        txn.commit().map_err(StorageError::db)
    }

    /// Checks that the stored trie's root equals the head's state root.
    pub fn verify_head(&self) -> Result<(), StorageError> {
        let Some(head) = self.head()? else { return Ok(()) };
        let stored = self.snapshot()?.root();
        if stored != head.state_root {
            return Err(StorageError::RootMismatch {
                height: head.height,
                stored,
                expected: head.state_root,
            });
        }
        Ok(())
    }

    /// Rebuilds the trie from every stored entry and checks its root against the stored trie's
    /// and the head's. O(state): for audits and crash tests, not for every start.
    pub fn audit_state(&self) -> Result<(), StorageError> {
        let txn = self.begin_read()?;
        let table = txn.open_table(STATE).map_err(StorageError::db)?;
        let mut entries = Vec::new();
        for entry in table.iter().map_err(StorageError::db)? {
            let (key, value) = entry.map_err(StorageError::db)?;
            entries.push((key.value().to_vec(), value.value().to_vec()));
        }
        let recomputed = atelier_state::trie::build(entries.iter().map(|(k, v)| (&k[..], &v[..]))).root();
        let stored = read_trie_top(&txn.open_table(META).map_err(StorageError::db)?)?.hash();
        let head = self.head()?.ok_or(StorageError::Uninitialized)?;
        for root in [stored, head.state_root] {
            if root != recomputed {
                return Err(StorageError::RootMismatch {
                    height: head.height,
                    stored: recomputed,
                    expected: root,
                });
            }
        }
        Ok(())
    }

    /// The last committed header, if the database holds a chain.
    pub fn head(&self) -> Result<Option<Header>, StorageError> {
        self.meta(META_HEAD)
    }

    /// The genesis header (the parent of the first block).
    pub fn genesis_header(&self) -> Result<Option<Header>, StorageError> {
        self.meta(META_GENESIS)
    }

    fn meta<T: Decode>(&self, name: &'static str) -> Result<Option<T>, StorageError> {
        let txn = self.begin_read()?;
        let table = txn.open_table(META).map_err(StorageError::db)?;
        let Some(bytes) = table.get(name).map_err(StorageError::db)? else { return Ok(None) };
        T::from_bytes(bytes.value()).map(Some).map_err(|e| StorageError::corrupt(name, e))
    }

    /// A consistent read-only view of the current state, to execute the next block on.
    pub fn snapshot(&self) -> Result<Snapshot, StorageError> {
        let txn = self.begin_read()?;
        Snapshot::new(&txn)
    }

    /// Writes the genesis state and header. Fails if the database already holds a chain.
    pub fn init(&self, genesis: &GenesisState) -> Result<(), StorageError> {
        if let Some(head) = self.head()? {
            return Err(StorageError::AlreadyInitialized { height: head.height });
        }
        let txn = self.begin_write()?;
        write_state(&txn, &genesis.commit, false)?;
        past::start(&txn, genesis.header.height.get(), &genesis.commit.trie.top())?;
        {
            let mut meta = txn.open_table(META).map_err(StorageError::db)?;
            let header = genesis.header.to_bytes();
            meta.insert(META_HEAD, header.as_slice()).map_err(StorageError::db)?;
            meta.insert(META_GENESIS, header.as_slice()).map_err(StorageError::db)?;
        }
        txn.commit().map_err(StorageError::db)
    }

    /// Commits one executed block — state, block, receipts and indexes — atomically and durably.
    /// The block must extend the stored head and its commit must have been prepared on the stored
    /// state; otherwise nothing is written.
    pub fn commit_block(&self, executed: &ExecutedBlock) -> Result<(), StorageError> {
        self.commit_block_with_series(executed, None)
    }

    /// [`Storage::commit_block`], recording `series` (the figures after the block, which must
    /// follow the series head) in the same write.
    pub fn commit_block_with_series(
        &self,
        executed: &ExecutedBlock,
        series: Option<&Sample>,
    ) -> Result<(), StorageError> {
        let header = &executed.block.header;
        let head = self.head()?.ok_or(StorageError::Uninitialized)?;
        if head.height.next() != Some(header.height) || head.hash() != header.parent_hash {
            return Err(StorageError::NotNext {
                height: header.height,
                parent: header.parent_hash,
                head_height: head.height,
                head_hash: head.hash(),
            });
        }
        let txn = self.begin_write()?;
        if read_trie_top(&txn.open_table(META).map_err(StorageError::db)?)?.hash() != head.state_root {
            return Err(StorageError::StaleCommit);
        }
        let keep = self.state_history_blocks();
        let overwritten = write_state(&txn, &executed.commit, keep > 0)?;
        past::record(&txn, header.height.get(), &executed.commit.trie.top(), overwritten, keep)?;
        write_block(&txn, executed)?;
        if let Some(sample) = series {
            series::write_series(&txn, sample)?;
        }
        txn.open_table(META)
            .map_err(StorageError::db)?
            .insert(META_HEAD, header.to_bytes().as_slice())
            .map_err(StorageError::db)?;
        txn.commit().map_err(StorageError::db)
    }

    /// The block at `height`.
    pub fn block(&self, height: Height) -> Result<Option<Block>, StorageError> {
        self.by_height(BLOCKS, height, "block")
    }

    /// The receipts of the block at `height`.
    pub fn receipts(&self, height: Height) -> Result<Option<BlockReceipts>, StorageError> {
        self.by_height(RECEIPTS, height, "receipts")
    }

    fn by_height<T: Decode>(
        &self,
        table: TableDefinition<u64, &[u8]>,
        height: Height,
        what: &'static str,
    ) -> Result<Option<T>, StorageError> {
        let txn = self.begin_read()?;
        let table = txn.open_table(table).map_err(StorageError::db)?;
        let Some(bytes) = table.get(height.get()).map_err(StorageError::db)? else { return Ok(None) };
        T::from_bytes(bytes.value()).map(Some).map_err(|e| StorageError::corrupt(what, e))
    }

    /// Where the transaction `hash` was included, if it was.
    pub fn tx_location(&self, hash: &Hash) -> Result<Option<TxLocation>, StorageError> {
        let txn = self.begin_read()?;
        let table = txn.open_table(TX_INDEX).map_err(StorageError::db)?;
        let found = table.get(hash.as_bytes().as_slice()).map_err(StorageError::db)?;
        Ok(found.map(|entry| {
            let (height, index) = entry.value();
            TxLocation { height: Height(height), index }
        }))
    }

    /// The transaction `hash` with its receipt, if it was included.
    pub fn tx(
        &self,
        hash: &Hash,
    ) -> Result<Option<(TxLocation, atelier_protocol::SignedTx, Receipt)>, StorageError> {
        let Some(location) = self.tx_location(hash)? else { return Ok(None) };
        let missing = |what| StorageError::Corrupt { what, reason: format!("indexed tx {hash} is missing") };
        let block = self.block(location.height)?.ok_or(missing("block"))?;
        let receipts = self.receipts(location.height)?.ok_or(missing("receipts"))?;
        let position = location.index as usize;
        let tx = block.txs.get(position).cloned().ok_or(missing("block"))?;
        let receipt = receipts.receipts.get(position).cloned().ok_or(missing("receipts"))?;
        Ok(Some((location, tx, receipt)))
    }

    /// Up to `limit` events from height `from` onward, in order.
    pub fn events(&self, from: Height, limit: usize) -> Result<Vec<IndexedEvent>, StorageError> {
        Ok(self.events_from(from, 0, limit)?.into_iter().map(|(_, event)| event).collect())
    }

    /// Up to `limit` events from the `sequence`-th event of height `from` onward, in order, each
    /// with its sequence in its block: a page that ended inside a block continues there.
    pub fn events_from(
        &self,
        from: Height,
        sequence: u32,
        limit: usize,
    ) -> Result<Vec<(u32, IndexedEvent)>, StorageError> {
        let txn = self.begin_read()?;
        let table = txn.open_table(EVENTS).map_err(StorageError::db)?;
        let mut out = Vec::new();
        for entry in table.range((from.get(), sequence)..).map_err(StorageError::db)?.take(limit) {
            let (key, bytes) = entry.map_err(StorageError::db)?;
            let event =
                IndexedEvent::from_bytes(bytes.value()).map_err(|e| StorageError::corrupt("event", e))?;
            out.push((key.value().1, event));
        }
        Ok(out)
    }
}

/// A validator's proven equivocation, as the consensus engine reported it: kept for the staking
/// module to slash. Recording the same proof twice keeps one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equivocation {
    /// What the validator did, e.g. `conflicting_notarize`.
    pub kind: String,
    /// The validator's consensus key.
    pub validator: [u8; 32],
    /// The epoch it happened in.
    pub epoch: u64,
    /// The consensus view it happened in (views count from each epoch's start).
    pub view: u64,
    /// The proof, in the consensus engine's encoding (both signed votes).
    pub proof: Vec<u8>,
}

impl Storage {
    /// Durably records `equivocation`.
    pub fn record_equivocation(&self, equivocation: &Equivocation) -> Result<(), StorageError> {
        let txn = self.begin_write()?;
        txn.open_table(EQUIVOCATIONS)
            .map_err(StorageError::db)?
            .insert(
                (
                    equivocation.epoch,
                    equivocation.view,
                    equivocation.validator.as_slice(),
                    equivocation.kind.as_str(),
                ),
                equivocation.proof.as_slice(),
            )
            .map_err(StorageError::db)?;
        txn.commit().map_err(StorageError::db)
    }

    /// Up to `limit` recorded equivocations from `(epoch, view)` `from` onward, in that order.
    pub fn equivocations(&self, from: (u64, u64), limit: usize) -> Result<Vec<Equivocation>, StorageError> {
        let txn = self.begin_read()?;
        let table = txn.open_table(EQUIVOCATIONS).map_err(StorageError::db)?;
        let start: (u64, u64, &[u8], &str) = (from.0, from.1, &[], "");
        let mut out = Vec::new();
        for entry in table.range(start..).map_err(StorageError::db)?.take(limit) {
            let (key, proof) = entry.map_err(StorageError::db)?;
            let (epoch, view, validator, kind) = key.value();
            let validator = validator
                .try_into()
                .map_err(|_| StorageError::corrupt("equivocation", "validator key is not 32 bytes"))?;
            out.push(Equivocation {
                kind: kind.to_string(),
                validator,
                epoch,
                view,
                proof: proof.value().to_vec(),
            });
        }
        Ok(out)
    }
}

fn read_trie_top(meta: &impl ReadableTable<&'static str, &'static [u8]>) -> Result<Child, StorageError> {
    match meta.get(META_TRIE_TOP).map_err(StorageError::db)? {
        None => Ok(Child::Empty),
        Some(bytes) => match Child::decode_from(bytes.value()) {
            Some((top, [])) => Ok(top),
            _ => Err(StorageError::corrupt("state trie top", "not a trie node")),
        },
    }
}

/// Writes a commit's state changes and trie; with `remember`, gathers what they overwrote.
fn write_state(
    txn: &redb::WriteTransaction,
    commit: &PreparedCommit,
    remember: bool,
) -> Result<past::Overwritten, StorageError> {
    let mut overwritten = past::Overwritten::default();
    let mut state = txn.open_table(STATE).map_err(StorageError::db)?;
    // In key order: redb's B-tree takes sorted inserts best.
    for (key, value) in commit.changes.sorted() {
        let before = match value {
            Some(value) => state.insert(key.as_slice(), value.as_slice()),
            None => state.remove(key.as_slice()),
        }
        .map_err(StorageError::db)?;
        if remember {
            overwritten.value(key, before.as_ref().map(|before| before.value()));
        }
    }
    drop(state);
    write_trie(txn, &commit.trie, remember.then_some(&mut overwritten))?;
    Ok(overwritten)
}

/// Writes the trie's changed branches and its top; gathers what they overwrote into
/// `overwritten`, if given.
fn write_trie(
    txn: &redb::WriteTransaction,
    trie: &TrieChanges,
    mut overwritten: Option<&mut past::Overwritten>,
) -> Result<(), StorageError> {
    let mut top = Vec::new();
    trie.top().encode_to(&mut top);
    let mut branches: Vec<(Vec<u8>, &Option<Branch>)> =
        trie.branches().map(|(path, branch)| (path.encode(), branch)).collect();
    // Stable: where a path is written twice, the later write stays last and holds.
    branches.sort_by(|a, b| a.0.cmp(&b.0));
    let mut table = txn.open_table(TRIE).map_err(StorageError::db)?;
    for (path, branch) in branches {
        let before = match branch {
            Some(branch) => table.insert(path.as_slice(), branch.encode().as_slice()),
            None => table.remove(path.as_slice()),
        }
        .map_err(StorageError::db)?;
        if let Some(overwritten) = overwritten.as_deref_mut() {
            overwritten.branch(&path, before.as_ref().map(|before| before.value()));
        }
    }
    txn.open_table(META)
        .map_err(StorageError::db)?
        .insert(META_TRIE_TOP, top.as_slice())
        .map_err(StorageError::db)?;
    Ok(())
}

fn write_block(txn: &redb::WriteTransaction, executed: &ExecutedBlock) -> Result<(), StorageError> {
    let height = executed.block.header.height.get();
    txn.open_table(BLOCKS)
        .map_err(StorageError::db)?
        .insert(height, executed.block.to_bytes().as_slice())
        .map_err(StorageError::db)?;
    let receipts = BlockReceipts {
        receipts: executed.receipts.clone(),
        end_block_events: executed.end_block_events.clone(),
    };
    txn.open_table(RECEIPTS)
        .map_err(StorageError::db)?
        .insert(height, receipts.to_bytes().as_slice())
        .map_err(StorageError::db)?;
    let mut index = txn.open_table(TX_INDEX).map_err(StorageError::db)?;
    for (position, tx) in executed.block.txs.iter().enumerate() {
        // A block holds at most MAX_TXS_PER_BLOCK transactions, far below u32::MAX.
        let position = position as u32;
        index.insert(tx.hash().as_bytes().as_slice(), (height, position)).map_err(StorageError::db)?;
    }
    let mut events = txn.open_table(EVENTS).map_err(StorageError::db)?;
    for (sequence, event) in receipts.indexed(executed.block.header.height).enumerate() {
        events.insert((height, sequence as u32), event.to_bytes().as_slice()).map_err(StorageError::db)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use atelier_primitives::Amount;
    use atelier_testkit::GenesisBuilder;

    fn initialized(dir: &Path) -> Storage {
        let storage = Storage::open(&dir.join("chain.redb")).unwrap();
        let genesis = GenesisBuilder::new().fund_dev_accounts(3, Amount::new(1_000)).build();
        let state = atelier_protocol::init_chain(&storage.snapshot().unwrap(), genesis).unwrap();
        storage.init(&state).unwrap();
        storage
    }

    #[test]
    fn a_tampered_state_entry_fails_the_audit_and_a_tampered_trie_top_fails_the_open() {
        let dir = tempfile::tempdir().unwrap();
        let storage = initialized(dir.path());
        storage.audit_state().unwrap();
        let txn = storage.begin_write().unwrap();
        txn.open_table(STATE).unwrap().insert(b"bank/balance/forged".as_slice(), [1u8].as_slice()).unwrap();
        txn.commit().unwrap();
        assert!(matches!(storage.audit_state(), Err(StorageError::RootMismatch { .. })));

        let txn = storage.begin_write().unwrap();
        let mut forged = Vec::new();
        Child::Leaf(atelier_state::trie::Leaf::of(b"x", b"y")).encode_to(&mut forged);
        txn.open_table(META).unwrap().insert(META_TRIE_TOP, forged.as_slice()).unwrap();
        txn.commit().unwrap();
        drop(storage);
        assert!(matches!(
            Storage::open(&dir.path().join("chain.redb")),
            Err(StorageError::RootMismatch { .. })
        ));
    }
}
