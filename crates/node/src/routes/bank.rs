//! Read routes of the bank: the supply of every denomination, so anyone can audit the money
//! (`minted − burned` is what accounts and module escrows hold). Balances are under `/accounts`.

use std::sync::Arc;

use atelier_protocol::modules::bank;
use axum::{Json, Router, extract::State, routing::get};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared, json},
    routes::snapshot,
};

type Value = serde_json::Value;

pub(crate) fn routes() -> Router<Arc<Node>> {
    Router::new().route("/bank/supply", get(supply))
}

/// Every denomination's supply: minted, burned and circulating (`minted − burned`).
#[utoipa::path(get, path = "/bank/supply", responses((status = 200, description = "Supply list")))]
pub(crate) async fn supply(State(node): Shared) -> ApiResult<Value> {
    Ok(Json(json(&bank::query::supplies(&snapshot(&node)?).map_err(ApiError::internal)?)?))
}
