//! Compute market state, and the only code that reads or writes its keys.
//!
//! | key | value |
//! |---|---|
//! | `compute/params` | [`ComputeParams`](super::ComputeParams) |
//! | `compute/class/{name}` | [`ClassState`] (absent until the class is first used) |
//! | `compute/settled/{name}` | `u64`: jobs of the class settled since genesis |
//! | `compute/provider/{address:20}` | [`Provider`] |
//! | `compute/member/{len:1}{class}{address:20}` | `u64`: an active provider's capacity in the class |
//! | `compute/next_job` | `u64`: the next job id |
//! | `compute/job/{id:8 BE}` | [`Job`] |
//! | `compute/queue/{len:1}{class}{!tip:16 BE}{submitted:8 BE}{id:8 BE}` | empty: a queued job, best tip first, then oldest, then lowest id |
//! | `compute/timer/{height:8 BE}{id:8 BE}` | empty: the job's next deadline |
//! | `compute/requester/{address:20}{id:8 BE}` | empty: jobs by requester |
//! | `compute/assigned/{address:20}{id:8 BE}` | empty: jobs by provider |
//!
//! The module account ([`account`]) holds every provider's bond and what every open job has
//! paid: its escrow while queued, its price once admitted.

use std::fmt;

use atelier_primitives::{Address, Amount, Bps, Decode, Encode, Hash, Height, Layout};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::ComputeParams;
use crate::{
    modules::{
        provenance::{AssetId, RoyaltyPolicy},
        registry::ModelId,
    },
    store::{due_keys, id_at_end, id_page, key, read, scan, write},
};

pub(crate) const PARAMS: &[u8] = b"compute/params";
const CLASS: &[u8] = b"compute/class/";
const SETTLED: &[u8] = b"compute/settled/";
pub(crate) const PROVIDER: &[u8] = b"compute/provider/";
pub(crate) const MEMBER: &[u8] = b"compute/member/";
const NEXT_JOB: &[u8] = b"compute/next_job";
pub(crate) const JOB: &[u8] = b"compute/job/";
const QUEUE: &[u8] = b"compute/queue/";
const TIMER: &[u8] = b"compute/timer/";
const BY_REQUESTER: &[u8] = b"compute/requester/";
const BY_PROVIDER: &[u8] = b"compute/assigned/";

/// Most compute classes the chain carries.
pub const MAX_CLASSES: usize = 32;
/// Longest provider endpoint, in bytes.
pub const MAX_ENDPOINT_BYTES: usize = 256;
/// Most re-execution claims one dispute records.
pub const MAX_DISPUTE_CLAIMS: usize = 64;

/// The compute module's account: bonds and the payments of open jobs.
pub fn account() -> Address {
    *ACCOUNT
}

static ACCOUNT: std::sync::LazyLock<Address> = std::sync::LazyLock::new(|| Address::module("compute"));

/// Whether `name` is a well-formed class name: 1 to 32 bytes of `[a-z0-9-]`.
pub fn valid_class_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= crate::modules::registry::MAX_CLASS_BYTES
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The id of a job, given in order of submission from 1.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    Encode,
    Decode,
    Layout,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct JobId(pub u64);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A class's market: its base fee, capacity and load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClassState {
    /// The class.
    #[codec(max = crate::modules::registry::MAX_CLASS_BYTES)]
    pub name: String,
    /// Price of one compute unit for jobs admitted in the next block, before tips.
    pub base_fee: Amount,
    /// Units per block its active providers offer.
    pub capacity: u64,
    /// Active providers.
    pub providers: u32,
    /// Jobs waiting.
    pub queued: u32,
    /// Units admitted in the last block: what its base fee last moved on.
    pub last_admitted_units: u64,
}

/// Units a provider offers in one class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClassCapacity {
    /// The class.
    #[codec(max = crate::modules::registry::MAX_CLASS_BYTES)]
    pub class: String,
    /// Compute units per block.
    pub units: u64,
}

/// Where a provider stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ProviderStatus {
    /// Takes jobs.
    Active,
    /// Its bond fell below the minimum: takes no jobs until topped up.
    Suspended,
    /// Deregistered: takes no jobs; the bond can be withdrawn from `until` once no job is open.
    Unbonding {
        /// First height of the withdrawal.
        until: Height,
    },
}

/// A GPU operator serving compute classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Its account.
    pub address: Address,
    /// Its bond, held by the compute module.
    pub bond: Amount,
    /// Where it is reached.
    #[codec(max = MAX_ENDPOINT_BYTES)]
    pub endpoint: String,
    /// What it offers, by class name.
    #[codec(max = MAX_CLASSES)]
    pub capacities: Vec<ClassCapacity>,
    /// Where it stands.
    pub status: ProviderStatus,
    /// Jobs assigned to it and disputes it opened, not yet resolved: its bond stays while any is.
    pub open: u32,
}

