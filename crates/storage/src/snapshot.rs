//! [`Snapshot`]: a consistent read-only view of the stored state.

use atelier_primitives::{Decode, Hash};
use atelier_protocol::Header;
use atelier_state::{
    Key, StateError, StateRead, TrieRead, Value,
    trie::{Branch, Child, NodePath},
};
use redb::{ReadOnlyTable, ReadTransaction};

use crate::{META, META_HEAD, STATE, StorageError, TRIE, read_trie_top};

/// The state as of one committed block, unaffected by later commits. Blocks are executed on a
/// snapshot; the resulting commit is then written with [`crate::Storage::commit_block`].
pub struct Snapshot {
    state: ReadOnlyTable<&'static [u8], &'static [u8]>,
    trie: ReadOnlyTable<&'static [u8], &'static [u8]>,
    top: Child,
    head: Option<Header>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Snapshot(root {})", self.root())
    }
}

impl Snapshot {
    pub(crate) fn new(txn: &ReadTransaction) -> Result<Snapshot, StorageError> {
        let meta = txn.open_table(META).map_err(StorageError::db)?;
        let top = read_trie_top(&meta)?;
        let head = match meta.get(META_HEAD).map_err(StorageError::db)? {
            Some(bytes) => {
                Some(Header::from_bytes(bytes.value()).map_err(|e| StorageError::corrupt("head", e))?)
            }
            None => None,
        };
        let state = txn.open_table(STATE).map_err(StorageError::db)?;
        let trie = txn.open_table(TRIE).map_err(StorageError::db)?;
        Ok(Snapshot { state, trie, top, head })
    }

    /// The head the state is at (none before the chain is initialized).
    pub fn head(&self) -> Option<&Header> {
        self.head.as_ref()
    }

    /// The root of the stored state.
    pub fn root(&self) -> Hash {
        self.top.hash()
    }
}

fn backend(error: impl std::fmt::Display) -> StateError {
    StateError::Backend(error.to_string())
}

impl StateRead for Snapshot {
    fn get(&self, key: &[u8]) -> Result<Option<Value>, StateError> {
        Ok(self.state.get(key).map_err(backend)?.map(|value| value.value().to_vec()))
    }

    fn scan_from(&self, prefix: &[u8], from: &[u8], limit: usize) -> Result<Vec<(Key, Value)>, StateError> {
        let mut out = Vec::new();
        for entry in self.state.range(from.max(prefix)..).map_err(backend)? {
            let (key, value) = entry.map_err(backend)?;
            if out.len() >= limit || !key.value().starts_with(prefix) {
                break;
            }
            out.push((key.value().to_vec(), value.value().to_vec()));
        }
        Ok(out)
    }
}

impl TrieRead for Snapshot {
    fn trie_top(&self) -> Result<Child, StateError> {
        Ok(self.top)
    }

    fn branch(&self, path: &NodePath) -> Result<Option<Branch>, StateError> {
        let Some(bytes) = self.trie.get(path.encode().as_slice()).map_err(backend)? else { return Ok(None) };
        Branch::decode(bytes.value())
            .map(Some)
            .ok_or_else(|| StateError::corrupt(&path.encode(), "not a state trie branch"))
    }
}
