//! [`Pending`]: a store as it stands after blocks that are executed but not yet committed.

use crate::{
    ChangeSet, HashIndex, Key, Overlay, PreparedCommit, StateError, StateRead, Store, Value,
    trie::{Branch, Child, NodePath, TrieRead},
};

/// The state after one or more executed blocks that are not committed yet: their changes and
/// their trie branches, merged in order, over the committed `base`. A BFT validator builds and
/// verifies blocks on such a state while their parents await finality; it is never written
/// anywhere.
#[derive(Debug)]
pub struct Pending<'a, S: Store + ?Sized> {
    base: &'a S,
    state: Overlay<'a, S>,
    /// The top and the branches the commits left, if any commit.
    trie: Option<(Child, HashIndex<NodePath, Option<Branch>>)>,
}

impl<'a, S: Store + ?Sized> Pending<'a, S> {
    /// `base` after `commits`, oldest first, each prepared on the state the ones before it left.
    pub fn after<'c>(base: &'a S, commits: impl IntoIterator<Item = &'c PreparedCommit>) -> Self {
        let mut changes = ChangeSet::new();
        let mut trie: Option<(Child, HashIndex<NodePath, Option<Branch>>)> = None;
        for commit in commits {
            changes.extend(commit.changes.clone());
            let (top, branches) = trie.get_or_insert_with(Default::default);
            *top = commit.trie.top();
            // In order: a later write to a path replaces an earlier one.
            branches.extend(commit.trie.branches().copied());
        }
        Pending { base, state: Overlay::with_changes(base, changes), trie }
    }
}

impl<S: Store + ?Sized> StateRead for Pending<'_, S> {
    fn get(&self, key: &[u8]) -> Result<Option<Value>, StateError> {
        self.state.get(key)
    }

    fn scan_from(&self, prefix: &[u8], from: &[u8], limit: usize) -> Result<Vec<(Key, Value)>, StateError> {
        self.state.scan_from(prefix, from, limit)
    }
}

impl<S: Store + ?Sized> TrieRead for Pending<'_, S> {
    fn trie_top(&self) -> Result<Child, StateError> {
        match &self.trie {
            Some((top, _)) => Ok(*top),
            None => self.base.trie_top(),
        }
    }

    fn branch(&self, path: &NodePath) -> Result<Option<Branch>, StateError> {
        match self.trie.as_ref().and_then(|(_, branches)| branches.get(path)) {
            Some(changed) => Ok(*changed),
            None => self.base.branch(path),
        }
    }
}
