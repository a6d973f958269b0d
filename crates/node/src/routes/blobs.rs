//! The blob store's routes: `POST /blobs` stores bytes under their hash, `GET /blobs/{hash}`
//! (and `HEAD`) serves them with their media type, whole or a byte range. A blob the chain refers
//! to that this node lacks (a result another node received) is fetched from its provider's
//! registered endpoint (`{endpoint}/blobs/{hash}`) and checked against its hash. Blobs are readable by
//! anyone who has their hash: a prompt uploaded here is public (private prompts are future work).

use std::sync::Arc;

use atelier_api::{BlobStored, ErrorBody};
use atelier_primitives::Hash;
use axum::{
    body::{Body, Bytes},
    extract::{DefaultBodyLimit, Path, Query, State, rejection::QueryRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{
    router::{OpenApiRouter, UtoipaMethodRouterExt},
    routes,
};

use crate::{
    Node,
    blobs::{BlobError, BlobStore, content_type},
    http::{ApiError, Shared},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        // The store's own size cap applies, read as the body streams in.
        .routes(routes!(put_blob).layer(DefaultBodyLimit::disable()))
        .routes(routes!(get_blob))
}

fn store(node: &Node) -> Result<Arc<BlobStore>, ApiError> {
    node.blobs().cloned().ok_or_else(|| ApiError::not_found("this node keeps no blobs"))
}

impl From<BlobError> for ApiError {
    fn from(error: BlobError) -> Self {
        let (status, name) = match &error {
            BlobError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            BlobError::QuotaExceeded { .. } => (StatusCode::INSUFFICIENT_STORAGE, "insufficient_storage"),
            BlobError::HashMismatch { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "hash_mismatch"),
            // The node no longer has it: fetch it elsewhere.
            BlobError::Corrupt { .. } => (StatusCode::NOT_FOUND, "not_found"),
            BlobError::Io(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        ApiError::new(status, name, error)
    }
}

/// `?hash=` the uploader expects.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PutQuery {
    /// The hash the bytes must have (hex); the upload is refused if they hash to anything else.
    #[param(pattern = "^[0-9a-f]{64}$")]
    hash: Option<String>,
}

fn parse_hash(text: &str) -> Result<Hash, ApiError> {
    text.parse().map_err(|_| ApiError::bad_request(format!("{text:?} is not a hash (64 hex characters)")))
}

/// Stores the body under its hash (the node computes it). Storing a blob the node holds already
/// refreshes it. Unreferenced blobs expire after the node's retention; those a job, a result or a
/// model refers to are kept.
#[utoipa::path(post, path = "/blobs", params(PutQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The bytes"),
    responses(
        (status = 201, description = "Stored", body = BlobStored),
        (status = 200, description = "The node held it already", body = BlobStored),
        (status = 400, description = "A malformed declared hash", body = ErrorBody),
        (status = 404, description = "This node keeps no blobs", body = ErrorBody),
        (status = 413, description = "Over the node's size cap", body = ErrorBody),
        (status = 422, description = "The bytes do not have the declared hash", body = ErrorBody),
        (status = 507, description = "The store's quota is used up", body = ErrorBody),
    )
)]
pub(crate) async fn put_blob(
    State(node): Shared,
    query: Result<Query<PutQuery>, QueryRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let declared = query.hash.as_deref().map(parse_hash).transpose()?;
    let store = store(&node)?;
    let max = store.config().max_blob_bytes;
    // One byte past the cap tells "too large" from "exactly the cap".
    let limit = usize::try_from(max.saturating_add(1)).unwrap_or(usize::MAX);
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) if bytes.len() as u64 > max => {
            node.metrics().blob_refusals.inc();
            return Err(BlobError::TooLarge { size: bytes.len() as u64, max }.into());
        }
        Ok(bytes) => bytes,
        Err(_) => {
            node.metrics().blob_refusals.inc();
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the blob is over the limit of {max} bytes"),
            ));
        }
    };
    let kind = content_type(&bytes);
    let stored = {
        let store = store.clone();
        let bytes: Bytes = bytes.clone();
        tokio::task::spawn_blocking(move || store.put(&bytes, declared)).await.map_err(ApiError::internal)?
    };
    let stored = match stored {
        Ok(stored) => stored,
        Err(error) => {
            node.metrics().blob_refusals.inc();
            return Err(error.into());
        }
    };
    let usage = store.usage();
    node.metrics().observe_blobs(usage.blobs, usage.bytes);
    if stored.created {
        node.metrics().blob_uploads.inc();
    }
    let status = if stored.created { StatusCode::CREATED } else { StatusCode::OK };
    let answer = BlobStored {
        hash: stored.hash.to_hex(),
        size: stored.size,
        content_type: kind.to_owned(),
        created: stored.created,
    };
    Ok((status, axum::Json(answer)).into_response())
}

