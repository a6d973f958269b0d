//! Read routes of staking: params, totals, positions and reputation at any height. Each answers the
//! protocol's own record as JSON (amounts as decimal strings); messages go through `POST /txs` like any
//! other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_primitives::Address;
use atelier_primitives::Height;
use atelier_protocol::modules::{
    auth,
    staking::{self, StakingParams, Totals, query::Position},
};
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
    routes::{parse_address, snapshot},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(staking_params))
        .routes(routes!(staking_totals))
        .routes(routes!(staking_position))
        .routes(routes!(reputation))
}

/// Staking params: epochs, unbonding, reputation rates and tiers.
#[utoipa::path(get, path = "/staking/params", responses((status = 200, description = "StakingParams", body = StakingParams)))]
pub(crate) async fn staking_params(State(node): Shared) -> ApiResult<StakingParams> {
    Ok(Json(staking::query::params(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// Bonded and unbonding stake, total reputation and the epoch under way.
#[utoipa::path(get, path = "/staking/totals", responses((status = 200, description = "Totals", body = Totals)))]
pub(crate) async fn staking_totals(State(node): Shared) -> ApiResult<Totals> {
    Ok(Json(staking::query::totals(&snapshot(&node)?).map_err(ApiError::internal)?))
}

/// An account's stake, unbonding entries, reputation and tier.
#[utoipa::path(get, path = "/staking/accounts/{address}", params(("address" = atelier_primitives::Address, Path, description = "bech32 address")),
    responses((status = 200, description = "Position", body = Position), (status = 400, body = ErrorBody)))]
pub(crate) async fn staking_position(
    State(node): Shared,
    Path(address): Path<String>,
) -> ApiResult<Position> {
    let address = parse_address(&address)?;
    Ok(Json(staking::query::position(&snapshot(&node)?, &address).map_err(ApiError::internal)?))
}

/// A past height.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct HeightQuery {
    /// The height after whose block to answer (default: the latest).
    #[serde(default, deserialize_with = "crate::routes::int64")]
    height: Option<u64>,
}

/// An account's reputation after a block.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ReputationView {
    account: Address,
    height: Height,
    /// Decimal (it may exceed 2^53).
    reputation: String,
}

/// An account's reputation after block `height` (default the latest): a checkpoint lookup.
#[utoipa::path(get, path = "/staking/accounts/{address}/reputation",
    params(("address" = atelier_primitives::Address, Path, description = "bech32 address"), HeightQuery),
    responses((status = 200, description = "the reputation", body = ReputationView), (status = 400, body = ErrorBody), (status = 404, description = "A height after the latest block", body = ErrorBody)))]
pub(crate) async fn reputation(
    State(node): Shared,
    Path(address): Path<String>,
    query: Result<Query<HeightQuery>, QueryRejection>,
) -> ApiResult<ReputationView> {
    let Query(query) = query?;
    let account = parse_address(&address)?;
    let snapshot = snapshot(&node)?;
    let head = auth::query::height(&snapshot).map_err(ApiError::internal)?;
    let height = query.height.map_or(head, Height);
    if height > head {
        return Err(ApiError::not_found(format!("no block {height} yet: the latest is {head}")));
    }
    let reputation =
        staking::query::reputation_at(&snapshot, &account, height).map_err(ApiError::internal)?;
    let view = ReputationView { account, height, reputation: reputation.to_string() };
    Ok(Json(view))
}
