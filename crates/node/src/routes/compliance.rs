//! Read routes of compliance: params, schemas, attesters, attestations, subjects and disputes. Each answers
//! the protocol's own record as JSON (amounts as decimal strings); messages go through `POST /txs` like any
//! other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::compliance::{self, AttestationId, DisputeId, Subject};
use axum::{
    Json, Router,
    extract::{Path, Query, State},
    routing::get,
};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared, json},
    routes::{PageQuery, found, page_limit, parse_id, snapshot},
};

type Value = serde_json::Value;

pub(crate) fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/compliance/params", get(params))
        .route("/compliance/schemas", get(schemas))
        .route("/compliance/attesters", get(attesters))
        .route("/compliance/attestations/{id}", get(attestation))
        .route("/compliance/subjects/{kind}/{id}", get(subject))
        .route("/compliance/disputes", get(disputes))
        .route("/compliance/disputes/{id}", get(dispute))
}

/// Compliance params: the ethical-sourcing schema, bonds, arbiters, slash and lock.
#[utoipa::path(get, path = "/compliance/params", responses((status = 200, description = "ComplianceParams")))]
pub(crate) async fn params(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&compliance::query::params(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// Registered schemas.
#[utoipa::path(get, path = "/compliance/schemas", responses((status = 200, description = "schemas")))]
pub(crate) async fn schemas(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&compliance::query::schemas(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// Approved attesters.
#[utoipa::path(get, path = "/compliance/attesters", responses((status = 200, description = "attesters")))]
pub(crate) async fn attesters(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&compliance::query::attesters(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// One attestation.
#[utoipa::path(get, path = "/compliance/attestations/{id}", params(("id" = u64, Path, description = "attestation id")),
    responses((status = 200, description = "Attestation"), (status = 404, body = ErrorBody)))]
pub(crate) async fn attestation(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = AttestationId(parse_id(&id)?);
    found(compliance::query::attestation(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no attestation {id}")
    })
}

/// A dataset's, model's or asset's standing at the head's block time.
#[utoipa::path(get, path = "/compliance/subjects/{kind}/{id}",
    params(("kind" = String, Path, description = "dataset, model or asset"), ("id" = u64, Path, description = "its id")),
    responses((status = 200, description = "subject standing"), (status = 400, body = ErrorBody)))]
pub(crate) async fn subject(
    State(node): Shared,
    Path((kind, id)): Path<(String, String)>,
) -> ApiResult<Value> {
    let subject: Subject = format!("{kind}/{id}").parse().map_err(ApiError::bad_request)?;
    let time_ms = node.head().time_ms;
    Ok(Json(json(
        &compliance::query::subject(&snapshot(&node)?, &subject, time_ms).map_err(ApiError::internal)?,
    )?))
}

/// Disputes by id, a page at a time.
#[utoipa::path(get, path = "/compliance/disputes", params(PageQuery), responses((status = 200, description = "disputes")))]
pub(crate) async fn disputes(State(node): Shared, Query(page): Query<PageQuery>) -> ApiResult<Value> {
    let limit = page_limit(&node, page.limit)?;
    let all = compliance::query::disputes(&snapshot(&node)?, page.after.map(DisputeId), limit)
        .map_err(ApiError::internal)?;
    Ok(Json(json(&all)?))
}

/// One dispute with its votes.
#[utoipa::path(get, path = "/compliance/disputes/{id}", params(("id" = u64, Path, description = "dispute id")),
    responses((status = 200, description = "dispute"), (status = 404, body = ErrorBody)))]
pub(crate) async fn dispute(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = DisputeId(parse_id(&id)?);
    found(compliance::query::dispute(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no dispute {id}")
    })
}