impl Provider {
    /// Its capacity in `class` (0 if it does not serve it).
    pub fn capacity(&self, class: &str) -> u64 {
        self.capacities.iter().find(|c| c.class == class).map_or(0, |c| c.units)
    }
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for capacity; its escrow is held.
    Queued,
    /// Admitted and assigned; its price is held until it settles.
    Admitted,
    /// A result was submitted; challengeable until the window closes.
    Submitted,
    /// A verifier challenged the result.
    Disputed,
    /// Paid out to everyone who made it possible.
    Settled,
    /// Cancelled by its requester before admission; refunded.
    Cancelled,
    /// Never admitted before its queue timeout; refunded.
    Expired,
    /// Its provider missed the deadline; refunded.
    Missed,
    /// Its result lost a dispute; refunded.
    Overturned,
}

impl JobStatus {
    /// Whether the job is over.
    pub fn is_final(self) -> bool {
        self >= JobStatus::Settled
    }
}

/// A verifier's claim of a job's output, from re-executing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OutputClaim {
    /// The verifier.
    pub verifier: Address,
    /// The output it computed.
    pub output_hash: Hash,
}

/// A challenge of a job's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = JobDispute))]
#[serde(deny_unknown_fields)]
pub struct Dispute {
    /// Who challenged.
    pub challenger: Address,
    /// Claims so far, the challenger's first.
    #[codec(max = MAX_DISPUTE_CLAIMS)]
    pub claims: Vec<OutputClaim>,
}

impl Dispute {
    /// How many claims name `output`.
    pub fn votes_for(&self, output: &Hash) -> u32 {
        self.claims.iter().filter(|c| c.output_hash == *output).count() as u32
    }
}

/// A job: an inference asked of a model, from submission to its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// Its id.
    pub id: JobId,
    /// Who asked and pays.
    pub requester: Address,
    /// The model.
    pub model: ModelId,
    /// The model's class.
    #[codec(max = crate::modules::registry::MAX_CLASS_BYTES)]
    pub class: String,
    /// Compute units.
    pub units: u64,
    /// Most it pays per unit, tip included.
    pub max_fee_per_unit: Amount,
    /// Tip per unit it offers the provider.
    pub tip_per_unit: Amount,
    /// Hash of the prompt.
    pub prompt_hash: Hash,
    /// Hash of the generation parameters (seed, steps, …).
    pub params_hash: Hash,
    /// Whether re-running it gives the same output, so that verifiers can challenge it.
    pub deterministic: bool,
    /// Height it was submitted at.
    pub submitted_at: Height,
    /// Where it stands.
    pub status: JobStatus,
    /// What the compute module holds for it.
    pub held: Amount,
    /// The provider it was assigned to.
    pub provider: Option<Address>,
    /// Base fee per unit it was admitted at.
    pub base_fee_per_unit: Amount,
    /// Tip per unit it pays: its tip capped by its fee cap.
    pub tip_paid_per_unit: Amount,
    /// The provider's result.
    pub output_hash: Option<Hash>,
    /// Height of its next deadline (none once it is over).
    pub due: Option<Height>,
    /// Its dispute, if its result was challenged.
    pub dispute: Option<Dispute>,
    /// The asset its output became.
    pub asset: Option<AssetId>,
    /// The assets it remixes (their license fees were paid at submission).
    #[codec(max = crate::modules::provenance::MAX_PARENTS)]
    pub parents: Vec<AssetId>,
    /// What its asset will ask of its own descendants.
    pub policy: RoyaltyPolicy,
}

impl Job {
    /// The base-fee part of its price.
    pub fn base_part(&self) -> Amount {
        self.base_fee_per_unit.checked_mul(u128::from(self.units)).unwrap_or(Amount::MAX)
    }
}

fn class_part(class: &str) -> Vec<u8> {
    let mut part = Vec::with_capacity(class.len() + 1);
    part.push(class.len() as u8);
    part.extend_from_slice(class.as_bytes());
    part
}

fn class_key(name: &str) -> Vec<u8> {
    key(CLASS, &[name.as_bytes()])
}

fn provider_key(address: &Address) -> Vec<u8> {
    key(PROVIDER, &[address.as_bytes()])
}

pub(crate) fn member_prefix(class: &str) -> Vec<u8> {
    key(MEMBER, &[&class_part(class)])
}

fn job_key(id: JobId) -> Vec<u8> {
    key(JOB, &[&id.0.to_be_bytes()])
}

