//! What a node sends a peer that syncs its state instead of replaying the chain: the state at
//! its head with the genesis header, the blocks consensus starts from and the head's
//! finalization certificate, in one canonical encoding. The receiver checks it as it writes it
//! ([`Storage::init_synced`]): the entries must hash to the head's state root.

use atelier_primitives::{
    Decode, DecodeError, Encode, Reader,
    codec::{encode_bytes, encode_len},
};
use atelier_protocol::{Block, Header};

use crate::{StateImage, Storage, StorageError};

/// Longest state key a snapshot carries (no module lays out keys near this long).
const MAX_KEY_BYTES: usize = 1 << 10;
/// Longest state value a snapshot carries.
const MAX_VALUE_BYTES: usize = 1 << 24;
/// Most entries a snapshot carries.
const MAX_ENTRIES: usize = 1 << 30;
/// Most blocks a snapshot carries (the head's and the one consensus starts its epoch from).
const MAX_BLOCKS: usize = 2;
/// Longest finalization certificate.
const MAX_CERTIFICATE_BYTES: usize = 1 << 20;

/// A node's state at its head, with what a peer needs to follow the chain from there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSnapshot {
    /// The chain's genesis header.
    pub genesis: Header,
    /// The state and the head it is at.
    pub image: StateImage,
    /// The head's block and the last block before the epoch after the head (when not genesis).
    pub blocks: Vec<Block>,
    /// The head's finalization certificate, as the consensus engine encodes it.
    pub certificate: Vec<u8>,
}

impl SyncSnapshot {
    /// The snapshot's canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.genesis.encode_to(&mut out);
        self.image.head.encode_to(&mut out);
        encode_len(self.image.entries.len(), &mut out);
        for (key, value) in &self.image.entries {
            encode_bytes(key, &mut out);
            encode_bytes(value, &mut out);
        }
        encode_len(self.blocks.len(), &mut out);
        for block in &self.blocks {
            block.encode_to(&mut out);
        }
        encode_bytes(&self.certificate, &mut out);
        out
    }

    /// The snapshot `bytes` encode, whole and canonical; entries in strictly ascending key order.
    pub fn from_bytes(bytes: &[u8]) -> Result<SyncSnapshot, DecodeError> {
        let mut reader = Reader::new(bytes);
        let genesis = Header::decode_from(&mut reader)?;
        let head = Header::decode_from(&mut reader)?;
        let count = reader.len("entries", MAX_ENTRIES)?;
        let mut entries: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(count.min(reader.remaining() / 8));
        for _ in 0..count {
            let key = reader.bytes("key", MAX_KEY_BYTES)?.to_vec();
            let value = reader.bytes("value", MAX_VALUE_BYTES)?.to_vec();
            if entries.last().is_some_and(|(last, _)| *last >= key) {
                return Err(DecodeError::Invalid { what: "entries out of key order" });
            }
            entries.push((key, value));
        }
        let blocks = reader.vec("blocks", MAX_BLOCKS)?;
        let certificate = reader.bytes("certificate", MAX_CERTIFICATE_BYTES)?.to_vec();
        reader.finish()?;
        Ok(SyncSnapshot { genesis, image: StateImage { head, entries }, blocks, certificate })
    }
}

impl Storage {
    /// This node's state at its head, for a peer to sync from, with `certificate` (the head's
    /// finalization certificate). O(state).
    pub fn sync_snapshot(
        &self,
        epoch_blocks: u64,
        certificate: Vec<u8>,
    ) -> Result<SyncSnapshot, StorageError> {
        let image = self.image()?;
        let genesis = self.genesis_header()?.ok_or(StorageError::Uninitialized)?;
        let head = image.head.height.get();
        // The epoch after the head starts from the block before it.
        let boundary = (head + 1) / epoch_blocks.max(1) * epoch_blocks.max(1);
        let mut blocks = Vec::new();
        for height in [Some(head), boundary.checked_sub(1)].into_iter().flatten().filter(|height| *height > 0)
        {
            if blocks.iter().any(|block: &Block| block.header.height.get() == height) {
                continue;
            }
            let block = self.block(atelier_primitives::Height(height))?.ok_or(StorageError::Uninitialized)?;
            blocks.push(block);
        }
        Ok(SyncSnapshot { genesis, image, blocks, certificate })
    }

    /// Starts an empty database from `snapshot` ([`Storage::init_synced`]).
    pub fn init_from_snapshot(&self, snapshot: &SyncSnapshot) -> Result<(), StorageError> {
        self.init_synced(&snapshot.genesis, &snapshot.image, &snapshot.blocks, &snapshot.certificate)
    }
}
