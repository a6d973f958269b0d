//! The end of a block: closing the epoch's totals at its last block. O(1): every account's
//! standing closes its epochs lazily, the next time it is read or changed.

use atelier_primitives::Height;
use atelier_state::{StateError, StateWrite};

use super::{StakingEvent, state};
use crate::event::Event;

/// Runs at the end of every block, after every module that credits creation value or moves stake.
pub fn end_block(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
) -> Result<(), StateError> {
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
