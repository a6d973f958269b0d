//! Governance events: what happened, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Encode, Height};
use serde::{Deserialize, Serialize};

use super::{Choice, ProposalId};

/// A governance event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
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
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        amount: u128,
    },
}
