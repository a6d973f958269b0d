//! Staking state, and the only code that changes it.
//!
//! | key | value |
//! |---|---|
//! | `staking/params` | [`StakingParams`] |
//! | `staking/totals` | [`Totals`] |
//! | `staking/rates/{n:8 BE}` | [`RateSegment`]: the rates history, by first epoch |
//! | `staking/rates_count` | `u64`: segments in the history |
//! | `staking/checkpoints/{address:20}` | `u64`: the account's checkpoints |
//! | `staking/checkpoint/{address:20}{n:8 BE}` | [`Checkpoint`]: its standing from a height on |
//! | `staking/unbonding/{address:20}` | [`Unbondings`]: the account's unbonding entries, oldest first (one value, so that one proof shows them all) |
//! | `staking/next_unbonding` | `u64`: the next unbonding id |
//! | `staking/funded/{low:20}{high:20}` | [`Height`]: the last transfer between two accounts |
//! | `staking/punished/{address:20}{epoch:8 BE}{view:8 BE}` | [`Height`]: when an equivocation in that view was slashed |
//! | `staking/locked/{address:20}` | [`Height`]: the account cannot unstake before it (an upheld violation) |
//! | `staking/candidate/{operator:20}` | [`Candidate`]: a registered validator candidate |
//! | `staking/candidate_count` | `u32`: registered candidates |
//! | `staking/consensus_key/{key:32}` | [`Address`]: the operator a consensus key was ever registered by |
//! | `staking/jailed/{operator:20}` | `u64`: the first epoch it may sit in a set again |
//! | `staking/validator_set/{epoch:8 BE}` | [`ValidatorSet`]: an epoch's validators (the current, the next once chosen, and those evidence may still name) |
//! | `staking/liveness/{epoch:8 BE}` | [`Liveness`]: the views counted in an epoch and who missed them (the current epoch and the last) |
//!
//! Bonded and unbonding stake is held by the staking module's account ([`account`]).

use atelier_primitives::{Address, Amount, Decode, Encode, Height, PublicKey};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{
    params::{MAX_UNBONDING_ENTRIES, ReputationRates, StakingParams},
    reputation::{self, RateSegment, Standing, Totals},
    validators::{Candidate, Liveness, ValidatorSet},
};
use crate::store::{key, read, scan, write};

const PARAMS: &[u8] = b"staking/params";
const TOTALS: &[u8] = b"staking/totals";
const RATES: &[u8] = b"staking/rates/";
const RATES_COUNT: &[u8] = b"staking/rates_count";
pub(crate) const CHECKPOINTS: &[u8] = b"staking/checkpoints/";
pub(crate) const CHECKPOINT: &[u8] = b"staking/checkpoint/";
pub(crate) const UNBONDING: &[u8] = b"staking/unbonding/";
const NEXT_UNBONDING: &[u8] = b"staking/next_unbonding";
const FUNDED: &[u8] = b"staking/funded/";
const PUNISHED: &[u8] = b"staking/punished/";
const LOCKED: &[u8] = b"staking/locked/";
pub(crate) const CANDIDATE: &[u8] = b"staking/candidate/";
const CANDIDATE_COUNT: &[u8] = b"staking/candidate_count";
const CONSENSUS_KEY: &[u8] = b"staking/consensus_key/";
const JAILED: &[u8] = b"staking/jailed/";
const VALIDATOR_SET: &[u8] = b"staking/validator_set/";
const LIVENESS: &[u8] = b"staking/liveness/";

/// The staking module's account: every bonded and unbonding stake.
pub fn account() -> Address {
    *ACCOUNT
}

static ACCOUNT: std::sync::LazyLock<Address> = std::sync::LazyLock::new(|| Address::module("staking"));

/// An account's standing from `from_height` until its next checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// First height it describes.
    pub from_height: Height,
    /// The standing.
    pub standing: Standing,
}

