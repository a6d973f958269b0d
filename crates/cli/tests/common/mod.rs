//! What the binary's end-to-end tests share: a node started as a user starts it.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

/// Starts `atelier --output json node ARGS` and waits for its start-up banner (the JSON it prints
/// once it serves), which it returns with the running process. Its log goes to `log`, if given.
pub(crate) fn start_node(args: &[&str], log: Option<&std::path::Path>) -> (Child, serde_json::Value) {
    let stderr = match log {
        Some(path) => Stdio::from(std::fs::File::create(path).unwrap()),
        None => Stdio::null(),
    };
    let mut node = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["--output", "json", "node"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut banner = String::new();
    for line in BufReader::new(node.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        banner.push_str(&line);
        if line == "}" {
            break;
        }
    }
    let banner = serde_json::from_str(&banner).unwrap_or_else(|e| panic!("no banner ({e}): {banner}"));
    (node, banner)
}

/// Stops a node as a user's Ctrl-C or service manager would (SIGTERM) and waits for it to exit.
#[allow(dead_code, reason = "each test binary compiles this module; some stop their nodes otherwise")]
pub(crate) fn stop_node(node: &mut Child) {
    let _ = Command::new("kill").args(["-TERM", &node.id().to_string()]).status();
    node.wait().unwrap();
}

/// `atelier --node API --output json ARGS`, which must succeed: its JSON (null when it prints
/// nothing).
#[allow(dead_code, reason = "each test binary compiles this module; not all run commands this way")]
pub(crate) fn atelier(api: &str, args: &[&str]) -> serde_json::Value {
    try_atelier(api, args).unwrap_or_else(|stderr| panic!("atelier {}: {stderr}", args.join(" ")))
}

/// `atelier --node API --output json ARGS`: its JSON (null when it prints nothing), or its stderr
/// when it fails.
#[allow(dead_code, reason = "each test binary compiles this module; not all run commands this way")]
pub(crate) fn try_atelier(api: &str, args: &[&str]) -> Result<serde_json::Value, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["--node", api, "--output", "json"])
        .args(args)
        .output()
        .unwrap();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(if text.trim().is_empty() { serde_json::Value::Null } else { serde_json::from_str(&text).unwrap() })
}

/// The base procedural model's style file in the repository.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn style_file() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generate/styles/atelier-base.json")
}

/// On a dev chain: a dataset (attested), a procedural model whose weights are the base style,
/// and dev3 as a provider of its class.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn economy(api: &str) {
    models(api);
    register_provider(api, "dev3", 1_000);
}

/// On a dev chain: a dataset (attested) and a procedural model whose weights are the base style.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn models(api: &str) {
    let style = atelier(api, &["blob", "put", style_file().to_str().unwrap()]);
    let weights = style["hash"].as_str().unwrap().to_owned();
    let hex = |byte: &str| byte.repeat(32);
    let dataset = ["tx", "registry", "register-dataset", "--from", "dev1", "--content-hash", &hex("11")];
    atelier(api, &[&dataset[..], &["--license", "CC-BY-4.0", "--contributor", "dev5=1", "--wait"]].concat());
    let model =
        ["tx", "registry", "register-model", "--from", "dev2", "--class", "image-xl", "--weights", &weights];
    atelier(api, &[&model[..], &["--dataset", "1=10000", "--wait"]].concat());
    let attest = ["tx", "compliance", "attest", "--from", "dev8", "--schema", "1", "--subject", "dataset/1"];
    atelier(api, &[&attest[..], &["--data-hash", &hex("33"), "--wait"]].concat());
}

/// Registers `who` as a provider of `image-xl` with `units` per block (reached nowhere).
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn register_provider(api: &str, who: &str, units: u32) {
    register_provider_at(api, who, units, "http://127.0.0.1:1");
}

