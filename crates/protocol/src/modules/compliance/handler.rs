//! Executes compliance messages: check everything, then write.

use atelier_primitives::{Address, Amount, Denom, Hash, Height};
use atelier_state::{StateError, StateRead, StateWrite};

use super::{
    Attestation, AttestationId, ComplianceError, ComplianceEvent, ComplianceMsg, Dispute, DisputeId,
    DisputeStatus, SchemaId, Subject,
    state::{self, account},
};
use crate::{
    app::caps::Slasher,
    event::Event,
    modules::{Ctx, Failure, bank, provenance, registry, rule},
};

type ComplianceResult = Result<(), Failure<ComplianceError>>;

/// Runs `msg` in the block `ctx` describes, sent by `ctx.sender`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<Slasher>,
    msg: &ComplianceMsg,
) -> ComplianceResult {
    let (height, time_ms, sender) = (ctx.height, ctx.time_ms, &ctx.sender);
    match msg {
        ComplianceMsg::Attest { schema, subject, data_hash, expiry_ms } => {
            attest(state, events, height, time_ms, sender, *schema, *subject, *data_hash, *expiry_ms)
        }
        ComplianceMsg::Revoke { attestation } => revoke(state, events, sender, *attestation),
        ComplianceMsg::ReportViolation { subject, evidence_hash, bond } => {
            report(state, events, height, sender, *subject, *evidence_hash, *bond)
        }
        ComplianceMsg::VoteDispute { dispute, uphold } => {
            vote(state, events, height, sender, *dispute, *uphold)
        }
    }
}

/// Who answers for `subject` — a dataset's or model's registrant, an asset's creator — or `None`
/// if it does not exist.
pub(crate) fn responsible(
    state: &(impl StateRead + ?Sized),
    subject: &Subject,
) -> Result<Option<Address>, StateError> {
    Ok(match subject {
        Subject::Dataset(id) => registry::dataset(state, *id)?.map(|d| d.owner),
        Subject::Model(id) => registry::model(state, *id)?.map(|m| m.owner),
        Subject::Asset(id) => provenance::asset(state, *id)?.map(|a| a.creator),
    })
}

#[allow(clippy::too_many_arguments)]
fn attest(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    time_ms: u64,
    sender: &Address,
    schema: SchemaId,
    subject: Subject,
    data_hash: Hash,
    expiry_ms: u64,
) -> ComplianceResult {
    if state::schema(state, schema)?.is_none() {
        return rule(ComplianceError::UnknownSchema { schema });
    }
    if !state::is_attester(state, sender)? {
        return rule(ComplianceError::NotAttester { sender: *sender });
    }
    if matches!(subject, Subject::Asset(_)) || responsible(state, &subject)?.is_none() {
        return rule(ComplianceError::UnknownSubject { subject });
    }
    if expiry_ms <= time_ms {
        return rule(ComplianceError::AlreadyExpired { expiry_ms, time_ms });
    }
    let max = state::params(state)?.max_attestations_per_subject;
    let (valid, lapsed): (Vec<_>, Vec<_>) =
        state::indexed(state, &subject)?.into_iter().partition(|a| a.is_valid(time_ms));
    if valid.len() >= max as usize {
        return rule(ComplianceError::TooManyAttestations { max });
    }
    let Some(id) = state::take_id(state, "attestation")? else {
        return rule(ComplianceError::Overflow);
    };
    // Point of no return. Lapsed attestations leave the subject's index: it stays bounded.
    for old in lapsed {
        state::unindex(state, &subject, old.id);
    }
    let attestation = Attestation {
        id: AttestationId(id),
        schema,
        subject,
        attester: *sender,
        data_hash,
        expiry_ms,
        revoked: false,
        height,
    };
    state::put_attestation(state, &attestation);
    events.push(Event::Compliance(ComplianceEvent::Attested {
        attestation: attestation.id,
        schema,
        subject,
        attester: *sender,
        expiry_ms,
    }));
    Ok(())
}

