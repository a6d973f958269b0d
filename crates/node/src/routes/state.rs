//! Raw state with proofs: any keys' values (or absence) as of a block, each with the state trie's
//! proof against that block's state root when asked, and the header that holds the root.

use std::sync::Arc;

use atelier_api::{ErrorBody, StateEntryView, StateProofView, StateView, TrieLeafView};
use atelier_primitives::{
    Encode,
    hash::{hex_decode_vec, hex_encode},
};
use atelier_state::{StateRead, TrieRead};
use axum::{
    Json,
    extract::{Path, Query, State},
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
/// Longest key, in bytes (no module lays out longer ones).
pub(crate) const MAX_KEY_BYTES: usize = 1024;

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new().routes(routes!(state))
}

/// Which state, and whether to prove it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StateQuery {
    /// The block whose state to read: the head when not given. This node keeps its head's state.
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
    params(("keys" = String, Path, description = "one key in hex, or up to 64 separated by commas"), StateQuery),
    responses((status = 200, body = StateView), (status = 400, body = ErrorBody),
        (status = 404, description = "no block at that height", body = ErrorBody),
        (status = 410, description = "the state at that height is no longer kept", body = ErrorBody)))]
pub(crate) async fn state(
    State(node): Shared,
    Path(keys): Path<String>,
    Query(query): Query<StateQuery>,
) -> ApiResult<StateView> {
    let keys = parse_keys(&keys)?;
    let snapshot = snapshot(&node)?;
    let head = snapshot.head().cloned().ok_or_else(|| ApiError::internal("the node holds no chain"))?;
    match query.height {
        Some(height) if height > head.height.get() => {
            return Err(ApiError::not_found(format!(
                "no block at height {height}: the head is at {}",
                head.height
            )));
        }
        Some(height) if height != head.height.get() => {
            return Err(ApiError::new(
                StatusCode::GONE,
                "state_not_kept",
                format!(
                    "the state at height {height} is no longer kept: this node keeps its head's state (height {})",
                    head.height
                ),
            ));
        }
        _ => {}
    }
    let mut entries = Vec::with_capacity(keys.len());
    for key in keys {
        let value = snapshot.get(&key).map_err(ApiError::internal)?;
        let proof = if query.prove {
            let proof = snapshot.prove(&key).map_err(ApiError::internal)?;
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
    Ok(Json(StateView {
        height: head.height.get(),
        block_hash: head.hash().to_hex(),
        header_hex: hex_encode(&head.to_bytes()),
        header: serde_json::to_value(&head).map_err(ApiError::internal)?,
        state_root: head.state_root.to_hex(),
        entries,
    }))
}

fn parse_keys(text: &str) -> Result<Vec<Vec<u8>>, ApiError> {
    let keys: Vec<&str> = text.split(',').collect();
    if keys.len() > MAX_KEYS {
        return Err(ApiError::bad_request(format!("{} keys asked; at most {MAX_KEYS} at once", keys.len())));
    }
    keys.into_iter()
        .map(|key| match hex_decode_vec(key) {
            Some(bytes) if bytes.is_empty() => Err(ApiError::bad_request("an empty key")),
            Some(bytes) if bytes.len() > MAX_KEY_BYTES => {
                Err(ApiError::bad_request(format!("a key of {} bytes; at most {MAX_KEY_BYTES}", bytes.len())))
            }
            Some(bytes) => Ok(bytes),
            None => Err(ApiError::bad_request(format!("not a key in hex: {key:?}"))),
        })
        .collect()
}
