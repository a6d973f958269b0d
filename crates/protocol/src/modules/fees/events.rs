//! What the fee market reports, in the past tense.

use atelier_primitives::{Address, Amount, Decode, DecodeError, Encode, Reader};
use serde::{Deserialize, Serialize};

/// A fee market event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FeeEvent {
    /// A transaction paid for its gas.
    FeeCharged {
        /// The sender.
        payer: Address,
        /// Gas used.
        gas_used: u64,
        /// The base-fee part, burned at the end of the block.
        burned: Amount,
        /// The tip, paid to the proposer at the end of the block.
        tip: Amount,
    },
    /// The base fee for the next block was set.
    BaseFeeUpdated {
        /// This block's base fee.
        previous: Amount,
        /// The next block's base fee.
        next: Amount,
        /// Gas this block used.
        gas_used: u64,
        /// Gas the market aims for.
        gas_target: u64,
    },
}

impl Encode for FeeEvent {
    fn encode_to(&self, out: &mut Vec<u8>) {
        match self {
            FeeEvent::FeeCharged { payer, gas_used, burned, tip } => {
                out.push(0);
                payer.encode_to(out);
                gas_used.encode_to(out);
                burned.encode_to(out);
                tip.encode_to(out);
            }
            FeeEvent::BaseFeeUpdated { previous, next, gas_used, gas_target } => {
                out.push(1);
                previous.encode_to(out);
                next.encode_to(out);
                gas_used.encode_to(out);
                gas_target.encode_to(out);
            }
        }
    }
}

impl Decode for FeeEvent {
    fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(match r.tag()? {
            0 => FeeEvent::FeeCharged {
                payer: Decode::decode_from(r)?,
                gas_used: Decode::decode_from(r)?,
                burned: Decode::decode_from(r)?,
                tip: Decode::decode_from(r)?,
            },
            1 => FeeEvent::BaseFeeUpdated {
                previous: Decode::decode_from(r)?,
                next: Decode::decode_from(r)?,
                gas_used: Decode::decode_from(r)?,
                gas_target: Decode::decode_from(r)?,
            },
            tag => {
                return Err(DecodeError::UnknownTag { what: "fee event", tag });
            }
        })
    }
}
