//! The end of an epoch's last block: pay operators for the epoch's allocated slots, then allocate
//! the next epoch's. O(clusters × max_requests_per_epoch).

use atelier_primitives::Denom;
use atelier_state::StateWrite;

use super::{ClustersEvent, Reservation, ReservationStatus, state};
use crate::modules::Ctx;
use crate::{
    event::Event,
    modules::{Failure, bank, staking},
};

/// Runs at the end of every block, after staking has closed the epoch's totals.
pub(crate) fn end_block(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
) -> Result<(), Failure<String>> {
    let height = ctx.height;
    let staking_params = staking::params(state)?;
    if !(height.0 + 1).is_multiple_of(staking_params.epoch_blocks.max(1)) {
        return Ok(());
    }
    let epoch = staking::epoch_of(&staking_params, height);
    let limit = state::params(state)?.max_requests_per_epoch as usize;
    for cluster in state::clusters(state)? {
        for won in state::reservations_for(state, cluster.id, epoch, limit)? {
            pay(state, events, &won, &cluster.operator)?;
        }
        let mut requests = state::reservations_for(state, cluster.id, epoch + 1, limit)?;
        let mut ranked = Vec::with_capacity(requests.len());
        for request in requests.drain(..) {
            let reputation = staking::reputation_at(state, &staking_params, &request.account, height)?;
            ranked.push((reputation, request));
        }
        // spec: clusters §Allocation — reputation first, then bid, then the earlier request.
        ranked.sort_by(|(ra, a), (rb, b)| {
            rb.cmp(ra).then(b.bid_per_slot.cmp(&a.bid_per_slot)).then(a.id.cmp(&b.id))
        });
        let mut free = cluster.slots_per_epoch;
        for (_, request) in ranked {
            if request.slots <= free {
                free -= request.slots;
                state::update_reservation(
                    state,
                    &Reservation { status: ReservationStatus::Won, ..request.clone() },
                );
                events.push(Event::Clusters(ClustersEvent::SlotsWon { reservation: request.id }));
            } else {
                refund(state, events, &request)?;
            }
        }
    }
    Ok(())
}

fn move_funds(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    to: &atelier_primitives::Address,
    amount: atelier_primitives::Amount,
) -> Result<(), Failure<String>> {
    bank::send(state, events, &state::account(), to, &Denom::GDC, amount)
        .map_err(|f| f.map_rule(|e| e.to_string()))
}

fn pay(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    won: &Reservation,
    operator: &atelier_primitives::Address,
) -> Result<(), Failure<String>> {
    move_funds(state, events, operator, won.escrow)?;
    state::remove_reservation(state, won).map_err(Failure::Fatal)?;
    events.push(Event::Clusters(ClustersEvent::ReservationSettled {
        reservation: won.id,
        operator: *operator,
        amount: won.escrow,
    }));
    Ok(())
}

fn refund(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    lost: &Reservation,
) -> Result<(), Failure<String>> {
    move_funds(state, events, &lost.account, lost.escrow)?;
    state::remove_reservation(state, lost).map_err(Failure::Fatal)?;
    events.push(Event::Clusters(ClustersEvent::SlotsLost { reservation: lost.id, refund: lost.escrow }));
    Ok(())
}
