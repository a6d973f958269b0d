//! Why a staking message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Amount, Height};

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
