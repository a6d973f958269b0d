//! Read routes of the bank: the supply of every denomination, so anyone can audit the money
//! (`minted − burned` is what accounts and module escrows hold). Balances are under `/accounts`.

use std::sync::Arc;

use atelier_protocol::modules::bank::{self, query::Supply};
use axum::{Json, extract::State};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::snapshot,
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new().routes(routes!(supply))
}

/// Every denomination's supply: minted, burned and circulating (`minted − burned`).
#[utoipa::path(get, path = "/bank/supply", responses((status = 200, description = "Supply list", body = Vec<Supply>)))]
pub(crate) async fn supply(State(node): Shared) -> ApiResult<Vec<Supply>> {
    Ok(Json(bank::query::supplies(&snapshot(&node)?).map_err(ApiError::internal)?))
}
