//! Compliance events: what happened, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Denom, Encode};
use serde::{Deserialize, Serialize};

use super::{AttestationId, DisputeId, SchemaId, Subject};
use crate::modules::registry::ModelId;

/// A compliance event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
