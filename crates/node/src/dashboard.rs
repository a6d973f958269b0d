//! The dashboard: static pages embedded in the binary, served at `/` and under `/dashboard/`.
//! They read the node's own API from the browser; nothing is fetched from anywhere else.

use std::sync::OnceLock;

use axum::{
    Router,
    extract::Path,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

/// Every file: its path under `/dashboard/`, its media type and its bytes.
const FILES: &[(&str, &str, &[u8])] = &[
    ("index.html", "text/html; charset=utf-8", include_bytes!("../dashboard/index.html")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../dashboard/app.js")),
    ("style.css", "text/css; charset=utf-8", include_bytes!("../dashboard/style.css")),
    (
        "vendor/uplot/uPlot.iife.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../dashboard/vendor/uplot/uPlot.iife.min.js"),
    ),
    (
        "vendor/uplot/uPlot.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../dashboard/vendor/uplot/uPlot.min.css"),
    ),
    (
        "vendor/atelier/proof.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../dashboard/vendor/atelier/proof.js"),
    ),
    (
        "vendor/uplot/LICENSE",
        "text/plain; charset=utf-8",
        include_bytes!("../dashboard/vendor/uplot/LICENSE"),
    ),
];

/// Each file's entity tag: its content hash, so that a browser revalidates cheaply and never
/// keeps a stale copy across node versions.
fn tags() -> &'static [String] {
    static TAGS: OnceLock<Vec<String>> = OnceLock::new();
    TAGS.get_or_init(|| {
        FILES
            .iter()
            .map(|(_, _, bytes)| format!("\"{}\"", &atelier_primitives::Hash::blob(bytes).to_hex()[..16]))
            .collect()
    })
}

/// `/` and `/dashboard/{path}`.
pub(crate) fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/", get(|headers: HeaderMap| async move { serve("index.html", &headers) })).route(
        "/dashboard/{*path}",
        get(|Path(path): Path<String>, headers: HeaderMap| async move { serve(&path, &headers) }),
    )
}

fn serve(path: &str, headers: &HeaderMap) -> Response {
    let Some(index) = FILES.iter().position(|(name, _, _)| *name == path) else {
        return crate::http::ApiError::not_found(format!("no dashboard file {path}")).into_response();
    };
    let (_, media_type, bytes) = FILES[index];
    let tag = &tags()[index];
    let cache = [
        (header::ETAG, HeaderValue::from_str(tag).unwrap_or(HeaderValue::from_static("\"\""))),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    if headers.get(header::IF_NONE_MATCH).is_some_and(|seen| seen.as_bytes() == tag.as_bytes()) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (cache, [(header::CONTENT_TYPE, HeaderValue::from_static(media_type))], bytes).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_the_page_loads_is_embedded() {
        let index = std::str::from_utf8(FILES[0].2).unwrap();
        for reference in index.split('"').filter(|part| part.starts_with("/dashboard/")) {
            let path = reference.trim_start_matches("/dashboard/");
            assert!(FILES.iter().any(|(name, _, _)| *name == path), "{path} is not embedded");
        }
    }
}
