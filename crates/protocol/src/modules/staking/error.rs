//! Why a staking message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Amount, ErrorCode, Height};

/// A broken staking rule. Codes are stable (the staking range is 700–799).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
// Wrapped errors once had codes of their own; they now keep the inner error's.
#[code(retired(705))]
pub enum StakingError {
    /// A stake below the minimum.
    #[code(701)]
    #[error("stake {amount} is below the minimum {min}")]
    BelowMinimumStake {
        /// The amount.
        amount: Amount,
        /// The minimum.
        min: Amount,
    },
    /// More than is bonded, or nothing.
    #[code(702)]
    #[error("cannot unstake {amount}: {bonded} bonded")]
    ExceedsBonded {
        /// Bonded.
        bonded: Amount,
        /// Asked for.
        amount: Amount,
    },
    /// The account has as many unbonding entries as allowed.
    #[code(703)]
    #[error("already {max} unbonding entries: withdraw first")]
    TooManyUnbonding {
        /// The maximum.
        max: u32,
    },
    /// No unbonding entry is released yet.
    #[code(704)]
    #[error("nothing to withdraw{}", next.map(|h| format!(": the next release is at height {h}")).unwrap_or_default())]
    NothingToWithdraw {
        /// The next release height, if any entry is waiting.
        next: Option<Height>,
    },
    /// Moving funds failed.
    #[code(inner)]
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// An amount overflowed.
    #[code(706)]
    #[error("arithmetic overflow")]
    Overflow,
    /// The stake is locked after an upheld violation.
    #[code(707)]
    #[error("stake is locked until height {until}")]
    Locked {
        /// The first height it may unstake at.
        until: Height,
    },
}
