//! Verifier daemons against a provider that lies (a `command` backend that corrupts one output in
//! three), each a separate process beside a dev node: the verifiers re-execute every result,
//! challenge exactly the corrupted one and claim its correct output, and the dispute overturns it
//! and takes the liar's bond; the honest results are never challenged, nor is an honest provider
//! over a hundred jobs.

mod common;

use std::{
    path::Path,
    time::{Duration, Instant},
};

use serde_json::Value;

/// A dev chain in `home` whose disputes resolve on two claims (the challenger's and one more), so
/// that two verifiers are a quorum.
fn dev_home_with_quorum_of_two(home: &Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["init", "--dev", "--home", home.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = home.join("genesis.json");
    let mut genesis: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    genesis["compute"]["params"]["dispute_quorum"] = Value::from(2);
    std::fs::write(&file, serde_json::to_string_pretty(&genesis).unwrap()).unwrap();
}

fn job_status(api: &str, id: u64) -> String {
    common::atelier(api, &["query", "compute", "job", &id.to_string()])["status"].as_str().unwrap().to_owned()
}

#[test]
fn a_lying_provider_is_challenged_loses_the_dispute_and_its_bond_and_honest_results_stand() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    dev_home_with_quorum_of_two(&home);
    let (mut node, api) = common::bare_dev_node(0, Some(&home));
    common::economy(&api);
    // Verifiers are providers of the class too, too small to be given these jobs.
    common::register_provider(&api, "dev6", 1);
    common::register_provider(&api, "dev7", 1);

    let lying = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lying-backend.py");
    let config = dir.path().join("lying.toml");
    let command =
        format!("[default]\nbackend = \"command\"\ncommand = [\"python3\", {:?}]\n", lying.to_str().unwrap());
    std::fs::write(&config, command).unwrap();
    let binary = env!("CARGO_BIN_EXE_atelier");
    let provider_state = dir.path().join("provider");
    let mut provider = common::start_agent(
        &api,
        &[
            "provider",
            "run",
            "--from",
            "dev3",
            "--state-dir",
            provider_state.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
        ],
        &[("ATELIER_BIN", binary)],
        Some(&dir.path().join("provider.log")),
    );
    let verifiers: Vec<(u16, std::process::Child)> = ["dev6", "dev7"]
        .into_iter()
        .map(|who| {
            let port = common::free_port();
            let state = dir.path().join(who);
            let metrics = format!("127.0.0.1:{port}");
            let args = ["verifier", "run", "--from", who, "--state-dir", state.to_str().unwrap()];
            let args = [&args[..], &["--sample-bps", "10000", "--metrics-addr", &metrics]].concat();
            (port, common::start_agent(&api, &args, &[], Some(&dir.path().join(format!("{who}.log")))))
        })
        .collect();

    for prompt in ["a fern", "red tiles", "a golden facade"] {
        common::put_blob(&api, dir.path(), prompt);
        common::submit_job(&api, prompt, &["--wait"]);
    }
    // Job 3's output was corrupted: the verifier's challenge overturns it at once.
    let started = Instant::now();
    while job_status(&api, 3) != "overturned" {
        let log = std::fs::read_to_string(dir.path().join("verifier.log")).unwrap_or_default();
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "job 3 was not overturned; verifier log:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    for honest in [1, 2] {
        let job = common::answered(&api, honest);
        assert_eq!(job["status"], "submitted", "job {honest} stands unchallenged: {job}");
        assert!(job["dispute"].is_null(), "{job}");
    }
    let provider_record = common::atelier(&api, &["query", "compute", "provider", "dev3"]);
    assert_eq!(provider_record["bond"], "0", "the liar lost its bond: {provider_record}");
    let healths: Vec<Value> = verifiers
        .iter()
        .map(|(port, _)| serde_json::from_str(&common::http_get(*port, "/health")).unwrap())
        .collect();
    let total = |what: &str| healths.iter().map(|h| h[what].as_u64().unwrap()).sum::<u64>();
    assert_eq!((total("agreed"), total("challenged"), total("claimed")), (4, 1, 1), "{healths:?}");

    let _ = std::process::Command::new("kill").args(["-TERM", &provider.id().to_string()]).status();
    provider.wait().unwrap();
    for (_, mut verifier) in verifiers {
        let _ = std::process::Command::new("kill").args(["-TERM", &verifier.id().to_string()]).status();
        verifier.wait().unwrap();
    }
    common::stop_node(&mut node);
}

