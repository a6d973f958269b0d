//! Read routes of royalty vaults and their holders. Each answers the protocol's own record as JSON (amounts
//! as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use std::collections::BTreeSet;

use atelier_api::ErrorBody;
use atelier_primitives::Address;
use atelier_protocol::{
    Event,
    modules::{
        provenance::ProvenanceEvent,
        revenue::{self, RevenueEvent, Vault, VaultId, query::Position},
    },
};
use axum::{
    Json,
    extract::{Path, State},
};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{found, parse_address, snapshot},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new().routes(routes!(vault)).routes(routes!(position)).routes(routes!(account_vaults))
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

/// Most events of an account's history read to find its vaults.
const MAX_HISTORY_SCANNED: usize = 20_000;

/// An account's positions in royalty vaults.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct AccountVaults {
    /// Each vault it holds units of, by vault.
    positions: Vec<HeldVault>,
    /// Whether its whole indexed history was read; when not, older vaults may be missing.
    complete: bool,
}

/// One vault an account holds units of.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct HeldVault {
    /// `model/ID` or `asset/ID`.
    vault: String,
    /// Its units and what it can claim now.
    position: Position,
}

/// The vaults whose units `event` may have given `account`: one opened for it, units sent to
/// it, or an asset minted to it (whose vault is its creator's until it is first paid).
fn vault_given(event: &Event, account: &Address) -> Option<VaultId> {
    match event {
        Event::Revenue(RevenueEvent::VaultOpened { vault, owner }) if owner == account => Some(*vault),
        Event::Revenue(RevenueEvent::SharesTransferred { vault, to, .. }) if to == account => Some(*vault),
        Event::Provenance(ProvenanceEvent::AssetMinted { asset, owner, .. }) if owner == account => {
            Some(VaultId::Asset(*asset))
        }
        _ => None,
    }
}

/// The royalty vaults an account holds units of now, with what it can claim from each: found
/// from its history (the most recent 20 000 events).
#[utoipa::path(get, path = "/accounts/{address}/vaults",
    params(("address" = atelier_primitives::Address, Path, description = "bech32 address")),
    responses((status = 200, description = "AccountVaults", body = AccountVaults), (status = 400, body = ErrorBody)))]
pub(crate) async fn account_vaults(
    State(node): Shared,
    Path(address): Path<String>,
) -> ApiResult<AccountVaults> {
    let account = parse_address(&address)?;
    let storage = node.storage();
    let mut vaults = BTreeSet::new();
    let (mut before, mut scanned, mut complete) = (None, 0, false);
    while scanned < MAX_HISTORY_SCANNED {
        let page = storage.account_events(&account, before, 1_000).map_err(ApiError::internal)?;
        let Some((last, _)) = page.last() else {
            complete = true;
            break;
        };
        before = Some(*last);
        scanned += page.len();
        vaults.extend(page.iter().filter_map(|(_, indexed)| vault_given(&indexed.event, &account)));
    }
    let state = snapshot(&node)?;
    let mut positions = Vec::new();
    for vault in vaults {
        if let Some(position) =
            revenue::query::position(&state, &vault, &account).map_err(ApiError::internal)?
            && position.units > 0
        {
            positions.push(HeldVault { vault: vault.to_string(), position });
        }
    }
    Ok(Json(AccountVaults { positions, complete }))
}