/// Stake on its way out: still slashable until `release_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Unbonding {
    /// Its id.
    pub id: u64,
    /// Whose.
    pub owner: Address,
    /// How much is left of it.
    pub amount: Amount,
    /// First height it can be withdrawn at.
    pub release_at: Height,
}

/// An account's unbonding entries, oldest first: at most [`MAX_UNBONDING_ENTRIES`].
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub(crate) struct Unbondings {
    /// The entries.
    #[codec(max = MAX_UNBONDING_ENTRIES)]
    pub(crate) entries: Vec<Unbonding>,
}

impl Unbondings {
    /// What the entries hold.
    pub(crate) fn amount(&self) -> u128 {
        self.entries.iter().fold(0, |sum, entry| sum.saturating_add(entry.amount.get()))
    }
}

/// The epoch `height` is in.
pub fn epoch_of(params: &StakingParams, height: Height) -> u64 {
    height.0 / params.epoch_blocks.max(1)
}

pub(crate) fn params(state: &(impl StateRead + ?Sized)) -> Result<StakingParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "staking params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &StakingParams) {
    write(state, PARAMS.to_vec(), params);
}

pub(crate) fn totals(state: &(impl StateRead + ?Sized)) -> Result<Totals, StateError> {
    read(state, TOTALS)?.ok_or_else(|| StateError::corrupt(TOTALS, "staking totals missing"))
}

pub(crate) fn set_totals(state: &mut impl StateWrite, totals: &Totals) {
    write(state, TOTALS.to_vec(), totals);
}

// --- rates history ---

fn rates_count(state: &(impl StateRead + ?Sized)) -> Result<u64, StateError> {
    Ok(read(state, RATES_COUNT)?.unwrap_or(0))
}

fn rate_segment(state: &(impl StateRead + ?Sized), n: u64) -> Result<RateSegment, StateError> {
    let key = key(RATES, &[&n.to_be_bytes()]);
    read(state, &key)?.ok_or_else(|| StateError::corrupt(&key, "rate segment missing"))
}

/// Appends rates in force from `from_epoch`; replaces the last segment if it starts there too.
pub(crate) fn push_rates(state: &mut impl StateWrite, segment: &RateSegment) -> Result<(), StateError> {
    let count = rates_count(state)?;
    let n = match count.checked_sub(1) {
        Some(last) if rate_segment(state, last)?.from_epoch == segment.from_epoch => last,
        _ => {
            write(state, RATES_COUNT.to_vec(), &(count + 1));
            count
        }
    };
    write(state, key(RATES, &[&n.to_be_bytes()]), segment);
    Ok(())
}

/// Every rate segment, oldest first.
pub(crate) fn rate_history(state: &(impl StateRead + ?Sized)) -> Result<Vec<RateSegment>, StateError> {
    Ok(scan(state, RATES)?.into_iter().map(|(_, s)| s).collect())
}

/// The rates in force at `epoch` and the first epoch of the following segment. O(log segments).
pub(crate) fn rates_at(
    state: &(impl StateRead + ?Sized),
    epoch: u64,
) -> Result<(ReputationRates, Option<u64>), StateError> {
    let count = rates_count(state)?;
    // The last segment starting at or before `epoch` (the first starts at the chain's first epoch).
    let (mut low, mut high) = (0u64, count);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if rate_segment(state, mid)?.from_epoch <= epoch { low = mid } else { high = mid }
    }
    let rates = rate_segment(state, low)?.rates;
    let next = if low + 1 < count { Some(rate_segment(state, low + 1)?.from_epoch) } else { None };
    Ok((rates, next))
}

// --- standings ---

fn count_key(address: &Address) -> Vec<u8> {
    key(CHECKPOINTS, &[address.as_bytes()])
}

fn checkpoint_key(address: &Address, n: u64) -> Vec<u8> {
    key(CHECKPOINT, &[address.as_bytes(), &n.to_be_bytes()])
}

