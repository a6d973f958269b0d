//! governance: proposals with typed actions, voted by reputation at a snapshot taken before the
//! proposal opens, executed at the end of a block after a timelock; grants streamed from the
//! treasury. Spec: `README.md` beside this file.

pub(crate) mod actions;
pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod invariants;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use genesis::GovernanceGenesis;
pub use params::GovParams;
pub use state::{ActionResult, Grant, MAX_REASON_BYTES, Proposal, ProposalId, Status, Tally, Vote, account};

use atelier_primitives::{Address, Amount, Decode, Denom, Encode, Height};
use serde::{Deserialize, Serialize};

use crate::modules::{
    amm::AmmParams, clusters::ClusterParams, compute::params::ComputeParams, fees::params::FeeParams,
    market::MarketParams, oracle::OracleParams, provenance::params::ProvenanceParams,
    registry::params::RegistryParams, staking::StakingParams, treasury::TreasuryParams,
};

/// Most actions one proposal carries.
pub const MAX_ACTIONS: usize = 16;
/// Longest proposal summary, in bytes.
pub const MAX_SUMMARY_BYTES: usize = 1_024;

/// New params for one module, validated with every other module's before they apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum ParamsChange {
    /// The fee market's.
    Fees(FeeParams),
    /// The registry's.
    Registry(RegistryParams),
    /// The compute market's.
    Compute(ComputeParams),
    /// Provenance's.
    Provenance(ProvenanceParams),
    /// The market's.
    Market(MarketParams),
    /// Staking's (its epoch length stays; a change of rates applies from the next epoch).
    Staking(StakingParams),
    /// Governance's own (open proposals keep the ones they were made under).
    Governance(GovParams),
    /// The clusters'.
    Clusters(ClusterParams),
    /// The AMM's.
    Amm(AmmParams),
    /// Compliance's: the ethical-sourcing schema, bonds, arbiters, slashes.
    Compliance(crate::modules::compliance::ComplianceParams),
    /// The oracle's, its feeds among them.
    Oracle(OracleParams),
    /// The treasury's: pacing, bands, runway and the controller's clamps.
    Treasury(TreasuryParams),
}

/// What a proposal does if it passes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Replace one module's params.
    SetParams(ParamsChange),
    /// Pay from the treasury.
    TreasurySpend {
        /// To whom.
        to: Address,
        /// What.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
    /// Stream `per_block` from the treasury to `recipient` for `blocks` blocks from execution.
    StartGrant {
        /// To whom.
        recipient: Address,
        /// What.
        denom: Denom,
        /// Per block.
        per_block: Amount,
        /// For how long.
        blocks: u64,
    },
    /// End a grant at execution (what it earned until then stays claimable).
    StopGrant {
        /// The grant.
        grant: u64,
    },
    /// Register a training cluster.
    RegisterCluster {
        /// Who runs it and is paid.
        operator: Address,
        /// Slots per epoch.
        slots_per_epoch: u32,
        /// Least price per slot.
        price_per_slot: Amount,
    },
    /// Move a lost account's reputation to a new one (the only way reputation moves).
    RecoverReputation {
        /// The lost account.
        lost: Address,
        /// Its owner's new account.
        to: Address,
    },
    /// Register an attestation schema.
    RegisterSchema {
        /// Its name.
        #[codec(max = crate::modules::compliance::state::MAX_NAME_BYTES)]
        name: String,
        /// Its fields.
        #[codec(max = crate::modules::compliance::state::MAX_FIELDS)]
        fields: Vec<crate::modules::compliance::FieldName>,
        /// Whether its attestations can be revoked.
        revocable: bool,
    },
    /// Approve (or remove) an attester.
    SetAttester {
        /// Who.
        attester: Address,
        /// Approve or remove.
        approved: bool,
    },
    /// Clear a wrongful tag.
    ClearTag {
        /// The subject.
        subject: crate::modules::compliance::Subject,
    },
    /// Pay a model's escrowed revenue to an account (once it is remediated).
    ReleaseEscrow {
        /// The model.
        model: crate::modules::registry::ModelId,
        /// To whom.
        to: Address,
    },
}

/// A vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// For.
    For,
    /// Against.
    Against,
    /// Counts toward quorum only.
    Abstain,
}

/// A governance message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GovernanceMsg {
    /// Open a proposal, paying the deposit.
    Propose {
        /// What it is about.
        #[codec(max = MAX_SUMMARY_BYTES)]
        summary: String,
        /// What it does.
        #[codec(max = MAX_ACTIONS)]
        actions: Vec<Action>,
    },
    /// Vote with the reputation held at the proposal's snapshot.
    Vote {
        /// The proposal.
        proposal: ProposalId,
        /// The vote.
        choice: Choice,
    },
    /// Take what a grant has streamed so far.
    ClaimGrant {
        /// The grant.
        grant: u64,
    },
}

/// A governance event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GovernanceEvent {
    /// A proposal was opened.
    Proposed {
        /// The proposal.
        proposal: ProposalId,
        /// By whom.
        proposer: Address,
        /// Its snapshot.
        snapshot: Height,
    },
    /// A vote was cast.
    Voted {
        /// The proposal.
        proposal: ProposalId,
        /// Who.
        voter: Address,
        /// How.
        choice: Choice,
        /// With how much reputation.
        #[serde(with = "crate::serde_u128")]
        power: u128,
    },
    /// Voting ended without quorum or with Against at least For.
    Defeated {
        /// The proposal.
        proposal: ProposalId,
        /// Whether quorum was reached (then the deposit went back).
        quorum_reached: bool,
    },
    /// Voting ended with quorum and For above Against; execution waits for the timelock.
    Queued {
        /// The proposal.
        proposal: ProposalId,
        /// Height at whose end it executes.
        eta: Height,
    },
    /// The actions ran; each one's result is in the proposal.
    Executed {
        /// The proposal.
        proposal: ProposalId,
        /// Actions that failed.
        failed: u32,
    },
    /// The grace period passed before execution.
    Expired {
        /// The proposal.
        proposal: ProposalId,
    },
    /// A grant paid out.
    GrantPaid {
        /// The grant.
        grant: u64,
        /// To whom.
        recipient: Address,
        /// How much.
        amount: Amount,
        /// Whether the treasury ran short and the grant stopped.
        stopped: bool,
    },
    /// A grant started.
    GrantStarted {
        /// The grant.
        grant: u64,
        /// To whom.
        recipient: Address,
    },
    /// A grant was stopped by governance.
    GrantStopped {
        /// The grant.
        grant: u64,
    },
    /// Reputation moved from a lost account.
    ReputationRecovered {
        /// The lost account.
        lost: Address,
        /// The new one.
        to: Address,
        /// How much.
        #[serde(with = "crate::serde_u128")]
        amount: u128,
    },
}

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
