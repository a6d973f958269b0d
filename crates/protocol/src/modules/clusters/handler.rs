//! Executes clusters messages and the governance action that registers a cluster. Check
//! everything, then write.

use atelier_primitives::{Address, Amount, Denom, Height};
use atelier_state::StateWrite;

use super::{
    Cluster, ClusterId, ClustersError, ClustersEvent, ClustersMsg, Reservation, ReservationStatus,
    state::{self, account},
};
use crate::{
    event::Event,
    modules::{Ctx, Failure, bank, rule, staking},
};

type ClustersResult<T = ()> = Result<T, Failure<ClustersError>>;

/// Runs `msg` in the block `ctx` describes, sent by `ctx.sender`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
    msg: &ClustersMsg,
) -> ClustersResult {
    let (height, sender) = (ctx.height, &ctx.sender);
    match msg {
        ClustersMsg::ReserveSlots { cluster, epoch, slots, bid_per_slot } => {
            reserve(state, events, height, sender, *cluster, *epoch, *slots, *bid_per_slot)
        }
        ClustersMsg::CancelReservation { reservation } => cancel(state, events, sender, *reservation),
    }
}

fn send(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    from: &Address,
    to: &Address,
    amount: Amount,
) -> ClustersResult {
    if amount.is_zero() {
        return Ok(());
    }
    bank::send(state, events, from, to, &Denom::GDC, amount).map_err(|f| f.map_rule(ClustersError::Bank))
}

#[allow(clippy::too_many_arguments)]
fn reserve(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    sender: &Address,
    id: ClusterId,
    epoch: u64,
    slots: u32,
    bid_per_slot: Amount,
) -> ClustersResult {
    let params = state::params(state)?;
    let Some(cluster) = state::cluster(state, id)? else {
        return rule(ClustersError::UnknownCluster { cluster: id });
    };
    let staking_params = staking::params(state)?;
    let current = staking::epoch_of(&staking_params, height);
    let (first, last) = (current.saturating_add(1), current.saturating_add(params.horizon_epochs));
    if epoch < first || epoch > last {
        return rule(ClustersError::InvalidEpoch { epoch, first, last });
    }
    if slots == 0 || slots > cluster.slots_per_epoch {
        return rule(ClustersError::InvalidSlots { asked: slots, slots: cluster.slots_per_epoch });
    }
    let reputation = staking::standing(state, sender, current)?.reputation;
    let allowed = staking_params.tier(reputation).map_or(0, |t| t.cluster_slots);
    let held = state::held(state, sender, epoch)?;
    if held.saturating_add(slots) > allowed {
        return rule(ClustersError::TierTooLow { allowed, held, asked: slots });
    }
    if bid_per_slot < cluster.price_per_slot {
        return rule(ClustersError::BidBelowPrice { bid: bid_per_slot, price: cluster.price_per_slot });
    }
    if state::requests(state, id, epoch)? >= params.max_requests_per_epoch {
        return rule(ClustersError::TooManyRequests { cluster: id, max: params.max_requests_per_epoch });
    }
    let escrow =
        bid_per_slot.checked_mul(u128::from(slots)).map_err(|_| Failure::Rule(ClustersError::Overflow))?;
    let next = state::next_reservation(state)?;
    let following = next.checked_add(1).ok_or(Failure::Rule(ClustersError::Overflow))?;
    send(state, events, sender, &account(), escrow)?;
    // Point of no return.
    let reservation = Reservation {
        id: next,
        account: *sender,
        cluster: id,
        epoch,
        slots,
        bid_per_slot,
        escrow,
        status: ReservationStatus::Requested,
    };
    state::insert_reservation(state, &reservation)?;
    state::set_next_reservation(state, following);
    events.push(Event::Clusters(ClustersEvent::SlotsRequested {
        reservation: next,
        account: *sender,
        cluster: id,
        epoch,
        escrow,
    }));
    Ok(())
}

fn cancel(state: &mut impl StateWrite, events: &mut Vec<Event>, sender: &Address, id: u64) -> ClustersResult {
    let Some(reservation) = state::reservation(state, id)? else {
        return rule(ClustersError::UnknownReservation { reservation: id });
    };
    if reservation.account != *sender {
        return rule(ClustersError::NotRequester { reservation: id, sender: *sender });
    }
    let (refund, to_operator) = match reservation.status {
        ReservationStatus::Requested => (reservation.escrow, Amount::ZERO),
        ReservationStatus::Won => {
            let refund = state::params(state)?.late_cancel_refund.of_floor(reservation.escrow);
            (refund, reservation.escrow.saturating_sub(refund))
        }
    };
    let operator = state::cluster(state, reservation.cluster)?
        .ok_or_else(|| {
            atelier_state::StateError::corrupt(b"clusters/reservation", "a reservation's cluster is missing")
        })?
        .operator;
    send(state, events, &account(), sender, refund)?;
    send(state, events, &account(), &operator, to_operator)?;
    // Point of no return.
    state::remove_reservation(state, &reservation)?;
    events.push(Event::Clusters(ClustersEvent::ReservationCancelled {
        reservation: id,
        refund,
        to_operator,
    }));
    Ok(())
}

/// Registers a cluster (a governance action). Fails if the cluster count is at its maximum or the
/// offer is empty.
pub(crate) fn register(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    operator: &Address,
    slots_per_epoch: u32,
    price_per_slot: Amount,
) -> Result<ClusterId, Failure<String>> {
    let params = state::params(state)?;
    if slots_per_epoch == 0 {
        return Err(Failure::Rule("a cluster offers at least one slot per epoch".into()));
    }
    let next = state::next_cluster(state)?;
    if next > u64::from(params.max_clusters) {
        return Err(Failure::Rule(format!("at most {} clusters", params.max_clusters)));
    }
    let id = ClusterId(next);
    state::put_cluster(state, &Cluster { id, operator: *operator, slots_per_epoch, price_per_slot });
    state::set_next_cluster(state, next + 1);
    events.push(Event::Clusters(ClustersEvent::ClusterRegistered { cluster: id, operator: *operator }));
    Ok(id)
}
