//! Why a governance message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount, Height};

use super::ProposalId;

/// A broken governance rule. Codes are stable (the governance range is 800–899).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GovernanceError {
    /// The proposer's tier at the snapshot cannot propose.
    #[error("reputation {reputation} at the snapshot is in a tier that cannot propose")]
    CannotPropose {
        /// Its reputation at the snapshot.
        reputation: u128,
    },
    /// No actions, or too many.
    #[error("a proposal carries 1 to {max} actions, not {count}")]
    InvalidActions {
        /// Actions given.
        count: usize,
        /// The maximum.
        max: u32,
    },
    /// An action cannot be valid (params that fail validation, a zero amount, an unknown grant).
    #[error("action {index}: {reason}")]
    InvalidAction {
        /// Its index.
        index: u32,
        /// Why.
        reason: String,
    },
    /// No proposal has this id.
    #[error("no proposal {proposal}")]
    UnknownProposal {
        /// The id named.
        proposal: ProposalId,
    },
    /// Voting has not started.
    #[error("voting on {proposal} starts at height {starts}")]
    VotingNotStarted {
        /// The proposal.
        proposal: ProposalId,
        /// First voting height.
        starts: Height,
    },
    /// Voting is over.
    #[error("voting on {proposal} ended at height {ended}")]
    VotingEnded {
        /// The proposal.
        proposal: ProposalId,
        /// Last voting height.
        ended: Height,
    },
    /// The account voted already.
    #[error("{voter} already voted on {proposal}")]
    AlreadyVoted {
        /// The proposal.
        proposal: ProposalId,
        /// Who.
        voter: Address,
    },
    /// The account had no reputation at the snapshot.
    #[error("{voter} had no reputation at the snapshot of {proposal}")]
    NoVotingPower {
        /// The proposal.
        proposal: ProposalId,
        /// Who.
        voter: Address,
    },
    /// No grant has this id, or it is not the sender's.
    #[error("no grant {grant} for the sender")]
    UnknownGrant {
        /// The id named.
        grant: u64,
    },
    /// The grant has nothing to pay yet.
    #[error("grant {grant} has nothing to pay")]
    NothingToClaim {
        /// The grant.
        grant: u64,
    },
    /// Moving funds failed (the deposit).
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// An amount or id overflowed.
    #[error("arithmetic overflow")]
    Overflow,
    /// The epoch's grants budget cannot pay one block of the grant.
    #[error("grant {grant}: the epoch's grants budget has {left} left, under one block's pay")]
    GrantBudgetSpent {
        /// The grant.
        grant: u64,
        /// What the budget has left.
        left: Amount,
    },
}

impl GovernanceError {
    /// The stable numeric code.
    pub fn code(&self) -> u32 {
        match self {
            GovernanceError::CannotPropose { .. } => 801,
            GovernanceError::InvalidActions { .. } => 802,
            GovernanceError::InvalidAction { .. } => 803,
            GovernanceError::UnknownProposal { .. } => 804,
            GovernanceError::VotingNotStarted { .. } => 805,
            GovernanceError::VotingEnded { .. } => 806,
            GovernanceError::AlreadyVoted { .. } => 807,
            GovernanceError::NoVotingPower { .. } => 808,
            GovernanceError::UnknownGrant { .. } => 809,
            GovernanceError::NothingToClaim { .. } => 810,
            GovernanceError::Bank(_) => 811,
            GovernanceError::Overflow => 812,
            GovernanceError::GrantBudgetSpent { .. } => 813,
        }
    }
}
