//! Staking events: what happened, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Encode, Hash, Height};
use serde::{Deserialize, Serialize};

use super::{SlashDestination, validators::Candidate};

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

/// Why a validator was jailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JailReason {
    /// It signed two conflicting votes.
    Equivocation,
    /// It missed more of its votes in an epoch than the params allow.
    MissedVotes,
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
    /// An account became a validator candidate.
    ValidatorRegistered {
        /// The candidacy.
        candidate: Candidate,
    },
    /// A candidate changed its candidacy.
    ValidatorUpdated {
        /// The candidacy now.
        candidate: Candidate,
    },
    /// A candidate left.
    ValidatorLeft {
        /// Its operator.
        operator: Address,
    },
    /// A validator was jailed: it is not chosen before `until_epoch`, and leaves a set chosen
    /// for a later epoch already.
    ValidatorJailed {
        /// Its operator.
        operator: Address,
        /// The first epoch it may sit in again.
        until_epoch: u64,
        /// Why.
        reason: JailReason,
    },
    /// The next epoch's validator set was chosen.
    ValidatorSetChosen {
        /// The epoch it signs.
        epoch: u64,
        /// Its validators.
        validators: u32,
        /// Their summed weight.
        total_weight: Amount,
        /// Its hash, which the epoch's last header commits to.
        hash: Hash,
        /// Whether no candidate was eligible and the current set carries on.
        carried_over: bool,
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
