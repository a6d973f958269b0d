//! [`ChainBlock`]: a protocol block as the consensus engine sees it.
//!
//! Consensus orders 32-byte digests; a block's digest is its header hash, so the engine and the
//! chain name blocks the same way and no second hash is taken. On the wire a block is its
//! canonical encoding behind a length, bounded by [`MAX_BLOCK_BYTES`].

use atelier_primitives::{Decode, Encode, Hash};
use atelier_protocol::Block;
use bytes::BufMut;
use commonware_codec::Buf;
use commonware_codec::{EncodeSize, Error as CodecError, Read, ReadExt, Write, varint::UInt};
use commonware_consensus::{BoundedBlock, Heightable, types::Height};
use commonware_cryptography::{Digestible, sha256::Digest};

/// Largest encoded block a validator sends or accepts. Proposers stop adding transactions below it.
pub const MAX_BLOCK_BYTES: usize = 8 * 1024 * 1024;

/// A protocol block carried by consensus, with its encoding and digest computed once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainBlock {
    block: Block,
    encoded: bytes::Bytes,
    digest: Digest,
}

impl ChainBlock {
    /// Wraps `block`.
    pub fn new(block: Block) -> Self {
        let encoded = block.to_bytes().into();
        ChainBlock::assemble(block, encoded)
    }

    fn assemble(block: Block, encoded: bytes::Bytes) -> Self {
        let digest = digest_of(&block.header.hash());
        ChainBlock { block, encoded, digest }
    }

    /// The protocol block.
    pub fn block(&self) -> &Block {
        &self.block
    }
}

/// The consensus digest naming the block whose header hash is `hash`.
pub fn digest_of(hash: &Hash) -> Digest {
    Digest(hash.0)
}

/// The header hash a consensus digest names.
pub fn hash_of(digest: &Digest) -> Hash {
    Hash(digest.0)
}

impl Digestible for ChainBlock {
    type Digest = Digest;

    fn digest(&self) -> Digest {
        self.digest
    }
}

impl Heightable for ChainBlock {
    fn height(&self) -> Height {
        Height::new(self.block.header.height.get())
    }
}

impl commonware_consensus::Block for ChainBlock {
    fn parent(&self) -> Digest {
        digest_of(&self.block.header.parent_hash)
    }
}

impl Write for ChainBlock {
    fn write(&self, buf: &mut impl BufMut) {
        // A block is at most MAX_BLOCK_BYTES, far below u32::MAX.
        UInt(self.encoded.len() as u32).write(buf);
        buf.put_slice(&self.encoded);
    }
}

impl EncodeSize for ChainBlock {
    fn encode_size(&self) -> usize {
        UInt(self.encoded.len() as u32).encode_size() + self.encoded.len()
    }
}

impl Read for ChainBlock {
    type Cfg = ();

    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        let len = UInt::<u32>::read(buf)?.0 as usize;
        if len > MAX_BLOCK_BYTES {
            return Err(CodecError::InvalidLength(len));
        }
        if buf.remaining() < len {
            return Err(CodecError::EndOfBuffer);
        }
        let encoded = buf.copy_to_bytes(len);
        let block = Block::from_bytes(&encoded).map_err(|e| CodecError::Wrapped("block", Box::new(e)))?;
        Ok(ChainBlock::assemble(block, encoded))
    }
}

impl BoundedBlock for ChainBlock {
    fn max_encode_size(_: &()) -> usize {
        UInt(MAX_BLOCK_BYTES as u32).encode_size() + MAX_BLOCK_BYTES
    }
}
