//! Read routes of training clusters and their reservations. Each answers the protocol's own record as JSON
//! (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::clusters::{self, Cluster, ClusterId, ClusterParams, Reservation};
use axum::{
    Json,
    extract::{Path, State},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{found, parse_id, snapshot},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(cluster_list))
        .routes(routes!(clusters_params))
        .routes(routes!(cluster))
        .routes(routes!(reservations))
        .routes(routes!(reservation))
}

/// Clusters params.
#[utoipa::path(get, path = "/clusters/params", responses((status = 200, description = "ClusterParams", body = ClusterParams)))]
pub(crate) async fn clusters_params(State(node): Shared) -> ApiResult<ClusterParams> {
    Ok(Json(clusters::query::params(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// Every training cluster.
#[utoipa::path(get, path = "/clusters", responses((status = 200, description = "Cluster list", body = Vec<Cluster>)))]
pub(crate) async fn cluster_list(State(node): Shared) -> ApiResult<Vec<Cluster>> {
    Ok(Json(clusters::query::clusters(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// A training cluster.
#[utoipa::path(get, path = "/clusters/{id}", params(("id" = u64, Path, description = "cluster id")),
    responses((status = 200, description = "Cluster", body = Cluster), (status = 404, body = ErrorBody)))]
pub(crate) async fn cluster(State(node): Shared, Path(id): Path<String>) -> ApiResult<Cluster> {
    let id = ClusterId(parse_id(&id)?);
    found(clusters::query::cluster(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no cluster {id}")
    })
}

/// A cluster's reservations for an epoch.
#[utoipa::path(get, path = "/clusters/{id}/epochs/{epoch}",
    params(("id" = u64, Path, description = "cluster id"), ("epoch" = u64, Path, description = "epoch")),
    responses((status = 200, description = "Reservation list", body = Vec<Reservation>), (status = 400, body = ErrorBody)))]
pub(crate) async fn reservations(
    State(node): Shared,
    Path((id, epoch)): Path<(String, String)>,
) -> ApiResult<Vec<Reservation>> {
    let id = ClusterId(parse_id(&id)?);
    let epoch = parse_id(&epoch)?;
    Ok(Json(clusters::query::reservations(&snapshot(&node)?, id, epoch).map_err(ApiError::internal)?))
}

/// A reservation.
#[utoipa::path(get, path = "/clusters/reservations/{id}", params(("id" = u64, Path, description = "reservation id")),
    responses((status = 200, description = "Reservation", body = Reservation), (status = 404, body = ErrorBody)))]
pub(crate) async fn reservation(State(node): Shared, Path(id): Path<String>) -> ApiResult<Reservation> {
    let id = parse_id(&id)?;
    found(clusters::query::reservation(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no reservation {id}")
    })
}
