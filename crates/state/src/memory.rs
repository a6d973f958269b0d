//! [`MemoryStore`]: the in-memory backend, for tests, the simulator and benchmarks.

use std::{collections::BTreeSet, sync::Arc};

use atelier_primitives::Hash;

use crate::{
    ChangeSet, HashIndex, Key, LtHash, PreparedCommit, StateError, StateRead, Store, Value, prepare_commit,
};

/// State held in memory, with its commitment kept up to date on every commit.
///
/// Point reads go through a hashed index (a block reads every key it touches); prefix scans walk
/// an ordered set of the keys, which changes only when a key appears or disappears. Each key is
/// held once, shared by the two, and each value in a slice of exactly its length: a long
/// simulation's state is mostly many small entries.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    entries: HashIndex<Arc<[u8]>, Box<[u8]>>,
    keys: BTreeSet<Arc<[u8]>>,
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
        // Unordered: each write touches its own key.
        for (key, write) in prepared.changes.into_writes_unordered() {
            match write {
                Some(value) => {
                    // A fresh allocation of exactly its length: shrinking the write's buffer in
                    // place would leave its spare tail between long-lived values.
                    let value = Box::<[u8]>::from(value.as_slice());
                    if let Some(held) = self.entries.get_mut(key.as_slice()) {
                        *held = value;
                    } else {
                        let key: Arc<[u8]> = key.into();
                        self.keys.insert(key.clone());
                        self.entries.insert(key, value);
                    }
                }
                None => {
                    if self.entries.remove(key.as_slice()).is_some() {
                        self.keys.remove(key.as_slice());
                    }
                }
            }
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
        // Unordered: the commitment is a sum.
        for (key, value) in &self.entries {
            commitment.insert(key, value);
        }
        commitment
    }
}

impl StateRead for MemoryStore {
    fn get(&self, key: &[u8]) -> Result<Option<Value>, StateError> {
        Ok(self.entries.get(key).map(|v| v.to_vec()))
    }

    fn scan_from(&self, prefix: &[u8], from: &[u8], limit: usize) -> Result<Vec<(Key, Value)>, StateError> {
        let start = from.max(prefix);
        Ok(self
            .keys
            .range::<[u8], _>((std::ops::Bound::Included(start), std::ops::Bound::Unbounded))
            .take_while(|k| k.starts_with(prefix))
            .take(limit)
            .filter_map(|k| self.entries.get(k).map(|v| (k.to_vec(), v.to_vec())))
            .collect())
    }
}

impl Store for MemoryStore {
    fn commitment(&self) -> Result<LtHash, StateError> {
        Ok(self.commitment.clone())
    }
}
