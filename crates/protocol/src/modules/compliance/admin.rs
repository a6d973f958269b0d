//! What governance does to compliance: register schemas, approve and remove attesters, clear a
//! wrongful tag, release a model's escrow. Each checks first and writes only if it can apply.

use atelier_primitives::{Address, Amount, Denom};
use atelier_state::StateWrite;

use super::{
    ComplianceEvent, Schema, SchemaId, Subject,
    state::{self, FieldName, MAX_FIELDS, MAX_NAME_BYTES},
};
use crate::{
    event::Event,
    modules::{Failure, bank, registry::ModelId, rule},
};

type AdminResult = Result<(), Failure<String>>;

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && name.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
}

/// Checks a schema's name and fields.
pub(crate) fn check_schema(name: &str, fields: &[FieldName]) -> AdminResult {
    if !valid_name(name) {
        return rule(format!("a schema name is 1 to {MAX_NAME_BYTES} printable ASCII bytes"));
    }
    if fields.len() > MAX_FIELDS || fields.iter().any(|f| !valid_name(&f.0)) {
        return rule(format!(
            "a schema has at most {MAX_FIELDS} fields of 1 to {MAX_NAME_BYTES} printable bytes"
        ));
    }
    Ok(())
}

/// Registers a schema.
pub(crate) fn register_schema(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    name: &str,
    fields: &[FieldName],
    revocable: bool,
) -> AdminResult {
    check_schema(name, fields)?;
    let Some(id) = state::take_id(state, "schema")? else {
        return rule("schema ids exhausted".into());
    };
    let schema = Schema { id: SchemaId(id), name: name.to_string(), fields: fields.to_vec(), revocable };
    state::put_schema(state, &schema);
    events.push(Event::Compliance(ComplianceEvent::SchemaRegistered { schema: schema.id, revocable }));
    Ok(())
}

/// Approves or removes an attester (its attestations stay as they are).
pub(crate) fn set_attester(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    attester: &Address,
    approved: bool,
) -> AdminResult {
    state::set_attester(state, attester, approved);
    events.push(Event::Compliance(ComplianceEvent::AttesterSet { attester: *attester, approved }));
    Ok(())
}

/// Whether `subject` is tagged, for a clearing to apply.
pub(crate) fn check_tagged(state: &impl StateWrite, subject: &Subject) -> AdminResult {
    if state::tag(state, subject)?.is_none() {
        return rule(format!("{subject} is not tagged"));
    }
    Ok(())
}

/// Clears a wrongful tag (slashes and payouts already made stand).
pub(crate) fn clear_tag(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    subject: &Subject,
) -> AdminResult {
    check_tagged(state, subject)?;
    state::set_tag(state, subject, None);
    events.push(Event::Compliance(ComplianceEvent::TagCleared { subject: *subject }));
    Ok(())
}

/// Pays `model`'s escrow, every denom, to `to`.
pub(crate) fn release_escrow(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    model: ModelId,
    to: &Address,
) -> AdminResult {
    let mut released = Amount::ZERO;
    for denom in [Denom::GDC, Denom::USD] {
        let held = state::escrow(state, model, &denom)?;
        if held.is_zero() {
            continue;
        }
        bank::send(state, events, &state::account(), to, &denom, held)
            .map_err(|f| f.map_rule(|e| e.to_string()))?;
        state::set_escrow(state, model, &denom, Amount::ZERO);
        released = released.saturating_add(held);
    }
    if released.is_zero() {
        return rule(format!("model {model} has nothing in escrow"));
    }
    events.push(Event::Compliance(ComplianceEvent::EscrowReleased { model, to: *to }));
    Ok(())
}
