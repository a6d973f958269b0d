//! The provider daemon as a separate process against a dev node: a prompt uploaded as a blob and
//! submitted as a job comes back as a PNG in the blob store whose hash the job's result names, and
//! which is exactly what the procedural generator renders from the same inputs; the daemon's
//! health and metrics say so.

mod common;

use std::{
    process::Command,
    time::{Duration, Instant},
};

use serde_json::Value;

#[test]
fn a_prompt_comes_back_as_the_png_the_procedural_model_renders() {
    let dir = tempfile::tempdir().unwrap();
    let (mut node, api) = common::bare_dev_node(0, None);
    common::economy(&api);
    let port = common::free_port();
    let state = dir.path().join("provider");
    let metrics = format!("127.0.0.1:{port}");
    let mut provider = common::start_agent(
        &api,
        &[
            "provider",
            "run",
            "--from",
            "dev3",
            "--state-dir",
            state.to_str().unwrap(),
            "--metrics-addr",
            &metrics,
        ],
        &[],
        None,
    );

    let prompt = "a fern in the garden";
    common::put_blob(&api, dir.path(), prompt);
    common::submit_job(&api, prompt, &["--wait"]);
    let job = common::answered(&api, 1);
    let output = job["output_hash"].as_str().unwrap();
    let png = dir.path().join("out.png");
    common::atelier(&api, &["blob", "get", output, "--out", png.to_str().unwrap()]);
    let bytes = std::fs::read(&png).unwrap();
    let style = atelier_generate::Style::from_json(&std::fs::read(common::style_file()).unwrap()).unwrap();
    let expected = atelier_generate::render(prompt, &atelier_generate::Params::default(), &style).unwrap();
    assert!(bytes == expected, "the provider's output is the procedural render of the same inputs");

    // The daemon counts a result once its transaction's answer is back, just after the chain shows it.
    let started = Instant::now();
    let health = loop {
        let health: Value = serde_json::from_str(&common::http_get(port, "/health")).unwrap();
        if health["served"] == 1 || started.elapsed() > Duration::from_secs(10) {
            break health;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(health["served"], 1, "{health}");
    let metrics = common::http_get(port, "/metrics");
    assert!(metrics.contains("atelier_provider_jobs_served_total 1"), "{metrics}");
    let _ = Command::new("kill").args(["-TERM", &provider.id().to_string()]).status();
    provider.wait().unwrap();
    common::stop_node(&mut node);
}

#[test]
fn atelier_prompt_writes_the_checked_png_and_names_the_asset_and_who_was_paid() {
    let dir = tempfile::tempdir().unwrap();
    // Blocks every 100 ms: the challenge window (10 blocks) closes in about a second.
    let (mut node, api) = common::bare_dev_node(100, None);
    common::economy(&api);
    let state = dir.path().join("provider");
    let mut provider = common::start_agent(
        &api,
        &["provider", "run", "--from", "dev3", "--state-dir", state.to_str().unwrap()],
        &[],
        None,
    );

    let out = dir.path().join("fox.png");
    let prompted = common::atelier(
        &api,
        &[
            "prompt",
            "--model",
            "1",
            "a red fox",
            "--seed",
            "3",
            "--width",
            "64",
            "--height",
            "48",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let style = atelier_generate::Style::from_json(&std::fs::read(common::style_file()).unwrap()).unwrap();
    let params = atelier_generate::Params { seed: 3, width: 64, height: 48, design: None };
    assert!(std::fs::read(&out).unwrap() == atelier_generate::render("a red fox", &params, &style).unwrap());
    assert_eq!(prompted["content_type"], "image/png");
    let settled = &prompted["settled"];
    let asset = common::atelier(&api, &["query", "provenance", "asset", &settled["asset"].to_string()]);
    assert_eq!(asset["output_hash"], prompted["output_hash"], "{asset}");
    let manifest = common::atelier(&api, &["query", "provenance", "manifest", &settled["asset"].to_string()]);
    assert_eq!(manifest["format"], "image/png", "{manifest}");
    let blob_url = format!("{api}/blobs/{}", prompted["output_hash"].as_str().unwrap());
    assert_eq!(manifest["assertions"][1]["data"]["blob_url"], blob_url.as_str(), "{manifest}");
    let part = |name: &str| settled[name].as_str().unwrap().parse::<u128>().unwrap();
    let parts = ["provider", "datasets", "fine_tuners", "treasury", "burned"].map(part);
    assert_eq!(parts.iter().sum::<u128>(), part("price"), "the parts sum to the price: {settled}");
    assert!(part("provider") > 0 && part("datasets") > 0, "{settled}");

    let _ = Command::new("kill").args(["-TERM", &provider.id().to_string()]).status();
    provider.wait().unwrap();
    common::stop_node(&mut node);
}

/// The ResultSubmitted events of the chain, by job.
fn results_by_job(api: &str) -> std::collections::BTreeMap<u64, u32> {
    let mut counts = std::collections::BTreeMap::new();
    let mut cursor = String::new();
    loop {
        let path = if cursor.is_empty() {
            "/events?from_height=1&limit=1000".to_owned()
        } else {
            format!("/events?cursor={cursor}&limit=1000")
        };
        let page: Value = serde_json::from_str(&common::http_get_url(api, &path)).unwrap();
        for event in page["items"].as_array().unwrap() {
            if event["event"]["event"]["type"] == "result_submitted" {
                *counts.entry(event["event"]["event"]["job"].as_u64().unwrap()).or_default() += 1;
            }
        }
        match page["next"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => return counts,
        }
    }
}

#[test]
fn a_provider_killed_twenty_times_answers_every_job_at_most_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut node, api) = common::bare_dev_node(200, None);
    common::economy(&api);
    common::put_blob(&api, dir.path(), "a small fern");
    let params_hash = common::put_blob(&api, dir.path(), r#"{"seed": 1, "width": 48, "height": 48}"#);

    // Jobs keep coming while the provider is killed and restarted.
    const JOBS: u64 = 24;
    let submitter = {
        let api = api.clone();
        std::thread::spawn(move || {
            for _ in 0..JOBS {
                common::submit_job(&api, "a small fern", &["--params-hash", &params_hash]);
                std::thread::sleep(Duration::from_millis(150));
            }
        })
    };
    let state = dir.path().join("provider");
    let args = ["provider", "run", "--from", "dev3", "--state-dir", state.to_str().unwrap()];
    // A fixed sequence of lifetimes: the kills land at every stage of the daemon's work.
    let mut lifetime = 97u64;
    for _ in 0..20 {
        let mut provider = common::start_agent(&api, &args, &[], None);
        lifetime = (lifetime * 7919 + 13) % 450;
        std::thread::sleep(Duration::from_millis(50 + lifetime));
        provider.kill().unwrap();
        provider.wait().unwrap();
    }
    submitter.join().unwrap();
    let mut provider = common::start_agent(&api, &args, &[], None);
    let started = Instant::now();
    let statuses = loop {
        let statuses: Vec<String> = (1..=JOBS)
            .map(|id| {
                common::atelier(&api, &["query", "compute", "job", &id.to_string()])["status"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        if statuses.iter().all(|status| !["queued", "admitted"].contains(&status.as_str())) {
            break statuses;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "jobs still waiting: {statuses:?}");
        std::thread::sleep(Duration::from_millis(200));
    };
    let results = results_by_job(&api);
    for (id, status) in (1..=JOBS).zip(&statuses) {
        let answers = results.get(&id).copied().unwrap_or(0);
        assert!(answers <= 1, "job {id} was answered {answers} times");
        let refunded = status == "missed";
        assert!(answers == 1 || refunded, "job {id} is {status} with {answers} answers");
    }
    assert!(results.len() as u64 > JOBS / 2, "most jobs were answered: {statuses:?}");
    let _ = Command::new("kill").args(["-TERM", &provider.id().to_string()]).status();
    provider.wait().unwrap();
    common::stop_node(&mut node);
}

#[test]
fn a_node_that_lacks_an_output_fetches_it_from_the_providers_endpoint_and_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let (mut node, api) = common::bare_dev_node(0, Some(&home));
    common::models(&api);
    // The provider is reached at its daemon's own port, which serves the outputs it generated.
    let port = common::free_port();
    common::register_provider_at(&api, "dev3", 1_000, &format!("http://127.0.0.1:{port}"));
    let state = dir.path().join("provider");
    let metrics = format!("127.0.0.1:{port}");
    let args = [
        "provider",
        "run",
        "--from",
        "dev3",
        "--state-dir",
        state.to_str().unwrap(),
        "--metrics-addr",
        &metrics,
    ];
    let mut provider = common::start_agent(&api, &args, &[], None);
    common::put_blob(&api, dir.path(), "a city at night");
    common::submit_job(&api, "a city at night", &["--wait"]);
    let output = common::answered(&api, 1)["output_hash"].as_str().unwrap().to_owned();

    // As a node that never received it: the file is gone from its store.
    let file = home.join("data/blobs/objects").join(&output[..2]).join(&output);
    std::fs::remove_file(&file).unwrap();
    let back = dir.path().join("back.png");
    common::atelier(&api, &["blob", "get", &output, "--out", back.to_str().unwrap()]);
    assert_eq!(std::fs::read(&back).unwrap(), std::fs::read(state.join("blobs").join(&output)).unwrap());
    assert!(file.exists(), "the node keeps what it fetched");
    let metrics = common::http_get_url(&api, "/metrics");
    assert!(metrics.contains("atelier_blob_fetches_total 1"), "{metrics}");

    let _ = Command::new("kill").args(["-TERM", &provider.id().to_string()]).status();
    provider.wait().unwrap();
    common::stop_node(&mut node);
}