pub(crate) fn queue_prefix(class: &str) -> Vec<u8> {
    key(QUEUE, &[&class_part(class)])
}

fn queue_key(job: &Job) -> Vec<u8> {
    let rank = u128::MAX - job.tip_per_unit.get();
    key(
        &queue_prefix(&job.class),
        &[&rank.to_be_bytes(), &job.submitted_at.0.to_be_bytes(), &job.id.0.to_be_bytes()],
    )
}

fn timer_key(height: Height, id: JobId) -> Vec<u8> {
    key(TIMER, &[&height.0.to_be_bytes(), &id.0.to_be_bytes()])
}

fn job_id_at_end(key: &[u8]) -> Result<JobId, StateError> {
    id_at_end(key).map(JobId)
}

pub(crate) fn params(state: &(impl StateRead + ?Sized)) -> Result<ComputeParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "compute params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &ComputeParams) {
    write(state, PARAMS.to_vec(), params);
}

/// The state of class `name` (its starting state if never used); `None` if no such class.
pub(crate) fn class(
    state: &(impl StateRead + ?Sized),
    params: &ComputeParams,
    name: &str,
) -> Result<Option<ClassState>, StateError> {
    let Some(class_params) = params.class(name) else { return Ok(None) };
    Ok(Some(read(state, &class_key(name))?.unwrap_or_else(|| ClassState {
        name: name.to_string(),
        base_fee: class_params.min_base_fee,
        capacity: 0,
        providers: 0,
        queued: 0,
        last_admitted_units: 0,
    })))
}

pub(crate) fn put_class(state: &mut impl StateWrite, class: &ClassState) {
    write(state, class_key(&class.name), class);
}

/// Jobs of class `name` settled since genesis: an on-chain measure of demand.
pub fn jobs_settled(state: &(impl StateRead + ?Sized), name: &str) -> Result<u64, StateError> {
    Ok(read(state, &key(SETTLED, &[name.as_bytes()]))?.unwrap_or(0))
}

pub(crate) fn count_settled(state: &mut impl StateWrite, name: &str) -> Result<(), StateError> {
    let settled = jobs_settled(state, name)?.saturating_add(1);
    write(state, key(SETTLED, &[name.as_bytes()]), &settled);
    Ok(())
}

/// Every stored class state, by name. O(classes).
pub(crate) fn stored_classes(state: &(impl StateRead + ?Sized)) -> Result<Vec<ClassState>, StateError> {
    Ok(scan(state, CLASS)?.into_iter().map(|(_, c)| c).collect())
}

pub(crate) fn provider(
    state: &(impl StateRead + ?Sized),
    address: &Address,
) -> Result<Option<Provider>, StateError> {
    read(state, &provider_key(address))
}

pub(crate) fn put_provider(state: &mut impl StateWrite, provider: &Provider) {
    write(state, provider_key(&provider.address), provider);
}

pub(crate) fn delete_provider(state: &mut impl StateWrite, address: &Address) {
    state.delete(provider_key(address));
}

/// Every provider, by address. O(providers).
pub(crate) fn providers(state: &(impl StateRead + ?Sized)) -> Result<Vec<Provider>, StateError> {
    Ok(scan(state, PROVIDER)?.into_iter().map(|(_, p)| p).collect())
}

/// Providers with addresses above `after`, at most `limit`, by address. Reads only the page.
pub(crate) fn providers_page(
    state: &(impl StateRead + ?Sized),
    after: Option<&Address>,
    limit: usize,
) -> Result<Vec<Provider>, StateError> {
    crate::store::keyed_page(state, PROVIDER, after.map(|address| &address.as_bytes()[..]), limit)
}

pub(crate) fn put_member(state: &mut impl StateWrite, class: &str, address: &Address, units: u64) {
    write(state, key(&member_prefix(class), &[address.as_bytes()]), &units);
}

pub(crate) fn delete_member(state: &mut impl StateWrite, class: &str, address: &Address) {
    state.delete(key(&member_prefix(class), &[address.as_bytes()]));
}

/// The first `limit` active providers of `class` with their capacities, by address.
/// `address`'s capacity as a member of `class`, if it is one.
pub(crate) fn member_units(
    state: &(impl StateRead + ?Sized),
    class: &str,
    address: &Address,
) -> Result<Option<u64>, StateError> {
    read(state, &key(&member_prefix(class), &[address.as_bytes()]))
}