/// How long fetching a missing blob from its source may take.
const FETCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A blob this store lacks but the chain refers to, fetched from the endpoint of the account that
/// produced it (a result's provider), checked against its hash, and kept. `None` when there is no
/// known source.
async fn fetch_from_source(
    node: &Arc<Node>,
    store: &Arc<BlobStore>,
    hash: &Hash,
) -> Result<Option<Vec<u8>>, String> {
    let source = match store.source(hash) {
        Some(source) => Some(source),
        None => {
            // The keeper may not have read the latest blocks yet: read them now.
            let (keeper, reader, hash) = (store.clone(), node.clone(), *hash);
            tokio::task::spawn_blocking(move || {
                let _ = keeper.pin_committed(reader.storage());
                keeper.source(&hash)
            })
            .await
            .map_err(|e| e.to_string())?
        }
    };
    let Some(source) = source else { return Ok(None) };
    let snapshot = crate::routes::snapshot(node).map_err(|_| "the state is unreadable".to_owned())?;
    let provider =
        atelier_protocol::modules::compute::query::provider(&snapshot, &source).map_err(|e| e.to_string())?;
    let Some(provider) = provider else { return Ok(None) };
    let url = format!("{}/blobs/{}", provider.endpoint.trim_end_matches('/'), hash.to_hex());
    let http = reqwest::Client::builder().timeout(FETCH_TIMEOUT).build().map_err(|e| e.to_string())?;
    let mut response = http.get(&url).send().await.map_err(|e| format!("{url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("{url} answered {}", response.status()));
    }
    let max = store.config().max_blob_bytes;
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| format!("{url}: {e}"))? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > max {
            return Err(format!("{url} sent more than the {max}-byte cap"));
        }
    }
    let actual = Hash::blob(&bytes);
    if actual != *hash {
        return Err(format!("{url} sent bytes that hash to {actual}"));
    }
    let (keeper, kept) = (store.clone(), bytes.clone());
    tokio::task::spawn_blocking(move || keeper.put(&kept, Some(actual)))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    node.metrics().blob_fetches.inc();
    tracing::info!(blob = %hash, from = %url, "fetched a missing blob from its source");
    Ok(Some(bytes))
}

/// A byte range asked for, or why it cannot be served.
#[derive(Debug, PartialEq, Eq)]
enum Range {
    /// The whole blob: no `Range` header, or one this route does not serve (several ranges,
    /// another unit), which HTTP allows a server to ignore.
    Whole,
    /// Bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// No byte of the blob is in the range.
    Unsatisfiable,
}

