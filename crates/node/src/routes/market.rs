//! Read routes of the market: its params and listings. Each answers the protocol's own record as JSON
//! (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::market::{self, Listing, ListingId, MarketParams};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{PageQuery, found, page_limit, parse_id, snapshot},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new().routes(routes!(market_params)).routes(routes!(listings)).routes(routes!(listing))
}

/// The market's parameters.
#[utoipa::path(get, path = "/market/params", responses((status = 200, description = "MarketParams", body = MarketParams)))]
pub(crate) async fn market_params(State(node): Shared) -> ApiResult<MarketParams> {
    Ok(Json(market::query::params(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// A page of open listings, by id (expired ones stay until replaced or cancelled).
#[utoipa::path(get, path = "/market/listings", params(PageQuery),
    responses((status = 200, description = "Listing list", body = Vec<Listing>), (status = 400, body = ErrorBody)))]
pub(crate) async fn listings(
    State(node): Shared,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Vec<Listing>> {
    let Query(query) = query?;
    let limit = page_limit(&node, query.limit)?;
    let page = market::query::listings(&snapshot(&node)?, query.after.map(ListingId), limit)
        .map_err(ApiError::internal)?;
    Ok(Json(page))
}

/// A listing.
#[utoipa::path(get, path = "/market/listings/{id}", params(("id" = u64, Path, description = "listing id")),
    responses((status = 200, description = "Listing", body = Listing), (status = 404, body = ErrorBody)))]
pub(crate) async fn listing(State(node): Shared, Path(id): Path<String>) -> ApiResult<Listing> {
    let id = ListingId(parse_id(&id)?);
    found(market::query::listing(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no listing {id}")
    })
}
