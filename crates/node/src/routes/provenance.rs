//! Read routes of provenance: assets, their lineage, royalty stacks and C2PA manifests. Each answers the
//! protocol's own record as JSON (amounts as decimal strings); messages go through `POST /txs` like any
//! other.

use std::sync::Arc;

use atelier_api::{ErrorBody, HistoryPage, Page, Proven};
use atelier_protocol::modules::provenance::{self, Asset, AssetId, StackEntry, query::Lineage};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, HistoryQuery, Shared, history_page},
    routes::{
        PageQuery, PageRequest, found, parse_address, parse_id, snapshot,
        state::{ProveQuery, proven_found},
    },
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new()
        .routes(routes!(assets))
        .routes(routes!(gallery))
        .routes(routes!(asset))
        .routes(routes!(lineage))
        .routes(routes!(manifest))
        .routes(routes!(royalty_stack))
        .routes(routes!(asset_events))
}

/// An asset.
#[utoipa::path(get, path = "/assets/{id}", params(("id" = u64, Path, description = "asset id"), ProveQuery),
    responses((status = 200, description = "Asset", body = Proven<Asset>), (status = 404, body = ErrorBody)))]
pub(crate) async fn asset(
    State(node): Shared,
    Path(id): Path<String>,
    query: Result<Query<ProveQuery>, QueryRejection>,
) -> ApiResult<Proven<Asset>> {
    let Query(query) = query?;
    let id = AssetId(parse_id(&id)?);
    proven_found(&node, query.prove, |state| provenance::query::asset(state, id), || format!("no asset {id}"))
        .await
}

/// Whose assets.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AssetsQuery {
    /// The owner.
    #[param(value_type = atelier_primitives::Address)]
    owner: String,
    /// Where the page starts: the `next` of the page before (opaque; none for the first page).
    #[param(pattern = "^[0-9a-f]{16}$")]
    cursor: Option<String>,
    /// Most ids (1 to the node's page cap, 100 if not given).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

/// The ids of an owner's assets.
#[utoipa::path(get, path = "/assets", params(AssetsQuery),
    responses((status = 200, description = "a page of asset ids", body = Page<AssetId>), (status = 400, body = ErrorBody)))]
pub(crate) async fn assets(
    State(node): Shared,
    query: Result<Query<AssetsQuery>, QueryRejection>,
) -> ApiResult<Page<AssetId>> {
    let Query(query) = query?;
    let owner = parse_address(&query.owner)?;
    let page = PageRequest::new(&node, "assets", query.cursor.as_deref(), query.limit)?;
    let ids = provenance::query::assets_of(
        &snapshot(&node)?,
        &owner,
        page.after_id()?.map(AssetId),
        page.read_limit(),
    )
    .map_err(ApiError::internal)?;
    Ok(Json(page.page(ids, |id| id.0.to_be_bytes().to_vec())))
}

/// Every asset, newest first, whole: the gallery. The cursor is the `next` of the page before.
#[utoipa::path(get, path = "/gallery", params(PageQuery),
    responses((status = 200, description = "a page of assets, newest first", body = Page<Asset>), (status = 400, body = ErrorBody)))]
pub(crate) async fn gallery(
    State(node): Shared,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Page<Asset>> {
    let Query(query) = query?;
    let page = query.of(&node, "gallery")?;
    let assets =
        provenance::query::newest(&snapshot(&node)?, page.after_id()?.map(AssetId), page.read_limit())
            .map_err(ApiError::internal)?;
    Ok(Json(page.page(assets, |asset| asset.id.0.to_be_bytes().to_vec())))
}

/// An asset's ancestors, and a page of its direct descendants.
#[utoipa::path(get, path = "/assets/{id}/lineage", params(("id" = u64, Path, description = "asset id"), PageQuery),
    responses((status = 200, description = "LineagePage", body = LineagePage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn lineage(
    State(node): Shared,
    Path(id): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<LineagePage> {
    let Query(query) = query?;
    let id = AssetId(parse_id(&id)?);
    let page = query.of(&node, "children")?;
    let lineage =
        provenance::query::lineage(&snapshot(&node)?, id, page.after_id()?.map(AssetId), page.read_limit())
            .map_err(ApiError::internal)?;
    let lineage = lineage.map(|Lineage { ancestors, children }| LineagePage {
        ancestors,
        children: page.page(children, |child| child.0.to_be_bytes().to_vec()),
    });
    found(lineage, || format!("no asset {id}"))
}

/// An asset's ancestors, and a page of its direct descendants.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LineagePage {
    /// Every ancestor, by id.
    ancestors: Vec<AssetId>,
    /// A page of its direct descendants, by id.
    children: Page<AssetId>,
}

/// What each ancestor takes of an asset's revenue.
#[utoipa::path(get, path = "/assets/{id}/royalty-stack", params(("id" = u64, Path, description = "asset id")),
    responses((status = 200, description = "StackEntry list", body = Vec<StackEntry>), (status = 404, body = ErrorBody)))]
pub(crate) async fn royalty_stack(State(node): Shared, Path(id): Path<String>) -> ApiResult<Vec<StackEntry>> {
    let id = AssetId(parse_id(&id)?);
    found(provenance::query::royalty_stack(&snapshot(&node)?, id).map_err(ApiError::internal)?, || {
        format!("no asset {id}")
    })
}

/// An asset's record as a C2PA manifest definition (see `atelier_node::c2pa`).
#[utoipa::path(get, path = "/assets/{id}/manifest", params(("id" = u64, Path, description = "asset id")),
    responses((status = 200, description = "C2PA manifest definition", body = serde_json::Value), (status = 404, body = ErrorBody)))]
pub(crate) async fn manifest(
    State(node): Shared,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> ApiResult<serde_json::Value> {
    let id = AssetId(parse_id(&id)?);
    let Some(asset) = provenance::query::asset(&snapshot(&node)?, id).map_err(ApiError::internal)? else {
        return Err(ApiError::not_found(format!("no asset {id}")));
    };
    // The URL as this request reached the node; its path alone if the request named no host.
    let host = headers.get(axum::http::header::HOST).and_then(|host| host.to_str().ok());
    let path = format!("/blobs/{}", asset.output_hash.to_hex());
    let url = host.map_or_else(|| path.clone(), |host| format!("http://{host}{path}"));
    let format = match node.blobs() {
        Some(store) => {
            let (store, hash) = (store.clone(), asset.output_hash);
            let bytes =
                tokio::task::spawn_blocking(move || store.get(&hash)).await.map_err(ApiError::internal)?;
            bytes
                .ok()
                .flatten()
                .map_or("application/octet-stream", |bytes| crate::blobs::content_type(&bytes))
        }
        None => "application/octet-stream",
    };
    let output = crate::c2pa::Output { url, format: format.to_owned() };
    Ok(Json(crate::c2pa::manifest(&node.head().chain_id, &asset, &output)))
}

/// An asset's history, newest first: its minting, listings and sales, and its royalty vault paid,
/// claimed from and traded.
#[utoipa::path(get, path = "/assets/{id}/events",
    params(("id" = u64, Path, description = "Asset id"), HistoryQuery),
    responses((status = 200, body = HistoryPage), (status = 400, body = ErrorBody)))]
pub(crate) async fn asset_events(
    State(node): Shared,
    Path(id): Path<String>,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> ApiResult<HistoryPage> {
    let id = parse_id(&id)?;
    history_page(&node, &atelier_storage::Subject::Asset(id), query)
}
