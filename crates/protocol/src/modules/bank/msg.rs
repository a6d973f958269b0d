//! What an account can ask of the bank.

use atelier_primitives::{Address, Amount, Decode, DecodeError, Denom, Encode, Reader};
use serde::{Deserialize, Serialize};

/// A bank message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BankMsg {
    /// Move `amount` of `denom` from the sender to `to`.
    Transfer {
        /// The payee.
        to: Address,
        /// The denomination.
        denom: Denom,
        /// How much, in base units; must be positive.
        amount: Amount,
    },
    /// Issuer only: create `amount` of the stablecoin for `to` (funds bridged in).
    MintStable {
        /// The recipient.
        to: Address,
        /// How much.
        amount: Amount,
    },
    /// Issuer only: destroy `amount` of the stablecoin from the issuer's balance (funds bridged out).
    BurnStable {
        /// How much.
        amount: Amount,
    },
}

impl Encode for BankMsg {
    fn encode_to(&self, out: &mut Vec<u8>) {
        match self {
            BankMsg::Transfer { to, denom, amount } => {
                out.push(0);
                to.encode_to(out);
                denom.encode_to(out);
                amount.encode_to(out);
            }
            BankMsg::MintStable { to, amount } => {
                out.push(1);
                to.encode_to(out);
                amount.encode_to(out);
            }
            BankMsg::BurnStable { amount } => {
                out.push(2);
                amount.encode_to(out);
            }
        }
    }
}

impl Decode for BankMsg {
    fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(match r.tag()? {
            0 => BankMsg::Transfer {
                to: Decode::decode_from(r)?,
                denom: Decode::decode_from(r)?,
                amount: Decode::decode_from(r)?,
            },
            1 => BankMsg::MintStable { to: Decode::decode_from(r)?, amount: Decode::decode_from(r)? },
            2 => BankMsg::BurnStable { amount: Decode::decode_from(r)? },
            tag => {
                return Err(DecodeError::UnknownTag { what: "bank message", tag });
            }
        })
    }
}
