//! Why a staking message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount, ErrorCode, Height};

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
    /// The account is a validator candidate already.
    #[code(708)]
    #[error("this account is a validator candidate already: update it instead")]
    AlreadyCandidate,
    /// The consensus key belongs to another operator (a key, once used, stays its operator's).
    #[code(709)]
    #[error("consensus key is registered by {operator}")]
    ConsensusKeyTaken {
        /// Its operator.
        operator: Address,
    },
    /// The consensus key is not an ed25519 public key.
    #[code(710)]
    #[error("consensus key is not a valid ed25519 public key")]
    BadConsensusKey,
    /// The p2p address is unusable.
    #[code(711)]
    #[error("p2p address {reason}")]
    BadP2pAddress {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// As many candidates as allowed are registered.
    #[code(712)]
    #[error("already {max} validator candidates")]
    TooManyCandidates {
        /// The maximum.
        max: u32,
    },
    /// The account is not a validator candidate.
    #[code(713)]
    #[error("this account is not a validator candidate")]
    NotACandidate,
    /// Less stake bonded than a candidate must keep.
    #[code(714)]
    #[error("{bonded} bonded, a validator candidate keeps at least {min}")]
    InsufficientSelfStake {
        /// Bonded now.
        bonded: Amount,
        /// The least.
        min: Amount,
    },
}

/// Why staking params are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StakingParamsError {
    /// A period or the minimum stake is zero.
    #[error("epoch_blocks, unbonding_blocks and min_stake must be positive")]
    Zero,
    /// Unbonding entries per account are bounded: a slash reads them all.
    #[error("max_unbonding_entries must be between 1 and 1024")]
    UnbondingEntriesOutOfRange,
    /// Reputation must decay, and at most entirely.
    #[error("rates.decay must be between {min} and 10000")]
    DecayOutOfRange {
        /// The least decay.
        min: super::params::Ratio,
    },
    /// A reputation rate past the cap that keeps scores in range.
    #[error("reputation rates are at most {max}")]
    RateTooHigh {
        /// The largest allowed.
        max: super::params::Ratio,
    },
    /// Tiers are bounded.
    #[error("between 1 and {max} tiers")]
    TierCount {
        /// The most tiers.
        max: usize,
    },
    /// Tiers rise strictly.
    #[error("tiers must have strictly ascending min_reputation")]
    TiersOutOfOrder,
    /// A tier's name is empty or too long.
    #[error("tier names are 1 to {max} bytes")]
    TierName {
        /// The longest name.
        max: usize,
    },
    /// The validator params cannot work with the epochs and unbonding.
    #[error("{0}")]
    Validators(String),
}
