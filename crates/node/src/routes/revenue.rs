//! Read routes of royalty vaults and their holders. Each answers the protocol's own record as JSON (amounts
//! as decimal strings); messages go through `POST /txs` like any other.

use std::sync::Arc;

use std::collections::BTreeSet;

use atelier_api::{ErrorBody, Page, Proven};
use atelier_primitives::Address;
use atelier_protocol::{
    Event,
    modules::{
        provenance::ProvenanceEvent,
        revenue::{self, RevenueEvent, Vault, VaultId, query::Position},
    },
};
use atelier_storage::Subject;
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{
        PageRequest, parse_address, snapshot,
        state::{ProveQuery, proven_found},
    },
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(vault))
        .routes(routes!(position))
        .routes(routes!(account_vaults))
        .routes(routes!(holders))
}

fn parse_vault(kind: &str, id: &str) -> Result<VaultId, ApiError> {
    format!("{kind}/{id}").parse().map_err(ApiError::bad_request)
}

/// A royalty vault: revenue paid in and claimed per denomination, and its number of holders.
#[utoipa::path(get, path = "/vaults/{kind}/{id}",
    params(("kind" = String, Path, description = "model or asset", pattern = "^(model|asset)$"), ("id" = u64, Path, description = "its id"), ProveQuery),
    responses((status = 200, description = "Vault", body = Proven<Vault>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn vault(
    State(node): Shared,
    Path((kind, id)): Path<(String, String)>,
    query: Result<Query<ProveQuery>, QueryRejection>,
) -> ApiResult<Proven<Vault>> {
    let Query(query) = query?;
    let id = parse_vault(&kind, &id)?;
    proven_found(&node, query.prove, |state| revenue::query::vault(state, &id), || format!("no vault {id}"))
        .await
}

/// A holder's share units of a vault and the revenue it can claim now.
#[utoipa::path(get, path = "/vaults/{kind}/{id}/holders/{address}",
    params(("kind" = String, Path, description = "model or asset", pattern = "^(model|asset)$"), ("id" = u64, Path, description = "its id"),
        ("address" = atelier_primitives::Address, Path, description = "bech32 address"), ProveQuery),
    responses((status = 200, description = "Position", body = Proven<Position>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn position(
    State(node): Shared,
    Path((kind, id, address)): Path<(String, String, String)>,
    query: Result<Query<ProveQuery>, QueryRejection>,
) -> ApiResult<Proven<Position>> {
    let Query(query) = query?;
    let id = parse_vault(&kind, &id)?;
    let address = parse_address(&address)?;
    proven_found(
        &node,
        query.prove,
        |state| revenue::query::position(state, &id, &address),
        || format!("{address} holds no units of vault {id}"),
    )
    .await
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
        let page = storage.history(&Subject::Account(account), before, 1_000).map_err(ApiError::internal)?;
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

/// A page of a vault's holders.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct HoldersQuery {
    /// Where the page starts: the `next` of the page before (opaque; none for the first page).
    #[param(pattern = "^[0-9a-f]{40}$")]
    cursor: Option<String>,
    /// Most holders (1 to the node's page cap, 1 000 by default; 100 if not given).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

/// A holder of a vault and its position.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct Holder {
    holder: Address,
    position: Position,
}

/// A vault's holders by address, a page at a time, each with its units and what it can claim.
#[utoipa::path(get, path = "/vaults/{kind}/{id}/holders",
    params(("kind" = String, Path, description = "model or asset", pattern = "^(model|asset)$"), ("id" = u64, Path, description = "its id"), HoldersQuery),
    responses((status = 200, description = "a page of holders", body = Page<Holder>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn holders(
    State(node): Shared,
    Path((kind, id)): Path<(String, String)>,
    query: Result<Query<HoldersQuery>, QueryRejection>,
) -> ApiResult<Page<Holder>> {
    let Query(query) = query?;
    let id = parse_vault(&kind, &id)?;
    let page = PageRequest::new(&node, "holders", query.cursor.as_deref(), query.limit)?;
    let after = page.after_fixed::<20>()?.map(Address);
    let found = revenue::query::holders(&snapshot(&node)?, &id, after.as_ref(), page.read_limit())
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::not_found(format!("no vault {id}")))?;
    let found = page.page(found, |(holder, _)| holder.as_bytes().to_vec());
    let items = found.items.into_iter().map(|(holder, position)| Holder { holder, position }).collect();
    Ok(Json(Page { items, next: found.next }))
}
