//! Read routes of the AMM: params, the pool, LP positions. Each answers the protocol's own record as JSON
//! (amounts as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::amm::{self, AmmParams, Pool, query::LpPosition};
use axum::{
    Json,
    extract::{Path, State},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{parse_address, snapshot},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new().routes(routes!(amm_params)).routes(routes!(pool)).routes(routes!(lp))
}

/// AMM params.
#[utoipa::path(get, path = "/amm/params", responses((status = 200, description = "AmmParams", body = AmmParams)))]
pub(crate) async fn amm_params(State(node): Shared) -> ApiResult<AmmParams> {
    Ok(Json(amm::query::params(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// The pool: reserves, LP supply, the last closing price (uusd per ugdc × 10^12) and the
/// cumulative price for TWAPs.
#[utoipa::path(get, path = "/amm/pool", responses((status = 200, description = "Pool", body = Pool)))]
pub(crate) async fn pool(State(node): Shared) -> ApiResult<Pool> {
    Ok(Json(amm::query::pool(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// An account's LP units and their share of both reserves, as a withdrawal would pay them.
#[utoipa::path(get, path = "/amm/lp/{address}", params(("address" = atelier_primitives::Address, Path, description = "bech32 address")),
    responses((status = 200, description = "LP position", body = LpPosition), (status = 400, body = ErrorBody)))]
pub(crate) async fn lp(State(node): Shared, Path(address): Path<String>) -> ApiResult<LpPosition> {
    let account = parse_address(&address)?;
    Ok(Json(amm::query::lp_position(&snapshot(&node)?, &account).map_err(ApiError::internal)?))
}
