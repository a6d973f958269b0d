//! Governance state, and the only code that changes it.
//!
//! | key | value |
//! |---|---|
//! | `governance/params` | [`GovParams`] |
//! | `governance/next_proposal` | `u64` |
//! | `governance/proposal/{id:8 BE}` | [`Proposal`] |
//! | `governance/vote/{id:8 BE}{voter:20}` | [`Vote`] |
//! | `governance/timer/{height:8 BE}{id:8 BE}` | `()`: a proposal's next step is due |
//! | `governance/next_grant` | `u64` |
//! | `governance/grant/{id:8 BE}` | [`Grant`] |
//!
//! Deposits of proposals still voting are held by the governance module's account ([`account`]).

use std::fmt;

use atelier_primitives::{Address, Amount, Bps, Decode, Denom, Encode, Height, Layout};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{Action, Choice, GovParams, MAX_ACTIONS};
use crate::store::{due_keys, key, page, read, scan, write};

const PARAMS: &[u8] = b"governance/params";
const NEXT_PROPOSAL: &[u8] = b"governance/next_proposal";
pub(crate) const PROPOSAL: &[u8] = b"governance/proposal/";
const VOTE: &[u8] = b"governance/vote/";
const TIMER: &[u8] = b"governance/timer/";
const NEXT_GRANT: &[u8] = b"governance/next_grant";
const GRANT: &[u8] = b"governance/grant/";
/// Longest recorded failure reason of an action, in bytes.
pub const MAX_REASON_BYTES: usize = 256;

/// The governance module's account: deposits of proposals still voting.
pub fn account() -> Address {
    *ACCOUNT
}

static ACCOUNT: std::sync::LazyLock<Address> = std::sync::LazyLock::new(|| Address::module("governance"));

/// The id of a proposal, from 1.
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
pub struct ProposalId(pub u64);

impl fmt::Display for ProposalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Reputation behind each choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// For.
    #[serde(rename = "for", with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub yes: u128,
    /// Against.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub against: u128,
    /// Abstain.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub abstain: u128,
}

/// Where a proposal is, as stored. `Voting` reads as Pending before the first voting height and
/// Active until the last (see [`Proposal::status_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ProposalStatus))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Before the first voting height.
    Pending,
    /// Voting.
    Active,
    /// Voting ended without quorum, or with Against at least For.
    Defeated,
    /// Voting passed (quorum, For above Against): waiting for the timelock. A proposal that
    /// succeeds is queued in the same block, so the two are one status.
    Queued,
    /// Executed.
    Executed,
    /// Not executed within the grace period.
    Expired,
}

/// How one action went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ActionResult {
    /// It applied.
    Applied,
    /// It failed and changed nothing; the other actions stand.
    Failed {
        /// Why.
        #[codec(max = MAX_REASON_BYTES)]
        reason: String,
    },
}

/// A proposal and everything that judges it, fixed when it opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// Its id.
    pub id: ProposalId,
    /// Who proposed it.
    pub proposer: Address,
    /// What it is about.
    #[codec(max = super::MAX_SUMMARY_BYTES)]
    pub summary: String,
    /// What it does.
    #[codec(max = MAX_ACTIONS)]
    pub actions: Vec<Action>,
    /// The deposit held.
    pub deposit: Amount,
    /// Voting power is reputation after this height: the block before the proposal's.
    pub snapshot: Height,
    /// First voting height.
    pub voting_starts: Height,
    /// Last voting height.
    pub voting_ends: Height,
    /// Blocks of timelock.
    pub timelock_blocks: u64,
    /// Blocks of grace.
    pub grace_period_blocks: u64,
    /// Quorum, as a share of `total_reputation`.
    pub quorum: Bps,
    /// Total reputation at the snapshot.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total_reputation: u128,
    /// The votes so far.
    pub tally: Tally,
    /// Stored status: `Pending` while voting (see [`Proposal::status_at`]), then a final one.
    pub status: Status,
    /// Height at whose end it executes, once queued.
    pub eta: Option<Height>,
    /// Each action's result, once executed.
    #[codec(max = MAX_ACTIONS)]
    pub results: Vec<ActionResult>,
}

impl Proposal {
    /// Its status at `height`.
    pub fn status_at(&self, height: Height) -> Status {
        match self.status {
            Status::Pending | Status::Active if height < self.voting_starts => Status::Pending,
            Status::Pending | Status::Active => Status::Active,
            other => other,
        }
    }

    /// Whether For and Abstain reach the quorum of the snapshot's total reputation.
    pub fn quorum_reached(&self) -> bool {
        let needed = atelier_primitives::math::mul_div_ceil(
            self.total_reputation,
            u128::from(self.quorum.get()),
            Bps::SCALE,
        )
        .unwrap_or(u128::MAX);
        self.tally.yes.saturating_add(self.tally.abstain) >= needed
    }

    /// Whether it passed: quorum, and For strictly above Against (a tie fails).
    pub fn passed(&self) -> bool {
        self.quorum_reached() && self.tally.yes > self.tally.against
    }
}

/// One account's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Vote {
    /// How.
    pub choice: Choice,
    /// With how much reputation.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub power: u128,
}

/// A stream from the treasury, claimed by its recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// Its id.
    pub id: u64,
    /// To whom.
    pub recipient: Address,
    /// What.
    pub denom: Denom,
    /// Per block.
    pub per_block: Amount,
    /// Paid for every block up to this height.
    pub paid_through: Height,
    /// Last height it streams for.
    pub ends: Height,
}

