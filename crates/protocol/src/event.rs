//! Everything the chain reports, one enum over every module's events.

use atelier_primitives::{Decode, DecodeError, Encode, Reader};
use serde::{Deserialize, Serialize};

use crate::modules::{bank::BankEvent, fees::FeeEvent};

/// An event, tagged with its module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "module", content = "event", rename_all = "snake_case")]
pub enum Event {
    /// From the bank.
    Bank(BankEvent),
    /// From the fee market.
    Fees(FeeEvent),
}

impl Encode for Event {
    fn encode_to(&self, out: &mut Vec<u8>) {
        match self {
            Event::Bank(event) => {
                out.push(0);
                event.encode_to(out);
            }
            Event::Fees(event) => {
                out.push(1);
                event.encode_to(out);
            }
        }
    }
}

impl Decode for Event {
    fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.tag()? {
            0 => Ok(Event::Bank(Decode::decode_from(r)?)),
            1 => Ok(Event::Fees(Decode::decode_from(r)?)),
            tag => Err(DecodeError::UnknownTag { what: "event module", tag }),
        }
    }
}
