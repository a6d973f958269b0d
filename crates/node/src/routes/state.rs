//! Raw state with proofs: any keys' values (or absence) as of a block, each with the state trie's
//! proof against that block's state root when asked, and the header that holds the root; and
//! [`proven`], which proves any read route's answer by the keys its query read.

use std::sync::Arc;

use atelier_api::{
    ErrorBody, FinalizationView, Proven, StateEntryView, StateProofView, StateView, TrieLeafView,
};
use atelier_primitives::Height;
use atelier_primitives::{
    Encode,
    hash::{hex_decode_vec, hex_encode},
};
use atelier_protocol::Header;
use atelier_state::{Proof, Recorder, StateError, StateRead, TrieRead};
use atelier_storage::{PastStateError, Snapshot, StateAt};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::StatusCode,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
    routes::{int64, snapshot},
};

/// Most keys one request reads.
pub(crate) const MAX_KEYS: usize = 64;
/// Longest key, in bytes (no module lays out keys near this long): 64 of them fit a URL.
pub(crate) const MAX_KEY_BYTES: usize = 256;

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new().routes(routes!(state))
}

/// Which state, and whether to prove it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StateQuery {
    /// The block whose state to read: the head when not given. The node keeps the state of its
    /// last blocks (`state_history_blocks` in its configuration, 10 000 by default).
    #[serde(default, deserialize_with = "int64")]
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    height: Option<u64>,
    /// Whether to prove each value (or absence) against the block's state root.
    #[serde(default)]
    prove: bool,
}

/// State entries by key, as of a block: each value (or `null` when absent) and, with
/// `prove=true`, its proof against the state root of the header returned beside them.
#[utoipa::path(get, path = "/state/{keys}",
    params(("keys" = String, Path, description = "one key in hex (at most 256 bytes), or up to 64 separated by commas",
        pattern = "^(?:[0-9a-fA-F]{2}){1,256}(?:,(?:[0-9a-fA-F]{2}){1,256}){0,63}$"), StateQuery),
    responses((status = 200, body = StateView), (status = 400, body = ErrorBody),
        (status = 404, description = "no block at that height", body = ErrorBody),
        (status = 410, description = "the state at that height is no longer kept", body = ErrorBody)))]
pub(crate) async fn state(
    State(node): Shared,
    Path(keys): Path<String>,
    query: Result<Query<StateQuery>, QueryRejection>,
) -> ApiResult<StateView> {
    let Query(query) = query?;
    let keys = parse_keys(&keys)?;
    let snapshot = snapshot(&node)?;
    let head = snapshot.head().cloned().ok_or_else(|| ApiError::internal("the node holds no chain"))?;
    let state = match query.height {
        Some(height) if height != head.height.get() => match node.storage().state_at(Height(height)) {
            Ok(past) => At::Past(Box::new(past)),
            Err(error @ PastStateError::Ahead { .. }) => return Err(ApiError::not_found(error)),
            Err(error @ PastStateError::NotKept { .. }) => {
                return Err(ApiError::new(StatusCode::GONE, "state_not_kept", error));
            }
            Err(PastStateError::Storage(error)) => return Err(ApiError::internal(error)),
        },
        _ => At::Head(Box::new((snapshot, head))),
    };
    let mut view = view(&state, keys, query.prove)?;
    if query.prove {
        view.finalization = finalization(&node, view.height).await;
    }
    Ok(Json(view))
}

/// Whether to prove an answer.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ProveQuery {
    /// Whether to prove the answer: with `true`, it comes with the header of the block it was read
    /// at and every state entry it was computed from, each proven against that header's state root.
    #[serde(default)]
    pub(crate) prove: bool,
}

