//! Blocks and their headers.

use atelier_primitives::{Address, Amount, Decode, Encode, Hash, Height, merkle::merkle_root};
use serde::{Deserialize, Serialize};

use crate::tx::{ChainId, SignedTx};

/// Most transactions one block may carry (the gas limit usually binds first).
pub const MAX_TXS_PER_BLOCK: usize = 100_000;

/// What a block commits to. Its hash identifies the block and is the next block's parent hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
pub struct Header {
    /// The chain.
    pub chain_id: ChainId,
    /// Position in the chain; the genesis header is at the initial height minus one.
    pub height: Height,
    /// Milliseconds since the Unix epoch, as chosen by the proposer; never before the parent's.
    pub time_ms: u64,
    /// Hash of the previous header ([`Hash::ZERO`] for genesis).
    pub parent_hash: Hash,
    /// Who built the block and receives its tips.
    pub proposer: Address,
    /// Merkle root of the transaction hashes.
    pub txs_root: Hash,
    /// State root after the block.
    pub state_root: Hash,
    /// Merkle root of the receipts and end-of-block events.
    pub receipts_root: Hash,
    /// Base fee per gas charged in this block.
    pub base_fee: Amount,
    /// Gas used by the block's transactions.
    pub gas_used: u64,
}

impl Header {
    /// The block hash.
    pub fn hash(&self) -> Hash {
        Hash::digest("atelier/header", &[&self.to_bytes()])
    }
}

/// A header and the transactions it orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode, Decode)]
pub struct Block {
    /// The header.
    pub header: Header,
    /// Transactions, in execution order.
    #[codec(max = MAX_TXS_PER_BLOCK)]
    pub txs: Vec<SignedTx>,
}

impl Block {
    /// The block hash (its header's).
    pub fn hash(&self) -> Hash {
        self.header.hash()
    }
}

/// Merkle root of `txs` by hash.
pub fn txs_root(txs: &[SignedTx]) -> Hash {
    let hashes: Vec<Hash> = txs.iter().map(SignedTx::hash).collect();
    merkle_root("atelier/txs", &hashes)
}
