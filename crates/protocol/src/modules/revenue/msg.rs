//! Royalty-vault messages: what a transaction asks of the module.

use atelier_primitives::{Address, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::VaultId;

/// A revenue message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RevenueMsg {
    /// Pay the sender what its shares of `vault` earned, in every denomination.
    ClaimRevenue {
        /// The vault.
        vault: VaultId,
    },
    /// Move `units` of the sender's shares of `vault` to `to`; both sides' earnings so far are
    /// paid out first, so revenue follows the shares held when it arrived.
    TransferShares {
        /// The vault.
        vault: VaultId,
        /// The recipient.
        to: Address,
        /// Share units.
        units: u64,
    },
}

impl RevenueMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        match self {
            RevenueMsg::ClaimRevenue { .. } | RevenueMsg::TransferShares { .. } => schedule.revenue,
        }
    }
}
