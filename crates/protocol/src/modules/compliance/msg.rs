//! Compliance messages: what a transaction asks of the module.

use atelier_primitives::{Amount, Decode, Encode, Hash, Layout};
use serde::{Deserialize, Serialize};

use super::{AttestationId, DisputeId, SchemaId, Subject};

/// A compliance message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ComplianceMsg {
    /// An approved attester vouches for a dataset or model under a schema until `expiry_ms`.
    Attest {
        /// The schema.
        schema: SchemaId,
        /// A dataset or a model.
        subject: Subject,
        /// Hash of the attested data (the audit, the sourcing records).
        data_hash: Hash,
        /// Block time (ms since the Unix epoch) from which it no longer holds.
        expiry_ms: u64,
    },
    /// The attester withdraws its attestation (once, and only under a revocable schema).
    Revoke {
        /// The attestation.
        attestation: AttestationId,
    },
    /// Reports a dataset, model or asset, with a bond; arbiters decide within the window.
    ReportViolation {
        /// What is reported.
        subject: Subject,
        /// Hash of the evidence.
        evidence_hash: Hash,
        /// `ugdc` put up; at least `min_report_bond`.
        bond: Amount,
    },
    /// An arbiter's vote on an open dispute.
    VoteDispute {
        /// The dispute.
        dispute: DisputeId,
        /// Uphold (true) or reject (false).
        uphold: bool,
    },
}

impl ComplianceMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        schedule.compliance
    }
}
