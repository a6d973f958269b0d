//! A chain's whole state at one head, taken out of storage and put back: what a dev chain's
//! snapshot, revert, dump and load are made of. O(state) each way: for dev chains, not for
//! chains that carry value.

use atelier_primitives::{Decode, Encode};
use atelier_protocol::{Block, Header};
use redb::{ReadableTable, ReadableTableMetadata};

use crate::{
    BLOCKS, EVENTS, META, META_GENESIS, META_HEAD, RECEIPTS, STATE, Storage, StorageError, TRIE, TX_INDEX,
    write_trie,
};

/// Every state entry at a head, with that head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateImage {
    /// The head the state is at.
    pub head: Header,
    /// Every entry, in key order.
    pub entries: Vec<(Vec<u8>, Vec<u8>)>,
}

impl StateImage {
    /// The root of the entries' trie (the head's state root when the image is whole).
    pub fn root(&self) -> atelier_primitives::Hash {
        self.trie().root()
    }

    fn trie(&self) -> atelier_state::TrieChanges {
        atelier_state::trie::build(self.entries.iter().map(|(key, value)| (&key[..], &value[..])))
    }

    /// The entries' trie, if the image is of the chain `chain` names and its entries hash to its
    /// head's state root.
    fn checked_trie(&self, chain: &Header) -> Result<atelier_state::TrieChanges, StorageError> {
        if self.head.chain_id != chain.chain_id {
            return Err(StorageError::OtherChain {
                image: self.head.chain_id.to_string(),
                chain: chain.chain_id.to_string(),
            });
        }
        let trie = self.trie();
        if trie.root() != self.head.state_root {
            return Err(StorageError::RootMismatch {
                height: self.head.height,
                stored: trie.root(),
                expected: self.head.state_root,
            });
        }
        Ok(trie)
    }
}

impl Storage {
    /// The state and the head as they are now.
    pub fn image(&self) -> Result<StateImage, StorageError> {
        let txn = self.begin_read()?;
        let meta = txn.open_table(META).map_err(StorageError::db)?;
        let head = meta.get(META_HEAD).map_err(StorageError::db)?.ok_or(StorageError::Uninitialized)?;
        let head = Header::from_bytes(head.value()).map_err(|e| StorageError::corrupt("head", e))?;
        let table = txn.open_table(STATE).map_err(StorageError::db)?;
        let mut entries = Vec::with_capacity(table.len().map_err(StorageError::db)? as usize);
        for entry in table.iter().map_err(StorageError::db)? {
            let (key, value) = entry.map_err(StorageError::db)?;
            entries.push((key.value().to_vec(), value.value().to_vec()));
        }
        Ok(StateImage { head, entries })
    }

    /// Puts `image` back: its entries become the state and its header the head, so the chain
    /// continues from there. Blocks above its height are deleted with their receipts, events and
    /// transaction index; if the block stored at its height is not its head (an image of another
    /// history), every block is. Refused, with nothing written, when the entries do not hash to
    /// the head's state root or the image is of another chain.
    pub fn restore(&self, image: &StateImage) -> Result<(), StorageError> {
        let current = self.head()?.ok_or(StorageError::Uninitialized)?;
        let trie = image.checked_trie(&current)?;
        let ours = self.block(image.head.height)?.is_some_and(|block| block.header == image.head)
            || self.genesis_header()?.is_some_and(|genesis| genesis == image.head);
        let keep = if ours { image.head.height.get() } else { 0 };
        let txn = self.begin_write()?;
        {
            let mut state = txn.open_table(STATE).map_err(StorageError::db)?;
            state.retain(|_, _| false).map_err(StorageError::db)?;
            for (key, value) in &image.entries {
                state.insert(key.as_slice(), value.as_slice()).map_err(StorageError::db)?;
            }
            txn.open_table(TRIE).map_err(StorageError::db)?.retain(|_, _| false).map_err(StorageError::db)?;
            write_trie(&txn, &trie, None)?;
            crate::past::start(&txn, image.head.height.get(), &trie.top())?;
            let mut meta = txn.open_table(META).map_err(StorageError::db)?;
            meta.insert(META_HEAD, image.head.to_bytes().as_slice()).map_err(StorageError::db)?;
            let above = keep.saturating_add(1);
            txn.open_table(BLOCKS)
                .map_err(StorageError::db)?
                .retain(|height, _| height < above)
                .map_err(StorageError::db)?;
            txn.open_table(RECEIPTS)
                .map_err(StorageError::db)?
                .retain(|height, _| height < above)
                .map_err(StorageError::db)?;
            txn.open_table(EVENTS)
                .map_err(StorageError::db)?
                .retain(|(height, _), _| height < above)
                .map_err(StorageError::db)?;
            txn.open_table(TX_INDEX)
                .map_err(StorageError::db)?
                .retain(|_, (height, _)| height < above)
                .map_err(StorageError::db)?;
        }
        crate::history::forget(&txn)?;
        txn.commit().map_err(StorageError::db)
    }
}

