//! An agent's own port: `GET /health` (JSON: what it has seen and done), `GET /metrics`
//! (Prometheus text) and, for a provider, `GET /blobs/{hash}`: the outputs it generated, which a
//! node that lacks one fetches from the provider's registered endpoint.

use std::{net::SocketAddr, sync::Arc};

use axum::{Router, http::header, response::IntoResponse, routing::get};
use prometheus_client::registry::Registry;

/// What `/health` reports, computed by the agent when asked.
pub type Health = Arc<dyn Fn() -> serde_json::Value + Send + Sync>;

/// Serves `/health` and `/metrics` (and `/blobs/{hash}` from `blobs`, if given) on `listener`
/// until the task is dropped.
pub async fn serve(
    listener: tokio::net::TcpListener,
    registry: Arc<Registry>,
    health: Health,
    blobs: Option<std::path::PathBuf>,
) -> std::io::Result<()> {
    let metrics = move || {
        let registry = registry.clone();
        async move {
            let mut text = String::new();
            // Writing to a String cannot fail.
            let _ = prometheus_client::encoding::text::encode(&mut text, &registry);
            ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text)
        }
    };
    let health = move || {
        let health = health.clone();
        async move { axum::Json(health()).into_response() }
    };
    let mut app = Router::new().route("/metrics", get(metrics)).route("/health", get(health));
    if let Some(dir) = blobs {
        let blob = move |axum::extract::Path(hash): axum::extract::Path<String>| {
            let dir = dir.clone();
            async move {
                // Only a hash names a file: nothing else of the directory is reachable.
                let Ok(hash) = hash.parse::<atelier_primitives::Hash>() else {
                    return axum::http::StatusCode::BAD_REQUEST.into_response();
                };
                match tokio::fs::read(dir.join(hash.to_hex())).await {
                    Ok(bytes) => bytes.into_response(),
                    Err(_) => axum::http::StatusCode::NOT_FOUND.into_response(),
                }
            }
        };
        app = app.route("/blobs/{hash}", get(blob));
    }
    axum::serve(listener, app).await
}

/// Binds `addr` for [`serve`], saying clearly what failed.
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, String> {
    tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("binding the metrics port {addr}: {e}"))
}
