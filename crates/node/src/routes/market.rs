//! Read routes of the market: its params and listings. Each answers the protocol's own record as JSON
//! (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::market::{self, ListingId};
use axum::{
    Json, Router,
    extract::{Path, Query, State, rejection::QueryRejection},
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
        .route("/market/params", get(market_params))
        .route("/market/listings", get(listings))
        .route("/market/listings/{id}", get(listing))
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
