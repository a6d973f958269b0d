//! The economy's series for charts: which figures there are, and one figure over a range of
//! blocks, downsampled with age (see `atelier_storage`'s series).

use std::sync::Arc;

use atelier_api::{ErrorBody, MetricView, MetricsView, PointView, ResolutionView, SeriesView};
use atelier_protocol::economy::{self, CLASS_METRICS, Economy, Kind, Metric};
use atelier_storage::TIERS;
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node,
    http::{ApiError, ApiResult, Shared},
};

pub(crate) fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::new().routes(routes!(stats_metrics)).routes(routes!(stats_series))
}

fn view(metric: &Metric) -> MetricView {
    MetricView {
        name: metric.name.to_owned(),
        unit: metric.unit.name().to_owned(),
        kind: kind(metric.kind).to_owned(),
        per_class: metric.per_class,
        doc: metric.doc.trim().to_owned(),
    }
}

fn kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Gauge => "gauge",
        Kind::Total => "total",
    }
}

/// Every figure of the economy the node records, the compute classes, the resolutions kept, and
/// whether the series follow the chain.
#[utoipa::path(get, path = "/stats/metrics", responses((status = 200, body = MetricsView)))]
async fn stats_metrics(State(node): Shared) -> ApiResult<MetricsView> {
    let storage = node.storage();
    let head = storage.head().map_err(ApiError::internal)?.map_or(0, |h| h.height.get());
    let recorded = storage.series_head().map_err(ApiError::internal)?;
    let classes = recorded.as_ref().map_or_else(Vec::new, |sample| {
        Economy::from_series(sample.height, sample.time_ms, &sample.figures)
            .classes
            .into_iter()
            .map(|c| c.name)
            .collect()
    });
    let latest = recorded
        .as_ref()
        .map(|sample| sample.figures.iter().map(|(name, value)| (name.clone(), value.to_string())).collect())
        .unwrap_or_default();
    let series_head = recorded.map(|sample| sample.height.get());
    Ok(Json(MetricsView {
        head,
        series_head,
        // Read after the head: a block committed in between moves both.
        recording: series_head.is_some_and(|recorded| recorded >= head),
        metrics: Economy::METRICS.iter().chain(CLASS_METRICS).map(view).collect(),
        classes,
        latest,
        resolutions: TIERS.iter().map(|t| ResolutionView { every: t.every, keep: t.keep }).collect(),
    }))
}

/// Which series, over which blocks.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SeriesQuery {
    /// A metric's name (`supply`), or a per-class one's with its class (`class_base_fee/image-xl`).
    metric: String,
    /// First block (default: 1 000 blocks before `to`).
    from: Option<u64>,
    /// Last block (default: the last recorded).
    to: Option<u64>,
    /// Blocks between points (default: what gives about 500 points).
    step: Option<u64>,
}

/// Points shown when no step is asked for.
const DEFAULT_POINTS: u64 = 500;

/// One figure over a range of blocks: the last value of each step, at the finest resolution kept
/// that far back.
#[utoipa::path(get, path = "/stats/series", params(SeriesQuery), responses(
    (status = 200, body = SeriesView),
    (status = 400, description = "A malformed query", body = ErrorBody),
    (status = 404, description = "No such metric", body = ErrorBody),
    (status = 409, description = "The series are behind the chain until `atelier stats rebuild`", body = ErrorBody),
))]
async fn stats_series(
    State(node): Shared,
    query: Result<Query<SeriesQuery>, QueryRejection>,
) -> ApiResult<SeriesView> {
    let Query(query) = query?;
    let (metric, _) = economy::metric(&query.metric).ok_or_else(|| {
        ApiError::not_found(format!(
            "no metric {:?}: GET /stats/metrics lists them (per-class ones as name/class)",
            query.metric
        ))
    })?;
    let storage = node.storage();
    let Some(recorded) = storage.series_head().map_err(ApiError::internal)? else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "series_behind",
            "no economy series are recorded: stop the node and run `atelier stats rebuild`",
        ));
    };
    let last = recorded.height.get();
    let to = query.to.unwrap_or(last).min(last);
    let from = query.from.unwrap_or(to.saturating_sub(1_000));
    let step = query.step.unwrap_or_else(|| (to.saturating_sub(from) + 1).div_ceil(DEFAULT_POINTS)).max(1);
    // A range that ends before it starts (or starts past the last block) holds no point.
    let read = match from <= to {
        true => storage.series(&query.metric, from, to, step).map_err(ApiError::internal)?,
        false => atelier_storage::Series { step, points: Vec::new() },
    };
    Ok(Json(SeriesView {
        metric: query.metric,
        unit: metric.unit.name().to_owned(),
        kind: kind(metric.kind).to_owned(),
        step: read.step,
        points: read
            .points
            .into_iter()
            .map(|p| PointView { height: p.height, time_ms: p.time_ms, value: p.value.to_string() })
            .collect(),
    }))
}
