//! Read routes of the treasury and the oracle: balances, runway, bands and the controller's
//! targets, income by source, epoch reports; oracle params, operators, feeds with their open
//! round, value and closed rounds. Observations go through `POST /txs` like any other message.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::{
    auth,
    oracle::{self, FeedId},
    treasury,
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::get,
};
use serde::Serialize;

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared, json},
    routes::{found, snapshot},
};

pub(crate) fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/treasury", get(treasury_status))
        .route("/treasury/params", get(treasury_params))
        .route("/treasury/income", get(income))
        .route("/treasury/epochs", get(epochs))
        .route("/oracle/params", get(oracle_params))
        .route("/oracle/operators", get(operators))
        .route("/oracle/feeds", get(feeds))
        .route("/oracle/feeds/{*feed}", get(feed))
}

type Value = serde_json::Value;

/// The treasury now: GDC, the stable reserve and its floor, the pool share, the moving average,
/// the defence under way, the grants budget left, the controller's targets (runway, reserve
/// ratio, POL share, conversion share) and the last epoch's report.
#[utoipa::path(get, path = "/treasury", responses((status = 200, description = "treasury status")))]
pub(crate) async fn treasury_status(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&treasury::query::status(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// Treasury params.
#[utoipa::path(get, path = "/treasury/params", responses((status = 200, description = "TreasuryParams")))]
pub(crate) async fn treasury_params(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&treasury::query::params(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

#[derive(Debug, Serialize)]
struct SourceIncome {
    source: treasury::IncomeSource,
    ugdc: String,
    uusd: String,
}

/// Income since genesis, by source.
#[utoipa::path(get, path = "/treasury/income", responses((status = 200, description = "income by source")))]
pub(crate) async fn income(State(node): Shared) -> ApiResult<Value> {
    let income = treasury::query::income(&snapshot(&node)?).map_err(ApiError::internal)?;
    let view: Vec<SourceIncome> = income
        .into_iter()
        .map(|(source, i)| SourceIncome { source, ugdc: i.ugdc.to_string(), uusd: i.uusd.to_string() })
        .collect();
    Ok(Json(json(&view)?))
}

/// The epoch reports kept, oldest first: TWAP, moving average, cushion and wall, velocity, the
/// oracle's price, whether the epoch was weak and the floor defended, income, the controller's
/// targets and jobs settled per class.
#[utoipa::path(get, path = "/treasury/epochs", responses((status = 200, description = "epoch reports")))]
pub(crate) async fn epochs(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&treasury::query::reports(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// Oracle params, the feeds among them.
#[utoipa::path(get, path = "/oracle/params", responses((status = 200, description = "OracleParams")))]
pub(crate) async fn oracle_params(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&oracle::query::params(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// Registered operators.
#[utoipa::path(get, path = "/oracle/operators", responses((status = 200, description = "operators")))]
pub(crate) async fn operators(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&oracle::query::operators(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// Every feed: its spec, open round, value, whether that value is stale, and its closed rounds.
#[utoipa::path(get, path = "/oracle/feeds", responses((status = 200, description = "feeds")))]
pub(crate) async fn feeds(State(node): Shared) -> ApiResult<Value> {
    let snapshot = snapshot(&node)?;
    let height = auth::query::height(&snapshot).map_err(ApiError::internal)?;
    let params = oracle::query::params(&snapshot).map_err(ApiError::internal)?;
    let mut all = Vec::new();
    for spec in &params.feeds {
        all.extend(oracle::query::feed(&snapshot, &spec.id, height).map_err(ApiError::internal)?);
    }
    Ok(Json(json(&all)?))
}

/// One feed (ids may hold `/`, e.g. `demand/portrait`).
#[utoipa::path(get, path = "/oracle/feeds/{feed}", params(("feed" = String, Path, description = "feed id")),
    responses((status = 200, description = "feed"), (status = 404, body = ErrorBody)))]
pub(crate) async fn feed(State(node): Shared, Path(feed): Path<String>) -> ApiResult<Value> {
    let snapshot = snapshot(&node)?;
    let height = auth::query::height(&snapshot).map_err(ApiError::internal)?;
    let id = FeedId(feed);
    let view = oracle::query::feed(&snapshot, &id, height).map_err(ApiError::internal)?;
    found(view, || format!("no feed {id}"))
}
