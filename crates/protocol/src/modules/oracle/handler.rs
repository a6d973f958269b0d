//! Executes oracle messages: check everything, then write.

use atelier_primitives::{Address, Height};
use atelier_state::StateWrite;

use super::{FeedId, Operator, OracleError, OracleEvent, OracleMsg, OracleParams, state};
use crate::{
    event::Event,
    modules::{Ctx, Failure, staking},
};

type OracleResult = Result<(), Failure<OracleError>>;

/// Runs `msg` in the block `ctx` describes, sent by `ctx.sender`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
    msg: &OracleMsg,
) -> OracleResult {
    let (height, sender) = (ctx.height, &ctx.sender);
    let params = state::params(state)?;
    match msg {
        OracleMsg::RegisterOperator => register(state, events, &params, height, sender),
        OracleMsg::LeaveOracle => {
            if state::operator(state, sender)?.is_none() {
                return Err(Failure::Rule(OracleError::NotOperator { sender: *sender }));
            }
            state::remove_operator(state, sender)?;
            events.push(Event::Oracle(OracleEvent::OperatorLeft { operator: *sender }));
            Ok(())
        }
        OracleMsg::SubmitObservation { feed, round, value } => {
            observe(state, events, &params, height, sender, feed, *round, *value)
        }
    }
}

/// An operator keeps `min_stake` bonded to register and to observe.
fn check_stake(state: &impl StateWrite, params: &OracleParams, sender: &Address) -> OracleResult {
    let bonded = staking::bonded(state, sender)?;
    if bonded < params.min_stake {
        return Err(Failure::Rule(OracleError::StakeBelowMinimum {
            sender: *sender,
            bonded,
            min: params.min_stake,
        }));
    }
    Ok(())
}

fn register(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &OracleParams,
    height: Height,
    sender: &Address,
) -> OracleResult {
    if state::operator(state, sender)?.is_some() {
        return Err(Failure::Rule(OracleError::AlreadyOperator { operator: *sender }));
    }
    if state::operator_count(state)? >= params.max_operators {
        return Err(Failure::Rule(OracleError::TooManyOperators { max: params.max_operators }));
    }
    check_stake(state, params, sender)?;
    // Point of no return.
    let operator = Operator { address: *sender, since: height, observations: 0, outliers: 0 };
    state::put_operator(state, &operator)?;
    events.push(Event::Oracle(OracleEvent::OperatorRegistered { operator: *sender }));
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn observe(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &OracleParams,
    height: Height,
    sender: &Address,
    feed: &FeedId,
    round: u64,
    value: u128,
) -> OracleResult {
    if params.feed(feed).is_none() {
        return Err(Failure::Rule(OracleError::UnknownFeed { feed: feed.clone() }));
    }
    if state::operator(state, sender)?.is_none() {
        return Err(Failure::Rule(OracleError::NotOperator { sender: *sender }));
    }
    check_stake(state, params, sender)?;
    let mut open = state::round(state, feed)?;
    if round != open.number {
        return Err(Failure::Rule(OracleError::WrongRound { feed: feed.clone(), open: open.number, round }));
    }
    if state::has_observed(state, feed, sender)? {
        return Err(Failure::Rule(OracleError::AlreadyObserved {
            feed: feed.clone(),
            round,
            operator: *sender,
        }));
    }
    // Point of no return.
    if open.observations == 0 {
        open.opened = height;
    }
    open.observations = open.observations.saturating_add(1);
    state::set_round(state, feed, &open);
    state::put_observation(state, feed, sender, value);
    events.push(Event::Oracle(OracleEvent::Observed { feed: feed.clone(), round, operator: *sender, value }));
    Ok(())
}
