//! Read routes of governance: params, proposals, votes and grants. Each answers the protocol's own record as
//! JSON (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::{ErrorBody, Page};
use atelier_protocol::modules::{
    auth,
    governance::{self, GovParams, Grant, ProposalId, Vote, query::ProposalView},
};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{PageQuery, found, parse_address, parse_id, snapshot},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(governance_params))
        .routes(routes!(proposals))
        .routes(routes!(proposal))
        .routes(routes!(vote))
        .routes(routes!(grants))
}

/// Governance params: deposit, delays, quorum.
#[utoipa::path(get, path = "/governance/params", responses((status = 200, description = "GovParams", body = GovParams)))]
pub(crate) async fn governance_params(State(node): Shared) -> ApiResult<GovParams> {
    Ok(Json(governance::query::params(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// A page of proposals by id, each with its status now and its tally.
#[utoipa::path(get, path = "/governance/proposals", params(PageQuery),
    responses((status = 200, description = "a page of proposals", body = Page<ProposalView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn proposals(
    State(node): Shared,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Page<ProposalView>> {
    let Query(query) = query?;
    let page = query.of(&node, "proposals")?;
    let snapshot = snapshot(&node)?;
    let head = auth::query::height(&snapshot).map_err(ApiError::internal)?;
    let proposals =
        governance::query::proposals(&snapshot, page.after_id()?.map(ProposalId), page.read_limit(), head)
            .map_err(ApiError::internal)?;
    Ok(Json(page.page(proposals, |view| view.proposal.id.0.to_be_bytes().to_vec())))
}

/// A proposal: its actions, snapshot, heights, tally, status now and results.
#[utoipa::path(get, path = "/governance/proposals/{id}", params(("id" = u64, Path, description = "proposal id")),
    responses((status = 200, description = "ProposalView", body = ProposalView), (status = 404, body = ErrorBody)))]
pub(crate) async fn proposal(State(node): Shared, Path(id): Path<String>) -> ApiResult<ProposalView> {
    let id = ProposalId(parse_id(&id)?);
    let snapshot = snapshot(&node)?;
    let head = auth::query::height(&snapshot).map_err(ApiError::internal)?;
    found(governance::query::proposal(&snapshot, id, head).map_err(ApiError::internal)?, || {
        format!("no proposal {id}")
    })
}

/// An account's vote on a proposal.
#[utoipa::path(get, path = "/governance/proposals/{id}/votes/{address}",
    params(("id" = u64, Path, description = "proposal id"), ("address" = atelier_primitives::Address, Path, description = "bech32 address")),
    responses((status = 200, description = "Vote", body = Vote), (status = 404, body = ErrorBody)))]
pub(crate) async fn vote(
    State(node): Shared,
    Path((id, address)): Path<(String, String)>,
) -> ApiResult<Vote> {
    let id = ProposalId(parse_id(&id)?);
    let voter = parse_address(&address)?;
    found(governance::query::vote(&snapshot(&node)?, id, &voter).map_err(ApiError::internal)?, || {
        format!("{voter} did not vote on {id}")
    })
}

/// Every open grant.
#[utoipa::path(get, path = "/governance/grants", responses((status = 200, description = "Grant list", body = Vec<Grant>)))]
pub(crate) async fn grants(State(node): Shared) -> ApiResult<Vec<Grant>> {
    Ok(Json(governance::query::grants(&snapshot(&node)?).map_err(ApiError::internal)?))
}
