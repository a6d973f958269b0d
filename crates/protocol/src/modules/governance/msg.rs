//! Governance messages: what a transaction asks of the module.

use atelier_primitives::{Address, Amount, Decode, Denom, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::ProposalId;
use crate::modules::{self, Governed};

/// Most actions one proposal carries.
pub const MAX_ACTIONS: usize = 16;

/// Longest proposal summary, in bytes.
pub const MAX_SUMMARY_BYTES: usize = 1_024;

/// Declares [`ParamsChange`] from the list of modules: a variant for each module whose params
/// governance sets, with its fixed tag.
macro_rules! params_change {
    ($( $(#[$section:meta])* $module:ident : $Type:ident {
        $(msg: $msg:literal,)? $(event: $event:literal,)? $(params: $params:literal,)?
    } ),* $(,)?) => {
        /// New params for one module, validated with every other module's before they apply. (Staking
        /// keeps its epoch length and applies a change of rates from the next epoch; open proposals
        /// keep the governance params they were made under.)
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum ParamsChange {
            $($(
                #[doc = concat!("New params for ", stringify!($module), ".")]
                #[codec(tag = $params)]
                #[cfg_attr(feature = "openapi", schema(value_type = Object))]
                $Type(<modules::$module::$Type as Governed>::Params),
            )?)*
        }
    };
}
modules::for_each_module!(params_change);

/// What a proposal does if it passes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
        #[codec(max = crate::modules::compliance::MAX_NAME_BYTES)]
        name: String,
        /// Its fields.
        #[codec(max = crate::modules::compliance::MAX_FIELDS)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

impl GovernanceMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        match self {
            GovernanceMsg::Propose { .. } => schedule.propose,
            GovernanceMsg::Vote { .. } | GovernanceMsg::ClaimGrant { .. } => schedule.vote,
        }
    }
}