fn checkpoint_count(state: &(impl StateRead + ?Sized), address: &Address) -> Result<u64, StateError> {
    Ok(read(state, &count_key(address))?.unwrap_or(0))
}

fn checkpoint(
    state: &(impl StateRead + ?Sized),
    address: &Address,
    n: u64,
) -> Result<Checkpoint, StateError> {
    let key = checkpoint_key(address, n);
    read(state, &key)?.ok_or_else(|| StateError::corrupt(&key, "checkpoint missing"))
}

/// The account's latest checkpoint, if it ever staked or earned.
pub(crate) fn latest(
    state: &(impl StateRead + ?Sized),
    address: &Address,
) -> Result<Option<Checkpoint>, StateError> {
    Ok(counted_latest(state, address)?.1)
}

/// The account's checkpoint count and its latest checkpoint.
fn counted_latest(
    state: &(impl StateRead + ?Sized),
    address: &Address,
) -> Result<(u64, Option<Checkpoint>), StateError> {
    let count = checkpoint_count(state, address)?;
    let latest = match count.checked_sub(1) {
        Some(last) => Some(checkpoint(state, address, last)?),
        None => None,
    };
    Ok((count, latest))
}

/// `latest` (or nothing) carried to `epoch`.
fn carried(
    state: &(impl StateRead + ?Sized),
    latest: Option<&Checkpoint>,
    epoch: u64,
) -> Result<Standing, StateError> {
    match latest {
        Some(last) => reputation::advance(last.standing, epoch, |e| rates_at(state, e)),
        None => Ok(Standing::empty(epoch)),
    }
}

/// The account's standing carried to `epoch` from its latest checkpoint.
pub(crate) fn standing(
    state: &(impl StateRead + ?Sized),
    address: &Address,
    epoch: u64,
) -> Result<Standing, StateError> {
    carried(state, latest(state, address)?.as_ref(), epoch)
}

/// The account's reputation in the state after block `height` (at most the current height): the
/// checkpoint in force then, carried to the epoch under way after that block. O(log checkpoints).
pub(crate) fn reputation_at(
    state: &(impl StateRead + ?Sized),
    params: &StakingParams,
    address: &Address,
    height: Height,
) -> Result<u128, StateError> {
    let count = checkpoint_count(state, address)?;
    if count == 0 || checkpoint(state, address, 0)?.from_height > height {
        return Ok(0);
    }
    let (mut low, mut high) = (0u64, count);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if checkpoint(state, address, mid)?.from_height <= height { low = mid } else { high = mid }
    }
    let found = checkpoint(state, address, low)?;
    // After block `height`: its epoch, or the next one if `height` ended its epoch.
    let epoch = epoch_of(params, Height(height.0.saturating_add(1)));
    let standing = reputation::advance(found.standing, epoch, |e| rates_at(state, e))?;
    Ok(standing.reputation)
}

/// Stores `standing` as the account's state from `height` on, given its `count` checkpoints and
/// the latest of them. A change within the latest checkpoint's epoch that leaves its reputation as
/// it was replaces it (the reputation of every height it covers is unchanged); anything else
/// starts a new checkpoint.
fn put_standing(
    state: &mut impl StateWrite,
    address: &Address,
    height: Height,
    (count, latest): (u64, Option<Checkpoint>),
    standing: &Standing,
) {
    let same = |old: &Checkpoint| {
        old.standing.epoch == standing.epoch && old.standing.reputation == standing.reputation
    };
    let (n, from_height) = match latest {
        Some(old) if same(&old) => (count - 1, old.from_height),
        _ => {
            write(state, count_key(address), &(count + 1));
            (count, height)
        }
    };
    write(state, checkpoint_key(address, n), &Checkpoint { from_height, standing: *standing });
}

