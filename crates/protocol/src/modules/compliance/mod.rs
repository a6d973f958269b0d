//! compliance: attestations of ethical data sourcing gate monetisation; violations are reported
//! with a bond, decided by arbiters, and upheld ones tag the subject, slash and lock its owner's
//! stake. Spec: `README.md` beside this file.

pub(crate) mod admin;
pub mod error;
pub mod events;
pub mod gate;
pub mod genesis;
pub(crate) mod handler;
pub(crate) mod hooks;
pub mod invariants;
pub mod msg;
pub mod params;
pub mod query;
mod state;

pub use error::{ComplianceError, ComplianceParamsError};
pub use events::ComplianceEvent;
pub use gate::Gate;
pub use genesis::ComplianceGenesis;
pub use msg::ComplianceMsg;
pub use params::ComplianceParams;
pub use state::{
    Attestation, AttestationId, Dispute, DisputeId, DisputeStatus, FieldName, MAX_FIELDS, MAX_NAME_BYTES,
    Schema, SchemaId, Subject, Tag, account, remediation,
};

use atelier_primitives::Height;
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::app::caps::Slasher;
use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Governed, Handler, Module, fees::GasSchedule},
};

/// Attestations, the ethical-sourcing gate and disputes.
#[derive(Debug)]
pub struct Compliance;

impl Module for Compliance {
    const NAME: &'static str = "compliance";
    type Genesis = ComplianceGenesis;
    type Event = ComplianceEvent;

    fn normalize(section: ComplianceGenesis, _: &Genesis) -> Result<ComplianceGenesis, GenesisError> {
        section.normalize()
    }

    fn init(state: &mut impl StateWrite, section: &ComplianceGenesis) -> Result<(), GenesisError> {
        Ok(genesis::init(state, section)?)
    }

    fn export(state: &impl StateRead) -> Result<ComplianceGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        invariants::books(state)
    }

    /// The books, from what the block changed. O(changes).
    fn block_invariants(
        before: &impl StateRead,
        after: &impl StateRead,
        changes: &ChangeSet,
    ) -> Result<Vec<Violation>, StateError> {
        invariants::books_of_changes(before, after, changes)
    }
}

impl Handler for Compliance {
    type Msg = ComplianceMsg;
    type Error = ComplianceError;
    type Caps = Slasher;

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<Slasher>,
        msg: &ComplianceMsg,
    ) -> Result<(), Failure<ComplianceError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &ComplianceMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }
}

impl Governed for Compliance {
    type Params = ComplianceParams;

    fn set_params(
        state: &mut impl StateWrite,
        _: Height,
        params: &ComplianceParams,
    ) -> Result<(), Failure<String>> {
        state::set_params(state, params);
        Ok(())
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        let params = state::params(state)?;
        params.validate().map_err(|e| Failure::Rule(e.to_string()))?;
        match params.ethical_schema {
            Some(schema) if state::schema(state, schema)?.is_none() => {
                Err(Failure::Rule(format!("the ethical-sourcing schema {schema} is not registered")))
            }
            _ => Ok(()),
        }
    }
}
