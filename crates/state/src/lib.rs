//! The state layer: ordered key-value reads and writes, per-transaction overlays, and the state
//! trie whose root proves any value and any absence.
//!
//! It knows nothing of any module: keys and values are bytes, laid out by the modules that own
//! them. Backends (in memory here, redb in `atelier-storage`) implement [`StateRead`] and
//! [`TrieRead`], which together make a [`Store`]; the protocol writes into an [`Overlay`] and hands
//! the resulting [`ChangeSet`] to [`prepare_commit`], which updates the trie along the changed
//! keys' paths alone and yields the next state root. A [`Recorder`] notes the keys a query reads,
//! so that a node can prove its answer, and [`ProvenState`] re-runs the query over the proven
//! entries alone, so that a client can check it.

// Consensus code never touches floating point: results must be bit-identical everywhere.
#![deny(clippy::float_arithmetic)]

mod memory;
mod overlay;
mod pending;
mod proven;
pub mod trie;

use atelier_primitives::Hash;

pub use memory::MemoryStore;
pub use overlay::Overlay;
pub use pending::Pending;
pub use proven::{ProvenState, Recorder, Unprovable};
pub use trie::{Proof, ProofError, TrieChanges, TrieRead};

/// A state key: bytes whose order is the iteration order.
pub type Key = Vec<u8>;
/// A state value: the canonical encoding of whatever the key's owner stores there.
pub type Value = Vec<u8>;

/// A failure of the storage backend. Fatal: the node stops before committing anything.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    /// The backend could not read or write.
    #[error("storage backend failed: {0}")]
    Backend(String),
    /// A stored value does not decode as its owner's type.
    #[error("stored value under key {key} is corrupt: {reason}")]
    Corrupt {
        /// The key, in hex.
        key: String,
        /// What was wrong with the value.
        reason: String,
    },
    /// The key is not among the entries a proof showed: a client re-running a query over
    /// [`ProvenState`] needs it proven too.
    #[error("key {key} is not among the proven entries")]
    Unproven {
        /// The key, in hex.
        key: String,
    },
}

impl StateError {
    /// A corrupt value under `key`.
    pub fn corrupt(key: &[u8], reason: impl ToString) -> StateError {
        StateError::Corrupt { key: atelier_primitives::hash::hex_encode(key), reason: reason.to_string() }
    }

    /// A read of `key`, which no proof showed.
    pub fn unproven(key: &[u8]) -> StateError {
        StateError::Unproven { key: atelier_primitives::hash::hex_encode(key) }
    }
}

/// Read access to state.
pub trait StateRead {
    /// The value under `key`, if any.
    fn get(&self, key: &[u8]) -> Result<Option<Value>, StateError>;

    /// The first `limit` entries whose key starts with `prefix` and is at least `from`, in key
    /// order. The work is bounded by `limit` (and, over an overlay, by its buffered writes) — not
    /// by how many entries come before `from`: paged queries start at their cursor with it.
    fn scan_from(&self, prefix: &[u8], from: &[u8], limit: usize) -> Result<Vec<(Key, Value)>, StateError>;

    /// The first `limit` entries whose key starts with `prefix`, in key order, bounded like
    /// [`StateRead::scan_from`]: per-block queues read their heads with it.
    fn scan_prefix_limited(&self, prefix: &[u8], limit: usize) -> Result<Vec<(Key, Value)>, StateError> {
        self.scan_from(prefix, prefix, limit)
    }

    /// Every entry whose key starts with `prefix`, in key order. Unbounded: for invariants and
    /// export, never for per-transaction work or a paged query.
    fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<(Key, Value)>, StateError> {
        self.scan_from(prefix, prefix, usize::MAX)
    }
}

/// The first key after `key` in key order: `key ++ [0]`. A page that ended at `key` continues
/// from here.
pub fn key_after(key: &[u8]) -> Key {
    let mut next = Vec::with_capacity(key.len() + 1);
    next.extend_from_slice(key);
    next.push(0);
    next
}

/// Write access to state.
pub trait StateWrite: StateRead {
    /// Sets `key` to `value`.
    fn put(&mut self, key: Key, value: Value);
    /// Removes `key`.
    fn delete(&mut self, key: Key);
}

