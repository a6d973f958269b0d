//! governance genesis: params, proposals, votes, grants and the next ids. Timers are not stored in
//! genesis: each open proposal's next step follows from its record.

use atelier_primitives::Address;
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{GovParams, Grant, Proposal, ProposalId, Status, Vote, state};
use crate::genesis::GenesisError;

/// One recorded vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VoteGenesis {
    /// The proposal.
    pub proposal: ProposalId,
    /// Who.
    pub voter: Address,
    /// The vote.
    pub vote: Vote,
}

/// The governance part of genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GovernanceGenesis {
    /// Parameters.
    #[serde(default)]
    pub params: GovParams,
    /// Proposals, by id.
    #[serde(default)]
    pub proposals: Vec<Proposal>,
    /// Votes, by proposal then voter.
    #[serde(default)]
    pub votes: Vec<VoteGenesis>,
    /// Grants, by id.
    #[serde(default)]
    pub grants: Vec<Grant>,
    /// The id the next proposal gets.
    #[serde(default = "first_id")]
    pub next_proposal: u64,
    /// The id the next grant gets.
    #[serde(default = "first_id")]
    pub next_grant: u64,
}

fn first_id() -> u64 {
    1
}

impl Default for GovernanceGenesis {
    fn default() -> Self {
        GovernanceGenesis {
            params: GovParams::default(),
            proposals: Vec::new(),
            votes: Vec::new(),
            grants: Vec::new(),
            next_proposal: 1,
            next_grant: 1,
        }
    }
}

impl GovernanceGenesis {
    /// Checks the section and sorts it.
    pub fn normalize(mut self) -> Result<GovernanceGenesis, GenesisError> {
        let invalid = |reason: String| GenesisError::Section { module: "governance", reason };
        self.params.validate().map_err(|e| invalid(e.to_string()))?;
        self.proposals.sort_by_key(|p| p.id);
        self.votes.sort_by_key(|v| (v.proposal, v.voter));
        self.grants.sort_by_key(|g| g.id);
        if self.proposals.windows(2).any(|w| w[0].id == w[1].id)
            || self.proposals.iter().any(|p| p.id.0 == 0 || p.id.0 >= self.next_proposal)
        {
            return Err(invalid("proposal ids must be unique and between 1 and next_proposal".into()));
        }
        if self.votes.windows(2).any(|w| (w[0].proposal, w[0].voter) == (w[1].proposal, w[1].voter)) {
            return Err(invalid("an account votes once on a proposal".into()));
        }
        if self.grants.windows(2).any(|w| w[0].id == w[1].id)
            || self.grants.iter().any(|g| g.id == 0 || g.id >= self.next_grant)
        {
            return Err(invalid("grant ids must be unique and between 1 and next_grant".into()));
        }
        Ok(self)
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &GovernanceGenesis) {
    state::set_params(state, &genesis.params);
    state::set_next_proposal(state, genesis.next_proposal);
    state::set_next_grant(state, genesis.next_grant);
    for proposal in &genesis.proposals {
        state::put_proposal(state, proposal);
        match (proposal.status, proposal.eta) {
            (Status::Pending | Status::Active, _) => {
                state::set_timer(state, proposal.voting_ends, proposal.id)
            }
            (Status::Queued, Some(eta)) => state::set_timer(state, eta, proposal.id),
            _ => {}
        }
    }
    for vote in &genesis.votes {
        state::put_vote(state, vote.proposal, &vote.voter, &vote.vote);
    }
    for grant in &genesis.grants {
        state::put_grant(state, grant);
    }
}

pub(crate) fn export(state: &impl StateRead) -> Result<GovernanceGenesis, StateError> {
    Ok(GovernanceGenesis {
        params: state::params(state)?,
        proposals: state::proposals(state)?,
        votes: state::votes(state)?
            .into_iter()
            .map(|(proposal, voter, vote)| VoteGenesis { proposal, voter, vote })
            .collect(),
        grants: state::grants(state)?,
        next_proposal: state::next_proposal(state)?,
        next_grant: state::next_grant(state)?,
    })
}