fn revoke(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    sender: &Address,
    id: AttestationId,
) -> ComplianceResult {
    let Some(mut attestation) = state::attestation(state, id)? else {
        return rule(ComplianceError::UnknownAttestation { attestation: id });
    };
    if attestation.attester != *sender {
        return rule(ComplianceError::NotTheAttester { attestation: id, sender: *sender });
    }
    if attestation.revoked {
        return rule(ComplianceError::AlreadyRevoked { attestation: id });
    }
    let revocable = state::schema(state, attestation.schema)?.is_some_and(|s| s.revocable);
    if !revocable {
        return rule(ComplianceError::NotRevocable { schema: attestation.schema });
    }
    // Point of no return.
    attestation.revoked = true;
    state::put_attestation(state, &attestation);
    events.push(Event::Compliance(ComplianceEvent::Revoked { attestation: id }));
    Ok(())
}

fn report(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    sender: &Address,
    subject: Subject,
    evidence_hash: Hash,
    bond: Amount,
) -> ComplianceResult {
    let params = state::params(state)?;
    if responsible(state, &subject)?.is_none() {
        return rule(ComplianceError::UnknownSubject { subject });
    }
    if state::tag(state, &subject)?.is_some() {
        return rule(ComplianceError::AlreadyTagged { subject });
    }
    if let Some(dispute) = state::open_dispute(state, &subject)? {
        return rule(ComplianceError::AlreadyDisputed { subject, dispute });
    }
    if bond < params.min_report_bond {
        return rule(ComplianceError::BondTooSmall { bond, min: params.min_report_bond });
    }
    if params.arbiters.is_empty() {
        return rule(ComplianceError::NoArbiters);
    }
    if state::open_count(state)? >= params.max_open_disputes {
        return rule(ComplianceError::TooManyDisputes { max: params.max_open_disputes });
    }
    bank::send(state, events, sender, &account(), &Denom::GDC, bond)
        .map_err(|f| f.map_rule(ComplianceError::Bank))?;
    let Some(id) = state::take_id(state, "dispute")? else {
        return rule(ComplianceError::Overflow);
    };
    // Point of no return.
    let dispute = Dispute {
        id: DisputeId(id),
        subject,
        reporter: *sender,
        evidence_hash,
        bond,
        opened: height,
        closes: Height(height.0.saturating_add(params.dispute_window_blocks)),
        uphold: 0,
        reject: 0,
        status: DisputeStatus::Open,
    };
    state::put_dispute(state, &dispute)?;
    events.push(Event::Compliance(ComplianceEvent::Reported {
        dispute: dispute.id,
        subject,
        reporter: *sender,
        bond,
    }));
    Ok(())
}

fn vote(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    sender: &Address,
    id: DisputeId,
    uphold: bool,
) -> ComplianceResult {
    if !state::params(state)?.arbiters.contains(sender) {
        return rule(ComplianceError::NotArbiter { sender: *sender });
    }
    let Some(mut dispute) = state::dispute(state, id)? else {
        return rule(ComplianceError::UnknownDispute { dispute: id });
    };
    if dispute.status != DisputeStatus::Open || height > dispute.closes {
        return rule(ComplianceError::DisputeClosed { dispute: id });
    }
    if state::vote(state, id, sender)?.is_some() {
        return rule(ComplianceError::AlreadyVoted { dispute: id, arbiter: *sender });
    }
    // Point of no return.
    if uphold {
        dispute.uphold = dispute.uphold.saturating_add(1);
    } else {
        dispute.reject = dispute.reject.saturating_add(1);
    }
    state::set_vote(state, id, sender, uphold);
    state::put_dispute(state, &dispute)?;
    events.push(Event::Compliance(ComplianceEvent::DisputeVoted { dispute: id, arbiter: *sender, uphold }));
    Ok(())
}
