//! The end of a block: every listed feed whose open round has its quorum closes it with the median,
//! penalizes the outliers, publishes on deviation or heartbeat and opens the next round; a round
//! that ran out of time under its quorum is dropped. O(feeds + observations closed), at most
//! [`super::MAX_FEEDS`] feeds and [`super::MAX_OPERATORS`] observations each.

use std::cmp::Ordering;

use atelier_primitives::Height;
use atelier_state::{StateError, StateWrite};

use super::{FeedSpec, OracleError, OracleEvent, OracleParams, Published, Round, RoundResult, state};
use crate::modules::{Ctx, Failure};
use crate::{event::Event, modules::staking};

/// Runs at the end of every block.
pub(crate) fn end_block(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
) -> Result<(), Failure<OracleError>> {
    let height = ctx.height;
    let params = state::params(state)?;
    for spec in &params.feeds {
        let round = state::round(state, &spec.id)?;
        if round.observations >= spec.quorum {
            close(state, events, &params, spec, round, height)?;
        } else if round.observations > 0 && height.0 >= round.opened.0.saturating_add(spec.round_blocks) {
            let observed = state::observations(state, &spec.id)?;
            state::clear_observations(state, &spec.id, &observed);
            state::set_round(state, &spec.id, &next(round));
            events.push(Event::Oracle(OracleEvent::RoundExpired {
                feed: spec.id.clone(),
                round: round.number,
                observations: round.observations,
            }));
        }
    }
    Ok(())
}

fn next(round: Round) -> Round {
    Round { number: round.number.saturating_add(1), ..Round::default() }
}

/// The median of `values`: the middle one, the upper of the two middle ones for an even count.
/// `None` for no values.
pub fn median(values: &mut [u128]) -> Option<u128> {
    values.sort_unstable();
    values.get(values.len() / 2).copied()
}

fn close(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &OracleParams,
    spec: &FeedSpec,
    round: Round,
    height: Height,
) -> Result<(), StateError> {
    let observed = state::observations(state, &spec.id)?;
    let mut values: Vec<u128> = observed.iter().map(|(_, v)| *v).collect();
    let Some(median) = median(&mut values) else {
        return Ok(());
    };
    // spec: oracle §Outliers — far from the median costs reputation.
    for (address, value) in &observed {
        let outlier =
            super::params::relative_gap(*value, median, params.outlier_distance) == Ordering::Greater;
        if let Some(mut operator) = state::operator(state, address)? {
            operator.observations = operator.observations.saturating_add(1);
            operator.outliers = operator.outliers.saturating_add(u64::from(outlier));
            state::put_operator(state, &operator)?;
        }
        if outlier {
            let reputation_lost = staking::penalize(state, address, params.outlier_penalty, height)?;
            events.push(Event::Oracle(OracleEvent::OperatorPenalized {
                operator: *address,
                feed: spec.id.clone(),
                round: round.number,
                value: *value,
                median,
                reputation_lost,
            }));
        }
    }
    // spec: oracle §Publication.
    let published = spec.publishes(median, state::latest(state, &spec.id)?.as_ref(), height);
    if published {
        state::set_latest(state, &spec.id, &Published { value: median, round: round.number, height });
    }
    let result = RoundResult {
        round: round.number,
        median,
        observations: round.observations,
        published,
        closed_at: height,
    };
    state::push_history(state, &spec.id, &result, params.history_rounds);
    state::clear_observations(state, &spec.id, &observed);
    state::set_round(state, &spec.id, &next(round));
    events.push(Event::Oracle(OracleEvent::RoundClosed {
        feed: spec.id.clone(),
        round: round.number,
        median,
        observations: round.observations,
        published,
    }));
    Ok(())
}
