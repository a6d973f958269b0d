//! Read routes of staking: params, totals, positions and reputation at any height. Each answers the
//! protocol's own record as JSON (amounts as decimal strings); messages go through `POST /txs` like any
//! other.

use std::sync::Arc;

use atelier_api::{ErrorBody, Proven};
use atelier_primitives::Address;
use atelier_primitives::Height;
use atelier_protocol::modules::{
    auth,
    staking::{
        self, Liveness, StakingParams, Totals, ValidatorSet,
        query::{CandidateStanding, Position},
    },
};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{
        parse_address, parse_id, snapshot,
        state::{ProveQuery, proven},
    },
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(staking_params))
        .routes(routes!(staking_totals))
        .routes(routes!(staking_position))
        .routes(routes!(reputation))
        .routes(routes!(reputation_history))
        .routes(routes!(leaders))
        .routes(routes!(validators))
        .routes(routes!(validator_set))
}

/// The validators of the epoch under way and of the next, and every candidate.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct Validators {
    /// The epoch under way.
    epoch: u64,
    /// The height at which the next epoch's set is (or was) chosen.
    selection_height: Height,
    /// The epoch's set; absent on a chain without validators.
    current: Option<ValidatorSet>,
    /// The next epoch's set, once chosen.
    next: Option<ValidatorSet>,
    /// The views counted so far in the epoch and how many each validator of its set missed.
    liveness: Option<Liveness>,
    /// The same for the epoch before, as it ended.
    last_liveness: Option<Liveness>,
    /// Every candidate with its weight now, heaviest first.
    candidates: Vec<CandidateStanding>,
}

/// Who validates now and next, the views each validator missed, and how every candidate stands:
/// Proof-of-Creation weight (stake backed by reputation), eligibility and jail.
#[utoipa::path(get, path = "/staking/validators",
    responses((status = 200, description = "the validators", body = Validators)))]
pub(crate) async fn validators(State(node): Shared) -> ApiResult<Validators> {
    let snapshot = snapshot(&node)?;
    let params = staking::query::params(&snapshot).map_err(ApiError::internal)?;
    let epoch = staking::query::totals(&snapshot).map_err(ApiError::internal)?.epoch;
    Ok(Json(Validators {
        epoch,
        selection_height: Height(staking::validators::selection_height(
            params.epoch_blocks,
            &params.validators,
            epoch,
        )),
        current: staking::query::validator_set(&snapshot, epoch).map_err(ApiError::internal)?,
        next: staking::query::validator_set(&snapshot, epoch + 1).map_err(ApiError::internal)?,
        liveness: staking::query::liveness(&snapshot, epoch).map_err(ApiError::internal)?,
        last_liveness: match epoch.checked_sub(1) {
            Some(last) => staking::query::liveness(&snapshot, last).map_err(ApiError::internal)?,
            None => None,
        },
        candidates: staking::query::candidates(&snapshot).map_err(ApiError::internal)?,
    }))
}

/// The validator set of one epoch: the chain keeps the current one, the next once chosen, and
/// those equivocation evidence may still name.
#[utoipa::path(get, path = "/staking/validators/{epoch}", params(("epoch" = u64, Path, description = "the epoch")),
    responses((status = 200, description = "the set", body = ValidatorSet), (status = 400, body = ErrorBody),
        (status = 404, description = "No set kept for that epoch", body = ErrorBody)))]
pub(crate) async fn validator_set(State(node): Shared, Path(epoch): Path<String>) -> ApiResult<ValidatorSet> {
    let epoch = parse_id(&epoch)?;
    match staking::query::validator_set(&snapshot(&node)?, epoch).map_err(ApiError::internal)? {
        Some(set) => Ok(Json(set)),
        None => Err(ApiError::not_found(format!("no validator set is kept for epoch {epoch}"))),
    }
}

/// Staking params: epochs, unbonding, reputation rates and tiers.
#[utoipa::path(get, path = "/staking/params", responses((status = 200, description = "StakingParams", body = StakingParams)))]
pub(crate) async fn staking_params(State(node): Shared) -> ApiResult<StakingParams> {
    Ok(Json(staking::query::params(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// Bonded and unbonding stake, total reputation and the epoch under way.
#[utoipa::path(get, path = "/staking/totals", responses((status = 200, description = "Totals", body = Totals)))]
pub(crate) async fn staking_totals(State(node): Shared) -> ApiResult<Totals> {
    Ok(Json(staking::query::totals(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// An account's stake, unbonding entries, reputation and tier.
#[utoipa::path(get, path = "/staking/accounts/{address}", params(("address" = atelier_primitives::Address, Path, description = "bech32 address"), ProveQuery),
    responses((status = 200, description = "Position", body = Proven<Position>), (status = 400, body = ErrorBody)))]
pub(crate) async fn staking_position(
    State(node): Shared,
    Path(address): Path<String>,
    query: Result<Query<ProveQuery>, QueryRejection>,
) -> ApiResult<Proven<Position>> {
    let Query(query) = query?;
    let address = parse_address(&address)?;
    Ok(Json(proven(&node, query.prove, |state| staking::query::position(state, &address)).await?))
}

/// A past height.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct HeightQuery {
    /// The height after whose block to answer (default: the latest).
    #[serde(default, deserialize_with = "crate::routes::int64")]
    height: Option<u64>,
}

/// An account's reputation after a block.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ReputationView {
    account: Address,
    height: Height,
    /// Decimal (it may exceed 2^53).
    reputation: String,
}

/// An account's reputation after block `height` (default the latest): a checkpoint lookup.
#[utoipa::path(get, path = "/staking/accounts/{address}/reputation",
    params(("address" = atelier_primitives::Address, Path, description = "bech32 address"), HeightQuery, ProveQuery),
    responses((status = 200, description = "the reputation", body = Proven<ReputationView>), (status = 400, body = ErrorBody), (status = 404, description = "A height after the latest block", body = ErrorBody)))]
pub(crate) async fn reputation(
    State(node): Shared,
    Path(address): Path<String>,
    query: Result<Query<HeightQuery>, QueryRejection>,
    prove: Result<Query<ProveQuery>, QueryRejection>,
) -> ApiResult<Proven<ReputationView>> {
    let (Query(query), Query(prove)) = (query?, prove?);
    let account = parse_address(&address)?;
    let answer = proven(&node, prove.prove, |state| {
        let head = auth::query::height(state)?;
        let height = query.height.map_or(head, Height);
        if height > head {
            return Ok(Err(ApiError::not_found(format!("no block {height} yet: the latest is {head}"))));
        }
        let reputation = staking::query::reputation_at(state, &account, height)?;
        Ok(Ok(ReputationView { account, height, reputation: reputation.to_string() }))
    })
    .await?;
    Ok(Json(Proven { value: answer.value?, proof: answer.proof }))
}

/// Where an account's reputation history is read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct HistoryQuery {
    /// The first height (default 1).
    #[serde(default, deserialize_with = "crate::routes::int64")]
    from: Option<u64>,
    /// The last height (default the latest).
    #[serde(default, deserialize_with = "crate::routes::int64")]
    to: Option<u64>,
    /// How many heights to read, spread evenly from `from` to `to` (default 100).
    #[param(minimum = 2, maximum = 500)]
    #[serde(default, deserialize_with = "crate::routes::int64")]
    points: Option<u64>,
}

/// Most heights one history reads.
const MAX_HISTORY_POINTS: u64 = 500;

/// An account's reputation at heights spread evenly over a range.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ReputationHistory {
    account: Address,
    /// Oldest first.
    points: Vec<ReputationPoint>,
}

