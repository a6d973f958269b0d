//! Development controls, on dev chains only (`NodeConfig::dev_controls`): mine blocks now, so that
//! scripts and tests wait for blocks instead of sleeping; snapshot the state and revert to it;
//! dump the whole state to a file and load it back; set an account's balance. Elsewhere every
//! `/dev` route answers 404.

use std::sync::Arc;

use atelier_api::{CoinView, DevAccountView, DevHead, DevSnapshot, ErrorBody, Mined, SetBalance, StateDump};
use atelier_primitives::{
    Decode, Encode,
    hash::{hex_decode_vec, hex_encode},
};
use atelier_protocol::Header;
use atelier_storage::{StateImage, StorageError};
use axum::{
    Json,
    extract::{DefaultBodyLimit, Query, State, rejection::QueryRejection},
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{
    router::{OpenApiRouter, UtoipaMethodRouterExt},
    routes,
};

use crate::{
    LedgerError, Node, SetBalanceError,
    http::{ApiError, ApiResult, Shared},
};

/// Most blocks one request mines.
pub(crate) const MAX_MINE: u64 = 1_000;

/// Most snapshots a dev node keeps at once.
pub(crate) const MAX_SNAPSHOTS: usize = 64;

/// Largest state dump `POST /dev/load` reads.
pub(crate) const MAX_DUMP_BYTES: usize = 256 * 1024 * 1024;

/// The format a state dump declares.
const DUMP_FORMAT: &str = "atelier-state/1";

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(mine))
        .routes(routes!(snapshot))
        .routes(routes!(revert))
        .routes(routes!(dump))
        .routes(routes!(load).layer(DefaultBodyLimit::max(MAX_DUMP_BYTES)))
        .routes(routes!(set_balance))
        .routes(routes!(accounts))
}

/// Dev chains: the named accounts of the published dev mnemonic that genesis funded, so that
/// tools (the dashboard's search box) can take `devN` for an address.
#[utoipa::path(get, path = "/dev/accounts", responses(
    (status = 200, description = "The named accounts", body = Vec<DevAccountView>),
    (status = 404, description = "Not a dev chain", body = ErrorBody),
))]
pub(crate) async fn accounts(State(node): Shared) -> ApiResult<Vec<DevAccountView>> {
    dev_chain(&node)?;
    Ok(Json(
        node.config()
            .dev_accounts
            .iter()
            .map(|(name, address)| DevAccountView { name: name.clone(), address: address.to_string() })
            .collect(),
    ))
}

/// A 404 unless this is a dev chain.
fn dev_chain(node: &Node) -> Result<(), ApiError> {
    if node.config().dev_controls {
        return Ok(());
    }
    Err(ApiError::not_found("dev controls are off: this is not a dev chain (`atelier node --dev`)"))
}

/// Runs `work` off the async threads: restoring or copying a state is O(state).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(ApiError::internal)?
}

fn head_of(header: &Header) -> DevHead {
    DevHead { height: header.height.get(), state_root: header.state_root.to_hex() }
}

/// `?blocks=N`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct MineQuery {
    /// How many blocks (1 to 1 000; default 1).
    #[param(minimum = 1, maximum = 1000)]
    blocks: Option<u64>,
}

/// Dev chains: produces `blocks` blocks now, one after the other, from what the mempool holds,
/// whatever the block time; answers once the last is committed.
#[utoipa::path(post, path = "/dev/mine", params(MineQuery), responses(
    (status = 200, description = "The blocks were committed", body = Mined),
    (status = 400, description = "A count outside 1 to 1 000", body = atelier_api::ErrorBody),
    (status = 404, description = "Not a dev chain", body = atelier_api::ErrorBody),
))]
pub(crate) async fn mine(
    State(node): Shared,
    query: Result<Query<MineQuery>, QueryRejection>,
) -> ApiResult<Mined> {
    dev_chain(&node)?;
    let Query(query) = query?;
    let blocks = query.blocks.unwrap_or(1);
    if !(1..=MAX_MINE).contains(&blocks) {
        return Err(ApiError::bad_request(format!("blocks must be 1 to {MAX_MINE}, found {blocks}")));
    }
    let from_height = node.head().height.get() + 1;
    let miner = node.clone();
    let mined = tokio::task::spawn_blocking(move || {
        for _ in 0..blocks {
            if let Err(error) = miner.produce_block() {
                // As the sequencer would: a block that cannot be committed stops the node.
                miner.halt(format!("mining: {error}"));
                return Err(ApiError::internal(error));
            }
        }
        Ok(())
    })
    .await
    .map_err(ApiError::internal)?;
    mined?;
    Ok(Json(Mined { from_height, to_height: node.head().height.get() }))
}

/// Dev chains: keeps the state as it is now; `POST /dev/revert?id=` puts it back.
#[utoipa::path(post, path = "/dev/snapshot", responses(
    (status = 200, description = "The snapshot", body = DevSnapshot),
    (status = 404, description = "Not a dev chain", body = ErrorBody),
    (status = 507, description = "As many snapshots as a node keeps: revert to one first", body = ErrorBody),
))]
pub(crate) async fn snapshot(State(node): Shared) -> ApiResult<DevSnapshot> {
    dev_chain(&node)?;
    let taken = blocking(move || node.snapshot(MAX_SNAPSHOTS).map_err(ApiError::internal)).await?;
    let Some((id, head)) = taken else {
        return Err(ApiError::new(
            axum::http::StatusCode::INSUFFICIENT_STORAGE,
            "too_many_snapshots",
            format!(
                "a dev node keeps at most {MAX_SNAPSHOTS} snapshots: revert to one (which drops it and later ones)"
            ),
        ));
    };
    Ok(Json(DevSnapshot { id, height: head.height.get(), state_root: head.state_root.to_hex() }))
}

