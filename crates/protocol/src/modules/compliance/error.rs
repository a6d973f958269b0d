//! Why a compliance message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount};

use super::{AttestationId, DisputeId, SchemaId, Subject};

/// A broken compliance rule. Codes are stable (the compliance range is 1200–1299).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComplianceError {
    /// No such schema.
    #[error("no schema {schema}")]
    UnknownSchema {
        /// The id.
        schema: SchemaId,
    },
    /// The sender is not an approved attester.
    #[error("{sender} is not an approved attester")]
    NotAttester {
        /// Who.
        sender: Address,
    },
    /// The subject does not exist, or cannot be attested (assets are reported, not attested).
    #[error("no {subject} to attest or report")]
    UnknownSubject {
        /// It.
        subject: Subject,
    },
    /// The expiry is not after the block's time.
    #[error("expiry {expiry_ms} is not after the block time {now_ms}")]
    AlreadyExpired {
        /// The expiry.
        expiry_ms: u64,
        /// The block time.
        now_ms: u64,
    },
    /// The subject holds as many valid attestations as allowed.
    #[error("the subject already has {max} valid attestations")]
    TooManyAttestations {
        /// The maximum.
        max: u32,
    },
    /// No such attestation.
    #[error("no attestation {attestation}")]
    UnknownAttestation {
        /// The id.
        attestation: AttestationId,
    },
    /// Only its attester revokes an attestation.
    #[error("attestation {attestation} is not {sender}'s to revoke")]
    NotTheAttester {
        /// The attestation.
        attestation: AttestationId,
        /// Who tried.
        sender: Address,
    },
    /// Revoked already.
    #[error("attestation {attestation} is revoked already")]
    AlreadyRevoked {
        /// The attestation.
        attestation: AttestationId,
    },
    /// The schema's attestations cannot be revoked.
    #[error("schema {schema} is not revocable")]
    NotRevocable {
        /// The schema.
        schema: SchemaId,
    },
    /// The bond is under the minimum.
    #[error("a report needs a bond of at least {min}, not {bond}")]
    BondTooSmall {
        /// Offered.
        bond: Amount,
        /// The minimum.
        min: Amount,
    },
    /// The subject is under dispute already.
    #[error("{subject} is under dispute {dispute} already")]
    AlreadyDisputed {
        /// The subject.
        subject: Subject,
        /// The open dispute.
        dispute: DisputeId,
    },
    /// The subject is tagged already.
    #[error("{subject} is tagged already")]
    AlreadyTagged {
        /// The subject.
        subject: Subject,
    },
    /// The sender is not an arbiter.
    #[error("{sender} is not an arbiter")]
    NotArbiter {
        /// Who.
        sender: Address,
    },
    /// No such dispute.
    #[error("no dispute {dispute}")]
    UnknownDispute {
        /// The id.
        dispute: DisputeId,
    },
    /// The dispute is decided.
    #[error("dispute {dispute} is closed")]
    DisputeClosed {
        /// The id.
        dispute: DisputeId,
    },
    /// One vote per arbiter.
    #[error("{arbiter} voted on dispute {dispute} already")]
    AlreadyVoted {
        /// The dispute.
        dispute: DisputeId,
        /// Who.
        arbiter: Address,
    },
    /// No arbiters are appointed, so no report could be decided.
    #[error("no arbiters are appointed")]
    NoArbiters,
    /// As many disputes are open as allowed.
    #[error("{max} disputes are open already")]
    TooManyDisputes {
        /// The maximum.
        max: u32,
    },
    /// Moving funds failed.
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// An id overflowed.
    #[error("arithmetic overflow")]
    Overflow,
}

impl ComplianceError {
    /// The stable numeric code.
    pub fn code(&self) -> u32 {
        match self {
            ComplianceError::UnknownSchema { .. } => 1201,
            ComplianceError::NotAttester { .. } => 1202,
            ComplianceError::UnknownSubject { .. } => 1203,
            ComplianceError::AlreadyExpired { .. } => 1204,
            ComplianceError::TooManyAttestations { .. } => 1205,
            ComplianceError::UnknownAttestation { .. } => 1206,
            ComplianceError::NotTheAttester { .. } => 1207,
            ComplianceError::AlreadyRevoked { .. } => 1208,
            ComplianceError::NotRevocable { .. } => 1209,
            ComplianceError::BondTooSmall { .. } => 1210,
            ComplianceError::AlreadyDisputed { .. } => 1211,
            ComplianceError::AlreadyTagged { .. } => 1212,
            ComplianceError::NotArbiter { .. } => 1213,
            ComplianceError::UnknownDispute { .. } => 1214,
            ComplianceError::DisputeClosed { .. } => 1215,
            ComplianceError::AlreadyVoted { .. } => 1216,
            ComplianceError::NoArbiters => 1217,
            ComplianceError::TooManyDisputes { .. } => 1218,
            ComplianceError::Bank(_) => 1219,
            ComplianceError::Overflow => 1220,
        }
    }
}