/// Applies `change` to the account's standing at `height`, keeping the totals in step. The
/// standing is first carried to the current epoch; its floor follows the bonded stake down.
pub(crate) fn update_standing(
    state: &mut impl StateWrite,
    params: &StakingParams,
    address: &Address,
    height: Height,
    change: impl FnOnce(&mut Standing),
) -> Result<Standing, StateError> {
    let mut standings = Standings::open(state, params, height)?;
    let after = standings.update(state, address, change)?;
    standings.close(state);
    Ok(after)
}

/// Several standings updated at one height: the epoch's rates and the totals are read once, and
/// the totals written once by [`Standings::close`].
pub(crate) struct Standings {
    height: Height,
    epoch: u64,
    rates: ReputationRates,
    totals: Totals,
}

impl Standings {
    pub(crate) fn open(
        state: &(impl StateRead + ?Sized),
        params: &StakingParams,
        height: Height,
    ) -> Result<Standings, StateError> {
        let epoch = epoch_of(params, height);
        Ok(Standings { height, epoch, rates: rates_at(state, epoch)?.0, totals: totals(state)? })
    }

    /// [`update_standing`] of one account.
    pub(crate) fn update(
        &mut self,
        state: &mut impl StateWrite,
        address: &Address,
        change: impl FnOnce(&mut Standing),
    ) -> Result<Standing, StateError> {
        let (count, last) = counted_latest(state, address)?;
        let before = carried(state, last.as_ref(), self.epoch)?;
        let mut after = before;
        change(&mut after);
        after.floor = after.floor.min(after.bonded);
        let adjust = |total: Amount, old: Amount, new: Amount| total.saturating_sub(old).saturating_add(new);
        let totals = &mut self.totals;
        totals.bonded = adjust(totals.bonded, before.bonded, after.bonded);
        totals.floor = adjust(totals.floor, before.floor, after.floor);
        totals.creation_gain = totals
            .creation_gain
            .saturating_sub(before.creation_gain(&self.rates))
            .saturating_add(after.creation_gain(&self.rates));
        put_standing(state, address, self.height, (count, last), &after);
        Ok(after)
    }

    /// Writes the totals.
    pub(crate) fn close(self, state: &mut impl StateWrite) {
        set_totals(state, &self.totals);
    }
}

/// Every account with a checkpoint and its latest one. O(accounts): export, invariants.
pub(crate) fn latest_checkpoints(
    state: &(impl StateRead + ?Sized),
) -> Result<Vec<(Address, Checkpoint)>, StateError> {
    let mut all = Vec::new();
    for (key, _) in scan::<u64>(state, CHECKPOINTS)? {
        let address = key
            .get(CHECKPOINTS.len()..)
            .and_then(|b| <[u8; 20]>::try_from(b).ok())
            .map(Address)
            .ok_or_else(|| StateError::corrupt(&key, "malformed checkpoint count key"))?;
        if let Some(last) = latest(state, &address)? {
            all.push((address, last));
        }
    }
    Ok(all)
}

/// Writes an exported checkpoint; genesis only.
pub(crate) fn init_checkpoint(state: &mut impl StateWrite, address: &Address, checkpoint: &Checkpoint) {
    write(state, count_key(address), &1u64);
    write(state, checkpoint_key(address, 0), checkpoint);
}

// --- unbonding ---

fn unbonding_key(owner: &Address) -> Vec<u8> {
    key(UNBONDING, &[owner.as_bytes()])
}

/// The account's unbonding entries, oldest first.
pub(crate) fn unbondings_of(
    state: &(impl StateRead + ?Sized),
    owner: &Address,
) -> Result<Vec<Unbonding>, StateError> {
    Ok(read::<Unbondings>(state, &unbonding_key(owner))?.map_or_else(Vec::new, |list| list.entries))
}

/// Sets the account's unbonding entries to `entries` (oldest first), leaving out those with
/// nothing left.
pub(crate) fn set_unbondings_of(state: &mut impl StateWrite, owner: &Address, mut entries: Vec<Unbonding>) {
    entries.retain(|entry| !entry.amount.is_zero());
    if entries.is_empty() {
        state.delete(unbonding_key(owner));
    } else {
        write(state, unbonding_key(owner), &Unbondings { entries });
    }
}

