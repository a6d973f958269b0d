//! Staking events: what happened, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Encode, Height};
use serde::{Deserialize, Serialize};

use super::SlashDestination;

/// Why stake was slashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SlashReason {
    /// A provider's result was proven wrong.
    WrongResult,
    /// A validator signed two conflicting votes.
    Equivocation,
    /// An upheld compliance violation.
    Violation,
    /// An oracle operator's fault.
    OracleFault,
}

/// A staking event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StakingEvent {
    /// Stake was bonded.
    Staked {
        /// Whose.
        account: Address,
        /// How much.
        amount: Amount,
        /// Bonded now.
        bonded: Amount,
    },
    /// Stake started unbonding.
    UnbondingStarted {
        /// Whose.
        account: Address,
        /// The entry.
        entry: u64,
        /// How much.
        amount: Amount,
        /// First height it can be withdrawn at.
        release_at: Height,
    },
    /// Unbonded stake was paid back.
    Withdrawn {
        /// Whose.
        account: Address,
        /// How much.
        amount: Amount,
    },
    /// Stake was slashed (bonded first, then every unbonding entry, each share rounded up).
    Slashed {
        /// Whose.
        account: Address,
        /// How much in all.
        amount: Amount,
        /// Why.
        reason: SlashReason,
        /// Where it went.
        destination: SlashDestination,
    },
    /// An epoch ended.
    EpochEnded {
        /// The epoch.
        epoch: u64,
        /// Total reputation after it.
        #[serde(with = "crate::serde_u128")]
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        total_reputation: u128,
        /// Stake bonded.
        bonded: Amount,
    },
}
