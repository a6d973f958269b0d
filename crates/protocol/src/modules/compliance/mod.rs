//! compliance: attestations of ethical data sourcing gate monetisation; violations are reported
//! with a bond, decided by arbiters, and upheld ones tag the subject, slash and lock its owner's
//! stake. Spec: `README.md` beside this file.

pub(crate) mod admin;
pub mod gate;
pub mod genesis;
pub(crate) mod handler;
pub(crate) mod hooks;
pub mod invariants;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use gate::Gate;
pub use genesis::ComplianceGenesis;
pub use params::ComplianceParams;
pub use state::{
    Attestation, AttestationId, Dispute, DisputeId, DisputeStatus, FieldName, MAX_FIELDS, MAX_NAME_BYTES,
    Schema, SchemaId, Subject, Tag, account, remediation,
};

use atelier_primitives::{Address, Amount, Decode, Denom, Encode, Hash};
use serde::{Deserialize, Serialize};

use crate::modules::registry::ModelId;

/// A compliance message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
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

/// A compliance event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ComplianceEvent {
    /// An attestation was made.
    Attested {
        /// It.
        attestation: AttestationId,
        /// The schema.
        schema: SchemaId,
        /// The subject.
        subject: Subject,
        /// By whom.
        attester: Address,
        /// Until when.
        expiry_ms: u64,
    },
    /// An attestation was revoked.
    Revoked {
        /// It.
        attestation: AttestationId,
    },
    /// A violation was reported.
    Reported {
        /// The dispute opened.
        dispute: DisputeId,
        /// The subject.
        subject: Subject,
        /// By whom.
        reporter: Address,
        /// The bond.
        bond: Amount,
    },
    /// An arbiter voted.
    DisputeVoted {
        /// The dispute.
        dispute: DisputeId,
        /// Who.
        arbiter: Address,
        /// How.
        uphold: bool,
    },
    /// A dispute was upheld: the subject is tagged, its owner slashed and locked, the reporter
    /// repaid and rewarded.
    Upheld {
        /// The dispute.
        dispute: DisputeId,
        /// The subject.
        subject: Subject,
        /// Its owner.
        owner: Address,
        /// Stake burned.
        slashed: Amount,
        /// Paid to the reporter from the treasury on top of the bond.
        reward: Amount,
        /// Escrowed revenue moved to the remediation account.
        remediated: Amount,
    },
    /// A dispute was rejected: the bond goes to the treasury.
    Rejected {
        /// The dispute.
        dispute: DisputeId,
        /// The bond forfeited.
        bond: Amount,
    },
    /// Governance registered a schema.
    SchemaRegistered {
        /// It.
        schema: SchemaId,
        /// Whether its attestations can be revoked.
        revocable: bool,
    },
    /// Governance approved or removed an attester.
    AttesterSet {
        /// Who.
        attester: Address,
        /// Approved or removed.
        approved: bool,
    },
    /// Governance cleared a tag.
    TagCleared {
        /// The subject.
        subject: Subject,
    },
    /// Governance released a model's escrow.
    EscrowReleased {
        /// The model.
        model: ModelId,
        /// To whom.
        to: Address,
    },
    /// Revenue meant for a model's lineage was withheld: escrowed while it is not attested, to the
    /// remediation account once it is tagged.
    Withheld {
        /// The model.
        model: ModelId,
        /// Which denom.
        denom: Denom,
        /// How much.
        amount: Amount,
        /// Whether it went to the remediation account.
        remediated: bool,
    },
}

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
