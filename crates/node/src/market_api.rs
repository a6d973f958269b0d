//! Read routes of the compute market, the registry, provenance and the royalty vaults. Each answers the protocol's
//! own record as JSON (amounts as decimal strings); messages go through `POST /txs` like any
//! other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::{
    compute::{self, JobId},
    market::{self, ListingId},
    provenance::{self, AssetId},
    registry::{self, DatasetId, ModelId},
    revenue::{self, VaultId},
};
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
    routes::{PageQuery, found, page_limit, parse_address, parse_id, snapshot},
};

pub(crate) fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/compute/params", get(params))
        .route("/compute/classes", get(classes))
        .route("/compute/jobs", get(jobs))
        .route("/compute/jobs/{id}", get(job))
        .route("/compute/providers", get(providers))
        .route("/compute/providers/{address}", get(provider))
        .route("/registry/models/{id}", get(model))
        .route("/registry/datasets/{id}", get(dataset))
        .route("/registry/datasets/{id}/contributors/{address}", get(royalties))
        .route("/assets", get(assets))
        .route("/vaults/{kind}/{id}", get(vault))
        .route("/market/params", get(market_params))
        .route("/market/listings", get(listings))
        .route("/market/listings/{id}", get(listing))
        .route("/vaults/{kind}/{id}/holders/{address}", get(position))
        .route("/assets/{id}", get(asset))
        .route("/assets/{id}/lineage", get(lineage))
        .route("/assets/{id}/manifest", get(manifest))
        .route("/assets/{id}/royalty-stack", get(royalty_stack))
}

type Value = serde_json::Value;

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

/// A model, with its flattened lineage.
#[utoipa::path(get, path = "/registry/models/{id}", params(("id" = u64, Path, description = "model id")),
    responses((status = 200, description = "Model"), (status = 404, body = ErrorBody)))]
pub(crate) async fn model(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = ModelId(parse_id(&id)?);
    found(registry::query::model(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no model {id}")
    })
}

/// A dataset and its royalty accumulator.
#[utoipa::path(get, path = "/registry/datasets/{id}", params(("id" = u64, Path, description = "dataset id")),
    responses((status = 200, description = "Dataset"), (status = 404, body = ErrorBody)))]
pub(crate) async fn dataset(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = DatasetId(parse_id(&id)?);
    found(registry::query::dataset(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no dataset {id}")
    })
}

/// A contributor's shares in a dataset and the royalties it can claim now.
#[utoipa::path(get, path = "/registry/datasets/{id}/contributors/{address}",
    params(("id" = u64, Path, description = "dataset id"), ("address" = String, Path, description = "bech32 address")),
    responses((status = 200, description = "Stake"), (status = 404, body = ErrorBody)))]
pub(crate) async fn royalties(
    State(node): Shared,
    Path((id, address)): Path<(String, String)>,
) -> ApiResult<Value> {
    let id = DatasetId(parse_id(&id)?);
    let address = parse_address(&address)?;
    found(registry::query::stake(&snapshot(&node)?, id, &address).map_err(ApiError::internal)?, || {
        format!("{address} does not contribute to dataset {id}")
    })
}

/// An asset.
#[utoipa::path(get, path = "/assets/{id}", params(("id" = u64, Path, description = "asset id")),
    responses((status = 200, description = "Asset"), (status = 404, body = ErrorBody)))]
pub(crate) async fn asset(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = AssetId(parse_id(&id)?);
    found(provenance::query::asset(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no asset {id}")
    })
}

/// Whose assets.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct AssetsQuery {
    /// The owner.
    owner: String,
    /// Only ids above this one.
    after: Option<u64>,
    /// Most ids (1 to the node's page cap, 100 if not given).
    limit: Option<usize>,
}

/// The ids of an owner's assets.
#[utoipa::path(get, path = "/assets", params(AssetsQuery),
    responses((status = 200, description = "Asset id list"), (status = 400, body = ErrorBody)))]
pub(crate) async fn assets(
    State(node): Shared,
    query: Result<Query<AssetsQuery>, QueryRejection>,
) -> ApiResult<Value> {
    let Query(query) = query?;
    let owner = parse_address(&query.owner)?;
    let limit = page_limit(&node, query.limit)?;
    let page = provenance::query::assets_of(&snapshot(&node)?, &owner, query.after.map(AssetId), limit)
        .map_err(ApiError::internal)?;
    Ok(Json(json(&page)?))
}

