//! Bank parameters.

use atelier_primitives::{Address, Decode, Encode};
use serde::{Deserialize, Serialize};

/// Bank parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BankParams {
    /// The one account allowed to mint and burn `uusd`, standing in for a bridge.
    pub stable_issuer: Address,
}
