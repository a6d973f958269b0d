//! Compliance state, and the only code that changes it.
//!
//! | key | value |
//! |---|---|
//! | `compliance/params` | [`ComplianceParams`] |
//! | `compliance/schema/{id:8 BE}` | [`Schema`] |
//! | `compliance/attester/{address:20}` | `bool`: approved by governance |
//! | `compliance/attestation/{id:8 BE}` | [`Attestation`] |
//! | `compliance/subject/{subject:9}{id:8 BE}` | `bool`: the subject's attestations that may still be valid |
//! | `compliance/tag/{subject:9}` | [`Tag`] |
//! | `compliance/dispute/{id:8 BE}` | [`Dispute`] |
//! | `compliance/open/{subject:9}` | [`DisputeId`]: the subject's open dispute |
//! | `compliance/vote/{dispute:8 BE}{arbiter:20}` | `bool`: the vote |
//! | `compliance/timer/{height:8 BE}{dispute:8 BE}` | `bool`: the dispute is decided at the end of that block |
//! | `compliance/escrow/{model:8 BE}{denom}` | `Amount` withheld from the model's lineage |
//! | `compliance/next/{schema\|attestation\|dispute}`, `compliance/open_count` | counters |
//!
//! `{subject:9}` is a kind byte (0 dataset, 1 model, 2 asset) and the id. The compliance account
//! ([`account`]) holds the open disputes' bonds and every escrow; the remediation account
//! ([`remediation`]) receives what upheld violations forfeit.

use std::fmt;

use atelier_primitives::{Address, Amount, Decode, Denom, Encode, Hash, Height, Layout};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::ComplianceParams;
use crate::{
    modules::{
        provenance::AssetId,
        registry::{DatasetId, ModelId},
    },
    store::{key, page, read, scan, write},
};

const PARAMS: &[u8] = b"compliance/params";
const SCHEMA: &[u8] = b"compliance/schema/";
const ATTESTER: &[u8] = b"compliance/attester/";
const ATTESTATION: &[u8] = b"compliance/attestation/";
const SUBJECT: &[u8] = b"compliance/subject/";
const TAG: &[u8] = b"compliance/tag/";
pub(crate) const DISPUTE: &[u8] = b"compliance/dispute/";
const OPEN: &[u8] = b"compliance/open/";
const OPEN_COUNT: &[u8] = b"compliance/open_count";
const VOTE: &[u8] = b"compliance/vote/";
const TIMER: &[u8] = b"compliance/timer/";
pub(crate) const ESCROW: &[u8] = b"compliance/escrow/";
const NEXT: &[u8] = b"compliance/next/";

/// Longest schema name or field, in bytes.
pub const MAX_NAME_BYTES: usize = 64;
/// Most fields a schema has.
pub const MAX_FIELDS: usize = 32;

/// The compliance account: open disputes' bonds and escrowed revenue.
pub fn account() -> Address {
    *ACCOUNT
}

/// The remediation account: revenue and escrow forfeited by upheld violations, for governance to
/// direct (to the wronged contributors, say).
pub fn remediation() -> Address {
    *REMEDIATION
}

static ACCOUNT: std::sync::LazyLock<Address> = std::sync::LazyLock::new(|| Address::module("compliance"));
static REMEDIATION: std::sync::LazyLock<Address> =
    std::sync::LazyLock::new(|| Address::module("remediation"));

id!(SchemaId, "The id of a schema, given in order from 1.");
id!(AttestationId, "The id of an attestation, given in order from 1.");
id!(DisputeId, "The id of a dispute, given in order from 1.");

/// What an attestation or a report is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Encode, Decode, Layout,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// A dataset.
    Dataset(DatasetId),
    /// A model.
    Model(ModelId),
    /// An asset.
    Asset(AssetId),
}

