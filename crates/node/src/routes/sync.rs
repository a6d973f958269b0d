//! State sync's source: a validator's state at its head, with what a peer needs to follow the
//! chain from there (`atelier init --join DIR --sync-from URL` reads it).

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_primitives::Height;
use atelier_protocol::modules::staking;
use axum::{
    body::Body,
    extract::State,
    http::{StatusCode, header},
    response::Response,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, Shared},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new().routes(routes!(sync_snapshot))
}

/// The whole state at this validator's head, in the chain's canonical encoding, with the genesis
/// header, the blocks consensus starts from and the head's finalization certificate: what a new
/// validator syncs from instead of replaying the chain. O(state); one at a time.
#[utoipa::path(get, path = "/sync/snapshot",
    responses(
        (status = 200, description = "The snapshot", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 409, description = "Not a validator: its blocks carry no certificates to start from", body = ErrorBody),
        (status = 503, description = "A snapshot is being served already", body = ErrorBody),
    )
)]
pub(crate) async fn sync_snapshot(State(node): Shared) -> Result<Response, ApiError> {
    let Some(certificates) = node.certificates() else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_a_validator",
            "this node is not a validator: sync from one, whose blocks carry finalization certificates",
        ));
    };
    let Ok(_serving) = node.sync_served.try_lock() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "a snapshot is being served already",
        ));
    };
    // The image, and then the certificate of the head it is at.
    let reader = node.clone();
    let mut snapshot = tokio::task::spawn_blocking(move || {
        let storage = reader.storage();
        let params =
            staking::query::params(&storage.snapshot()?).map_err(atelier_storage::StorageError::from)?;
        storage.sync_snapshot(params.epoch_blocks, Vec::new())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    let at = snapshot.image.head.height;
    snapshot.certificate = certificates
        .certificate(Height(at.get()))
        .await
        .ok_or_else(|| ApiError::internal(format!("no certificate for the head {at}")))?
        .bytes;
    let bytes = snapshot.to_bytes();
    Response::builder()
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(Body::from(bytes))
        .map_err(ApiError::internal)
}