impl Grant {
    /// What it owes at `height`: every block after `paid_through` up to `min(height, ends)`.
    pub fn owed(&self, height: Height) -> Amount {
        let blocks = height.min(self.ends).0.saturating_sub(self.paid_through.0);
        self.per_block.checked_mul(u128::from(blocks)).unwrap_or(Amount::MAX)
    }
}

fn id_key(prefix: &[u8], id: u64) -> Vec<u8> {
    key(prefix, &[&id.to_be_bytes()])
}

pub(crate) fn params(state: &(impl StateRead + ?Sized)) -> Result<GovParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "governance params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &GovParams) {
    write(state, PARAMS.to_vec(), params);
}

pub(crate) fn next_proposal(state: &(impl StateRead + ?Sized)) -> Result<u64, StateError> {
    Ok(read(state, NEXT_PROPOSAL)?.unwrap_or(1))
}

pub(crate) fn set_next_proposal(state: &mut impl StateWrite, next: u64) {
    write(state, NEXT_PROPOSAL.to_vec(), &next);
}

pub(crate) fn proposal(
    state: &(impl StateRead + ?Sized),
    id: ProposalId,
) -> Result<Option<Proposal>, StateError> {
    read(state, &id_key(PROPOSAL, id.0))
}

pub(crate) fn put_proposal(state: &mut impl StateWrite, proposal: &Proposal) {
    write(state, id_key(PROPOSAL, proposal.id.0), proposal);
}

/// Every proposal, by id. O(proposals): export, invariants.
pub(crate) fn proposals(state: &(impl StateRead + ?Sized)) -> Result<Vec<Proposal>, StateError> {
    Ok(scan(state, PROPOSAL)?.into_iter().map(|(_, p)| p).collect())
}

/// Proposals with ids above `after`, at most `limit`, by id; reads only the page.
pub(crate) fn proposals_page(
    state: &(impl StateRead + ?Sized),
    after: Option<ProposalId>,
    limit: usize,
) -> Result<Vec<Proposal>, StateError> {
    page(state, PROPOSAL, after.map(|id| id.0), limit)
}

fn vote_key(id: ProposalId, voter: &Address) -> Vec<u8> {
    key(VOTE, &[&id.0.to_be_bytes(), voter.as_bytes()])
}

pub(crate) fn vote(
    state: &(impl StateRead + ?Sized),
    id: ProposalId,
    voter: &Address,
) -> Result<Option<Vote>, StateError> {
    read(state, &vote_key(id, voter))
}

pub(crate) fn put_vote(state: &mut impl StateWrite, id: ProposalId, voter: &Address, vote: &Vote) {
    write(state, vote_key(id, voter), vote);
}

/// Every vote, as `(proposal, voter, vote)`. O(votes): export.
pub(crate) fn votes(
    state: &(impl StateRead + ?Sized),
) -> Result<Vec<(ProposalId, Address, Vote)>, StateError> {
    let mut all = Vec::new();
    for (key, vote) in scan::<Vote>(state, VOTE)? {
        let rest = key.get(VOTE.len()..).filter(|b| b.len() == 28);
        let parsed = rest.and_then(|b| {
            Some((u64::from_be_bytes(b[..8].try_into().ok()?), <[u8; 20]>::try_from(&b[8..]).ok()?))
        });
        let (id, voter) = parsed.ok_or_else(|| StateError::corrupt(&key, "malformed vote key"))?;
        all.push((ProposalId(id), Address(voter), vote));
    }
    Ok(all)
}

fn timer_key(height: Height, id: ProposalId) -> Vec<u8> {
    key(TIMER, &[&height.0.to_be_bytes(), &id.0.to_be_bytes()])
}

pub(crate) fn set_timer(state: &mut impl StateWrite, height: Height, id: ProposalId) {
    state.put(timer_key(height, id), Vec::new());
}

pub(crate) fn clear_timer(state: &mut impl StateWrite, height: Height, id: ProposalId) {
    state.delete(timer_key(height, id));
}

/// The earliest `limit` timers due at or before `height`, as `(due, proposal)`.
pub(crate) fn due_timers(
    state: &(impl StateRead + ?Sized),
    height: Height,
    limit: usize,
) -> Result<Vec<(Height, ProposalId)>, StateError> {
    due_keys(state, TIMER, height.0, limit)?
        .into_iter()
        .map(|(at, key)| {
            let id = key
                .get(TIMER.len() + 8..)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(u64::from_be_bytes)
                .ok_or_else(|| StateError::corrupt(&key, "malformed timer key"))?;
            Ok((Height(at), ProposalId(id)))
        })
        .collect()
}

pub(crate) fn next_grant(state: &(impl StateRead + ?Sized)) -> Result<u64, StateError> {
    Ok(read(state, NEXT_GRANT)?.unwrap_or(1))
}

pub(crate) fn set_next_grant(state: &mut impl StateWrite, next: u64) {
    write(state, NEXT_GRANT.to_vec(), &next);
}

pub(crate) fn grant(state: &(impl StateRead + ?Sized), id: u64) -> Result<Option<Grant>, StateError> {
    read(state, &id_key(GRANT, id))
}

/// Stores a grant; one with nothing left to stream or pay is removed.
pub(crate) fn put_grant(state: &mut impl StateWrite, grant: &Grant) {
    if grant.paid_through >= grant.ends {
        state.delete(id_key(GRANT, grant.id));
    } else {
        write(state, id_key(GRANT, grant.id), grant);
    }
}

/// Every grant, by id. O(grants): export, queries.
pub(crate) fn grants(state: &(impl StateRead + ?Sized)) -> Result<Vec<Grant>, StateError> {
    Ok(scan(state, GRANT)?.into_iter().map(|(_, g)| g).collect())
}