pub(crate) fn members(
    state: &(impl StateRead + ?Sized),
    class: &str,
    limit: usize,
) -> Result<Vec<(Address, u64)>, StateError> {
    let prefix = member_prefix(class);
    state
        .scan_prefix_limited(&prefix, limit)?
        .into_iter()
        .map(|(key, value)| {
            let address: [u8; 20] = key[prefix.len()..]
                .try_into()
                .map_err(|_| StateError::corrupt(&key, "member key is not an address after its prefix"))?;
            let units = u64::from_bytes(&value).map_err(|e| StateError::corrupt(&key, e))?;
            Ok((Address(address), units))
        })
        .collect()
}

pub(crate) fn next_job(state: &(impl StateRead + ?Sized)) -> Result<u64, StateError> {
    Ok(read(state, NEXT_JOB)?.unwrap_or(1))
}

pub(crate) fn set_next_job(state: &mut impl StateWrite, next: u64) {
    write(state, NEXT_JOB.to_vec(), &next);
}

pub(crate) fn job(state: &(impl StateRead + ?Sized), id: JobId) -> Result<Option<Job>, StateError> {
    read(state, &job_key(id))
}

/// Every job, by id. O(jobs): export, invariants.
pub(crate) fn jobs(state: &(impl StateRead + ?Sized)) -> Result<Vec<Job>, StateError> {
    Ok(scan(state, JOB)?.into_iter().map(|(_, j)| j).collect())
}

/// Stores a new job with its indexes: by requester, in its class's queue if queued, by provider if
/// assigned, and its timer.
pub(crate) fn insert_job(state: &mut impl StateWrite, job: &Job) {
    state.put(key(BY_REQUESTER, &[job.requester.as_bytes(), &job.id.0.to_be_bytes()]), Vec::new());
    if job.status == JobStatus::Queued {
        state.put(queue_key(job), Vec::new());
    }
    if let Some(provider) = &job.provider {
        state.put(key(BY_PROVIDER, &[provider.as_bytes(), &job.id.0.to_be_bytes()]), Vec::new());
    }
    if let Some(due) = job.due {
        state.put(timer_key(due, job.id), Vec::new());
    }
    write(state, job_key(job.id), job);
}

/// Stores `job`, which was `before`: its queue entry, provider index and timer follow.
pub(crate) fn update_job(state: &mut impl StateWrite, before: &Job, job: &Job) {
    if before.status == JobStatus::Queued && job.status != JobStatus::Queued {
        state.delete(queue_key(before));
    }
    if before.provider.is_none()
        && let Some(provider) = &job.provider
    {
        state.put(key(BY_PROVIDER, &[provider.as_bytes(), &job.id.0.to_be_bytes()]), Vec::new());
    }
    if before.due != job.due {
        if let Some(due) = before.due {
            state.delete(timer_key(due, job.id));
        }
        if let Some(due) = job.due {
            state.put(timer_key(due, job.id), Vec::new());
        }
    }
    write(state, job_key(job.id), job);
}

/// The first `limit` jobs in `class`'s queue, best first.
pub(crate) fn queue_head(
    state: &(impl StateRead + ?Sized),
    class: &str,
    limit: usize,
) -> Result<Vec<JobId>, StateError> {
    state
        .scan_prefix_limited(&queue_prefix(class), limit)?
        .iter()
        .map(|(key, _)| job_id_at_end(key))
        .collect()
}

/// The number of entries in `class`'s queue. O(queue): invariants.
pub(crate) fn queue_len(state: &(impl StateRead + ?Sized), class: &str) -> Result<usize, StateError> {
    Ok(state.scan_prefix(&queue_prefix(class))?.len())
}

/// The first `limit` timers due at or before `height`, earliest first.
pub(crate) fn due_timers(
    state: &(impl StateRead + ?Sized),
    height: Height,
    limit: usize,
) -> Result<Vec<JobId>, StateError> {
    due_keys(state, TIMER, height.0, limit)?.iter().map(|(_, key)| job_id_at_end(key)).collect()
}

/// The ids of `address`'s jobs as requester (`assigned` false) or provider, by id. O(its jobs).
/// `address`'s jobs as requester (or, with `assigned`, as provider) with ids above `after`, at
/// most `limit`, by id; reads only the page.
pub(crate) fn jobs_of(
    state: &(impl StateRead + ?Sized),
    address: &Address,
    assigned: bool,
    after: Option<JobId>,
    limit: usize,
) -> Result<Vec<JobId>, StateError> {
    let prefix = key(if assigned { BY_PROVIDER } else { BY_REQUESTER }, &[address.as_bytes()]);
    Ok(id_page(state, &prefix, after.map(|id| id.0), limit)?.into_iter().map(JobId).collect())
}

/// `share` of `amount`, rounded up: what a slash takes.
pub(crate) fn slash_amount(share: Bps, amount: Amount) -> Amount {
    share.of_ceil(amount).unwrap_or(amount).min(amount)
}
