//! staking: bonded GDC, the unbonding queue, slashing, and Proof-of-Creation reputation — a
//! soulbound, checkpointed score earned by stake held and by value other parties paid for an
//! account's work, decaying every epoch. Reputation has no transfer path. Spec: `README.md` beside
//! this file.

pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod invariants;
pub mod params;
pub mod query;
pub mod reputation;
pub(crate) mod state;

pub use genesis::StakingGenesis;
pub(crate) use handler::{Origin, Slasher, bonded, credit, credit_all, penalize};
pub use params::{ReputationRates, SlashDestination, StakingParams, Tier};
pub use reputation::{RateSegment, Standing, Totals};
pub use state::{Checkpoint, Unbonding, account, epoch_of};

use atelier_primitives::{Address, Amount, Decode, Encode, Height};
use serde::{Deserialize, Serialize};

/// A staking message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StakingMsg {
    /// Bond `amount` of `ugdc`.
    Stake {
        /// How much.
        amount: Amount,
    },
    /// Start unbonding `amount`: it stays slashable and earns nothing until withdrawn.
    Unstake {
        /// How much.
        amount: Amount,
    },
    /// Take back every unbonding entry whose period is over.
    Withdraw {},
}

/// Why stake was slashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
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
        total_reputation: u128,
        /// Stake bonded.
        bonded: Amount,
    },
}

/// A broken staking rule. Codes are stable (the staking range is 700–799).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StakingError {
    /// A stake below the minimum.
    #[error("stake {amount} is below the minimum {min}")]
    BelowMinimumStake {
        /// The amount.
        amount: Amount,
        /// The minimum.
        min: Amount,
    },
    /// More than is bonded, or nothing.
    #[error("cannot unstake {amount}: {bonded} bonded")]
    ExceedsBonded {
        /// Bonded.
        bonded: Amount,
        /// Asked for.
        amount: Amount,
    },
    /// The account has as many unbonding entries as allowed.
    #[error("already {max} unbonding entries: withdraw first")]
    TooManyUnbonding {
        /// The maximum.
        max: u32,
    },
    /// No unbonding entry is released yet.
    #[error("nothing to withdraw{}", next.map(|h| format!(": the next release is at height {h}")).unwrap_or_default())]
    NothingToWithdraw {
        /// The next release height, if any entry is waiting.
        next: Option<Height>,
    },
    /// Moving funds failed.
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// An amount overflowed.
    #[error("arithmetic overflow")]
    Overflow,
    /// The stake is locked after an upheld violation.
    #[error("stake is locked until height {until}")]
    Locked {
        /// The first height it may unstake at.
        until: Height,
    },
}

impl StakingError {
    /// The stable numeric code.
    pub fn code(&self) -> u32 {
        match self {
            StakingError::BelowMinimumStake { .. } => 701,
            StakingError::ExceedsBonded { .. } => 702,
            StakingError::TooManyUnbonding { .. } => 703,
            StakingError::NothingToWithdraw { .. } => 704,
            StakingError::Bank(_) => 705,
            StakingError::Overflow => 706,
            StakingError::Locked { .. } => 707,
        }
    }
}
