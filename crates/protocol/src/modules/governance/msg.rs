//! Governance messages: what a transaction asks of the module.

use atelier_primitives::{Address, Amount, Decode, Denom, Encode};
use serde::{Deserialize, Serialize};

use super::{GovParams, ProposalId};
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
