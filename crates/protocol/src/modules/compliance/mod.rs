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
pub(crate) mod state;

pub use error::ComplianceError;
pub use events::ComplianceEvent;
pub use gate::Gate;
pub use genesis::ComplianceGenesis;
pub use msg::ComplianceMsg;
pub use params::ComplianceParams;
pub use state::{
    Attestation, AttestationId, Dispute, DisputeId, DisputeStatus, FieldName, MAX_FIELDS, MAX_NAME_BYTES,
    Schema, SchemaId, Subject, Tag, account, remediation,
};
