//! Receipts: what happened to each included transaction.

use atelier_primitives::{Address, Amount, Decode, Encode, Hash, codec::encode_slice, merkle::merkle_root};
use serde::{Deserialize, Serialize};

use crate::event::Event;

/// Most events one receipt may carry when decoded.
pub const MAX_EVENTS_PER_RECEIPT: usize = 4 * 1024;
const MAX_REASON_BYTES: usize = 1024;

/// Whether an included transaction's messages took effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TxOutcome {
    /// Every message took effect.
    Applied,
    /// A message broke a rule: none of the messages took effect; the fee was still charged.
    Failed {
        /// Position of the failing message.
        msg_index: u32,
        /// The module's stable error code.
        code: u32,
        /// The error, for people.
        #[codec(max = MAX_REASON_BYTES)]
        reason: String,
    },
}

/// The record of one included transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
pub struct Receipt {
    /// The transaction.
    pub tx_hash: Hash,
    /// Its sender.
    pub sender: Address,
    /// What happened.
    pub outcome: TxOutcome,
    /// Gas charged.
    pub gas_used: u64,
    /// Fee charged, base part and tip together.
    pub fee: Amount,
    /// Events, in order: the fee charge, then (if applied) the messages' events.
    #[codec(max = MAX_EVENTS_PER_RECEIPT)]
    pub events: Vec<Event>,
}

impl Receipt {
    /// The receipt's digest, a leaf of the receipts root.
    pub fn hash(&self) -> Hash {
        Hash::digest("atelier/receipt", &[&self.to_bytes()])
    }
}

/// The receipts root of a block: a Merkle root over its receipts, then one leaf for the events of
/// the block's end (fee settlement, base fee update).
pub fn receipts_root(receipts: &[Receipt], end_block_events: &[Event]) -> Hash {
    let mut leaves: Vec<Hash> = receipts.iter().map(Receipt::hash).collect();
    let mut encoded = Vec::new();
    encode_slice(end_block_events, &mut encoded);
    leaves.push(Hash::digest("atelier/end-block-events", &[&encoded]));
    merkle_root("atelier/receipts", &leaves)
}
