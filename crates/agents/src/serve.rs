//! An agent's own port: `GET /health` (JSON: what it has seen and done) and `GET /metrics`
//! (Prometheus text).

use std::{net::SocketAddr, sync::Arc};

use axum::{Router, http::header, response::IntoResponse, routing::get};
use prometheus_client::registry::Registry;

/// What `/health` reports, computed by the agent when asked.
pub type Health = Arc<dyn Fn() -> serde_json::Value + Send + Sync>;

/// Serves `/health` and `/metrics` on `listener` until the task is dropped.
pub async fn serve(
    listener: tokio::net::TcpListener,
    registry: Arc<Registry>,
    health: Health,
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
    let app = Router::new().route("/metrics", get(metrics)).route("/health", get(health));
    axum::serve(listener, app).await
}

/// Binds `addr` for [`serve`], saying clearly what failed.
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, String> {
    tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("binding the metrics port {addr}: {e}"))
}
