//! Why a governance message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount, ErrorCode, Height};

use super::ProposalId;

/// A broken governance rule. Codes are stable (the governance range is 800–899).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
// Wrapped errors once had codes of their own; they now keep the inner error's.
#[code(retired(811))]
pub enum GovernanceError {
    /// The proposer's tier at the snapshot cannot propose.
    #[code(801)]
    #[error("reputation {reputation} at the snapshot is in a tier that cannot propose")]
    CannotPropose {
        /// Its reputation at the snapshot.
        reputation: u128,
    },
    /// No actions, or too many.
    #[code(802)]
    #[error("a proposal carries 1 to {max} actions, not {count}")]
    InvalidActions {
        /// Actions given.
        count: usize,
        /// The maximum.
        max: u32,
    },
    /// An action cannot be valid (params that fail validation, a zero amount, an unknown grant).
    #[code(803)]
    #[error("action {index}: {reason}")]
    InvalidAction {
        /// Its index.
        index: u32,
        /// Why.
        reason: String,
    },
    /// No proposal has this id.
    #[code(804)]
    #[error("no proposal {proposal}")]
    UnknownProposal {
        /// The id named.
        proposal: ProposalId,
    },
    /// Voting has not started.
    #[code(805)]
    #[error("voting on {proposal} starts at height {starts}")]
    VotingNotStarted {
        /// The proposal.
        proposal: ProposalId,
        /// First voting height.
        starts: Height,
    },
    /// Voting is over.
    #[code(806)]
    #[error("voting on {proposal} ended at height {ended}")]
    VotingEnded {
        /// The proposal.
        proposal: ProposalId,
        /// Last voting height.
        ended: Height,
    },
    /// The account voted already.
    #[code(807)]
    #[error("{voter} already voted on {proposal}")]
    AlreadyVoted {
        /// The proposal.
        proposal: ProposalId,
        /// Who.
        voter: Address,
    },
    /// The account had no reputation at the snapshot.
    #[code(808)]
    #[error("{voter} had no reputation at the snapshot of {proposal}")]
    NoVotingPower {
        /// The proposal.
        proposal: ProposalId,
        /// Who.
        voter: Address,
    },
    /// No grant has this id, or it is not the sender's.
    #[code(809)]
    #[error("no grant {grant} for the sender")]
    UnknownGrant {
        /// The id named.
        grant: u64,
    },
    /// The grant has nothing to pay yet.
    #[code(810)]
    #[error("grant {grant} has nothing to pay")]
    NothingToClaim {
        /// The grant.
        grant: u64,
    },
    /// Moving funds failed (the deposit).
    #[code(inner)]
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// An amount or id overflowed.
    #[code(812)]
    #[error("arithmetic overflow")]
    Overflow,
    /// The epoch's grants budget cannot pay one block of the grant.
    #[code(813)]
    #[error("grant {grant}: the epoch's grants budget has {left} left, under one block's pay")]
    GrantBudgetSpent {
        /// The grant.
        grant: u64,
        /// What the budget has left.
        left: Amount,
    },
}

/// Why governance params are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GovernanceParamsError {
    /// A period or bound is zero.
    #[error("voting_period_blocks, timelock_blocks and max_steps_per_block must be positive")]
    Zero,
    /// A proposal carries a bounded list of actions.
    #[error("max_actions must be between 1 and {max}")]
    MaxActions {
        /// The largest allowed.
        max: usize,
    },
    /// A proposal must need some turnout.
    #[error("quorum must be positive")]
    NoQuorum,
}
