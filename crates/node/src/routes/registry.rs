//! Read routes of the registry: models with their lineage, datasets and contributors. Each answers the
//! protocol's own record as JSON (amounts as decimal strings); messages go through `POST /txs` like any
//! other.

use std::sync::Arc;

use atelier_api::ErrorBody;
use atelier_protocol::modules::{
    registry::{self, Dataset, DatasetId, Model, ModelId, StyleDemand, query::Stake},
    staking,
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
    routes::{found, parse_address, parse_id, snapshot},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(model))
        .routes(routes!(dataset))
        .routes(routes!(royalties))
        .routes(routes!(styles))
}

/// A model, with its flattened lineage.
#[utoipa::path(get, path = "/registry/models/{id}", params(("id" = u64, Path, description = "model id")),
    responses((status = 200, description = "Model", body = Model), (status = 404, body = ErrorBody)))]
pub(crate) async fn model(State(node): Shared, Path(id): Path<String>) -> ApiResult<Model> {
    let id = ModelId(parse_id(&id)?);
    found(registry::query::model(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no model {id}")
    })
}

/// A dataset and its royalty accumulator.
#[utoipa::path(get, path = "/registry/datasets/{id}", params(("id" = u64, Path, description = "dataset id")),
    responses((status = 200, description = "Dataset", body = Dataset), (status = 404, body = ErrorBody)))]
pub(crate) async fn dataset(State(node): Shared, Path(id): Path<String>) -> ApiResult<Dataset> {
    let id = DatasetId(parse_id(&id)?);
    found(registry::query::dataset(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no dataset {id}")
    })
}

/// A contributor's shares in a dataset and the royalties it can claim now.
#[utoipa::path(get, path = "/registry/datasets/{id}/contributors/{address}",
    params(("id" = u64, Path, description = "dataset id"), ("address" = atelier_primitives::Address, Path, description = "bech32 address")),
    responses((status = 200, description = "Stake", body = Stake), (status = 404, body = ErrorBody)))]
pub(crate) async fn royalties(
    State(node): Shared,
    Path((id, address)): Path<(String, String)>,
) -> ApiResult<Stake> {
    let id = DatasetId(parse_id(&id)?);
    let address = parse_address(&address)?;
    found(registry::query::stake(&snapshot(&node)?, id, &address).map_err(ApiError::internal)?, || {
        format!("{address} does not contribute to dataset {id}")
    })
}

/// Which epoch's demand to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct EpochQuery {
    /// The epoch (default: the one under way).
    #[serde(default, deserialize_with = "crate::routes::int64")]
    epoch: Option<u64>,
}

/// What each style's models were asked for in an epoch.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct StylesView {
    epoch: u64,
    /// Most units first.
    styles: Vec<StyleDemand>,
}

/// Demand per style in an epoch: jobs admitted for its models, their units and what they paid,
/// most units first.
#[utoipa::path(get, path = "/registry/styles", params(EpochQuery),
    responses((status = 200, description = "StylesView", body = StylesView), (status = 400, body = ErrorBody)))]
pub(crate) async fn styles(
    State(node): Shared,
    query: Result<Query<EpochQuery>, QueryRejection>,
) -> ApiResult<StylesView> {
    let Query(query) = query?;
    let state = snapshot(&node)?;
    let epoch = match query.epoch {
        Some(epoch) => epoch,
        None => staking::query::totals(&state).map_err(ApiError::internal)?.epoch,
    };
    let styles = registry::query::style_demand(&state, epoch).map_err(ApiError::internal)?;
    Ok(Json(StylesView { epoch, styles }))
}