impl Subject {
    fn key_bytes(&self) -> [u8; 9] {
        let (kind, id) = match self {
            Subject::Dataset(id) => (0u8, id.0),
            Subject::Model(id) => (1, id.0),
            Subject::Asset(id) => (2, id.0),
        };
        let mut bytes = [0u8; 9];
        bytes[0] = kind;
        bytes[1..].copy_from_slice(&id.to_be_bytes());
        bytes
    }
}

impl std::str::FromStr for Subject {
    type Err = String;

    /// `dataset/ID`, `model/ID` or `asset/ID`.
    fn from_str(text: &str) -> Result<Subject, String> {
        let invalid = || format!("{text:?} is not dataset/ID, model/ID or asset/ID");
        let (kind, id) = text.split_once('/').ok_or_else(invalid)?;
        let id: u64 = id.parse().map_err(|_| invalid())?;
        match kind {
            "dataset" => Ok(Subject::Dataset(DatasetId(id))),
            "model" => Ok(Subject::Model(ModelId(id))),
            "asset" => Ok(Subject::Asset(AssetId(id))),
            _ => Err(invalid()),
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Dataset(id) => write!(f, "dataset {id}"),
            Subject::Model(id) => write!(f, "model {id}"),
            Subject::Asset(id) => write!(f, "asset {id}"),
        }
    }
}

/// An attestation schema, registered by governance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// Its id.
    pub id: SchemaId,
    /// Its name.
    #[codec(max = MAX_NAME_BYTES)]
    pub name: String,
    /// The fields its data hash commits to.
    #[codec(max = MAX_FIELDS)]
    pub fields: Vec<FieldName>,
    /// Whether its attestations can be revoked.
    pub revocable: bool,
}

/// A schema field's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct FieldName(#[codec(max = MAX_NAME_BYTES)] pub String);

/// An attestation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    /// Its id.
    pub id: AttestationId,
    /// The schema.
    pub schema: SchemaId,
    /// The subject.
    pub subject: Subject,
    /// Who attested.
    pub attester: Address,
    /// Hash of the attested data.
    pub data_hash: Hash,
    /// Block time from which it no longer holds.
    pub expiry_ms: u64,
    /// Whether its attester revoked it.
    pub revoked: bool,
    /// The block it was made in.
    pub height: Height,
}

impl Attestation {
    /// Valid at block time `time_ms`: not revoked, not expired.
    pub fn is_valid(&self, time_ms: u64) -> bool {
        !self.revoked && time_ms < self.expiry_ms
    }
}

/// A subject found in violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Tag {
    /// The dispute that upheld it.
    pub dispute: DisputeId,
    /// When.
    pub height: Height,
}

/// Where a dispute stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    /// Arbiters are voting.
    Open,
    /// The violation was upheld.
    Upheld,
    /// The report was rejected.
    Rejected,
}

/// A reported violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ComplianceDispute))]
#[serde(deny_unknown_fields)]
pub struct Dispute {
    /// Its id.
    pub id: DisputeId,
    /// What is reported.
    pub subject: Subject,
    /// Who reported it.
    pub reporter: Address,
    /// Hash of the evidence.
    pub evidence_hash: Hash,
    /// The bond, in `ugdc`.
    pub bond: Amount,
    /// The block it was opened in.
    pub opened: Height,
    /// The block at whose end it is decided.
    pub closes: Height,
    /// Votes to uphold.
    pub uphold: u32,
    /// Votes to reject.
    pub reject: u32,
    /// Where it stands.
    pub status: DisputeStatus,
}

/// The fixed-size part of `key` after its first `from` bytes, or a corrupt-state error naming the
/// kind of key.
fn suffix<const N: usize>(key: &[u8], from: usize, kind: &str) -> Result<[u8; N], StateError> {
    key.get(from..)
        .and_then(|b| <[u8; N]>::try_from(b).ok())
        .ok_or_else(|| StateError::corrupt(key, format!("malformed {kind} key")))
}

