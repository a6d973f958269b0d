//! Read routes of royalty vaults and their holders. Each answers the protocol's own record as JSON (amounts
//! as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::revenue::{self, Vault, VaultId, query::Position};
use axum::extract::{Path, State};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{found, parse_address, snapshot},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new().routes(routes!(vault)).routes(routes!(position))
}

fn parse_vault(kind: &str, id: &str) -> Result<VaultId, ApiError> {
    format!("{kind}/{id}").parse().map_err(ApiError::bad_request)
}

/// A royalty vault: revenue paid in and claimed per denomination, and its number of holders.
#[utoipa::path(get, path = "/vaults/{kind}/{id}",
    params(("kind" = String, Path, description = "model or asset", pattern = "^(model|asset)$"), ("id" = u64, Path, description = "its id")),
    responses((status = 200, description = "Vault", body = Vault), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn vault(State(node): Shared, Path((kind, id)): Path<(String, String)>) -> ApiResult<Vault> {
    let id = parse_vault(&kind, &id)?;
    found(revenue::query::vault(&snapshot(&node)?, &id).map_err(ApiError::internal)?, || {
        format!("no vault {id}")
    })
}

/// A holder's share units of a vault and the revenue it can claim now.
#[utoipa::path(get, path = "/vaults/{kind}/{id}/holders/{address}",
    params(("kind" = String, Path, description = "model or asset", pattern = "^(model|asset)$"), ("id" = u64, Path, description = "its id"),
        ("address" = atelier_primitives::Address, Path, description = "bech32 address")),
    responses((status = 200, description = "Position", body = Position), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn position(
    State(node): Shared,
    Path((kind, id, address)): Path<(String, String, String)>,
) -> ApiResult<Position> {
    let id = parse_vault(&kind, &id)?;
    let address = parse_address(&address)?;
    found(revenue::query::position(&snapshot(&node)?, &id, &address).map_err(ApiError::internal)?, || {
        format!("{address} holds no units of vault {id}")
    })
}