impl Storage {
    /// Starts an empty database from a state synced from a peer: `image` (the state at its head,
    /// a block final on the chain whose genesis is `genesis`) becomes the state and the head, and
    /// `blocks` (the head's block and the last block of the epoch before it, which consensus
    /// starts from) are stored, no earlier block is, and so is `certificate`, the head's
    /// finalization certificate, which consensus starts from (opaque here). The history index
    /// starts at the head.
    /// Refused, with nothing written, when the database holds a chain, the entries do not hash to
    /// the head's state root, or a block is not of this chain at or below the head.
    pub fn init_synced(
        &self,
        genesis: &Header,
        image: &StateImage,
        blocks: &[Block],
        certificate: &[u8],
    ) -> Result<(), StorageError> {
        if let Some(head) = self.head()? {
            return Err(StorageError::AlreadyInitialized { height: head.height });
        }
        let trie = image.checked_trie(genesis)?;
        if let Some(block) = blocks.iter().find(|block| {
            block.header.chain_id != genesis.chain_id || block.header.height > image.head.height
        }) {
            return Err(StorageError::OtherChain {
                image: format!("block {} of {}", block.header.height, block.header.chain_id),
                chain: format!("{} up to {}", genesis.chain_id, image.head.height),
            });
        }
        let txn = self.begin_write()?;
        {
            let mut state = txn.open_table(STATE).map_err(StorageError::db)?;
            for (key, value) in &image.entries {
                state.insert(key.as_slice(), value.as_slice()).map_err(StorageError::db)?;
            }
            write_trie(&txn, &trie, None)?;
            crate::past::start(&txn, image.head.height.get(), &trie.top())?;
            let mut stored = txn.open_table(BLOCKS).map_err(StorageError::db)?;
            for block in blocks {
                stored
                    .insert(block.header.height.get(), block.to_bytes().as_slice())
                    .map_err(StorageError::db)?;
            }
            let mut meta = txn.open_table(META).map_err(StorageError::db)?;
            meta.insert(META_HEAD, image.head.to_bytes().as_slice()).map_err(StorageError::db)?;
            meta.insert(META_GENESIS, genesis.to_bytes().as_slice()).map_err(StorageError::db)?;
            meta.insert(META_SYNCED_CERTIFICATE, certificate).map_err(StorageError::db)?;
        }
        crate::history::start_at(&txn, image.head.height)?;
        txn.commit().map_err(StorageError::db)
    }

    /// The finalization certificate of the head a synced database started from, if it was synced.
    pub fn synced_certificate(&self) -> Result<Option<Vec<u8>>, StorageError> {
        let txn = self.begin_read()?;
        let meta = txn.open_table(META).map_err(StorageError::db)?;
        Ok(meta.get(META_SYNCED_CERTIFICATE).map_err(StorageError::db)?.map(|bytes| bytes.value().to_vec()))
    }
}

/// Where a synced database keeps the certificate of the head it started from.
const META_SYNCED_CERTIFICATE: &str = "synced_certificate";
