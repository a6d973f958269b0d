//! The end of a block: slashing the evidence the block carries, and closing the epoch's totals at
//! its last block. O(evidence) and O(1): every account's standing closes its epochs lazily, the
//! next time it is read or changed.

use atelier_state::StateWrite;

use super::{SlashReason, StakingError, StakingEvent, state};
use crate::{app::caps::Slasher, modules::Ctx};
use crate::{block::Misbehavior, event::Event, modules::Failure};

/// Slashes each validator whose equivocation the block proves, once per validator and view:
/// `equivocation_slash` of its bonded and unbonding stake, rounded up (spec: staking §Evidence).
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
    let share = state::params(state)?.equivocation_slash;
    for misbehavior in evidence {
        let validator = misbehavior.validator.address();
        if state::punished(state, &validator, misbehavior.view)?.is_some() {
            continue;
        }
        slasher.slash(state, events, height, &validator, share, SlashReason::Equivocation)?;
        state::set_punished(state, &validator, misbehavior.view, height);
    }
    Ok(())
}

/// Runs at the end of every block, after every module that credits creation value or moves stake.
pub(crate) fn end_block(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
) -> Result<(), Failure<StakingError>> {
    let height = ctx.height;
    let params = state::params(state)?;
    if !(height.0 + 1).is_multiple_of(params.epoch_blocks.max(1)) {
        return Ok(());
    }
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
