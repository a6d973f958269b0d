//! The `command` and `http` backends against real programs and a real local server standing in
//! for an inference API: outputs come back; failures, timeouts and oversized answers are errors
//! with their reason; and the README's configuration parses.

use std::{collections::BTreeMap, time::Duration};

use atelier_agents::backend::{BackendConfig, BackendError, Backends, Request};
use axum::{Json, Router, http::StatusCode, routing::post};
use base64::Engine;

fn request(job: u64, timeout: Duration) -> Request {
    Request {
        job,
        model: 1,
        prompt: "a red fox".into(),
        params: br#"{"seed": 5, "width": 64, "height": 32}"#.to_vec(),
        weights: b"the weights".to_vec(),
        timeout,
    }
}

fn command(program: &str) -> Backends {
    let config = BackendConfig::Command {
        command: vec!["python3".into(), "-c".into(), program.into()],
        timeout_secs: 30,
    };
    Backends { default: config, models: BTreeMap::new() }
}

#[tokio::test]
async fn a_command_reads_the_request_and_its_output_file_is_the_answer() {
    // Echoes what it was asked, proving the request's fields and the weights file.
    let program = r#"
import json, sys
r = json.load(sys.stdin)
weights = open(r["weights"], "rb").read().decode()
open(r["output"], "w").write(f"{r['job']} {r['model']} {r['prompt']} {r['seed']} {r['params']['width']} {weights}")
"#;
    let output = command(program).for_model(1).generate(&request(7, Duration::from_secs(30))).await.unwrap();
    assert_eq!(String::from_utf8(output).unwrap(), "7 1 a red fox 5 64 the weights");
}

#[tokio::test]
async fn a_failing_silent_or_slow_command_is_an_error_with_its_reason() {
    let failing = command("import sys; sys.stderr.write('out of memory'); sys.exit(3)");
    let error = failing.for_model(1).generate(&request(1, Duration::from_secs(30))).await.unwrap_err();
    assert!(matches!(&error, BackendError::Failed(why) if why.contains("out of memory")), "{error}");
    let silent = command("pass");
    let error = silent.for_model(1).generate(&request(1, Duration::from_secs(30))).await.unwrap_err();
    assert!(matches!(&error, BackendError::Failed(why) if why.contains("no output file")), "{error}");
    let slow = command("import time; time.sleep(30)");
    let error = slow.for_model(1).generate(&request(1, Duration::from_millis(300))).await.unwrap_err();
    assert!(matches!(error, BackendError::Timeout(_)), "{error}");
}

/// A local server speaking `POST /v1/images/generations`: each route misbehaves its own way.
async fn server() -> String {
    let image = base64::engine::general_purpose::STANDARD.encode(b"\x89PNG pretend");
    let ok = post(move |Json(body): Json<serde_json::Value>| {
        let image = image.clone();
        async move {
            assert_eq!(body["response_format"], "b64_json");
            assert_eq!(body["size"], "64x32");
            assert_eq!(body["seed"], 5);
            Json(serde_json::json!({ "data": [{ "b64_json": image }] }))
        }
    });
    let flaky = {
        let calls = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        post(move || {
            let calls = calls.clone();
            async move {
                if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 2 {
                    return Err(StatusCode::SERVICE_UNAVAILABLE);
                }
                Ok(Json(serde_json::json!({ "data": [{ "b64_json": "aGk=" }] })))
            }
        })
    };
    let app = Router::new()
        .route("/ok/v1/images/generations", ok)
        .route("/flaky/v1/images/generations", flaky)
        .route("/refuses/v1/images/generations", post(|| async { StatusCode::BAD_REQUEST }))
        .route("/garbage/v1/images/generations", post(|| async { "not json" }))
        .route(
            "/slow/v1/images/generations",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "late"
            }),
        )
        .route(
            "/huge/v1/images/generations",
            post(|| async {
                format!("{{\"data\":[{{\"b64_json\":\"{}\"}}]}}", "A".repeat(23 * 1024 * 1024))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

fn http(base: &str, route: &str, timeout_secs: u64, retries: u32) -> Backends {
    let config = BackendConfig::Http {
        url: format!("{base}/{route}/v1/images/generations"),
        model: Some("sdxl".into()),
        timeout_secs,
        retries,
    };
    Backends { default: config, models: BTreeMap::new() }
}

#[tokio::test]
async fn an_inference_server_answers_and_its_failures_are_retried_or_refused() {
    let base = server().await;
    let job = request(1, Duration::from_secs(30));
    assert_eq!(http(&base, "ok", 10, 0).for_model(1).generate(&job).await.unwrap(), b"\x89PNG pretend");
    assert_eq!(
        http(&base, "flaky", 10, 2).for_model(1).generate(&job).await.unwrap(),
        b"hi",
        "two 503s, then an image"
    );
    let refused = http(&base, "refuses", 10, 2).for_model(1).generate(&job).await.unwrap_err();
    assert!(matches!(refused, BackendError::Unservable(_)), "a 4xx is not retried: {refused}");
    let garbage = http(&base, "garbage", 10, 0).for_model(1).generate(&job).await.unwrap_err();
    assert!(
        matches!(&garbage, BackendError::Failed(why) if why.contains("not a generations answer")),
        "{garbage}"
    );
    let slow = http(&base, "slow", 1, 1).for_model(1).generate(&job).await.unwrap_err();
    assert!(matches!(slow, BackendError::Timeout(_)), "{slow}");
    let huge = http(&base, "huge", 10, 0).for_model(1).generate(&job).await.unwrap_err();
    assert!(matches!(huge, BackendError::TooLarge { .. }), "{huge}");
}

#[test]
fn the_readme_backend_configuration_parses() {
    let readme = include_str!("../README.md");
    let start = readme.find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let backends: Backends = toml::from_str(&readme[start..end]).unwrap();
    assert_eq!(backends.default, BackendConfig::Procedural);
    assert!(
        matches!(&backends.models[&3], BackendConfig::Command { command, timeout_secs: 120 } if command[0] == "python3")
    );
    assert!(matches!(&backends.models[&4], BackendConfig::Http { retries: 2, .. }));
}
