//! Read routes of the market: its params and listings. Each answers the protocol's own record as JSON
//! (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::{ErrorBody, Page};
use atelier_protocol::modules::market::{self, Listing, ListingId, MarketParams};
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
    OpenApiRouter::new().routes(routes!(market_params)).routes(routes!(listings)).routes(routes!(listing))
}

/// The market's parameters.
#[utoipa::path(get, path = "/market/params", responses((status = 200, description = "MarketParams", body = MarketParams)))]
pub(crate) async fn market_params(State(node): Shared) -> ApiResult<MarketParams> {
    Ok(Json(market::query::params(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// A page of open listings, by id (expired ones stay until replaced or cancelled).
#[utoipa::path(get, path = "/market/listings", params(PageQuery),
    responses((status = 200, description = "a page of listings", body = Page<Listing>), (status = 400, body = ErrorBody)))]
pub(crate) async fn listings(
    State(node): Shared,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Page<Listing>> {
    let Query(query) = query?;
    let page = query.of(&node, "listings")?;
    let listings =
        market::query::listings(&snapshot(&node)?, page.after_id()?.map(ListingId), page.read_limit())
            .map_err(ApiError::internal)?;
    Ok(Json(page.page(listings, |listing| listing.id.0.to_be_bytes().to_vec())))
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
