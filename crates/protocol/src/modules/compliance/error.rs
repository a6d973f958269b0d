//! Why a compliance message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount, ErrorCode};

use super::{AttestationId, DisputeId, SchemaId, Subject};

/// A broken compliance rule. Codes are stable (the compliance range is 1200–1299).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
// Wrapped errors once had codes of their own; they now keep the inner error's.
#[code(retired(1219))]
pub enum ComplianceError {
    /// No such schema.
    #[code(1201)]
    #[error("no schema {schema}")]
    UnknownSchema {
        /// The id.
        schema: SchemaId,
    },
    /// The sender is not an approved attester.
    #[code(1202)]
    #[error("{sender} is not an approved attester")]
    NotAttester {
        /// Who.
        sender: Address,
    },
    /// The subject does not exist, or cannot be attested (assets are reported, not attested).
    #[code(1203)]
    #[error("no {subject} to attest or report")]
    UnknownSubject {
        /// It.
        subject: Subject,
    },
    /// The expiry is not after the block's time.
    #[code(1204)]
    #[error("expiry {expiry_ms} is not after the block time {time_ms}")]
    AlreadyExpired {
        /// The expiry.
        expiry_ms: u64,
        /// The block time.
        time_ms: u64,
    },
    /// The subject holds as many valid attestations as allowed.
    #[code(1205)]
    #[error("the subject already has {max} valid attestations")]
    TooManyAttestations {
        /// The maximum.
        max: u32,
    },
    /// No such attestation.
    #[code(1206)]
    #[error("no attestation {attestation}")]
    UnknownAttestation {
        /// The id.
        attestation: AttestationId,
    },
    /// Only its attester revokes an attestation.
    #[code(1207)]
    #[error("attestation {attestation} is not {sender}'s to revoke")]
    NotTheAttester {
        /// The attestation.
        attestation: AttestationId,
        /// Who tried.
        sender: Address,
    },
    /// Revoked already.
    #[code(1208)]
    #[error("attestation {attestation} is revoked already")]
    AlreadyRevoked {
        /// The attestation.
        attestation: AttestationId,
    },
    /// The schema's attestations cannot be revoked.
    #[code(1209)]
    #[error("schema {schema} is not revocable")]
    NotRevocable {
        /// The schema.
        schema: SchemaId,
    },
    /// The bond is under the minimum.
    #[code(1210)]
    #[error("a report needs a bond of at least {min}, not {bond}")]
    BondTooSmall {
        /// Offered.
        bond: Amount,
        /// The minimum.
        min: Amount,
    },
    /// The subject is under dispute already.
    #[code(1211)]
    #[error("{subject} is under dispute {dispute} already")]
    AlreadyDisputed {
        /// The subject.
        subject: Subject,
        /// The open dispute.
        dispute: DisputeId,
    },
    /// The subject is tagged already.
    #[code(1212)]
    #[error("{subject} is tagged already")]
    AlreadyTagged {
        /// The subject.
        subject: Subject,
    },
    /// The sender is not an arbiter.
    #[code(1213)]
    #[error("{sender} is not an arbiter")]
    NotArbiter {
        /// Who.
        sender: Address,
    },
    /// No such dispute.
    #[code(1214)]
    #[error("no dispute {dispute}")]
    UnknownDispute {
        /// The id.
        dispute: DisputeId,
    },
    /// The dispute is decided.
    #[code(1215)]
    #[error("dispute {dispute} is closed")]
    DisputeClosed {
        /// The id.
        dispute: DisputeId,
    },
    /// One vote per arbiter.
    #[code(1216)]
    #[error("{arbiter} voted on dispute {dispute} already")]
    AlreadyVoted {
        /// The dispute.
        dispute: DisputeId,
        /// Who.
        arbiter: Address,
    },
    /// No arbiters are appointed, so no report could be decided.
    #[code(1217)]
    #[error("no arbiters are appointed")]
    NoArbiters,
    /// As many disputes are open as allowed.
    #[code(1218)]
    #[error("{max} disputes are open already")]
    TooManyDisputes {
        /// The maximum.
        max: u32,
    },
    /// Moving funds failed.
    #[code(inner)]
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// An id overflowed.
    #[code(1220)]
    #[error("arithmetic overflow")]
    Overflow,
}

/// Why compliance params are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComplianceParamsError {
    /// Disputes need a window to be decided in.
    #[error("dispute_window_blocks must be positive")]
    NoDisputeWindow,
    /// The quorum must be reachable.
    #[error("arbiter_quorum must be between 1 and the number of arbiters")]
    Quorum,
    /// An arbiter is listed twice.
    #[error("arbiters must be distinct")]
    DuplicateArbiter,
    /// The gate reads every attestation of a subject.
    #[error("max_attestations_per_subject must be between 1 and 64")]
    AttestationsOutOfRange,
    /// Open disputes are bounded.
    #[error("max_open_disputes must be between 1 and 1024")]
    OpenDisputesOutOfRange,
    /// The ethical-sourcing schema must exist.
    #[error("the ethical-sourcing schema {0} is not registered")]
    UnknownSchema(super::SchemaId),
}
