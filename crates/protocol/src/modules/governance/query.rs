//! Governance queries: params, proposals with their status at the state's height, votes, grants.

use atelier_primitives::{Address, Height};
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{GovParams, Grant, Proposal, ProposalId, Vote, state};

/// Governance params.
pub fn params(state: &impl StateRead) -> Result<GovParams, StateError> {
    state::params(state)
}

/// A proposal as seen at a height: its `status` is the status then (Pending and Active follow
/// from the height), and whether quorum is reached so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalView {
    /// Whether For and Abstain reach the quorum so far.
    pub quorum_reached: bool,
    /// The record, with the status at the height.
    #[serde(flatten)]
    pub proposal: Proposal,
}

fn view(mut proposal: Proposal, height: Height) -> ProposalView {
    proposal.status = proposal.status_at(height);
    ProposalView { quorum_reached: proposal.quorum_reached(), proposal }
}

/// A proposal, seen after block `height`.
pub fn proposal(
    state: &impl StateRead,
    id: ProposalId,
    height: Height,
) -> Result<Option<ProposalView>, StateError> {
    // After block `height` the next block is `height + 1`: that is the height a vote would have.
    Ok(state::proposal(state, id)?.map(|p| view(p, Height(height.0.saturating_add(1)))))
}

/// Up to `limit` proposals after `after`, by id.
pub fn proposals(
    state: &impl StateRead,
    after: Option<ProposalId>,
    limit: usize,
    height: Height,
) -> Result<Vec<ProposalView>, StateError> {
    let next = Height(height.0.saturating_add(1));
    Ok(state::proposals_page(state, after, limit)?.into_iter().map(|p| view(p, next)).collect())
}

/// `voter`'s vote on a proposal.
pub fn vote(state: &impl StateRead, id: ProposalId, voter: &Address) -> Result<Option<Vote>, StateError> {
    state::vote(state, id, voter)
}

/// Every open grant.
pub fn grants(state: &impl StateRead) -> Result<Vec<Grant>, StateError> {
    state::grants(state)
}
