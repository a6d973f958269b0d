//! [`Overlay`]: writes buffered over a read-only base, kept or dropped as a whole.

use crate::{ChangeSet, Key, StateError, StateRead, StateWrite, Value};

/// Buffers writes on top of `base`. Reads see the buffered writes first. Dropping the overlay
/// discards them; [`Overlay::into_changes`] hands them over to be applied to the parent. Overlays
/// nest: a transaction's overlay sits on the block's overlay, which sits on the store.
#[derive(Debug)]
pub struct Overlay<'a, S: StateRead + ?Sized> {
    base: &'a S,
    writes: ChangeSet,
}

impl<'a, S: StateRead + ?Sized> Overlay<'a, S> {
    /// An empty overlay on `base`.
    pub fn new(base: &'a S) -> Self {
        Overlay { base, writes: ChangeSet::new() }
    }

    /// An overlay on `base` that starts with `writes` already buffered.
    pub fn with_changes(base: &'a S, writes: ChangeSet) -> Self {
        Overlay { base, writes }
    }

    /// The buffered writes, ending the overlay.
    pub fn into_changes(self) -> ChangeSet {
        self.writes
    }

    /// The buffered writes.
    pub fn changes(&self) -> &ChangeSet {
        &self.writes
    }

    /// Buffers `later` on top of the current writes (a child overlay's changes, kept).
    pub fn apply(&mut self, later: ChangeSet) {
        self.writes.extend(later);
    }
}

impl<S: StateRead + ?Sized> StateRead for Overlay<'_, S> {
    fn get(&self, key: &[u8]) -> Result<Option<Value>, StateError> {
        match self.writes.get(key) {
            Some(write) => Ok(write.cloned()),
            None => self.base.get(key),
        }
    }

    /// Reads `limit` plus the number of buffered deletions in the range from the base: at most
    /// that many base entries are hidden, so the first `limit` of the merged view are among them.
    fn scan_from(&self, prefix: &[u8], from: &[u8], limit: usize) -> Result<Vec<(Key, Value)>, StateError> {
        let writes: Vec<(&Key, Option<&Value>)> =
            self.writes.with_prefix(prefix).filter(|(key, _)| key.as_slice() >= from).collect();
        let deletions = writes.iter().filter(|(_, write)| write.is_none()).count();
        let mut merged: std::collections::BTreeMap<Key, Value> =
            self.base.scan_from(prefix, from, limit.saturating_add(deletions))?.into_iter().collect();
        for (key, write) in writes {
            match write {
                Some(value) => merged.insert(key.clone(), value.clone()),
                None => merged.remove(key),
            };
        }
        Ok(merged.into_iter().take(limit).collect())
    }
}

impl<S: StateRead + ?Sized> StateWrite for Overlay<'_, S> {
    fn put(&mut self, key: Key, value: Value) {
        self.writes.put(key, value);
    }

    fn delete(&mut self, key: Key) {
        self.writes.delete(key);
    }
}