/// `query`'s answer over the head's state and, when `prove`, the proof of every entry it read (and,
/// under validators, the block's finalization certificate).
pub(crate) async fn proven<T>(
    node: &Node,
    prove: bool,
    query: impl FnOnce(&Recorder<'_, Snapshot>) -> Result<T, StateError>,
) -> Result<Proven<T>, ApiError> {
    let snapshot = snapshot(node)?;
    let recorder = Recorder::new(&snapshot);
    let value = query(&recorder).map_err(ApiError::internal)?;
    if !prove {
        return Ok(Proven { value, proof: None });
    }
    let keys = recorder.keys().map_err(ApiError::internal)?;
    let head = snapshot.head().cloned().ok_or_else(|| ApiError::internal("the node holds no chain"))?;
    let mut proof = view(&At::Head(Box::new((snapshot, head))), keys, true)?;
    proof.finalization = finalization(node, proof.height).await;
    Ok(Proven { value, proof: Some(proof) })
}

/// The certificate that finalized the block at `height`, under validators.
async fn finalization(node: &Node, height: u64) -> Option<FinalizationView> {
    let certificate = node.certificates()?.certificate(Height(height)).await?;
    Some(FinalizationView {
        epoch: certificate.epoch,
        view: certificate.view,
        certificate_hex: hex_encode(&certificate.bytes),
    })
}

/// Like [`proven`], for a query whose record may be missing: a 404 saying `what` is.
pub(crate) async fn proven_found<T>(
    node: &Node,
    prove: bool,
    query: impl FnOnce(&Recorder<'_, Snapshot>) -> Result<Option<T>, StateError>,
    what: impl FnOnce() -> String,
) -> ApiResult<Proven<T>> {
    let Proven { value, proof } = proven(node, prove, query).await?;
    match value {
        Some(value) => Ok(Json(Proven { value, proof })),
        None => Err(ApiError::not_found(what())),
    }
}

/// `keys`' values in `state`, each with its proof when `prove`, and the header they are read at.
fn view(state: &At, keys: impl IntoIterator<Item = Vec<u8>>, prove: bool) -> Result<StateView, ApiError> {
    let mut entries = Vec::new();
    for key in keys {
        let value = state.get(&key).map_err(ApiError::internal)?;
        let proof = if prove {
            let proof = state.prove(&key).map_err(ApiError::internal)?;
            Some(StateProofView {
                siblings: proof.siblings.iter().map(|hash| hash.to_hex()).collect(),
                end: proof.end.map(|leaf| TrieLeafView {
                    key_hash: leaf.key.to_hex(),
                    value_hash: leaf.value.to_hex(),
                }),
            })
        } else {
            None
        };
        entries.push(StateEntryView { key: hex_encode(&key), value: value.map(|v| hex_encode(&v)), proof });
    }
    let head = state.header();
    Ok(StateView {
        height: head.height.get(),
        block_hash: head.hash().to_hex(),
        header_hex: hex_encode(&head.to_bytes()),
        header: serde_json::to_value(head).map_err(ApiError::internal)?,
        state_root: head.state_root.to_hex(),
        entries,
        finalization: None,
    })
}

/// The state a request reads: the head's, or a past height's.
enum At {
    Head(Box<(Snapshot, Header)>),
    Past(Box<StateAt>),
}

impl At {
    fn header(&self) -> &Header {
        match self {
            At::Head(head) => &head.1,
            At::Past(past) => past.header(),
        }
    }

    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StateError> {
        match self {
            At::Head(head) => head.0.get(key),
            At::Past(past) => past.get(key),
        }
    }

    fn prove(&self, key: &[u8]) -> Result<Proof, StateError> {
        match self {
            At::Head(head) => head.0.prove(key),
            At::Past(past) => past.prove(key),
        }
    }
}

fn parse_keys(text: &str) -> Result<Vec<Vec<u8>>, ApiError> {
    let keys: Vec<&str> = text.split(',').collect();
    if keys.len() > MAX_KEYS {
        return Err(ApiError::bad_request(format!("{} keys asked; at most {MAX_KEYS} at once", keys.len())));
    }
    keys.into_iter()
        // Hex digits alone, as the document's pattern says (no `0x`).
        .map(|key| match hex_decode_vec(key).filter(|_| key.bytes().all(|byte| byte.is_ascii_hexdigit())) {
            Some(bytes) if bytes.is_empty() => Err(ApiError::bad_request("an empty key")),
            Some(bytes) if bytes.len() > MAX_KEY_BYTES => {
                Err(ApiError::bad_request(format!("a key of {} bytes; at most {MAX_KEY_BYTES}", bytes.len())))
            }
            Some(bytes) => Ok(bytes),
            None => Err(ApiError::bad_request(format!("not a key in hex: {key:?}"))),
        })
        .collect()
}