pub(crate) fn next_unbonding(state: &(impl StateRead + ?Sized)) -> Result<u64, StateError> {
    Ok(read(state, NEXT_UNBONDING)?.unwrap_or(1))
}

pub(crate) fn set_next_unbonding(state: &mut impl StateWrite, next: u64) {
    write(state, NEXT_UNBONDING.to_vec(), &next);
}

/// Every unbonding entry, by account. O(entries): export, invariants.
pub(crate) fn all_unbondings(state: &(impl StateRead + ?Sized)) -> Result<Vec<Unbonding>, StateError> {
    Ok(scan::<Unbondings>(state, UNBONDING)?.into_iter().flat_map(|(_, list)| list.entries).collect())
}

// --- relations ---

fn pair_key(a: &Address, b: &Address) -> Vec<u8> {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    key(FUNDED, &[low.as_bytes(), high.as_bytes()])
}

/// Records that `from` sent `to` funds at `height`.
pub(crate) fn record_funding(state: &mut impl StateWrite, from: &Address, to: &Address, height: Height) {
    if from != to {
        write(state, pair_key(from, to), &height);
    }
}

/// Whether `a` and `b` are one account, or one sent the other funds within the relation window.
pub(crate) fn related(
    state: &(impl StateRead + ?Sized),
    params: &StakingParams,
    a: &Address,
    b: &Address,
    height: Height,
) -> Result<bool, StateError> {
    if a == b {
        return Ok(true);
    }
    let last: Option<Height> = read(state, &pair_key(a, b))?;
    Ok(last.is_some_and(|at| height.0.saturating_sub(at.0) < params.relation_window_blocks))
}

/// Every recorded pair and its last transfer. O(pairs): export.
pub(crate) fn fundings(
    state: &(impl StateRead + ?Sized),
) -> Result<Vec<(Address, Address, Height)>, StateError> {
    let mut all = Vec::new();
    for (key, height) in scan::<Height>(state, FUNDED)? {
        let bytes = key.get(FUNDED.len()..).filter(|b| b.len() == 40);
        let pair = bytes
            .and_then(|b| Some((<[u8; 20]>::try_from(&b[..20]).ok()?, <[u8; 20]>::try_from(&b[20..]).ok()?)));
        let (low, high) = pair.ok_or_else(|| StateError::corrupt(&key, "malformed funding key"))?;
        all.push((Address(low), Address(high), height));
    }
    Ok(all)
}

// --- evidence ---

fn punished_key(validator: &Address, epoch: u64, view: u64) -> Vec<u8> {
    key(PUNISHED, &[validator.as_bytes(), &epoch.to_be_bytes(), &view.to_be_bytes()])
}

/// When `validator`'s equivocation in `view` of `epoch` was slashed, if it was.
pub(crate) fn punished(
    state: &(impl StateRead + ?Sized),
    validator: &Address,
    epoch: u64,
    view: u64,
) -> Result<Option<Height>, StateError> {
    read(state, &punished_key(validator, epoch, view))
}

pub(crate) fn set_punished(
    state: &mut impl StateWrite,
    validator: &Address,
    epoch: u64,
    view: u64,
    height: Height,
) {
    write(state, punished_key(validator, epoch, view), &height);
}

/// Every slashed equivocation, as `(validator, epoch, view, height)`. O(entries): export.
pub(crate) fn punishments(
    state: &(impl StateRead + ?Sized),
) -> Result<Vec<(Address, u64, u64, Height)>, StateError> {
    let mut all = Vec::new();
    for (key, height) in scan::<Height>(state, PUNISHED)? {
        let rest = key.get(PUNISHED.len()..).filter(|b| b.len() == 36);
        let parsed = rest.and_then(|b| {
            Some((
                <[u8; 20]>::try_from(&b[..20]).ok()?,
                u64::from_be_bytes(b[20..28].try_into().ok()?),
                u64::from_be_bytes(b[28..].try_into().ok()?),
            ))
        });
        let (address, epoch, view) =
            parsed.ok_or_else(|| StateError::corrupt(&key, "malformed punishment key"))?;
        all.push((Address(address), epoch, view, height));
    }
    Ok(all)
}

