//! Read routes of the AMM: the pool with its price and TWAP accumulator, LP positions, waiting
//! swaps. Swaps and liquidity go through `POST /txs` like any other message.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::amm;
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::get,
};
use serde::Serialize;

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared, json},
    market_api::{parse_address, snapshot},
};

pub(crate) fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/amm/params", get(amm_params))
        .route("/amm/pool", get(pool))
        .route("/amm/lp/{address}", get(lp))
}

type Value = serde_json::Value;

/// AMM params.
#[utoipa::path(get, path = "/amm/params", responses((status = 200, description = "AmmParams")))]
pub(crate) async fn amm_params(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&amm::query::params(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// The pool: reserves, LP supply, the last closing price (uusd per ugdc × 10^12) and the
/// cumulative price for TWAPs.
#[utoipa::path(get, path = "/amm/pool", responses((status = 200, description = "Pool")))]
pub(crate) async fn pool(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&amm::query::pool(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}

/// An account's LP units and what they would withdraw now.
#[derive(Debug, Serialize)]
struct LpView {
    account: String,
    units: String,
    gdc: String,
    usd: String,
}

/// An account's LP units and their share of both reserves.
#[utoipa::path(get, path = "/amm/lp/{address}", params(("address" = String, Path, description = "bech32 address")),
    responses((status = 200, description = "LP position"), (status = 400, body = ErrorBody)))]
pub(crate) async fn lp(State(node): Shared, Path(address): Path<String>) -> ApiResult<Value> {
    let account = parse_address(&address)?;
    let snapshot = snapshot(&node)?;
    let units = amm::query::lp_units(&snapshot, &account).map_err(ApiError::internal)?;
    let pool = amm::query::pool(&snapshot).map_err(ApiError::internal)?;
    let share = |reserve: u128| {
        if pool.lp_supply == 0 {
            0
        } else {
            atelier_primitives::math::mul_div_floor(units, reserve, pool.lp_supply).unwrap_or(0)
        }
    };
    let view = LpView {
        account: account.to_string(),
        units: units.to_string(),
        gdc: share(pool.reserve_gdc.get()).to_string(),
        usd: share(pool.reserve_usd.get()).to_string(),
    };
    Ok(Json(json(&view)?))
}
