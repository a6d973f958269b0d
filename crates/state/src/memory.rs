//! [`MemoryStore`]: the in-memory backend, for tests, the simulator and benchmarks.

use std::collections::BTreeMap;

use atelier_primitives::Hash;

use crate::{ChangeSet, Key, LtHash, PreparedCommit, StateError, StateRead, Store, Value, prepare_commit};

/// State held in a `BTreeMap`, with its commitment kept up to date on every commit.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    entries: BTreeMap<Key, Value>,
    commitment: LtHash,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// Applies a prepared commit. The commit must have been prepared against this store's current
    /// state (the protocol's block flow guarantees it).
    pub fn commit(&mut self, prepared: PreparedCommit) {
        for (key, write) in prepared.changes.into_writes() {
            match write {
                Some(value) => self.entries.insert(key, value),
                None => self.entries.remove(&key),
            };
        }
        self.commitment = prepared.commitment;
    }

    /// Prepares and applies `changes`, returning the new root.
    pub fn apply(&mut self, changes: ChangeSet) -> Result<Hash, StateError> {
        let prepared = prepare_commit(self, changes)?;
        let root = prepared.root;
        self.commit(prepared);
        Ok(root)
    }

    /// The current state root.
    pub fn root(&self) -> Hash {
        self.commitment.root()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The commitment recomputed from every entry: the reference the incremental one must match.
    pub fn recompute_commitment(&self) -> LtHash {
        let mut commitment = LtHash::empty();
        for (key, value) in &self.entries {
            commitment.insert(key, value);
        }
        commitment
    }
}

impl StateRead for MemoryStore {
    fn get(&self, key: &[u8]) -> Result<Option<Value>, StateError> {
        Ok(self.entries.get(key).cloned())
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<(Key, Value)>, StateError> {
        Ok(self
            .entries
            .range::<[u8], _>((std::ops::Bound::Included(prefix), std::ops::Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }
}

impl Store for MemoryStore {
    fn commitment(&self) -> Result<LtHash, StateError> {
        Ok(self.commitment.clone())
    }
}
