//! The provider daemon as a separate process against a dev node: a prompt uploaded as a blob and
//! submitted as a job comes back as a PNG in the blob store whose hash the job's result names, and
//! which is exactly what the procedural generator renders from the same inputs; the daemon's
//! health and metrics say so.

mod common;

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;

fn atelier(api: &str, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["--node", api, "--output", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "atelier {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() }
}

fn style_file() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../generate/styles/atelier-base.json")
}

/// A dataset (attested), a procedural model whose weights are the base style, and dev3 as a
/// provider of its class.
fn economy(api: &str) {
    let style = atelier(api, &["blob", "put", style_file().to_str().unwrap()]);
    let weights = style["hash"].as_str().unwrap().to_owned();
    let hex = |byte: &str| byte.repeat(32);
    atelier(
        api,
        &[
            "tx",
            "registry",
            "register-dataset",
            "--from",
            "dev1",
            "--content-hash",
            &hex("11"),
            "--license",
            "CC-BY-4.0",
            "--contributor",
            "dev5=1",
            "--wait",
        ],
    );
    atelier(
        api,
        &[
            "tx",
            "registry",
            "register-model",
            "--from",
            "dev2",
            "--class",
            "image-xl",
            "--weights",
            &weights,
            "--dataset",
            "1=10000",
            "--wait",
        ],
    );
    atelier(
        api,
        &[
            "tx",
            "compliance",
            "attest",
            "--from",
            "dev8",
            "--schema",
            "1",
            "--subject",
            "dataset/1",
            "--data-hash",
            &hex("33"),
            "--wait",
        ],
    );
    atelier(
        api,
        &[
            "tx",
            "compute",
            "register-provider",
            "--from",
            "dev3",
            "--bond",
            "1000GDC",
            "--endpoint",
            "http://127.0.0.1:1",
            "--capacity",
            "image-xl=1000",
            "--wait",
        ],
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_provider(api: &str, state: &Path, metrics_port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["--node", api, "provider", "run", "--from", "dev3", "--state-dir", state.to_str().unwrap()])
        .args(["--metrics-addr", &format!("127.0.0.1:{metrics_port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until job `id` has a result; returns the job.
fn answered(api: &str, id: u64) -> Value {
    let started = Instant::now();
    loop {
        let job = atelier(api, &["query", "compute", "job", &id.to_string()]);
        if job["output_hash"].is_string() {
            return job;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "job {id} was never answered: {job}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_prompt_comes_back_as_the_png_the_procedural_model_renders() {
    let dir = tempfile::tempdir().unwrap();
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "0"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    economy(&api);
    let port = free_port();
    let mut provider = start_provider(&api, &dir.path().join("provider"), port);

    let prompt = "a fern in the garden";
    let prompt_file = dir.path().join("prompt.txt");
    std::fs::write(&prompt_file, prompt).unwrap();
    atelier(&api, &["blob", "put", prompt_file.to_str().unwrap()]);
    atelier(
        &api,
        &[
            "tx",
            "compute",
            "submit-job",
            "--from",
            "dev4",
            "--model",
            "1",
            "--units",
            "10",
            "--price",
            "2000",
            "--prompt",
            prompt,
            "--wait",
        ],
    );
    let job = answered(&api, 1);
    let output = job["output_hash"].as_str().unwrap();
    let png = dir.path().join("out.png");
    atelier(&api, &["blob", "get", output, "--out", png.to_str().unwrap()]);
    let bytes = std::fs::read(&png).unwrap();
    let style = atelier_generate::Style::from_json(&std::fs::read(style_file()).unwrap()).unwrap();
    let expected = atelier_generate::render(prompt, &atelier_generate::Params::default(), &style).unwrap();
    assert!(bytes == expected, "the provider's output is the procedural render of the same inputs");

    // The daemon counts a result once its transaction's answer is back, just after the chain shows it.
    let started = Instant::now();
    let health = loop {
        let health: Value = serde_json::from_str(&http_get(port, "/health")).unwrap();
        if health["served"] == 1 || started.elapsed() > Duration::from_secs(10) {
            break health;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(health["served"], 1, "{health}");
    let metrics = http_get(port, "/metrics");
    assert!(metrics.contains("atelier_provider_jobs_served_total 1"), "{metrics}");
    let _ = Command::new("kill").args(["-TERM", &provider.id().to_string()]).status();
    provider.wait().unwrap();
    common::stop_node(&mut node);
}

/// A plain HTTP GET on 127.0.0.1:`port` (the daemon's own port), its body.
fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default()
}
