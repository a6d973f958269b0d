//! Read routes of staking and reputation, governance and the training clusters. Each answers the
//! protocol's own record as JSON (amounts and reputation as decimal strings); messages go through
//! `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_primitives::Height;
use atelier_protocol::modules::{
    auth,
    clusters::{self, ClusterId},
    governance::{self, ProposalId},
    staking,
};
use axum::{
    Json, Router,
    extract::{Path, Query, State, rejection::QueryRejection},
    routing::get,
};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared, json},
    routes::{PageQuery, found, page_limit, parse_address, parse_id, snapshot},
};

pub(crate) fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/staking/params", get(staking_params))
        .route("/staking/totals", get(staking_totals))
        .route("/staking/accounts/{address}", get(staking_position))
        .route("/staking/accounts/{address}/reputation", get(reputation))
        .route("/governance/params", get(governance_params))
        .route("/governance/proposals", get(proposals))
        .route("/governance/proposals/{id}", get(proposal))
        .route("/governance/proposals/{id}/votes/{address}", get(vote))
        .route("/governance/grants", get(grants))
        .route("/clusters", get(cluster_list))
        .route("/clusters/params", get(clusters_params))
        .route("/clusters/{id}", get(cluster))
        .route("/clusters/{id}/epochs/{epoch}", get(reservations))
        .route("/clusters/reservations/{id}", get(reservation))
}

type Value = serde_json::Value;

/// Staking params: epochs, unbonding, reputation rates and tiers.
#[utoipa::path(get, path = "/staking/params", responses((status = 200, description = "StakingParams")))]
pub(crate) async fn staking_params(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&staking::query::params(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// Bonded and unbonding stake, total reputation and the epoch under way.
#[utoipa::path(get, path = "/staking/totals", responses((status = 200, description = "Totals")))]
pub(crate) async fn staking_totals(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&staking::query::totals(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// An account's stake, unbonding entries, reputation and tier.
#[utoipa::path(get, path = "/staking/accounts/{address}", params(("address" = String, Path, description = "bech32 address")),
    responses((status = 200, description = "Position"), (status = 400, body = ErrorBody)))]
pub(crate) async fn staking_position(State(node): Shared, Path(address): Path<String>) -> ApiResult<Value> {
    let address = parse_address(&address)?;
    Ok(Json(json(&staking::query::position(&snapshot(&node)?, &address).map_err(ApiError::internal)?)?))
}

/// A past height.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct HeightQuery {
    /// The height after whose block to answer (default: the latest).
    height: Option<u64>,
}

/// An account's reputation after a block.
#[derive(Debug, Serialize)]
struct ReputationView {
    account: String,
    height: u64,
    reputation: String,
}

/// An account's reputation after block `height` (default the latest): a checkpoint lookup.
#[utoipa::path(get, path = "/staking/accounts/{address}/reputation",
    params(("address" = String, Path, description = "bech32 address"), HeightQuery),
    responses((status = 200, description = "the reputation"), (status = 400, body = ErrorBody)))]
pub(crate) async fn reputation(
    State(node): Shared,
    Path(address): Path<String>,
    query: Result<Query<HeightQuery>, QueryRejection>,
) -> ApiResult<Value> {
    let Query(query) = query?;
    let account = parse_address(&address)?;
    let snapshot = snapshot(&node)?;
    let head = auth::query::height(&snapshot).map_err(ApiError::internal)?;
    let height = query.height.map_or(head, Height);
    if height > head {
        return Err(ApiError::bad_request(format!("height {height} is after the latest block {head}")));
    }
    let reputation =
        staking::query::reputation_at(&snapshot, &account, height).map_err(ApiError::internal)?;
    let view =
        ReputationView { account: account.to_string(), height: height.0, reputation: reputation.to_string() };
    Ok(Json(json(&view)?))
}

/// Governance params: deposit, delays, quorum.
#[utoipa::path(get, path = "/governance/params", responses((status = 200, description = "GovParams")))]
pub(crate) async fn governance_params(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&governance::query::params(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// A page of proposals by id, each with its status now and its tally.
#[utoipa::path(get, path = "/governance/proposals", params(PageQuery),
    responses((status = 200, description = "ProposalView list"), (status = 400, body = ErrorBody)))]
pub(crate) async fn proposals(
    State(node): Shared,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Value> {
    let Query(query) = query?;
    let limit = page_limit(&node, query.limit)?;
    let snapshot = snapshot(&node)?;
    let head = auth::query::height(&snapshot).map_err(ApiError::internal)?;
    let page = governance::query::proposals(&snapshot, query.after.map(ProposalId), limit, head)
        .map_err(ApiError::internal)?;
    Ok(Json(json(&page)?))
}

/// A proposal: its actions, snapshot, heights, tally, status now and results.
#[utoipa::path(get, path = "/governance/proposals/{id}", params(("id" = u64, Path, description = "proposal id")),
    responses((status = 200, description = "ProposalView"), (status = 404, body = ErrorBody)))]
pub(crate) async fn proposal(State(node): Shared, Path(id): Path<String>) -> ApiResult<Value> {
    let id = ProposalId(parse_id(&id)?);
    let snapshot = snapshot(&node)?;
    let head = auth::query::height(&snapshot).map_err(ApiError::internal)?;
    found(governance::query::proposal(&snapshot, id, head).map_err(ApiError::internal)?, || {
        format!("no proposal {id}")
    })
}

/// An account's vote on a proposal.
#[utoipa::path(get, path = "/governance/proposals/{id}/votes/{address}",
    params(("id" = u64, Path, description = "proposal id"), ("address" = String, Path, description = "bech32 address")),
    responses((status = 200, description = "Vote"), (status = 404, body = ErrorBody)))]
pub(crate) async fn vote(
    State(node): Shared,
    Path((id, address)): Path<(String, String)>,
) -> ApiResult<Value> {
    let id = ProposalId(parse_id(&id)?);
    let voter = parse_address(&address)?;
    found(governance::query::vote(&snapshot(&node)?, id, &voter).map_err(ApiError::internal)?, || {
        format!("{voter} did not vote on {id}")
    })
}

/// Every open grant.
#[utoipa::path(get, path = "/governance/grants", responses((status = 200, description = "Grant list")))]
pub(crate) async fn grants(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&governance::query::grants(&snapshot(&node)?).map_err(ApiError::internal)?)?))
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
