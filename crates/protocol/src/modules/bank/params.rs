//! Bank parameters.

use atelier_primitives::{Address, Decode, DecodeError, Encode, Reader};
use serde::{Deserialize, Serialize};

/// Bank parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankParams {
    /// The one account allowed to mint and burn `uusd`, standing in for a bridge.
    pub stable_issuer: Address,
}

impl Encode for BankParams {
    fn encode_to(&self, out: &mut Vec<u8>) {
        self.stable_issuer.encode_to(out);
    }
}

impl Decode for BankParams {
    fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(BankParams { stable_issuer: Decode::decode_from(r)? })
    }
}
