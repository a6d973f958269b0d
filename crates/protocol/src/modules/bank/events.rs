//! What the bank reports, in the past tense.

use atelier_primitives::{Address, Amount, Decode, DecodeError, Denom, Encode, Reader};
use serde::{Deserialize, Serialize};

/// A bank event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BankEvent {
    /// Funds moved between accounts.
    Transferred {
        /// The payer.
        from: Address,
        /// The payee.
        to: Address,
        /// The denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
    /// New supply was created.
    Minted {
        /// Who received it.
        to: Address,
        /// The denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
    /// Supply was destroyed.
    Burned {
        /// Whose balance it came from.
        from: Address,
        /// The denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
}

impl Encode for BankEvent {
    fn encode_to(&self, out: &mut Vec<u8>) {
        match self {
            BankEvent::Transferred { from, to, denom, amount } => {
                out.push(0);
                from.encode_to(out);
                to.encode_to(out);
                denom.encode_to(out);
                amount.encode_to(out);
            }
            BankEvent::Minted { to, denom, amount } => {
                out.push(1);
                to.encode_to(out);
                denom.encode_to(out);
                amount.encode_to(out);
            }
            BankEvent::Burned { from, denom, amount } => {
                out.push(2);
                from.encode_to(out);
                denom.encode_to(out);
                amount.encode_to(out);
            }
        }
    }
}

impl Decode for BankEvent {
    fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(match r.tag()? {
            0 => BankEvent::Transferred {
                from: Decode::decode_from(r)?,
                to: Decode::decode_from(r)?,
                denom: Decode::decode_from(r)?,
                amount: Decode::decode_from(r)?,
            },
            1 => BankEvent::Minted {
                to: Decode::decode_from(r)?,
                denom: Decode::decode_from(r)?,
                amount: Decode::decode_from(r)?,
            },
            2 => BankEvent::Burned {
                from: Decode::decode_from(r)?,
                denom: Decode::decode_from(r)?,
                amount: Decode::decode_from(r)?,
            },
            tag => {
                return Err(DecodeError::UnknownTag { what: "bank event", tag });
            }
        })
    }
}
