//! Oracle queries: params, operators, and per feed its spec, open round, value and closed rounds.

use atelier_primitives::{Address, Height};
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{FeedId, FeedSpec, Operator, OracleParams, Published, Round, RoundResult, state};

/// Oracle params.
pub fn params(state: &impl StateRead) -> Result<OracleParams, StateError> {
    state::params(state)
}

/// Every operator, by address.
pub fn operators(state: &impl StateRead) -> Result<Vec<Operator>, StateError> {
    state::operators(state)
}

/// One operator.
pub fn operator(state: &impl StateRead, address: &Address) -> Result<Option<Operator>, StateError> {
    state::operator(state, address)
}

/// A feed as a consumer and an operator see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedView {
    /// Its rules.
    pub spec: FeedSpec,
    /// The round open for observations.
    pub round: Round,
    /// Its value, if any.
    pub latest: Option<Published>,
    /// Whether a consumer would refuse the value at the height asked about.
    pub stale: bool,
    /// Closed rounds kept, oldest first.
    pub history: Vec<RoundResult>,
}

/// `feed` seen at `height` (the state's), or `None` if it is not in the params.
pub fn feed(state: &impl StateRead, feed: &FeedId, height: Height) -> Result<Option<FeedView>, StateError> {
    let params = state::params(state)?;
    let Some(spec) = params.feed(feed).cloned() else {
        return Ok(None);
    };
    let latest = state::latest(state, feed)?;
    let stale = latest.is_none_or(|p| height.0.saturating_sub(p.height.0) > spec.staleness_blocks);
    Ok(Some(FeedView {
        round: state::round(state, feed)?,
        latest,
        stale,
        history: state::history(state, feed)?,
        spec,
    }))
}