// --- validators ---

/// A registered candidate.
pub(crate) fn candidate(
    state: &(impl StateRead + ?Sized),
    operator: &Address,
) -> Result<Option<Candidate>, StateError> {
    read(state, &key(CANDIDATE, &[operator.as_bytes()]))
}

/// Registers or replaces `candidate`; counts it if it is new.
pub(crate) fn put_candidate(state: &mut impl StateWrite, candidate: &Candidate) -> Result<(), StateError> {
    if self::candidate(state, &candidate.operator)?.is_none() {
        write(state, CANDIDATE_COUNT.to_vec(), &(candidate_count(state)? + 1));
    }
    write(state, key(CANDIDATE, &[candidate.operator.as_bytes()]), candidate);
    write(state, key(CONSENSUS_KEY, &[candidate.consensus_key.as_bytes()]), &candidate.operator);
    Ok(())
}

/// Removes `operator`'s candidacy (its keys stay its own).
pub(crate) fn remove_candidate(state: &mut impl StateWrite, operator: &Address) -> Result<(), StateError> {
    if candidate(state, operator)?.is_some() {
        write(state, CANDIDATE_COUNT.to_vec(), &candidate_count(state)?.saturating_sub(1));
        state.delete(key(CANDIDATE, &[operator.as_bytes()]));
    }
    Ok(())
}

/// Registered candidates.
pub(crate) fn candidate_count(state: &(impl StateRead + ?Sized)) -> Result<u32, StateError> {
    Ok(read(state, CANDIDATE_COUNT)?.unwrap_or(0))
}

/// Every candidate, by operator. O(candidates), at most `max_candidates`.
pub(crate) fn candidates(state: &(impl StateRead + ?Sized)) -> Result<Vec<Candidate>, StateError> {
    Ok(scan(state, CANDIDATE)?.into_iter().map(|(_, c)| c).collect())
}

/// The operator a consensus key was ever registered by.
pub(crate) fn key_owner(
    state: &(impl StateRead + ?Sized),
    consensus_key: &PublicKey,
) -> Result<Option<Address>, StateError> {
    read(state, &key(CONSENSUS_KEY, &[consensus_key.as_bytes()]))
}

pub(crate) fn set_key_owner(state: &mut impl StateWrite, consensus_key: &PublicKey, operator: &Address) {
    write(state, key(CONSENSUS_KEY, &[consensus_key.as_bytes()]), operator);
}

/// Every consensus key ever registered, with its operator. O(keys): export, invariants.
pub(crate) fn key_owners(state: &(impl StateRead + ?Sized)) -> Result<Vec<(PublicKey, Address)>, StateError> {
    let mut all = Vec::new();
    for (key, operator) in scan::<Address>(state, CONSENSUS_KEY)? {
        let bytes = key
            .get(CONSENSUS_KEY.len()..)
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| StateError::corrupt(&key, "malformed consensus key"))?;
        all.push((PublicKey::from_array(bytes), operator));
    }
    Ok(all)
}

/// The first epoch `operator` may sit in a set again, if it was ever jailed.
pub(crate) fn jailed_until(
    state: &(impl StateRead + ?Sized),
    operator: &Address,
) -> Result<Option<u64>, StateError> {
    read(state, &key(JAILED, &[operator.as_bytes()]))
}

/// Jails `operator` until `until` (a later jail extends an earlier one).
pub(crate) fn jail(state: &mut impl StateWrite, operator: &Address, until: u64) -> Result<u64, StateError> {
    let until = jailed_until(state, operator)?.map_or(until, |old| old.max(until));
    write(state, key(JAILED, &[operator.as_bytes()]), &until);
    Ok(until)
}

