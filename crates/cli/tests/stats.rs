//! The economy series a node records with every block: what `GET /stats/series` answers equals
//! what the blocks and their events say, and `atelier stats rebuild` replays the same figures.

mod common;

use std::time::{Duration, Instant};

use serde_json::Value;

use common::get_json as get;

/// Every point of `metric` from block 0 to `to`, as (height, value).
fn points(api: &str, metric: &str, to: u64) -> Vec<(u64, i128)> {
    let series = get(api, &format!("/stats/series?metric={metric}&from=0&to={to}&step=1"));
    assert_eq!(series["step"], 1, "{series}");
    series["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["height"].as_u64().unwrap(), p["value"].as_str().unwrap().parse().unwrap()))
        .collect()
}

fn amount(value: &Value) -> i128 {
    value.as_str().unwrap().parse().unwrap()
}

#[test]
fn the_series_equal_what_the_blocks_say_and_a_rebuild_replays_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let home = home.to_str().unwrap();
    let (mut node, banner) = common::start_node(
        &["--dev", "--home", home, "--api-addr", "127.0.0.1:0", "--block-time-ms", "100"],
        None,
    );
    let api = banner["api_url"].as_str().unwrap().to_owned();
    let out = dir.path().join("fox.png");
    for prompt in ["a red fox", "a blue fern"] {
        common::atelier(&api, &["prompt", "--model", "1", prompt, "--out", out.to_str().unwrap()]);
    }
    common::atelier(
        &api,
        &["tx", "bank", "transfer", "--from", "dev4", "--to", "dev5", "--amount", "3GDC", "--wait"],
    );
    // Both jobs settle once their challenge window has passed.
    let started = Instant::now();
    let head = loop {
        let settled = get(&api, "/stats/series?metric=jobs_settled");
        let last = settled["points"].as_array().unwrap().last().cloned().unwrap();
        if amount(&last["value"]) >= 2 {
            break last["height"].as_u64().unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(120), "jobs never settled: {settled}");
        std::thread::sleep(Duration::from_millis(200));
    };
    let metrics = get(&api, "/stats/metrics");
    assert_eq!(metrics["recording"], true, "{metrics}");
    assert_eq!(metrics["classes"][0], "image-xl", "{metrics}");

    // Per block: gas and base fee from the headers.
    let gas = points(&api, "gas_used", head);
    let base_fee = points(&api, "base_fee", head);
    assert_eq!(gas.len() as u64, head + 1);
    for height in [1, head / 2, head] {
        let header = &get(&api, &format!("/blocks/{height}"))["header"];
        assert_eq!(gas[height as usize], (height, i128::from(header["gas_used"].as_u64().unwrap())));
        assert_eq!(base_fee[height as usize], (height, amount(&header["base_fee"])));
    }
    // Totals from the events: what settled jobs paid, job by job; jobs admitted, block by block.
    let events: Vec<(u64, Value)> = common::events(&api, head)
        .into_iter()
        .map(|(height, view)| (height, view["event"].clone()))
        .collect();
    let settled = |field: &str, height: u64| -> i128 {
        events
            .iter()
            .filter(|(h, e)| *h <= height && e["event"]["type"] == "job_settled")
            .map(|(_, e)| amount(&e["event"][field]))
            .sum()
    };
    for (metric, field) in
        [("paid_providers", "provider_paid"), ("paid_datasets", "datasets"), ("burned_by_jobs", "burned")]
    {
        let series = points(&api, metric, head);
        assert!(series.last().unwrap().1 > 0, "{metric}");
        for (height, value) in &series {
            assert_eq!(*value, settled(field, *height), "{metric} at {height}");
        }
    }
    for (height, admitted) in points(&api, "jobs_admitted", head) {
        let counted =
            events.iter().filter(|(h, e)| *h == height && e["event"]["type"] == "job_admitted").count();
        assert_eq!(admitted, counted as i128, "jobs admitted at {height}");
    }
    // An unknown metric says where the list is; a range backwards holds nothing.
    let unknown = get(&api, "/stats/series?metric=nothing");
    assert_eq!(unknown["error"], "not_found", "{unknown}");
    let backwards = get(&api, "/stats/series?metric=supply&from=9&to=3");
    assert_eq!(backwards["points"], serde_json::json!([]), "{backwards}");

    // Recorded live, then replayed from the blocks alone: the same figures.
    let names: Vec<String> = metrics["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| match m["per_class"].as_bool().unwrap() {
            true => format!("{}/image-xl", m["name"].as_str().unwrap()),
            false => m["name"].as_str().unwrap().to_owned(),
        })
        .collect();
    common::stop_node(&mut node);
    let (mut node, banner) =
        common::start_node(&["--home", home, "--api-addr", "127.0.0.1:0", "--block-time-ms", "0"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    let live: Vec<Vec<(u64, i128)>> = names.iter().map(|name| points(&api, name, head)).collect();
    // No block comes on its own now: the gauges at the head against the state.
    let last = get(&api, "/status")["height"].as_u64().unwrap();
    let supply = get(&api, "/bank/supply");
    let gdc = supply.as_array().unwrap().iter().find(|s| s["denom"] == "ugdc").unwrap();
    assert_eq!(points(&api, "supply", last).last().unwrap(), &(last, amount(&gdc["circulating"])));
    let treasury = get(&api, "/treasury");
    assert_eq!(
        points(&api, "reserve", last).last().unwrap(),
        &(last, amount(&treasury["reserve"])),
        "{treasury}"
    );
    common::stop_node(&mut node);
    let rebuilt = common::atelier(&api, &["stats", "rebuild", "--home", home]);
    assert!(rebuilt["blocks"].as_u64().unwrap() >= head, "{rebuilt}");
    let (mut node, banner) =
        common::start_node(&["--home", home, "--api-addr", "127.0.0.1:0", "--block-time-ms", "0"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    for (name, live) in names.iter().zip(&live) {
        assert_eq!(&points(&api, name, head), live, "{name}");
    }
    assert_eq!(get(&api, "/stats/metrics")["recording"], true);
    common::stop_node(&mut node);
}