/// An account's reputation after one block.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ReputationPoint {
    height: Height,
    /// Decimal (it may exceed 2^53).
    reputation: String,
}

/// An account's reputation over time: after each of `points` blocks spread evenly from `from` to
/// `to`, a checkpoint lookup each. A range past the latest block ends at it.
#[utoipa::path(get, path = "/staking/accounts/{address}/reputation/history",
    params(("address" = atelier_primitives::Address, Path, description = "bech32 address"), HistoryQuery),
    responses((status = 200, description = "the reputation over time", body = ReputationHistory), (status = 400, body = ErrorBody)))]
pub(crate) async fn reputation_history(
    State(node): Shared,
    Path(address): Path<String>,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> ApiResult<ReputationHistory> {
    let Query(query) = query?;
    let account = parse_address(&address)?;
    let points = query.points.unwrap_or(100);
    if !(2..=MAX_HISTORY_POINTS).contains(&points) {
        return Err(ApiError::bad_request(format!("points must be 2 to {MAX_HISTORY_POINTS}, not {points}")));
    }
    let snapshot = snapshot(&node)?;
    let head = auth::query::height(&snapshot).map_err(ApiError::internal)?.get();
    let to = query.to.unwrap_or(head).min(head);
    let from = query.from.unwrap_or(1).max(1).min(to);
    let span = to - from;
    let mut heights: Vec<u64> = (0..points)
        .map(|i| {
            from + u64::try_from(u128::from(span) * u128::from(i) / u128::from(points - 1)).unwrap_or(span)
        })
        .collect();
    heights.dedup();
    let points = heights
        .into_iter()
        .map(|height| {
            let reputation = staking::query::reputation_at(&snapshot, &account, Height(height))
                .map_err(ApiError::internal)?;
            Ok(ReputationPoint { height: Height(height), reputation: reputation.to_string() })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(ReputationHistory { account, points }))
}

/// How many of the most reputed accounts to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct LeadersQuery {
    /// How many (default 10).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<usize>,
}

/// The accounts holding the most reputation, with the share of all reputation they hold.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct Leaders {
    /// Most first (ties by address).
    leaders: Vec<Leader>,
    /// Accounts holding any reputation.
    holders: u64,
    /// Their reputation in all, decimal.
    total: String,
}

/// One of the most reputed accounts.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct Leader {
    account: Address,
    /// Decimal (it may exceed 2^53).
    reputation: String,
    /// Its share of all reputation, in bps (rounded down).
    share_bps: u64,
}

/// The most reputed accounts now: who runs the community's governance. Reads every holder.
#[utoipa::path(get, path = "/staking/leaders", params(LeadersQuery),
    responses((status = 200, description = "the most reputed accounts", body = Leaders), (status = 400, body = ErrorBody)))]
pub(crate) async fn leaders(
    State(node): Shared,
    query: Result<Query<LeadersQuery>, QueryRejection>,
) -> ApiResult<Leaders> {
    let Query(query) = query?;
    let limit = query.limit.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::bad_request(format!("limit must be 1 to 100, not {limit}")));
    }
    let all = staking::query::reputations(&snapshot(&node)?).map_err(ApiError::internal)?;
    let total: u128 = all.iter().map(|(_, reputation)| reputation).fold(0, |sum, r| sum.saturating_add(*r));
    let share = |reputation: u128| {
        let bps = atelier_primitives::math::mul_div_floor(reputation, 10_000, total).unwrap_or(0);
        u64::try_from(bps).unwrap_or(10_000)
    };
    let leaders = all
        .iter()
        .take(limit)
        .map(|(account, reputation)| Leader {
            account: *account,
            reputation: reputation.to_string(),
            share_bps: share(*reputation),
        })
        .collect();
    Ok(Json(Leaders { leaders, holders: all.len() as u64, total: total.to_string() }))
}
