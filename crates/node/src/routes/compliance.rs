//! Read routes of compliance: params, schemas, attesters, attestations, subjects and disputes. Each answers
//! the protocol's own record as JSON (amounts as decimal strings); messages go through `POST /txs` like any
//! other.

use std::sync::Arc;

use atelier_api::{ErrorBody, Page};
use atelier_primitives::Address;
use atelier_protocol::modules::compliance::{
    self, Attestation, AttestationId, ComplianceParams, Dispute, DisputeId, Schema, Subject,
    query::DisputeView, query::SubjectView,
};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{PageQuery, found, parse_id, snapshot},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(params))
        .routes(routes!(schemas))
        .routes(routes!(attesters))
        .routes(routes!(attestation))
        .routes(routes!(subject))
        .routes(routes!(disputes))
        .routes(routes!(dispute))
}

/// Compliance params: the ethical-sourcing schema, bonds, arbiters, slash and lock.
#[utoipa::path(get, path = "/compliance/params", operation_id = "compliance_params", responses((status = 200, description = "ComplianceParams", body = ComplianceParams)))]
pub(crate) async fn params(State(node): Shared) -> ApiResult<ComplianceParams> {
    Ok(Json(compliance::query::params(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// Registered schemas.
#[utoipa::path(get, path = "/compliance/schemas", responses((status = 200, description = "schemas", body = Vec<Schema>)))]
pub(crate) async fn schemas(State(node): Shared) -> ApiResult<Vec<Schema>> {
    Ok(Json(compliance::query::schemas(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// Approved attesters.
#[utoipa::path(get, path = "/compliance/attesters", responses((status = 200, description = "attesters", body = Vec<Address>)))]
pub(crate) async fn attesters(State(node): Shared) -> ApiResult<Vec<Address>> {
    Ok(Json(compliance::query::attesters(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// One attestation.
#[utoipa::path(get, path = "/compliance/attestations/{id}", params(("id" = u64, Path, description = "attestation id")),
    responses((status = 200, description = "Attestation", body = Attestation), (status = 404, body = ErrorBody)))]
pub(crate) async fn attestation(State(node): Shared, Path(id): Path<String>) -> ApiResult<Attestation> {
    let id = AttestationId(parse_id(&id)?);
    found(compliance::query::attestation(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no attestation {id}")
    })
}

/// A dataset's, model's or asset's standing at the head's block time.
#[utoipa::path(get, path = "/compliance/subjects/{kind}/{id}",
    params(("kind" = String, Path, description = "dataset, model or asset", pattern = "^(dataset|model|asset)$"), ("id" = u64, Path, description = "its id")),
    responses((status = 200, description = "subject standing", body = SubjectView), (status = 400, body = ErrorBody)))]
pub(crate) async fn subject(
    State(node): Shared,
    Path((kind, id)): Path<(String, String)>,
) -> ApiResult<SubjectView> {
    let subject: Subject = format!("{kind}/{}", parse_id(&id)?).parse().map_err(ApiError::bad_request)?;
    let time_ms = node.head().time_ms;
    Ok(Json(compliance::query::subject(&snapshot(&node)?, &subject, time_ms).map_err(ApiError::internal)?))
}

/// Disputes by id, a page at a time.
#[utoipa::path(get, path = "/compliance/disputes", params(PageQuery),
    responses((status = 200, description = "a page of disputes", body = Page<Dispute>), (status = 400, body = ErrorBody)))]
pub(crate) async fn disputes(
    State(node): Shared,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Page<Dispute>> {
    let Query(query) = query?;
    let page = query.of(&node, "disputes")?;
    let disputes =
        compliance::query::disputes(&snapshot(&node)?, page.after_id()?.map(DisputeId), page.read_limit())
            .map_err(ApiError::internal)?;
    Ok(Json(page.page(disputes, |dispute| dispute.id.0.to_be_bytes().to_vec())))
}

/// One dispute with its votes.
#[utoipa::path(get, path = "/compliance/disputes/{id}", params(("id" = u64, Path, description = "dispute id")),
    responses((status = 200, description = "dispute", body = DisputeView), (status = 404, body = ErrorBody)))]
pub(crate) async fn dispute(State(node): Shared, Path(id): Path<String>) -> ApiResult<DisputeView> {
    let id = DisputeId(parse_id(&id)?);
    found(compliance::query::dispute(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no dispute {id}")
    })
}
