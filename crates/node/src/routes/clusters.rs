//! Read routes of training clusters and their reservations. Each answers the protocol's own record as JSON
//! (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::clusters::{self, ClusterId};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::get,
};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared, json},
    routes::{found, parse_id, snapshot},
};

type Value = serde_json::Value;

pub(crate) fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/clusters", get(cluster_list))
        .route("/clusters/params", get(clusters_params))
        .route("/clusters/{id}", get(cluster))
        .route("/clusters/{id}/epochs/{epoch}", get(reservations))
        .route("/clusters/reservations/{id}", get(reservation))
}

/// Clusters params.
#[utoipa::path(get, path = "/clusters/params", responses((status = 200, description = "ClusterParams")))]
pub(crate) async fn clusters_params(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&clusters::query::params(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// Every training cluster.
#[utoipa::path(get, path = "/clusters", responses((status = 200, description = "Cluster list")))]
pub(crate) async fn cluster_list(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&clusters::query::clusters(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// A training cluster.
#[utoipa::path(get, path = "/clusters/{id}", params(("id" = u64, Path, description = "cluster id")),
    responses((status = 200, description = "Cluster"), (status = 404, body = ErrorBody)))]
pub(crate) async fn cluster(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = ClusterId(parse_id(&id)?);
    found(clusters::query::cluster(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no cluster {id}")
    })
}

/// A cluster's reservations for an epoch.
#[utoipa::path(get, path = "/clusters/{id}/epochs/{epoch}",
    params(("id" = u64, Path, description = "cluster id"), ("epoch" = u64, Path, description = "epoch")),
    responses((status = 200, description = "Reservation list"), (status = 400, body = ErrorBody)))]
pub(crate) async fn reservations(
    State(node): Shared,
    Path((id, epoch)): Path<(String, String)>,
) -> ApiResult<Value> {
    let id = ClusterId(parse_id(&id)?);
    let epoch = parse_id(&epoch)?;
    Ok(Json(json(&clusters::query::reservations(&snapshot(&node)?, id, epoch).map_err(ApiError::internal)?)?))
}

/// A reservation.
#[utoipa::path(get, path = "/clusters/reservations/{id}", params(("id" = u64, Path, description = "reservation id")),
    responses((status = 200, description = "Reservation"), (status = 404, body = ErrorBody)))]
pub(crate) async fn reservation(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = parse_id(&id)?;
    found(clusters::query::reservation(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no reservation {id}")
    })
}
