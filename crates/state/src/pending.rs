//! [`Pending`]: a store as it stands after blocks that are executed but not yet committed.

use crate::{ChangeSet, Key, LtHash, Overlay, StateError, StateRead, Store, Value};

/// The state after one or more executed blocks that are not committed yet: their changes, merged
/// in order, over the committed `base`, with the commitment the last of them reached. A BFT
/// validator builds and verifies blocks on such a state while their parents await finality; it
/// is never written anywhere.
#[derive(Debug)]
pub struct Pending<'a, S: StateRead + ?Sized> {
    state: Overlay<'a, S>,
    commitment: LtHash,
}

impl<'a, S: StateRead + ?Sized> Pending<'a, S> {
    /// `base` with `changes` applied, committed to by `commitment`. The caller guarantees that
    /// `commitment` is the commitment of exactly that state (it comes from executing the blocks).
    pub fn new(base: &'a S, changes: ChangeSet, commitment: LtHash) -> Self {
        Pending { state: Overlay::with_changes(base, changes), commitment }
    }
}

impl<S: StateRead + ?Sized> StateRead for Pending<'_, S> {
    fn get(&self, key: &[u8]) -> Result<Option<Value>, StateError> {
        self.state.get(key)
    }

    fn scan_from(&self, prefix: &[u8], from: &[u8], limit: usize) -> Result<Vec<(Key, Value)>, StateError> {
        self.state.scan_from(prefix, from, limit)
    }
}

impl<S: StateRead + ?Sized> Store for Pending<'_, S> {
    fn commitment(&self) -> Result<LtHash, StateError> {
        Ok(self.commitment.clone())
    }
}
