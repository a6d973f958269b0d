//! Read routes of staking: params, totals, positions and reputation at any height. Each answers the
//! protocol's own record as JSON (amounts as decimal strings); messages go through `POST /txs` like any
//! other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_primitives::Height;
use atelier_protocol::modules::{auth, staking};
use axum::{
    Json, Router,
    extract::{Path, Query, State, rejection::QueryRejection},
    routing::get,
};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared, json},
    routes::{parse_address, snapshot},
};

type Value = serde_json::Value;

pub(crate) fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/staking/params", get(staking_params))
        .route("/staking/totals", get(staking_totals))
        .route("/staking/accounts/{address}", get(staking_position))
        .route("/staking/accounts/{address}/reputation", get(reputation))
}

/// Staking params: epochs, unbonding, reputation rates and tiers.
#[utoipa::path(get, path = "/staking/params", responses((status = 200, description = "StakingParams")))]
pub(crate) async fn staking_params(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&staking::query::params(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// Bonded and unbonding stake, total reputation and the epoch under way.
#[utoipa::path(get, path = "/staking/totals", responses((status = 200, description = "Totals")))]
pub(crate) async fn staking_totals(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&staking::query::totals(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// An account's stake, unbonding entries, reputation and tier.
#[utoipa::path(get, path = "/staking/accounts/{address}", params(("address" = String, Path, description = "bech32 address")),
    responses((status = 200, description = "Position"), (status = 400, body = ErrorBody)))]
pub(crate) async fn staking_position(State(node): Shared, Path(address): Path<String>) -> ApiResult<Value> {
    let address = parse_address(&address)?;
    Ok(Json(json(&staking::query::position(&snapshot(&node)?, &address).map_err(ApiError::internal)?)?))
}

/// A past height.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct HeightQuery {
    /// The height after whose block to answer (default: the latest).
    height: Option<u64>,
}

/// An account's reputation after a block.
#[derive(Debug, Serialize)]
struct ReputationView {
    account: String,
    height: u64,
    reputation: String,
}

/// An account's reputation after block `height` (default the latest): a checkpoint lookup.
#[utoipa::path(get, path = "/staking/accounts/{address}/reputation",
    params(("address" = String, Path, description = "bech32 address"), HeightQuery),
    responses((status = 200, description = "the reputation"), (status = 400, body = ErrorBody)))]
pub(crate) async fn reputation(
    State(node): Shared,
    Path(address): Path<String>,
    query: Result<Query<HeightQuery>, QueryRejection>,
) -> ApiResult<Value> {
    let Query(query) = query?;
    let account = parse_address(&address)?;
    let snapshot = snapshot(&node)?;
    let head = auth::query::height(&snapshot).map_err(ApiError::internal)?;
    let height = query.height.map_or(head, Height);
    if height > head {
        return Err(ApiError::bad_request(format!("height {height} is after the latest block {head}")));
    }
    let reputation =
        staking::query::reputation_at(&snapshot, &account, height).map_err(ApiError::internal)?;
    let view =
        ReputationView { account: account.to_string(), height: height.0, reputation: reputation.to_string() };
    Ok(Json(json(&view)?))
}
