//! The end of a block: slashing and jailing the evidence the block carries, counting who voted in
//! the view it reports, choosing the next epoch's validators near an epoch's end, and at its last
//! block jailing those who missed too many views and closing the epoch's totals. O(evidence),
//! O(validators), O(candidates) once an epoch, and O(1): every account's standing closes its
//! epochs lazily, the next time it is read or changed.

use atelier_primitives::{Address, Hash, Height};
use atelier_state::{StateError, StateRead, StateWrite};

use super::{
    JailReason, SlashReason, StakingError, StakingEvent, StakingParams, state,
    validators::{Liveness, Standing, ValidatorSet, select, selection_height},
};
use crate::{app::caps::Slasher, modules::Ctx};
use crate::{
    block::{Misbehavior, Participation},
    event::Event,
    modules::Failure,
};

/// Slashes and jails each validator whose equivocation the block proves, once per validator,
/// epoch and view: `equivocation_slash` of its operator's bonded and unbonding stake, rounded up
/// (spec: staking §Evidence). Evidence from before the evidence window is ignored.
pub(crate) fn punish(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<Slasher>,
    evidence: &[Misbehavior],
) -> Result<(), Failure<StakingError>> {
    let (height, slasher) = (ctx.height, &ctx.caps);
    if evidence.is_empty() {
        return Ok(());
    }
    let params = state::params(state)?;
    let epoch = state::epoch_of(&params, height);
    for misbehavior in evidence {
        let window = misbehavior.epoch..=misbehavior.epoch.saturating_add(params.validators.evidence_epochs);
        if !window.contains(&epoch) {
            continue;
        }
        // A registered key names its operator; a key never registered, its own account.
        let operator = state::key_owner(state, &misbehavior.validator)?
            .unwrap_or_else(|| misbehavior.validator.address());
        if state::punished(state, &operator, misbehavior.epoch, misbehavior.view)?.is_some() {
            continue;
        }
        slasher.slash(
            state,
            events,
            height,
            &operator,
            params.equivocation_slash,
            SlashReason::Equivocation,
        )?;
        state::set_punished(state, &operator, misbehavior.epoch, misbehavior.view, height);
        jail(state, events, &params, epoch, &operator, JailReason::Equivocation)?;
    }
    Ok(())
}

/// Why the block at `height` cannot carry `record`, if it cannot (spec: README "Liveness"): the
/// chain must keep a set for the block's epoch, and the record must name that epoch, a view after
/// the last counted one and a quorum of the set, sorted.
pub fn participation_problem(
    state: &impl StateRead,
    height: Height,
    record: &Participation,
) -> Result<Option<&'static str>, StateError> {
    let epoch = state::epoch_of(&state::params(state)?, height);
    let Some(set) = state::validator_set(state, epoch)? else {
        return Ok(Some("the chain keeps no validator set for the block's epoch"));
    };
    let liveness = state::liveness(state, epoch)?.unwrap_or_else(|| Liveness::new(&set));
    Ok(liveness.problem(&set, record))
}

/// Counts the block's participation record, which [`participation_problem`] accepted when the
/// block began: one more view of its epoch, one more missed for every validator it leaves out.
pub(crate) fn count_participation(
    state: &mut impl StateWrite,
    record: Option<&Participation>,
) -> Result<(), StateError> {
    let Some(record) = record else { return Ok(()) };
    let Some(set) = state::validator_set(state, record.epoch)? else { return Ok(()) };
    let mut liveness = state::liveness(state, record.epoch)?.unwrap_or_else(|| Liveness::new(&set));
    liveness.count(&set, record);
    state::put_liveness(state, &liveness);
    Ok(())
}

/// At `epoch`'s last block: jails every validator of its set that missed more than
/// `max_missed_share` of the views counted (once `min_recorded_views` were), and forgets the
/// epoch before's record (the chain keeps the current epoch's and the last).
fn jail_absentees(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &StakingParams,
    epoch: u64,
) -> Result<(), StateError> {
    if let Some(before) = epoch.checked_sub(1) {
        state::delete_liveness(state, before);
    }
    let (Some(set), Some(liveness)) = (state::validator_set(state, epoch)?, state::liveness(state, epoch)?)
    else {
        return Ok(());
    };
    for index in liveness.absentees(&params.validators) {
        if let Some(validator) = set.validators.get(index) {
            jail(state, events, params, epoch, &validator.operator, JailReason::MissedVotes)?;
        }
    }
    Ok(())
}

