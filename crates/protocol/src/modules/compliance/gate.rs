//! The gate: whether a model may earn now, and where the revenue it may not earn goes. Read by the
//! compute market (admission and settlement), the market (a sale's lineage royalties), provenance
//! (parents) and the registry (a fine-tune's base model). O(lineage × attestations per dataset).

use atelier_primitives::{Address, Amount, Denom};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{ComplianceEvent, Subject, state};
use crate::{
    event::Event,
    modules::{
        Failure,
        bank::{self, BankError},
        registry::{DatasetId, Model},
    },
};

/// Whether a model may earn now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", content = "because", rename_all = "snake_case")]
pub enum Gate {
    /// Nothing of its lineage is tagged and every dataset of it holds a valid attestation under
    /// the ethical-sourcing schema.
    Compliant,
    /// It, a model it fine-tunes or a dataset of its lineage is tagged.
    Tagged(Subject),
    /// This dataset of its lineage holds no valid attestation under the ethical-sourcing schema.
    Unattested(DatasetId),
}

impl std::fmt::Display for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Gate::Compliant => f.write_str("compliant"),
            Gate::Tagged(subject) => write!(f, "{subject} of its lineage is tagged for a violation"),
            Gate::Unattested(dataset) => {
                write!(f, "dataset {dataset} of its lineage has no valid ethical-sourcing attestation")
            }
        }
    }
}

/// Whether `subject` is tagged.
pub fn is_tagged(state: &(impl StateRead + ?Sized), subject: &Subject) -> Result<bool, StateError> {
    Ok(state::tag(state, subject)?.is_some())
}

/// Whether `subject` holds a valid attestation under `schema` at block time `time_ms`.
pub fn is_attested(
    state: &(impl StateRead + ?Sized),
    subject: &Subject,
    schema: super::SchemaId,
    time_ms: u64,
) -> Result<bool, StateError> {
    Ok(state::indexed(state, subject)?.iter().any(|a| a.schema == schema && a.is_valid(time_ms)))
}

/// Whether `model` may earn at block time `time_ms` (spec: README "The gate").
pub fn gate(state: &(impl StateRead + ?Sized), model: &Model, time_ms: u64) -> Result<Gate, StateError> {
    let own = Subject::Model(model.id);
    if is_tagged(state, &own)? {
        return Ok(Gate::Tagged(own));
    }
    for ancestor in &model.lineage_fees {
        let subject = Subject::Model(ancestor.model);
        if is_tagged(state, &subject)? {
            return Ok(Gate::Tagged(subject));
        }
    }
    for weight in &model.lineage_datasets {
        let subject = Subject::Dataset(weight.dataset);
        if is_tagged(state, &subject)? {
            return Ok(Gate::Tagged(subject));
        }
    }
    if let Some(schema) = state::params(state)?.ethical_schema {
        for weight in &model.lineage_datasets {
            if !is_attested(state, &Subject::Dataset(weight.dataset), schema, time_ms)? {
                return Ok(Gate::Unattested(weight.dataset));
            }
        }
    }
    Ok(Gate::Compliant)
}

/// Takes `amount` of `denom` from `from` that `model`'s lineage may not earn under `gate`: into
/// the model's escrow while it is unattested, to the remediation account once it is tagged.
pub(crate) fn withhold(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    from: &Address,
    model: &Model,
    gate: Gate,
    denom: &Denom,
    amount: Amount,
) -> Result<(), Failure<BankError>> {
    if amount.is_zero() {
        return Ok(());
    }
    let remediated = matches!(gate, Gate::Tagged(_));
    if remediated {
        bank::send(state, events, from, &state::remediation(), denom, amount)?;
    } else {
        bank::send(state, events, from, &state::account(), denom, amount)?;
        let held = state::escrow(state, model.id, denom)?.saturating_add(amount);
        state::set_escrow(state, model.id, denom, held);
    }
    events.push(Event::Compliance(ComplianceEvent::Withheld {
        model: model.id,
        denom: *denom,
        amount,
        remediated,
    }));
    Ok(())
}
