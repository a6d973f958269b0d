//! [`MemoryStore`]: the in-memory backend, for tests, the simulator and benchmarks.

use std::{collections::BTreeSet, sync::Arc};

use atelier_primitives::Hash;

use crate::{
    ChangeSet, HashIndex, Key, PreparedCommit, StateError, StateRead, Value, prepare_commit,
    trie::{self, Branch, Child, NodePath, TrieRead},
};

/// State held in memory, with its trie kept up to date on every commit.
///
/// Point reads go through a hashed index (a block reads every key it touches); prefix scans walk
/// an ordered set of the keys, which changes only when a key appears or disappears. Each key is
/// held once, shared by the two, and each value in a slice of exactly its length: a long
/// simulation's state is mostly many small entries.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    entries: HashIndex<Arc<[u8]>, Box<[u8]>>,
    keys: BTreeSet<Arc<[u8]>>,
    branches: HashIndex<NodePath, Branch>,
    top: Child,
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
        self.top = prepared.trie.top();
        for (path, branch) in prepared.trie.into_branches() {
            match branch {
                Some(branch) => self.branches.insert(path, branch),
                None => self.branches.remove(&path),
            };
        }
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
        self.top.hash()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of stored trie branches.
    pub fn branch_count(&self) -> usize {
        self.branches.len()
    }

    /// The root rebuilt from every entry: the reference the incremental one must match.
    pub fn recompute_root(&self) -> Hash {
        // Unordered: the trie is a function of the entries alone.
        trie::build(self.entries.iter().map(|(key, value)| (&key[..], &value[..]))).root()
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

impl TrieRead for MemoryStore {
    fn trie_top(&self) -> Result<Child, StateError> {
        Ok(self.top)
    }

    fn branch(&self, path: &NodePath) -> Result<Option<Branch>, StateError> {
        Ok(self.branches.get(path).copied())
    }
}
