//! `atelier oracle run` against a dev node, three operators each in its own process: the GDC price
//! from a JSON document over HTTP (a local server stands in for an outside market's API) and the
//! demand for a style forecast from the chain's own record reach quorum and are published; an
//! agent killed and restarted does not observe a round again.

mod common;

use std::{
    io::{Read, Write},
    net::TcpListener,
    time::{Duration, Instant},
};

use common::get_json as get;

/// Serves `body` as JSON to every request until the test ends: an outside price API.
fn price_server(body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/gdc.json", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 2048];
            let _ = stream.read(&mut request);
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    url
}

fn until<T>(what: &str, seconds: u64, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(started.elapsed() < Duration::from_secs(seconds), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn three_agents_publish_a_price_from_http_and_a_demand_forecast_and_a_restarted_one_never_observes_twice() {
    let dir = tempfile::tempdir().unwrap();
    // Blocks of 400 ms: an oracle round (10 blocks) outlasts a restart.
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "400"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    let url = price_server(r#"{"gdc": {"usd": 0.45}}"#);
    let config = dir.path().join("oracle.toml");
    std::fs::write(
        &config,
        format!(
            "poll_seconds = 1\n\n[[feeds]]\nfeed = \"gdc_usd\"\nsource = \"http\"\nurl = \"{url}\"\npointer = \"/gdc/usd\"\nscale = 1e12\n\n\
             [[feeds]]\nfeed = \"demand/botanical\"\nsource = \"demand\"\nstyle = \"botanical\"\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("fern.png");
    common::atelier(&api, &["prompt", "--model", "1", "a fern", "--out", out.to_str().unwrap()]);
    // An agent for `who` on `port`, its state in `dir/who` (kept across restarts), logging to `log`.
    let agent_on = |who: &str, port: u16, log: &str| {
        let state = dir.path().join(who);
        let args = [
            "oracle",
            "run",
            "--from",
            who,
            "--config",
            config.to_str().unwrap(),
            "--state-dir",
            state.to_str().unwrap(),
            "--metrics-addr",
            &format!("127.0.0.1:{port}"),
        ];
        (common::start_agent(&api, &args, &[], Some(&dir.path().join(log))), port)
    };
    let mut agents: Vec<_> = ["dev0", "dev1", "dev2"]
        .into_iter()
        .map(|who| agent_on(who, common::free_port(), &format!("{who}.log")))
        .collect();

    // The price: every operator read the same document, so the median is its value.
    let price = until("gdc_usd to publish", 60, || {
        let feed = get(&api, "/oracle/feeds/gdc_usd");
        feed["latest"]["value"].as_str().map(str::to_owned)
    });
    assert_eq!(price, "450000000000");
    // Demand for `botanical`: forecast once an epoch (60 blocks) has closed.
    let demand = until("demand/botanical to publish", 120, || {
        let feed = get(&api, "/oracle/feeds/demand%2Fbotanical");
        feed["latest"]["value"].as_str().map(|v| v.parse::<u128>().unwrap())
    });
    let first_epoch = get(&api, "/registry/styles?epoch=0");
    let units = first_epoch["styles"].as_array().unwrap().iter().find(|d| d["style"] == "botanical");
    assert!(units.is_some(), "the prompt counted under botanical in epoch 0: {first_epoch}");
    assert!(demand > 0, "the forecast follows the demand there was");

    // With the two others stopped, dev0 observes the next price round, which stays open below
    // quorum; killed and restarted on the same state, it does not observe that round again.
    for (mut other, _) in agents.drain(1..) {
        other.kill().unwrap();
        other.wait().unwrap();
    }
    let open = until("dev0 to observe the open round", 30, || {
        let feed = get(&api, "/oracle/feeds/gdc_usd");
        (feed["round"]["observations"] == 1).then(|| feed["round"]["number"].as_u64().unwrap())
    });
    let (mut first, port) = agents.remove(0);
    first.kill().unwrap();
    first.wait().unwrap();
    agents.push(agent_on("dev0", port, "dev0-again.log"));
    let health = until("the restarted agent to answer", 30, || {
        let text = std::panic::catch_unwind(|| common::http_get(port, "/health")).ok()?;
        serde_json::from_str::<serde_json::Value>(&text).ok()
    });
    assert_eq!(health["operator"], banner["accounts"][0]["address"], "{health}");
    std::thread::sleep(Duration::from_secs(3));
    // Still the round it observed before the kill (rounds last 10 blocks): observed once.
    let feed = get(&api, "/oracle/feeds/gdc_usd");
    if feed["round"]["number"].as_u64() == Some(open) {
        assert_eq!(feed["round"]["observations"], 1, "{feed}");
    }
    let metrics = common::http_get(port, "/metrics");
    assert!(!metrics.contains("reason=\"refused\""), "the restarted agent tried a round again:\n{metrics}");

    for (mut child, _) in agents {
        let _ = child.kill();
        let _ = child.wait();
    }
    common::stop_node(&mut node);
}
