//! Read routes of the treasury: its book, params, income and epoch reports. Each answers the protocol's own
//! record as JSON (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_primitives::Amount;
use atelier_protocol::modules::treasury::{self, EpochReport, TreasuryParams, query::Status};
use axum::{Json, extract::State};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::snapshot,
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(treasury_status))
        .routes(routes!(treasury_params))
        .routes(routes!(income))
        .routes(routes!(epochs))
}

/// The treasury now: GDC, the stable reserve and its floor, the pool share, the moving average,
/// the defence under way, the grants budget left, the controller's targets (runway, reserve
/// ratio, POL share, conversion share) and the last epoch's report.
#[utoipa::path(get, path = "/treasury", responses((status = 200, description = "treasury status", body = Status)))]
pub(crate) async fn treasury_status(State(node): Shared) -> ApiResult<Status> {
    Ok(Json(treasury::query::status(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// Treasury params.
#[utoipa::path(get, path = "/treasury/params", responses((status = 200, description = "TreasuryParams", body = TreasuryParams)))]
pub(crate) async fn treasury_params(State(node): Shared) -> ApiResult<TreasuryParams> {
    Ok(Json(treasury::query::params(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// What the treasury received from one source since genesis.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SourceIncome {
    source: treasury::IncomeSource,
    /// GDC, in base units.
    ugdc: Amount,
    /// USD, in base units.
    uusd: Amount,
}

/// Income since genesis, by source.
#[utoipa::path(get, path = "/treasury/income", responses((status = 200, description = "income by source", body = Vec<SourceIncome>)))]
pub(crate) async fn income(State(node): Shared) -> ApiResult<Vec<SourceIncome>> {
    let income = treasury::query::income(&snapshot(&node)?).map_err(ApiError::internal)?;
    let view: Vec<SourceIncome> =
        income.into_iter().map(|(source, i)| SourceIncome { source, ugdc: i.ugdc, uusd: i.uusd }).collect();
    Ok(Json(view))
}

/// The epoch reports kept, oldest first: TWAP, moving average, cushion and wall, velocity, the
/// oracle's price, whether the epoch was weak and the floor defended, income, the controller's
/// targets and jobs settled per class.
#[utoipa::path(get, path = "/treasury/epochs", responses((status = 200, description = "epoch reports", body = Vec<EpochReport>)))]
pub(crate) async fn epochs(State(node): Shared) -> ApiResult<Vec<EpochReport>> {
    Ok(Json(treasury::query::reports(&snapshot(&node)?).map_err(ApiError::internal)?))
}
