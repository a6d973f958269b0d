//! Development controls, on dev chains only (`NodeConfig::dev_controls`): mine blocks now, so that
//! scripts and tests wait for blocks instead of sleeping. Elsewhere every `/dev` route answers 404.

use std::sync::Arc;

use atelier_api::Mined;
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
};

/// Most blocks one request mines.
pub(crate) const MAX_MINE: u64 = 1_000;

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new().routes(routes!(mine))
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
    if !node.config().dev_controls {
        return Err(ApiError::not_found(
            "dev controls are off: this is not a dev chain (`atelier node --dev`)",
        ));
    }
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