/// The `Range` header of a request for `len` bytes (RFC 9110 §14: one `bytes=` range).
fn range(headers: &HeaderMap, len: u64) -> Range {
    let Some(spec) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else { return Range::Whole };
    let Some(spec) = spec.trim().strip_prefix("bytes=") else { return Range::Whole };
    if spec.contains(',') {
        return Range::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else { return Range::Whole };
    let (first, last) = (first.trim(), last.trim());
    let part = match (first.parse::<u64>(), last.parse::<u64>()) {
        (Ok(start), Ok(end)) if start <= end => Some((start, end.min(len.saturating_sub(1)))),
        (Ok(start), Err(_)) if last.is_empty() => Some((start, len.saturating_sub(1))),
        (Err(_), Ok(suffix)) if first.is_empty() && suffix > 0 => {
            Some((len.saturating_sub(suffix), len.saturating_sub(1)))
        }
        _ => return Range::Whole,
    };
    match part {
        Some((start, end)) if start < len => Range::Part { start, end },
        _ => Range::Unsatisfiable,
    }
}

/// The blob, checked against its hash, with its media type; `Range: bytes=a-b` serves a part
/// (206). Immutable: its hash is its ETag.
#[utoipa::path(get, path = "/blobs/{hash}",
    params(("hash" = String, Path, description = "The blob's hash, hex", pattern = "^[0-9a-f]{64}$")),
    responses(
        (status = 200, description = "The blob", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 206, description = "The range asked for", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 400, description = "Not a hash", body = ErrorBody),
        (status = 404, description = "The node does not hold it (or keeps no blobs)", body = ErrorBody),
        (status = 416, description = "No byte of the blob is in the range", body = ErrorBody),
    )
)]
pub(crate) async fn get_blob(
    State(node): Shared,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let hash = parse_hash(&hash)?;
    let store = store(&node)?;
    let reader = store.clone();
    let read = tokio::task::spawn_blocking(move || reader.get(&hash)).await.map_err(ApiError::internal)??;
    let bytes = match read {
        Some(bytes) => bytes,
        None => match fetch_from_source(&node, &store, &hash).await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Err(ApiError::not_found(format!("no blob {hash} here"))),
            Err(why) => {
                return Err(ApiError::not_found(format!(
                    "no blob {hash} here, and its source failed: {why}"
                )));
            }
        },
    };
    node.metrics().blob_downloads.inc();
    let len = bytes.len() as u64;
    let kind = content_type(&bytes);
    let (status, body, content_range) = match range(&headers, len) {
        Range::Whole => (StatusCode::OK, bytes, None),
        Range::Part { start, end } => {
            let part = bytes[start as usize..=end as usize].to_vec();
            (StatusCode::PARTIAL_CONTENT, part, Some(format!("bytes {start}-{end}/{len}")))
        }
        Range::Unsatisfiable => {
            let mut response = ApiError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "range_not_satisfiable",
                format!("the blob has {len} bytes; no byte of the range is among them"),
            )
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{len}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            return Ok(response);
        }
    };
    let mut response = (status, body).into_response();
    let out = response.headers_mut();
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    out.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{hash}\"")) {
        out.insert(header::ETAG, etag);
    }
    if let Some(value) = content_range.and_then(|range| HeaderValue::from_str(&range).ok()) {
        out.insert(header::CONTENT_RANGE, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::RANGE, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn byte_ranges_are_read_as_http_defines_them() {
        assert_eq!(range(&HeaderMap::new(), 10), Range::Whole);
        assert_eq!(range(&asking("bytes=2-4"), 10), Range::Part { start: 2, end: 4 });
        assert_eq!(range(&asking("bytes=7-"), 10), Range::Part { start: 7, end: 9 });
        assert_eq!(range(&asking("bytes=-3"), 10), Range::Part { start: 7, end: 9 });
        assert_eq!(range(&asking("bytes=5-100"), 10), Range::Part { start: 5, end: 9 });
        assert_eq!(range(&asking("bytes=-100"), 10), Range::Part { start: 0, end: 9 });
        assert_eq!(range(&asking("bytes=10-"), 10), Range::Unsatisfiable);
        assert_eq!(range(&asking("bytes=0-1,4-5"), 10), Range::Whole);
        assert_eq!(range(&asking("items=0-1"), 10), Range::Whole);
        assert_eq!(range(&asking("bytes=4-2"), 10), Range::Whole);
        assert_eq!(range(&asking("bytes=0-0"), 0), Range::Unsatisfiable);
    }
}
