//! `atelier tx compliance …` and `atelier query compliance …`: attestations of ethical data
//! sourcing, violation reports and arbiters' votes.

use std::time::SystemTime;

use anyhow::Result;
use atelier_primitives::{Denom, Hash};
use atelier_protocol::{
    Msg,
    modules::compliance::{AttestationId, ComplianceMsg, DisputeId, SchemaId, Subject},
};
use clap::Subcommand;

use super::Page;
use crate::{Signing, keys::Keystore, money::Money};

/// A compliance message.
#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// Attest a dataset or model under a schema (the signer must be an approved attester).
    #[command(
        after_help = "Example:\n  atelier tx compliance attest --from dev8 --schema 1 --subject dataset/1 --data-hash 5e…0c"
    )]
    Attest {
        #[command(flatten)]
        signing: Signing,
        /// The schema (1 is the dev chain's ethical-sourcing schema).
        #[arg(long)]
        schema: u64,
        /// `dataset/ID` or `model/ID`.
        #[arg(long)]
        subject: Subject,
        /// Hash of the attested records (64 hex digits).
        #[arg(long)]
        data_hash: Hash,
        /// Days from now until it expires.
        #[arg(long, default_value_t = 365)]
        valid_for_days: u64,
    },
    /// Revoke one of the signer's attestations.
    Revoke {
        #[command(flatten)]
        signing: Signing,
        /// The attestation.
        #[arg(long)]
        attestation: u64,
    },
    /// Report a dataset, model or asset, with a bond.
    Report {
        #[command(flatten)]
        signing: Signing,
        /// `dataset/ID`, `model/ID` or `asset/ID`.
        #[arg(long)]
        subject: Subject,
        /// Hash of the evidence (64 hex digits).
        #[arg(long)]
        evidence_hash: Hash,
        /// The bond in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long)]
        bond: Money,
    },
    /// An arbiter's vote on a dispute.
    Vote {
        #[command(flatten)]
        signing: Signing,
        /// The dispute.
        #[arg(long)]
        dispute: u64,
        /// uphold or reject.
        #[arg(long, value_enum)]
        verdict: Verdict,
    },
}

/// An arbiter's verdict, on the command line.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum Verdict {
    /// The violation is real.
    Uphold,
    /// It is not.
    Reject,
}

/// The message `command` asks for, and who signs it.
pub(crate) fn message(_: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        Tx::Attest { signing, schema, subject, data_hash, valid_for_days } => {
            let now_ms =
                SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
            let expiry_ms = now_ms.saturating_add(valid_for_days.saturating_mul(86_400_000));
            (signing, ComplianceMsg::Attest { schema: SchemaId(schema), subject, data_hash, expiry_ms })
        }
        Tx::Revoke { signing, attestation } => {
            (signing, ComplianceMsg::Revoke { attestation: AttestationId(attestation) })
        }
        Tx::Report { signing, subject, evidence_hash, bond } => {
            (signing, ComplianceMsg::ReportViolation { subject, evidence_hash, bond: bond.of(Denom::GDC)? })
        }
        Tx::Vote { signing, dispute, verdict } => (
            signing,
            ComplianceMsg::VoteDispute {
                dispute: DisputeId(dispute),
                uphold: matches!(verdict, Verdict::Uphold),
            },
        ),
    };
    Ok((signing, Msg::Compliance(msg)))
}

/// A read of attestations and disputes.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
    /// A subject's attestations with their validity now, its tag, open dispute, and for a model
    /// whether it may earn and what is escrowed.
    Subject {
        /// `dataset/ID`, `model/ID` or `asset/ID`.
        subject: Subject,
    },
    /// One attestation.
    Attestation {
        /// Its id.
        id: u64,
    },
    /// Registered schemas.
    Schemas,
    /// Approved attesters.
    Attesters,
    /// The ethical-sourcing schema, bonds, arbiters, slash and lock.
    Params,
    /// One dispute with its votes.
    Dispute {
        /// Its id.
        id: u64,
    },
    /// Disputes by id.
    Disputes {
        #[command(flatten)]
        page: Page,
    },
}

/// The API path that answers `query`.
pub(crate) fn path(_: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Subject { subject } => {
            let (kind, id) = match subject {
                Subject::Dataset(id) => ("dataset", id.0),
                Subject::Model(id) => ("model", id.0),
                Subject::Asset(id) => ("asset", id.0),
            };
            format!("/compliance/subjects/{kind}/{id}")
        }
        Query::Attestation { id } => format!("/compliance/attestations/{id}"),
        Query::Schemas => "/compliance/schemas".into(),
        Query::Attesters => "/compliance/attesters".into(),
        Query::Params => "/compliance/params".into(),
        Query::Dispute { id } => format!("/compliance/disputes/{id}"),
        Query::Disputes { page } => format!("/compliance/disputes?{}", page.query()),
    })
}