#[test]
fn an_honest_provider_is_never_challenged_over_a_hundred_jobs() {
    let dir = tempfile::tempdir().unwrap();
    // Blocks come with time, as on a real chain: on demand every waited result would make a
    // block, and jobs queued behind the provider's concurrency would run out of deadline (counted
    // in blocks) however fast it works. Half a second each gives the verifier five seconds of
    // challenge window per result, enough on a loaded machine.
    let (mut node, api) = common::bare_dev_node(500, None);
    common::economy(&api);
    common::register_provider(&api, "dev6", 1);
    let provider_state = dir.path().join("provider");
    let provider_args =
        ["provider", "run", "--from", "dev3", "--state-dir", provider_state.to_str().unwrap()];
    let mut provider =
        common::start_agent(&api, &[&provider_args[..], &["--concurrency", "2"]].concat(), &[], None);
    let port = common::free_port();
    let state = dir.path().join("verifier");
    let metrics = format!("127.0.0.1:{port}");
    let args = [
        "verifier",
        "run",
        "--from",
        "dev6",
        "--state-dir",
        state.to_str().unwrap(),
        "--sample-bps",
        "10000",
    ];
    let mut verifier =
        common::start_agent(&api, &[&args[..], &["--metrics-addr", &metrics]].concat(), &[], None);

    // Ten parameter sets (seeds) and ten prompts: a hundred jobs in two transactions.
    let put = |bytes: &str| common::put_blob(&api, dir.path(), bytes);
    let params: Vec<String> =
        (0..10).map(|seed| put(&format!(r#"{{"seed": {seed}, "width": 32, "height": 32}}"#))).collect();
    let prompts: Vec<String> = [
        "a fern",
        "tiles",
        "a river",
        "a tower",
        "a red maze",
        "wind",
        "a garden",
        "a city",
        "golden waves",
        "a blue forest",
    ]
    .iter()
    .map(|prompt| put(prompt))
    .collect();
    let jobs: Vec<Value> = (0..100)
        .map(|i| {
            serde_json::json!({ "compute": { "type": "submit_job", "model": 1, "units": 10, "max_fee_per_unit": "2000",
                "tip_per_unit": "0", "prompt_hash": prompts[i % 10], "params_hash": params[i / 10], "deterministic": true,
                "parents": [], "policy": { "share": 0, "license_fee": "0" } } })
        })
        .collect();
    let file = dir.path().join("batch.json");
    for half in jobs.chunks(50) {
        std::fs::write(&file, serde_json::to_string(half).unwrap()).unwrap();
        common::atelier(&api, &["tx", "batch", file.to_str().unwrap(), "--from", "dev4", "--wait"]);
    }
    let started = Instant::now();
    let health = loop {
        let health: Value = serde_json::from_str(&common::http_get(port, "/health")).unwrap();
        if health["agreed"].as_u64().unwrap() + health["challenged"].as_u64().unwrap() >= 100 {
            break health;
        }
        assert!(started.elapsed() < Duration::from_secs(300), "the verifier checked only {health}");
        std::thread::sleep(Duration::from_millis(250));
    };
    assert_eq!((health["agreed"].as_u64(), health["challenged"].as_u64()), (Some(100), Some(0)), "{health}");
    for daemon in [&mut provider, &mut verifier] {
        let _ = std::process::Command::new("kill").args(["-TERM", &daemon.id().to_string()]).status();
        daemon.wait().unwrap();
    }
    common::stop_node(&mut node);
}