pub(crate) fn params(state: &(impl StateRead + ?Sized)) -> Result<ComplianceParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "compliance params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &ComplianceParams) {
    write(state, PARAMS.to_vec(), params);
}

/// Takes the next id of a kind (`schema`, `attestation`, `dispute`); `None` when exhausted.
pub(crate) fn take_id(state: &mut impl StateWrite, kind: &str) -> Result<Option<u64>, StateError> {
    let next_key = key(NEXT, &[kind.as_bytes()]);
    let next: u64 = read(state, &next_key)?.unwrap_or(1);
    let Some(following) = next.checked_add(1) else { return Ok(None) };
    write(state, next_key, &following);
    Ok(Some(next))
}

pub(crate) fn next_id(state: &(impl StateRead + ?Sized), kind: &str) -> Result<u64, StateError> {
    Ok(read(state, &key(NEXT, &[kind.as_bytes()]))?.unwrap_or(1))
}

pub(crate) fn set_next_id(state: &mut impl StateWrite, kind: &str, next: u64) {
    write(state, key(NEXT, &[kind.as_bytes()]), &next);
}

pub(crate) fn schema(state: &(impl StateRead + ?Sized), id: SchemaId) -> Result<Option<Schema>, StateError> {
    read(state, &key(SCHEMA, &[&id.0.to_be_bytes()]))
}

pub(crate) fn put_schema(state: &mut impl StateWrite, schema: &Schema) {
    write(state, key(SCHEMA, &[&schema.id.0.to_be_bytes()]), schema);
}

/// Every schema, by id.
pub(crate) fn schemas(state: &(impl StateRead + ?Sized)) -> Result<Vec<Schema>, StateError> {
    Ok(scan(state, SCHEMA)?.into_iter().map(|(_, s)| s).collect())
}

pub(crate) fn is_attester(state: &(impl StateRead + ?Sized), address: &Address) -> Result<bool, StateError> {
    Ok(read::<bool>(state, &key(ATTESTER, &[address.as_bytes()]))?.unwrap_or(false))
}

pub(crate) fn set_attester(state: &mut impl StateWrite, address: &Address, approved: bool) {
    let key = key(ATTESTER, &[address.as_bytes()]);
    if approved { write(state, key, &true) } else { state.delete(key) }
}

/// Every approved attester.
pub(crate) fn attesters(state: &(impl StateRead + ?Sized)) -> Result<Vec<Address>, StateError> {
    let mut all = Vec::new();
    for (key, _) in scan::<bool>(state, ATTESTER)? {
        all.push(Address(suffix(&key, ATTESTER.len(), "attester")?));
    }
    Ok(all)
}

pub(crate) fn attestation(
    state: &(impl StateRead + ?Sized),
    id: AttestationId,
) -> Result<Option<Attestation>, StateError> {
    read(state, &key(ATTESTATION, &[&id.0.to_be_bytes()]))
}

/// Stores `attestation`, indexed under its subject while it is not revoked.
pub(crate) fn put_attestation(state: &mut impl StateWrite, attestation: &Attestation) {
    write(state, key(ATTESTATION, &[&attestation.id.0.to_be_bytes()]), attestation);
    let index = key(SUBJECT, &[&attestation.subject.key_bytes(), &attestation.id.0.to_be_bytes()]);
    if attestation.revoked { state.delete(index) } else { write(state, index, &true) }
}

/// Drops `id` from its subject's index (it can no longer become valid).
pub(crate) fn unindex(state: &mut impl StateWrite, subject: &Subject, id: AttestationId) {
    state.delete(key(SUBJECT, &[&subject.key_bytes(), &id.0.to_be_bytes()]));
}

