//! Read routes of the oracle: params, operators and feeds. Each answers the protocol's own record as JSON
//! (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::{
    auth,
    oracle::{self, FeedId, Operator, OracleParams, query::FeedView},
};
use axum::{
    Json,
    extract::{Path, State},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{found, snapshot},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(oracle_params))
        .routes(routes!(operators))
        .routes(routes!(feeds))
        .routes(routes!(feed))
}

/// Oracle params, the feeds among them.
#[utoipa::path(get, path = "/oracle/params", responses((status = 200, description = "OracleParams", body = OracleParams)))]
pub(crate) async fn oracle_params(State(node): Shared) -> ApiResult<OracleParams> {
    Ok(Json(oracle::query::params(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// Registered operators.
#[utoipa::path(get, path = "/oracle/operators", responses((status = 200, description = "operators", body = Vec<Operator>)))]
pub(crate) async fn operators(State(node): Shared) -> ApiResult<Vec<Operator>> {
    Ok(Json(oracle::query::operators(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// Every feed: its spec, open round, value, whether that value is stale, and its closed rounds.
#[utoipa::path(get, path = "/oracle/feeds", responses((status = 200, description = "feeds", body = Vec<FeedView>)))]
pub(crate) async fn feeds(State(node): Shared) -> ApiResult<Vec<FeedView>> {
    let snapshot = snapshot(&node)?;
    let height = auth::query::height(&snapshot).map_err(ApiError::internal)?;
    let params = oracle::query::params(&snapshot).map_err(ApiError::internal)?;
    let mut all = Vec::new();
    for spec in &params.feeds {
        all.extend(oracle::query::feed(&snapshot, &spec.id, height).map_err(ApiError::internal)?);
    }
    Ok(Json(all))
}

/// One feed (an id's `/` is sent as `%2F`: `/oracle/feeds/demand%2Fbotanical`).
#[utoipa::path(get, path = "/oracle/feeds/{feed}", params(("feed" = String, Path, description = "feed id")),
    responses((status = 200, description = "feed", body = FeedView), (status = 404, body = ErrorBody)))]
pub(crate) async fn feed(State(node): Shared, Path(feed): Path<String>) -> ApiResult<FeedView> {
    let snapshot = snapshot(&node)?;
    let height = auth::query::height(&snapshot).map_err(ApiError::internal)?;
    let id = FeedId(feed);
    let view = oracle::query::feed(&snapshot, &id, height).map_err(ApiError::internal)?;
    found(view, || format!("no feed {id}"))
}