/// Every jail ever served or being served. O(jails): export.
pub(crate) fn jails(state: &(impl StateRead + ?Sized)) -> Result<Vec<(Address, u64)>, StateError> {
    by_address(state, JAILED, "malformed jail key")
}

/// Every `(address, T)` keyed `prefix ++ address`, in address order.
fn by_address<T: Decode>(
    state: &(impl StateRead + ?Sized),
    prefix: &[u8],
    malformed: &'static str,
) -> Result<Vec<(Address, T)>, StateError> {
    let mut all = Vec::new();
    for (key, value) in scan::<T>(state, prefix)? {
        let address = key
            .get(prefix.len()..)
            .and_then(|b| <[u8; 20]>::try_from(b).ok())
            .ok_or_else(|| StateError::corrupt(&key, malformed))?;
        all.push((Address(address), value));
    }
    Ok(all)
}

/// The validator set of `epoch`, if one is kept.
pub(crate) fn validator_set(
    state: &(impl StateRead + ?Sized),
    epoch: u64,
) -> Result<Option<ValidatorSet>, StateError> {
    read(state, &key(VALIDATOR_SET, &[&epoch.to_be_bytes()]))
}

pub(crate) fn put_validator_set(state: &mut impl StateWrite, set: &ValidatorSet) {
    write(state, key(VALIDATOR_SET, &[&set.epoch.to_be_bytes()]), set);
}

pub(crate) fn delete_validator_set(state: &mut impl StateWrite, epoch: u64) {
    state.delete(key(VALIDATOR_SET, &[&epoch.to_be_bytes()]));
}

/// Every kept validator set, by epoch. At most a few: export.
pub(crate) fn validator_sets(state: &(impl StateRead + ?Sized)) -> Result<Vec<ValidatorSet>, StateError> {
    Ok(scan(state, VALIDATOR_SET)?.into_iter().map(|(_, s)| s).collect())
}

/// Who missed the views counted so far in `epoch`, if any were.
pub(crate) fn liveness(
    state: &(impl StateRead + ?Sized),
    epoch: u64,
) -> Result<Option<Liveness>, StateError> {
    read(state, &key(LIVENESS, &[&epoch.to_be_bytes()]))
}

pub(crate) fn put_liveness(state: &mut impl StateWrite, liveness: &Liveness) {
    write(state, key(LIVENESS, &[&liveness.epoch.to_be_bytes()]), liveness);
}

pub(crate) fn delete_liveness(state: &mut impl StateWrite, epoch: u64) {
    state.delete(key(LIVENESS, &[&epoch.to_be_bytes()]));
}

/// Every kept liveness record, by epoch. At most two: export.
pub(crate) fn liveness_records(state: &(impl StateRead + ?Sized)) -> Result<Vec<Liveness>, StateError> {
    Ok(scan(state, LIVENESS)?.into_iter().map(|(_, l)| l).collect())
}

/// The height before which `address` cannot unstake, if it is locked.
pub(crate) fn locked_until(
    state: &(impl StateRead + ?Sized),
    address: &Address,
) -> Result<Option<Height>, StateError> {
    read(state, &key(LOCKED, &[address.as_bytes()]))
}

/// Locks `address`'s stake until `until` (a later lock extends an earlier one).
pub(crate) fn lock(state: &mut impl StateWrite, address: &Address, until: Height) -> Result<(), StateError> {
    let until = locked_until(state, address)?.map_or(until, |old| old.max(until));
    write(state, key(LOCKED, &[address.as_bytes()]), &until);
    Ok(())
}

/// Every lock. O(locks): export, invariants.
pub(crate) fn locks(state: &(impl StateRead + ?Sized)) -> Result<Vec<(Address, Height)>, StateError> {
    by_address(state, LOCKED, "malformed lock key")
}