/// The subject's indexed attestations (at most `max_attestations_per_subject` valid ones, plus
/// expired ones not yet pruned), by id.
pub(crate) fn indexed(
    state: &(impl StateRead + ?Sized),
    subject: &Subject,
) -> Result<Vec<Attestation>, StateError> {
    let prefix = key(SUBJECT, &[&subject.key_bytes()]);
    let mut all = Vec::new();
    for (key, _) in scan::<bool>(state, &prefix)? {
        let id = u64::from_be_bytes(suffix(&key, prefix.len(), "subject index")?);
        let found = attestation(state, AttestationId(id))?
            .ok_or_else(|| StateError::corrupt(&key, "an indexed attestation is missing"))?;
        all.push(found);
    }
    Ok(all)
}

/// Every attestation, by id. O(attestations): export.
pub(crate) fn all_attestations(state: &(impl StateRead + ?Sized)) -> Result<Vec<Attestation>, StateError> {
    Ok(scan(state, ATTESTATION)?.into_iter().map(|(_, a)| a).collect())
}

pub(crate) fn tag(state: &(impl StateRead + ?Sized), subject: &Subject) -> Result<Option<Tag>, StateError> {
    read(state, &key(TAG, &[&subject.key_bytes()]))
}

pub(crate) fn set_tag(state: &mut impl StateWrite, subject: &Subject, tag: Option<&Tag>) {
    let key = key(TAG, &[&subject.key_bytes()]);
    match tag {
        Some(tag) => write(state, key, tag),
        None => state.delete(key),
    }
}

pub(crate) fn dispute(
    state: &(impl StateRead + ?Sized),
    id: DisputeId,
) -> Result<Option<Dispute>, StateError> {
    read(state, &key(DISPUTE, &[&id.0.to_be_bytes()]))
}

/// Every dispute, by id. O(disputes): export, queries.
pub(crate) fn disputes(state: &(impl StateRead + ?Sized)) -> Result<Vec<Dispute>, StateError> {
    Ok(scan(state, DISPUTE)?.into_iter().map(|(_, d)| d).collect())
}

/// Disputes with ids above `after`, at most `limit`, by id; reads only the page.
pub(crate) fn disputes_page(
    state: &(impl StateRead + ?Sized),
    after: Option<DisputeId>,
    limit: usize,
) -> Result<Vec<Dispute>, StateError> {
    page(state, DISPUTE, after.map(|id| id.0), limit)
}

/// Stores `dispute`, keeping the subject's open dispute, the open count and its timer in step.
pub(crate) fn put_dispute(state: &mut impl StateWrite, dispute: &Dispute) -> Result<(), StateError> {
    let before = self::dispute(state, dispute.id)?;
    let was_open = before.is_some_and(|d| d.status == DisputeStatus::Open);
    let is_open = dispute.status == DisputeStatus::Open;
    let open_key = key(OPEN, &[&dispute.subject.key_bytes()]);
    let timer = key(TIMER, &[&dispute.closes.0.to_be_bytes(), &dispute.id.0.to_be_bytes()]);
    if is_open && !was_open {
        write(state, open_key, &dispute.id);
        write(state, timer, &true);
        write(state, OPEN_COUNT.to_vec(), &open_count(state)?.saturating_add(1));
    } else if was_open && !is_open {
        state.delete(open_key);
        state.delete(timer);
        write(state, OPEN_COUNT.to_vec(), &open_count(state)?.saturating_sub(1));
    }
    write(state, key(DISPUTE, &[&dispute.id.0.to_be_bytes()]), dispute);
    Ok(())
}

pub(crate) fn open_dispute(
    state: &(impl StateRead + ?Sized),
    subject: &Subject,
) -> Result<Option<DisputeId>, StateError> {
    read(state, &key(OPEN, &[&subject.key_bytes()]))
}

pub(crate) fn open_count(state: &(impl StateRead + ?Sized)) -> Result<u32, StateError> {
    Ok(read(state, OPEN_COUNT)?.unwrap_or(0))
}