/// A backend whose state carries its trie: what the protocol executes blocks on. `Sync`: a large
/// block's trie update reads it from every core.
pub trait Store: StateRead + TrieRead + Sync {}

impl<S: StateRead + TrieRead + Sync + ?Sized> Store for S {}

/// The map behind [`ChangeSet`] and [`MemoryStore`]'s index: hashed point lookups, keyed per
/// process so that no one can choose keys that collide. Its iteration order differs between
/// processes, so nothing that reaches a result may depend on it: consumers either sort
/// ([`ChangeSet::sorted`]) or touch each key on its own.
pub(crate) type HashIndex<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Writes not yet committed, by key; `None` deletes. Later writes to a key replace earlier ones.
///
/// Point reads and writes are hashed (the block's hot path reads every touched key through it);
/// iteration is either unordered, for consumers whose result cannot depend on order, or sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet(HashIndex<Key, Option<Value>>);

impl ChangeSet {
    /// An empty change set.
    pub fn new() -> Self {
        ChangeSet::default()
    }

    /// Records a write.
    pub fn put(&mut self, key: Key, value: Value) {
        self.0.insert(key, Some(value));
    }

    /// Records a deletion.
    pub fn delete(&mut self, key: Key) {
        self.0.insert(key, None);
    }

    /// Applies `later` on top of `self`.
    pub fn extend(&mut self, later: ChangeSet) {
        if self.0.is_empty() {
            self.0 = later.0;
        } else {
            self.0.extend(later.0);
        }
    }

    /// The pending write for `key`: `None` if untouched, `Some(None)` if deleted.
    pub fn get(&self, key: &[u8]) -> Option<Option<&Value>> {
        self.0.get(key).map(Option::as_ref)
    }

    /// Writes in key order.
    pub fn sorted(&self) -> Vec<(&Key, Option<&Value>)> {
        let mut writes: Vec<_> = self.iter_unordered().collect();
        writes.sort_unstable_by(|a, b| a.0.cmp(b.0));
        writes
    }

    /// Writes in no particular order: only for consumers whose result cannot depend on it.
    pub fn iter_unordered(&self) -> impl Iterator<Item = (&Key, Option<&Value>)> {
        self.0.iter().map(|(k, v)| (k, v.as_ref()))
    }

    /// Writes whose key starts with `prefix`, in no particular order.
    pub fn with_prefix<'a>(
        &'a self,
        prefix: &'a [u8],
    ) -> impl Iterator<Item = (&'a Key, Option<&'a Value>)> + 'a {
        self.iter_unordered().filter(move |(k, _)| k.starts_with(prefix))
    }

    /// Number of keys written.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Consumes the set, yielding writes in no particular order: only for consumers whose result
    /// cannot depend on it.
    pub fn into_writes_unordered(self) -> impl Iterator<Item = (Key, Option<Value>)> {
        self.0.into_iter()
    }
}

/// A change set checked against the state it applies to, with the trie it leads to.
#[derive(Clone, Debug)]
pub struct PreparedCommit {
    /// The writes that change something (writes of an unchanged value are dropped).
    pub changes: ChangeSet,
    /// The trie's branches after the writes, and its top.
    pub trie: TrieChanges,
    /// The state root after the writes.
    pub root: Hash,
}

/// Computes the trie after `changes` on top of `store`, reading only the changed keys and the
/// branches along their paths: the cost is proportional to what changed (times the logarithm of
/// the state's size), not to the size of the state.
pub fn prepare_commit<S: Store + ?Sized>(
    store: &S,
    changes: ChangeSet,
) -> Result<PreparedCommit, StateError> {
    let mut effective = ChangeSet::new();
    effective.0.reserve(changes.len());
    let mut updates = Vec::with_capacity(changes.len());
    // Unordered: `effective` is a map, and `updates` is sorted below.
    for (key, new) in changes.into_writes_unordered() {
        if store.get(&key)? != new {
            updates.push((trie::key_hash(&key), new.as_deref().map(trie::value_hash)));
            effective.0.insert(key, new);
        }
    }
    updates.sort_unstable_by_key(|update| update.0);
    let trie = trie::update(store, &updates)?;
    let root = trie.root();
    Ok(PreparedCommit { changes: effective, trie, root })
}

/// Updates of fewer changed keys than this stay on the calling thread.
pub(crate) const PARALLEL_THRESHOLD: usize = 2_048;