fn parse_vault(kind: &str, id: &str) -> Result<VaultId, ApiError> {
    format!("{kind}/{id}").parse().map_err(ApiError::bad_request)
}

/// A royalty vault: revenue paid in and claimed per denomination, and its number of holders.
#[utoipa::path(get, path = "/vaults/{kind}/{id}",
    params(("kind" = String, Path, description = "model or asset"), ("id" = u64, Path, description = "its id")),
    responses((status = 200, description = "Vault"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn vault(State(node): Shared, Path((kind, id)): Path<(String, String)>) -> ApiResult<Value> {
    let id = parse_vault(&kind, &id)?;
    found(revenue::query::vault(&snapshot(&node)?, &id).map_err(ApiError::internal)?, || {
        format!("no vault {id}")
    })
}

/// A holder's share units of a vault and the revenue it can claim now.
#[utoipa::path(get, path = "/vaults/{kind}/{id}/holders/{address}",
    params(("kind" = String, Path, description = "model or asset"), ("id" = u64, Path, description = "its id"),
        ("address" = String, Path, description = "bech32 address")),
    responses((status = 200, description = "Position"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn position(
    State(node): Shared,
    Path((kind, id, address)): Path<(String, String, String)>,
) -> ApiResult<Value> {
    let id = parse_vault(&kind, &id)?;
    let address = parse_address(&address)?;
    found(revenue::query::position(&snapshot(&node)?, &id, &address).map_err(ApiError::internal)?, || {
        format!("{address} holds no units of vault {id}")
    })
}

/// An asset's ancestors, and a page of its direct descendants.
#[utoipa::path(get, path = "/assets/{id}/lineage", params(("id" = u64, Path, description = "asset id"), PageQuery),
    responses((status = 200, description = "Lineage"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn lineage(
    State(node): Shared,
    Path(id): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Value> {
    let Query(query) = query?;
    let id = AssetId(parse_id(&id)?);
    let limit = page_limit(&node, query.limit)?;
    let found_lineage = provenance::query::lineage(&snapshot(&node)?, id, query.after.map(AssetId), limit)
        .map_err(ApiError::internal)?;
    found(found_lineage, || format!("no asset {id}"))
}

/// What each ancestor takes of an asset's revenue.
#[utoipa::path(get, path = "/assets/{id}/royalty-stack", params(("id" = u64, Path, description = "asset id")),
    responses((status = 200, description = "StackEntry list"), (status = 404, body = ErrorBody)))]
pub(crate) async fn royalty_stack(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = AssetId(parse_id(&id)?);
    found(provenance::query::royalty_stack(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no asset {id}")
    })
}

/// An asset's record as a C2PA manifest definition (see `atelier_node::c2pa`).
#[utoipa::path(get, path = "/assets/{id}/manifest", params(("id" = u64, Path, description = "asset id")),
    responses((status = 200, description = "C2PA manifest definition"), (status = 404, body = ErrorBody)))]
pub(crate) async fn manifest(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = AssetId(parse_id(&id)?);
    match provenance::query::asset(&snapshot(&node)?, id).map_err(ApiError::internal)? {
        Some(asset) => Ok(Json(crate::c2pa::manifest(&node.head().chain_id, &asset))),
        None => Err(ApiError::not_found(format!("no asset {id}"))),
    }
}

/// The market's parameters.
#[utoipa::path(get, path = "/market/params", responses((status = 200, description = "MarketParams")))]
pub(crate) async fn market_params(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&market::query::params(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// A page of open listings, by id (expired ones stay until replaced or cancelled).
#[utoipa::path(get, path = "/market/listings", params(PageQuery),
    responses((status = 200, description = "Listing list"), (status = 400, body = ErrorBody)))]
pub(crate) async fn listings(
    State(node): Shared,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Value> {
    let Query(query) = query?;
    let limit = page_limit(&node, query.limit)?;
    let page = market::query::listings(&snapshot(&node)?, query.after.map(ListingId), limit)
        .map_err(ApiError::internal)?;
    Ok(Json(json(&page)?))
}

/// A listing.
#[utoipa::path(get, path = "/market/listings/{id}", params(("id" = u64, Path, description = "listing id")),
    responses((status = 200, description = "Listing"), (status = 404, body = ErrorBody)))]
pub(crate) async fn listing(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = ListingId(parse_id(&id)?);
    found(market::query::listing(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no listing {id}")
    })
}
