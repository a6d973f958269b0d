//! Receipts: what happened to each included transaction.

use atelier_primitives::{
    Address, Amount, Decode, DecodeError, Encode, Hash, Reader, codec::encode_slice, merkle::merkle_root,
};
use serde::{Deserialize, Serialize};

use crate::event::Event;

/// Most events one receipt may carry when decoded.
pub const MAX_EVENTS_PER_RECEIPT: usize = 4 * 1024;
const MAX_REASON_BYTES: usize = 1024;

/// Whether an included transaction's messages took effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        reason: String,
    },
}

/// The record of one included transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

impl Encode for TxOutcome {
    fn encode_to(&self, out: &mut Vec<u8>) {
        match self {
            TxOutcome::Applied => out.push(0),
            TxOutcome::Failed { msg_index, code, reason } => {
                out.push(1);
                msg_index.encode_to(out);
                code.encode_to(out);
                atelier_primitives::codec::encode_bytes(reason.as_bytes(), out);
            }
        }
    }
}

impl Decode for TxOutcome {
    fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.tag()? {
            0 => Ok(TxOutcome::Applied),
            1 => Ok(TxOutcome::Failed {
                msg_index: Decode::decode_from(r)?,
                code: Decode::decode_from(r)?,
                reason: r.string("failure reason", MAX_REASON_BYTES)?,
            }),
            tag => Err(DecodeError::UnknownTag { what: "tx outcome", tag }),
        }
    }
}

impl Encode for Receipt {
    fn encode_to(&self, out: &mut Vec<u8>) {
        self.tx_hash.encode_to(out);
        self.sender.encode_to(out);
        self.outcome.encode_to(out);
        self.gas_used.encode_to(out);
        self.fee.encode_to(out);
        encode_slice(&self.events, out);
    }
}

impl Decode for Receipt {
    fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Receipt {
            tx_hash: Decode::decode_from(r)?,
            sender: Decode::decode_from(r)?,
            outcome: Decode::decode_from(r)?,
            gas_used: Decode::decode_from(r)?,
            fee: Decode::decode_from(r)?,
            events: r.vec("events", MAX_EVENTS_PER_RECEIPT)?,
        })
    }
}