/// Jails `operator` for the rest of `epoch` and `jail_epochs` more, and takes it out of a set
/// chosen for a later epoch already (unless it is that set's only validator: a chain needs one).
fn jail(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &StakingParams,
    epoch: u64,
    operator: &Address,
    reason: JailReason,
) -> Result<(), StateError> {
    let until = epoch.saturating_add(1).saturating_add(params.validators.jail_epochs);
    let until_epoch = state::jail(state, operator, until)?;
    if let Some(mut next) = state::validator_set(state, epoch.saturating_add(1))? {
        let before = next.validators.len();
        next.validators.retain(|v| v.operator != *operator);
        if next.validators.len() < before && !next.validators.is_empty() {
            state::put_validator_set(state, &next);
        }
    }
    events.push(Event::Staking(StakingEvent::ValidatorJailed { operator: *operator, until_epoch, reason }));
    Ok(())
}

/// Chooses the next epoch's validator set once, at the epoch's selection height (spec: README
/// "Validators"; a change of the lead after it cannot skip an epoch's choice). A chain with neither candidates nor a set (a dev
/// node) has none; when no candidate is eligible, the current set carries on. Keeps the sets
/// evidence may still name and drops the one before them. O(candidates).
fn choose_validators(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &StakingParams,
    height: Height,
) -> Result<(), StateError> {
    let epoch = state::epoch_of(params, height);
    let next = epoch.saturating_add(1);
    if height.0 < selection_height(params.epoch_blocks, &params.validators, epoch)
        || state::validator_set(state, next)?.is_some()
    {
        return Ok(());
    }
    let current = state::validator_set(state, epoch)?;
    if current.is_none() && state::candidate_count(state)? == 0 {
        return Ok(());
    }
    let mut standings = Vec::new();
    for candidate in state::candidates(state)? {
        let standing = state::standing(state, &candidate.operator, epoch)?;
        let jailed_until = state::jailed_until(state, &candidate.operator)?;
        standings.push(Standing {
            candidate,
            bonded: standing.bonded,
            reputation: standing.reputation,
            jailed_until,
        });
    }
    let chosen = select(&params.validators, next, &standings);
    let (set, carried_over) = match current {
        Some(current) if chosen.validators.is_empty() => (ValidatorSet { epoch: next, ..current }, true),
        _ => (chosen, false),
    };
    state::put_validator_set(state, &set);
    if let Some(stale) = epoch.checked_sub(params.validators.evidence_epochs.saturating_add(1)) {
        state::delete_validator_set(state, stale);
    }
    events.push(Event::Staking(StakingEvent::ValidatorSetChosen {
        epoch: next,
        validators: set.validators.len() as u32,
        total_weight: set.total_weight(),
        hash: set.hash(),
        carried_over,
    }));
    Ok(())
}

/// What the header of the block at `height` commits to about validators: the hash of the set of
/// the next block's epoch when that block starts an epoch, or when `height` is the genesis
/// header's; zero otherwise, and on a chain without validators.
pub fn next_validators(state: &impl StateRead, height: Height, genesis: bool) -> Result<Hash, StateError> {
    let params = state::params(state)?;
    let next_height = height.0.saturating_add(1);
    if !genesis && !next_height.is_multiple_of(params.epoch_blocks.max(1)) {
        return Ok(Hash::ZERO);
    }
    let epoch = state::epoch_of(&params, Height(next_height));
    Ok(state::validator_set(state, epoch)?.map_or(Hash::ZERO, |set| set.hash()))
}

/// Runs at the end of every block, after every module that credits creation value or moves stake.
pub(crate) fn end_block(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
) -> Result<(), Failure<StakingError>> {
    let height = ctx.height;
    let params = state::params(state)?;
    choose_validators(state, events, &params, height)?;
    if !(height.0 + 1).is_multiple_of(params.epoch_blocks.max(1)) {
        return Ok(());
    }
    jail_absentees(state, events, &params, state::epoch_of(&params, height))?;
    let totals = state::totals(state)?;
    let rates = state::rates_at(state, totals.epoch)?.0;
    let closed = totals.close_epoch(&rates);
    state::set_totals(state, &closed);
    events.push(Event::Staking(StakingEvent::EpochEnded {
        epoch: totals.epoch,
        total_reputation: closed.reputation,
        bonded: closed.bonded,
    }));
    Ok(())
}
