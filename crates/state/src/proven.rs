//! Answers that can be proven: a node runs a query over a [`Recorder`], which notes every key the
//! query reads, and proves those keys; a client runs the same query over [`ProvenState`], which
//! holds only the entries whose proofs it checked, and gets the same answer or an error naming
//! the key it lacks. A query that scans a range cannot be proven this way (the trie proves keys,
//! not that a range holds no others), and the recorder says so.

use std::{
    cell::{Cell, RefCell},
    collections::{BTreeMap, BTreeSet},
};

use crate::{Key, StateError, StateRead, Value};

/// A [`StateRead`] that remembers the keys read through it.
pub struct Recorder<'a, S: ?Sized> {
    state: &'a S,
    read: RefCell<BTreeSet<Key>>,
    scanned: Cell<bool>,
}

impl<'a, S: StateRead + ?Sized> Recorder<'a, S> {
    /// Reads `state`, remembering the keys.
    pub fn new(state: &'a S) -> Self {
        Recorder { state, read: RefCell::new(BTreeSet::new()), scanned: Cell::new(false) }
    }

    /// Every key read, in key order; [`Unprovable`] if a range was scanned.
    pub fn keys(self) -> Result<BTreeSet<Key>, Unprovable> {
        if self.scanned.get() { Err(Unprovable) } else { Ok(self.read.into_inner()) }
    }
}

impl<S: StateRead + ?Sized> StateRead for Recorder<'_, S> {
    fn get(&self, key: &[u8]) -> Result<Option<Value>, StateError> {
        self.read.borrow_mut().insert(key.to_vec());
        self.state.get(key)
    }

    fn scan_from(&self, prefix: &[u8], from: &[u8], limit: usize) -> Result<Vec<(Key, Value)>, StateError> {
        self.scanned.set(true);
        self.state.scan_from(prefix, from, limit)
    }
}

/// The answer read a range of keys: the trie proves each key's value or absence, not that a range
/// holds no key besides those shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this answer reads a range of keys, which the state trie cannot prove complete")]
pub struct Unprovable;

/// State known through proven entries alone: each key's value, or its absence. Reading any other
/// key, or scanning, fails with [`StateError::Unproven`].
#[derive(Debug, Clone, Default)]
pub struct ProvenState {
    entries: BTreeMap<Key, Option<Value>>,
}

impl ProvenState {
    /// State made of `entries`, each proven by the caller.
    pub fn new(entries: impl IntoIterator<Item = (Key, Option<Value>)>) -> Self {
        ProvenState { entries: entries.into_iter().collect() }
    }
}

impl StateRead for ProvenState {
    fn get(&self, key: &[u8]) -> Result<Option<Value>, StateError> {
        self.entries.get(key).cloned().ok_or_else(|| StateError::unproven(key))
    }

    fn scan_from(&self, prefix: &[u8], _from: &[u8], _limit: usize) -> Result<Vec<(Key, Value)>, StateError> {
        Err(StateError::unproven(prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChangeSet, MemoryStore};

    fn store() -> MemoryStore {
        let mut store = MemoryStore::new();
        let mut changes = ChangeSet::new();
        changes.put(b"a".to_vec(), b"1".to_vec());
        changes.put(b"b".to_vec(), b"2".to_vec());
        store.apply(changes).unwrap();
        store
    }

    #[test]
    fn a_recorder_returns_what_it_reads_and_remembers_every_key_present_or_not() {
        let store = store();
        let recorder = Recorder::new(&store);
        assert_eq!(recorder.get(b"b").unwrap(), Some(b"2".to_vec()));
        assert_eq!(recorder.get(b"z").unwrap(), None);
        assert_eq!(recorder.keys(), Ok(BTreeSet::from([b"b".to_vec(), b"z".to_vec()])));
    }

    #[test]
    fn a_recorder_that_scanned_cannot_be_proven() {
        let store = store();
        let recorder = Recorder::new(&store);
        assert_eq!(recorder.scan_prefix(b"").unwrap().len(), 2);
        assert_eq!(recorder.keys(), Err(Unprovable));
    }

    #[test]
    fn proven_state_answers_its_entries_and_refuses_every_other_key_and_any_scan() {
        let proven = ProvenState::new([(b"a".to_vec(), Some(b"1".to_vec())), (b"z".to_vec(), None)]);
        assert_eq!(proven.get(b"a").unwrap(), Some(b"1".to_vec()));
        assert_eq!(proven.get(b"z").unwrap(), None);
        assert_eq!(proven.get(b"b"), Err(StateError::unproven(b"b")));
        assert!(proven.scan_prefix(b"").is_err());
    }
}
