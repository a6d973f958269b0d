//! Read routes of the compute market: its params, classes, jobs and providers. Each answers the protocol's
//! own record as JSON (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::compute::{self, JobId};
use axum::{
    Json, Router,
    extract::{Path, Query, State, rejection::QueryRejection},
    routing::get,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared, json},
    routes::{found, page_limit, parse_address, parse_id, snapshot},
};

type Value = serde_json::Value;

pub(crate) fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/compute/params", get(params))
        .route("/compute/classes", get(classes))
        .route("/compute/jobs", get(jobs))
        .route("/compute/jobs/{id}", get(job))
        .route("/compute/providers", get(providers))
        .route("/compute/providers/{address}", get(provider))
}

/// The compute market's parameters.
#[utoipa::path(get, path = "/compute/params", responses((status = 200, description = "ComputeParams")))]
pub(crate) async fn params(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&compute::query::params(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// Every compute class: base fee per unit, capacity, target, providers, queue and utilisation.
#[utoipa::path(get, path = "/compute/classes", responses((status = 200, description = "ClassView list")))]
pub(crate) async fn classes(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&compute::query::classes(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// A job.
#[utoipa::path(get, path = "/compute/jobs/{id}", params(("id" = u64, Path, description = "job id")),
    responses((status = 200, description = "Job"), (status = 404, body = ErrorBody)))]
pub(crate) async fn job(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = JobId(parse_id(&id)?);
    found(compute::query::job(&snapshot(&node)?, id).map_err(ApiError::internal)?, || format!("no job {id}"))
}

/// Whose jobs: exactly one of `requester` and `provider`, then a page after `after`.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct JobsQuery {
    /// Jobs this account submitted.
    requester: Option<String>,
    /// Jobs assigned to this provider.
    provider: Option<String>,
    /// Only ids above this one.
    after: Option<u64>,
    /// Most jobs (1 to the node's page cap, 100 if not given).
    limit: Option<usize>,
}

/// A requester's or a provider's jobs, by id.
#[utoipa::path(get, path = "/compute/jobs", params(JobsQuery),
    responses((status = 200, description = "Job list"), (status = 400, body = ErrorBody)))]
pub(crate) async fn jobs(
    State(node): Shared,
    query: Result<Query<JobsQuery>, QueryRejection>,
) -> ApiResult<Value> {
    let Query(query) = query?;
    let (address, assigned) = match (&query.requester, &query.provider) {
        (Some(requester), None) => (parse_address(requester)?, false),
        (None, Some(provider)) => (parse_address(provider)?, true),
        _ => return Err(ApiError::bad_request("give exactly one of requester and provider")),
    };
    let limit = page_limit(&node, query.limit)?;
    let jobs = compute::query::jobs_of(&snapshot(&node)?, &address, assigned, query.after.map(JobId), limit)
        .map_err(ApiError::internal)?;
    Ok(Json(json(&jobs)?))
}

/// A provider.
#[utoipa::path(get, path = "/compute/providers/{address}", params(("address" = String, Path, description = "bech32 address")),
    responses((status = 200, description = "Provider"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn provider(State(node): Shared, Path(address): Path<String>) -> ApiResult<Value> {
    let address = parse_address(&address)?;
    found(compute::query::provider(&snapshot(&node)?, &address).map_err(ApiError::internal)?, || {
        format!("{address} is not a provider")
    })
}

/// Every provider, by address.
#[utoipa::path(get, path = "/compute/providers", responses((status = 200, description = "Provider list")))]
pub(crate) async fn providers(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&compute::query::providers(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}