/// Registers `who` as a provider of `image-xl` with `units` per block, reached at `endpoint`.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn register_provider_at(api: &str, who: &str, units: u32, endpoint: &str) {
    let capacity = format!("image-xl={units}");
    let register = ["tx", "compute", "register-provider", "--from", who, "--bond", "1000GDC"];
    atelier(api, &[&register[..], &["--endpoint", endpoint, "--capacity", &capacity, "--wait"]].concat());
}

/// A port free a moment ago.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A plain HTTP GET on 127.0.0.1:`port` (a daemon's own port): its body.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn http_get(port: u16, path: &str) -> String {
    http_get_url(&format!("http://127.0.0.1:{port}"), path)
}

/// Starts `atelier --node API ARGS` (a daemon) with `envs`; its log goes to `log`, if given.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn start_agent(
    api: &str,
    args: &[&str],
    envs: &[(&str, &str)],
    log: Option<&std::path::Path>,
) -> Child {
    let stderr = match log {
        Some(path) => Stdio::from(std::fs::File::create(path).unwrap()),
        None => Stdio::null(),
    };
    Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["--node", api])
        .args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

/// Waits until job `id` has a result; returns the job.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn answered(api: &str, id: u64) -> serde_json::Value {
    let started = std::time::Instant::now();
    loop {
        let job = atelier(api, &["query", "compute", "job", &id.to_string()]);
        if job["output_hash"].is_string() {
            return job;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "job {id} was never answered: {job}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// A plain HTTP GET of `path` on the node at `api` (`http://HOST:PORT`): its body.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn http_get_url(api: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let host = api.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default()
}

/// Stores `bytes` in the node's blob store through `atelier blob put` (by way of a file in `dir`);
/// returns their hash.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn put_blob(api: &str, dir: &std::path::Path, bytes: &str) -> String {
    let file = dir.join("blob");
    std::fs::write(&file, bytes).unwrap();
    atelier(api, &["blob", "put", file.to_str().unwrap()])["hash"].as_str().unwrap().to_owned()
}

/// dev4 asks model 1 for `prompt` (stored as a blob first): ten units at 2 000 ugdc each, with
/// `extra` flags (`--wait`, `--params-hash HASH`).
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn submit_job(api: &str, prompt: &str, extra: &[&str]) -> serde_json::Value {
    let job =
        ["tx", "compute", "submit-job", "--from", "dev4", "--model", "1", "--units", "10", "--price", "2000"];
    atelier(api, &[&job[..], &["--prompt", prompt], extra].concat())
}

/// A dev node without the dev economy (`--no-provider`), a block every `block_ms` (0: on demand),
/// its data kept in `home` if given: the process and its API's URL.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn bare_dev_node(block_ms: u64, home: Option<&std::path::Path>) -> (Child, String) {
    let block_ms = block_ms.to_string();
    let mut args = vec!["--dev", "--no-provider", "--api-addr", "127.0.0.1:0", "--block-time-ms", &block_ms];
    if let Some(home) = home {
        args.extend(["--home", home.to_str().unwrap()]);
    }
    let (node, banner) = start_node(&args, None);
    (node, banner["api_url"].as_str().unwrap().to_owned())
}

/// `GET path` on the node at `api`, as JSON.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn get_json(api: &str, path: &str) -> serde_json::Value {
    let body = http_get_url(api, path);
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

/// Every stored event from block 0 to `to`, in order, as (height, EventView JSON), read page by
/// page through `GET /events`.
#[allow(dead_code, reason = "each test binary compiles this module")]
pub(crate) fn events(api: &str, to: u64) -> Vec<(u64, serde_json::Value)> {
    let mut all = Vec::new();
    let mut path = "/events?from_height=0&limit=500".to_owned();
    loop {
        let page = get_json(api, &path);
        for item in page["items"].as_array().unwrap() {
            let height = item["height"].as_u64().unwrap();
            if height > to {
                return all;
            }
            all.push((height, item.clone()));
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/events?limit=500&cursor={next}"),
            None => return all,
        }
    }
}
