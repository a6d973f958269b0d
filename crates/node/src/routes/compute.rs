//! Read routes of the compute market: its params, classes, jobs and providers. Each answers the protocol's
//! own record as JSON (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::{ErrorBody, Page};
use atelier_protocol::modules::compute::{self, ComputeParams, Job, JobId, Provider, query::ClassView};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{PageRequest, found, parse_address, parse_id, snapshot},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(params))
        .routes(routes!(classes))
        .routes(routes!(jobs))
        .routes(routes!(job))
        .routes(routes!(providers))
        .routes(routes!(provider))
}

/// The compute market's parameters.
#[utoipa::path(get, path = "/compute/params", operation_id = "compute_params", responses((status = 200, description = "ComputeParams", body = ComputeParams)))]
pub(crate) async fn params(State(node): Shared) -> ApiResult<ComputeParams> {
    Ok(Json(compute::query::params(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// Every compute class: base fee per unit, capacity, target, providers, queue and utilisation.
#[utoipa::path(get, path = "/compute/classes", responses((status = 200, description = "ClassView list", body = Vec<ClassView>)))]
pub(crate) async fn classes(State(node): Shared) -> ApiResult<Vec<ClassView>> {
    Ok(Json(compute::query::classes(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// A job.
#[utoipa::path(get, path = "/compute/jobs/{id}", params(("id" = u64, Path, description = "job id")),
    responses((status = 200, description = "Job", body = Job), (status = 404, body = ErrorBody)))]
pub(crate) async fn job(State(node): Shared, Path(id): Path<String>) -> ApiResult<Job> {
    let id = JobId(parse_id(&id)?);
    found(compute::query::job(&snapshot(&node)?, id).map_err(ApiError::internal)?, || format!("no job {id}"))
}

/// Whose jobs: exactly one of `requester` and `provider`, and which page.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct JobsQuery {
    /// Jobs this account submitted.
    #[param(value_type = Option<atelier_primitives::Address>)]
    requester: Option<String>,
    /// Jobs assigned to this provider.
    #[param(value_type = Option<atelier_primitives::Address>)]
    provider: Option<String>,
    /// Where the page starts: the `next` of the page before (opaque; none for the first page).
    #[param(pattern = "^[0-9a-f]{16}$")]
    cursor: Option<String>,
    /// Most jobs (1 to the node's page cap, 100 if not given).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

/// A requester's or a provider's jobs, by id.
#[utoipa::path(get, path = "/compute/jobs", params(JobsQuery),
    responses((status = 200, description = "a page of jobs", body = Page<Job>), (status = 400, body = ErrorBody)))]
pub(crate) async fn jobs(
    State(node): Shared,
    query: Result<Query<JobsQuery>, QueryRejection>,
) -> ApiResult<Page<Job>> {
    let Query(query) = query?;
    let (address, assigned) = match (&query.requester, &query.provider) {
        (Some(requester), None) => (parse_address(requester)?, false),
        (None, Some(provider)) => (parse_address(provider)?, true),
        _ => return Err(ApiError::bad_request("give exactly one of requester and provider")),
    };
    let page = PageRequest::new(&node, "jobs", query.cursor.as_deref(), query.limit)?;
    let jobs = compute::query::jobs_of(
        &snapshot(&node)?,
        &address,
        assigned,
        page.after_id()?.map(JobId),
        page.read_limit(),
    )
    .map_err(ApiError::internal)?;
    Ok(Json(page.page(jobs, |job| job.id.0.to_be_bytes().to_vec())))
}

/// A provider.
#[utoipa::path(get, path = "/compute/providers/{address}", params(("address" = atelier_primitives::Address, Path, description = "bech32 address")),
    responses((status = 200, description = "Provider", body = Provider), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn provider(State(node): Shared, Path(address): Path<String>) -> ApiResult<Provider> {
    let address = parse_address(&address)?;
    found(compute::query::provider(&snapshot(&node)?, &address).map_err(ApiError::internal)?, || {
        format!("{address} is not a provider")
    })
}

/// A page of providers: the cursor the page before gave, and a size.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ProvidersQuery {
    /// Where the page starts: the `next` of the page before (opaque; none for the first page).
    #[param(pattern = "^[0-9a-f]{40}$")]
    cursor: Option<String>,
    /// Most providers (1 to the node's page cap, 100 if not given).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

/// Providers, a page at a time, by address.
#[utoipa::path(get, path = "/compute/providers", params(ProvidersQuery),
    responses((status = 200, description = "a page of providers", body = Page<Provider>), (status = 400, body = ErrorBody)))]
pub(crate) async fn providers(
    State(node): Shared,
    query: Result<Query<ProvidersQuery>, QueryRejection>,
) -> ApiResult<Page<Provider>> {
    let Query(query) = query?;
    let page = PageRequest::new(&node, "providers", query.cursor.as_deref(), query.limit)?;
    let after = page.after_fixed::<20>()?.map(atelier_primitives::Address);
    let providers = compute::query::providers(&snapshot(&node)?, after.as_ref(), page.read_limit())
        .map_err(ApiError::internal)?;
    Ok(Json(page.page(providers, |provider| provider.address.as_bytes().to_vec())))
}
