//! Read routes of the treasury: its book, params, income and epoch reports. Each answers the protocol's own
//! record as JSON (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_protocol::modules::treasury;
use axum::{Json, Router, extract::State, routing::get};
use serde::Serialize;

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared, json},
    routes::snapshot,
};

type Value = serde_json::Value;

pub(crate) fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/treasury", get(treasury_status))
        .route("/treasury/params", get(treasury_params))
        .route("/treasury/income", get(income))
        .route("/treasury/epochs", get(epochs))
}

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
