//! Royalty-vault events: what happened, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Denom, Encode};
use serde::{Deserialize, Serialize};

use super::VaultId;

/// A revenue event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RevenueEvent {
    /// A vault was opened with all its shares held by `owner`.
    VaultOpened {
        /// The vault.
        vault: VaultId,
        /// The first holder.
        owner: Address,
    },
    /// Revenue entered a vault.
    RevenuePaid {
        /// The vault.
        vault: VaultId,
        /// Its denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
    /// A holder was paid its earnings.
    RevenueClaimed {
        /// The vault.
        vault: VaultId,
        /// The holder.
        holder: Address,
        /// The denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
    /// Share units changed hands.
    SharesTransferred {
        /// The vault.
        vault: VaultId,
        /// From.
        from: Address,
        /// To.
        to: Address,
        /// Units.
        units: u64,
    },
}