/// `?id=N`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct RevertQuery {
    /// The snapshot.
    id: u64,
}

/// Dev chains: puts snapshot `id` back — state, head and history, with the blocks after it
/// deleted — and forgets it and every later snapshot. Pending transactions are dropped.
#[utoipa::path(post, path = "/dev/revert", params(RevertQuery), responses(
    (status = 200, description = "The head now", body = DevHead),
    (status = 400, description = "No id", body = ErrorBody),
    (status = 404, description = "Not a dev chain, or no such snapshot", body = ErrorBody),
))]
pub(crate) async fn revert(
    State(node): Shared,
    query: Result<Query<RevertQuery>, QueryRejection>,
) -> ApiResult<DevHead> {
    dev_chain(&node)?;
    let Query(RevertQuery { id }) = query?;
    let head = blocking(move || node.revert(id).map_err(ApiError::internal)).await?;
    let head =
        head.ok_or_else(|| ApiError::not_found(format!("no snapshot {id} (a revert forgets later ones)")))?;
    Ok(Json(head_of(&head)))
}

/// Dev chains: the whole state at the head, for `POST /dev/load` (here or on another node of
/// the same dev chain).
#[utoipa::path(get, path = "/dev/dump", responses(
    (status = 200, description = "The state", body = StateDump),
    (status = 404, description = "Not a dev chain", body = ErrorBody),
))]
pub(crate) async fn dump(State(node): Shared) -> ApiResult<StateDump> {
    dev_chain(&node)?;
    let image = blocking(move || node.storage().image().map_err(ApiError::internal)).await?;
    Ok(Json(StateDump {
        format: DUMP_FORMAT.into(),
        chain_id: image.head.chain_id.to_string(),
        height: image.head.height.get(),
        state_root: image.head.state_root.to_hex(),
        header: hex_encode(&image.head.to_bytes()),
        entries: image.entries.iter().map(|(key, value)| [hex_encode(key), hex_encode(value)]).collect(),
    }))
}

/// A dump as a state image, or why it is not one.
fn image_of(dump: &StateDump) -> Result<StateImage, ApiError> {
    if dump.format != DUMP_FORMAT {
        return Err(ApiError::bad_request(format!(
            "a dump in format {:?}; this node reads {DUMP_FORMAT}",
            dump.format
        )));
    }
    let bytes = |text: &str, what: &str| {
        hex_decode_vec(text).ok_or_else(|| ApiError::bad_request(format!("{what} is not hex: {text:.40}")))
    };
    let head = Header::from_bytes(&bytes(&dump.header, "header")?)
        .map_err(|e| ApiError::bad_request(format!("header: {e}")))?;
    let entries = dump
        .entries
        .iter()
        .map(|[key, value]| Ok((bytes(key, "a key")?, bytes(value, "a value")?)))
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(StateImage { head, entries })
}

/// Dev chains: makes a dump's state and head this chain's (see `GET /dev/dump`). Blocks above
/// its height are deleted; if it is of another history, every block is. Refused, with nothing
/// changed, when its entries do not hash to its head's root, it is of another chain, or its state
/// breaks an invariant. Pending transactions are dropped.
#[utoipa::path(post, path = "/dev/load", request_body = StateDump, responses(
    (status = 200, description = "The head now", body = DevHead),
    (status = 400, description = "Not a dump this chain can load", body = ErrorBody),
    (status = 404, description = "Not a dev chain", body = ErrorBody),
))]
pub(crate) async fn load(State(node): Shared, Json(dump): Json<StateDump>) -> ApiResult<DevHead> {
    dev_chain(&node)?;
    let image = image_of(&dump)?;
    let head = image.head.clone();
    blocking(move || {
        node.restore(&image).map_err(|error| match error {
            LedgerError::Block(_)
            | LedgerError::Storage(StorageError::RootMismatch { .. } | StorageError::OtherChain { .. }) => {
                ApiError::bad_request(format!("not loaded: {error}"))
            }
            error => ApiError::internal(error),
        })
    })
    .await?;
    Ok(Json(head_of(&head)))
}

/// Dev chains: makes an account hold exactly an amount of ugdc or uusd, through transactions from
/// the dev accounts mined at once (a mint by the issuer or a transfer from the richest dev account
/// to raise it; a transfer out to lower it, which only a dev account can be made to send; its
/// other currency is left as it was).
#[utoipa::path(post, path = "/dev/set-balance", request_body = SetBalance, responses(
    (status = 200, description = "The balance now", body = CoinView),
    (status = 400, description = "An address, denomination or amount it cannot set", body = ErrorBody),
    (status = 404, description = "Not a dev chain", body = ErrorBody),
    (status = 422, description = "A dev transaction failed", body = ErrorBody),
))]
pub(crate) async fn set_balance(State(node): Shared, Json(wanted): Json<SetBalance>) -> ApiResult<CoinView> {
    dev_chain(&node)?;
    let address = crate::routes::parse_address(&wanted.address)?;
    let denom: atelier_primitives::Denom = wanted.denom.parse().map_err(ApiError::bad_request)?;
    let amount: atelier_primitives::Amount = wanted.amount.parse().map_err(ApiError::bad_request)?;
    let now = node.set_balance(address, denom, amount).await.map_err(|error| match error {
        SetBalanceError::Ledger(error) => ApiError::internal(error),
        SetBalanceError::Failed(_) => {
            ApiError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "failed", error)
        }
        refused => ApiError::bad_request(refused),
    })?;
    Ok(Json(CoinView { denom: denom.to_string(), amount: now.to_string() }))
}
