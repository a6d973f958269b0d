//! Compliance queries: params, schemas, attesters, a subject's attestations and standing, a
//! model's gate, disputes and their votes.

use atelier_primitives::{Address, Amount, Denom};
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{
    Attestation, AttestationId, ComplianceParams, Dispute, DisputeId, Gate, Schema, Subject, Tag, gate, state,
};
use crate::modules::registry::{self, ModelId};

/// Compliance params.
pub fn params(state: &impl StateRead) -> Result<ComplianceParams, StateError> {
    state::params(state)
}

/// Every schema.
pub fn schemas(state: &impl StateRead) -> Result<Vec<Schema>, StateError> {
    state::schemas(state)
}

/// Every approved attester.
pub fn attesters(state: &impl StateRead) -> Result<Vec<Address>, StateError> {
    state::attesters(state)
}

/// One attestation.
pub fn attestation(state: &impl StateRead, id: AttestationId) -> Result<Option<Attestation>, StateError> {
    state::attestation(state, id)
}

/// A subject's compliance at a block time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubjectView {
    /// The subject.
    pub subject: Subject,
    /// Its attestations that may still be valid, each with its validity now.
    pub attestations: Vec<AttestationView>,
    /// Whether it holds a valid attestation under the ethical-sourcing schema now.
    pub ethically_attested: bool,
    /// Its tag, if a violation was upheld.
    pub tag: Option<Tag>,
    /// Its open dispute, if any.
    pub open_dispute: Option<DisputeId>,
    /// For a model: whether it may earn now.
    pub gate: Option<Gate>,
    /// For a model: revenue withheld in escrow, by denom.
    pub escrow: Vec<(Denom, Amount)>,
}

/// An attestation and whether it holds now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttestationView {
    /// It.
    pub attestation: Attestation,
    /// Valid at the block time asked about.
    pub valid: bool,
}

/// `subject` at block time `time_ms`.
pub fn subject(state: &impl StateRead, subject: &Subject, time_ms: u64) -> Result<SubjectView, StateError> {
    let params = state::params(state)?;
    let attestations: Vec<AttestationView> = state::indexed(state, subject)?
        .into_iter()
        .map(|attestation| AttestationView { valid: attestation.is_valid(time_ms), attestation })
        .collect();
    let ethically_attested = params
        .ethical_schema
        .is_some_and(|schema| attestations.iter().any(|a| a.valid && a.attestation.schema == schema));
    let (gate, escrow) = match subject {
        Subject::Model(id) => model_standing(state, *id, time_ms)?,
        _ => (None, Vec::new()),
    };
    Ok(SubjectView {
        subject: *subject,
        attestations,
        ethically_attested,
        tag: state::tag(state, subject)?,
        open_dispute: state::open_dispute(state, subject)?,
        gate,
        escrow,
    })
}

#[allow(clippy::type_complexity)]
fn model_standing(
    state: &impl StateRead,
    id: ModelId,
    time_ms: u64,
) -> Result<(Option<Gate>, Vec<(Denom, Amount)>), StateError> {
    let Some(model) = registry::model(state, id)? else {
        return Ok((None, Vec::new()));
    };
    let mut escrow = Vec::new();
    for denom in [Denom::GDC, Denom::USD] {
        let held = state::escrow(state, id, &denom)?;
        if !held.is_zero() {
            escrow.push((denom, held));
        }
    }
    Ok((Some(gate::gate(state, &model, time_ms)?), escrow))
}

/// One dispute with its votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeView {
    /// It.
    pub dispute: Dispute,
    /// Votes, by arbiter.
    pub votes: Vec<VoteView>,
}

/// An arbiter's vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteView {
    /// Who.
    pub arbiter: Address,
    /// Whether to uphold.
    pub uphold: bool,
}

/// One dispute.
pub fn dispute(state: &impl StateRead, id: DisputeId) -> Result<Option<DisputeView>, StateError> {
    let Some(dispute) = state::dispute(state, id)? else { return Ok(None) };
    let votes =
        state::votes(state, id)?.into_iter().map(|(arbiter, uphold)| VoteView { arbiter, uphold }).collect();
    Ok(Some(DisputeView { votes, dispute }))
}

/// Disputes after `after`, by id, at most `limit`.
pub fn disputes(
    state: &impl StateRead,
    after: Option<DisputeId>,
    limit: usize,
) -> Result<Vec<Dispute>, StateError> {
    state::disputes_page(state, after, limit)
}