/// The disputes decided at the end of block `height`.
pub(crate) fn due(state: &(impl StateRead + ?Sized), height: Height) -> Result<Vec<DisputeId>, StateError> {
    let prefix = key(TIMER, &[&height.0.to_be_bytes()]);
    let mut all = Vec::new();
    for (key, _) in scan::<bool>(state, &prefix)? {
        let id = u64::from_be_bytes(suffix(&key, prefix.len(), "timer")?);
        all.push(DisputeId(id));
    }
    Ok(all)
}

fn vote_key(dispute: DisputeId, arbiter: &Address) -> Vec<u8> {
    key(VOTE, &[&dispute.0.to_be_bytes(), arbiter.as_bytes()])
}

pub(crate) fn vote(
    state: &(impl StateRead + ?Sized),
    dispute: DisputeId,
    arbiter: &Address,
) -> Result<Option<bool>, StateError> {
    read(state, &vote_key(dispute, arbiter))
}

pub(crate) fn set_vote(state: &mut impl StateWrite, dispute: DisputeId, arbiter: &Address, uphold: bool) {
    write(state, vote_key(dispute, arbiter), &uphold);
}

/// Every vote of a dispute, by arbiter.
pub(crate) fn votes(
    state: &(impl StateRead + ?Sized),
    dispute: DisputeId,
) -> Result<Vec<(Address, bool)>, StateError> {
    let prefix = key(VOTE, &[&dispute.0.to_be_bytes()]);
    let mut all = Vec::new();
    for (key, uphold) in scan::<bool>(state, &prefix)? {
        all.push((Address(suffix(&key, prefix.len(), "vote")?), uphold));
    }
    Ok(all)
}

fn escrow_key(model: ModelId, denom: &Denom) -> Vec<u8> {
    key(ESCROW, &[&model.0.to_be_bytes(), denom.as_bytes()])
}

pub(crate) fn escrow(
    state: &(impl StateRead + ?Sized),
    model: ModelId,
    denom: &Denom,
) -> Result<Amount, StateError> {
    Ok(read(state, &escrow_key(model, denom))?.unwrap_or(Amount::ZERO))
}

pub(crate) fn set_escrow(state: &mut impl StateWrite, model: ModelId, denom: &Denom, amount: Amount) {
    let key = escrow_key(model, denom);
    if amount.is_zero() { state.delete(key) } else { write(state, key, &amount) }
}

/// Every escrow: (model, denom, amount). O(escrows): export, invariants.
pub(crate) fn escrows(
    state: &(impl StateRead + ?Sized),
) -> Result<Vec<(ModelId, Denom, Amount)>, StateError> {
    let mut all = Vec::new();
    for (key, amount) in scan::<Amount>(state, ESCROW)? {
        let rest = key.get(ESCROW.len()..).unwrap_or_default();
        let model = rest.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok()).map(u64::from_be_bytes);
        let denom =
            rest.get(8..).and_then(|b| std::str::from_utf8(b).ok()).and_then(|d| d.parse::<Denom>().ok());
        let (Some(model), Some(denom)) = (model, denom) else {
            return Err(StateError::corrupt(&key, "malformed escrow key"));
        };
        all.push((ModelId(model), denom, amount));
    }
    Ok(all)
}

/// Every tag: (subject, tag). O(tags): export.
pub(crate) fn tags(state: &(impl StateRead + ?Sized)) -> Result<Vec<(Subject, Tag)>, StateError> {
    let mut all = Vec::new();
    for (key, tag) in scan::<Tag>(state, TAG)? {
        let rest = key.get(TAG.len()..).unwrap_or_default();
        let id = rest.get(1..9).and_then(|b| <[u8; 8]>::try_from(b).ok()).map(u64::from_be_bytes);
        let subject = match (rest.first(), id) {
            (Some(0), Some(id)) => Subject::Dataset(DatasetId(id)),
            (Some(1), Some(id)) => Subject::Model(ModelId(id)),
            (Some(2), Some(id)) => Subject::Asset(AssetId(id)),
            _ => return Err(StateError::corrupt(&key, "malformed tag key")),
        };
        all.push((subject, tag));
    }
    Ok(all)
}
