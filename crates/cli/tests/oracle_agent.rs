//! `atelier oracle run` against a dev node. Three operators each in its own process publish the
//! GDC price from a JSON document over HTTP (a local server stands in for an outside market's
//! API) — one of them lying, outvoted by the median and penalized — and a model's convergence
//! from the shipped evaluator (`scripts/evaluate_model.py`); an agent killed and restarted does not observe a round again. The three agents the dev
//! node starts by itself publish demand per style, engagement and quality from the chain's record,
//! and when demand moves from one style to another the treasury's style incentive follows it into
//! the new style's fine-tuner's vault and its datasets' contributors.

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
fn three_agents_publish_a_price_outvoting_a_liar_and_a_models_convergence_and_a_restarted_one_never_observes_twice()
 {
    let dir = tempfile::tempdir().unwrap();
    // Blocks of 400 ms: an oracle round (10 blocks) outlasts a restart.
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "400"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    // Two operators read the market's price; the third reads a document ten times it: a liar.
    let honest = price_server(r#"{"gdc": {"usd": 0.45}}"#);
    let lying = price_server(r#"{"gdc": {"usd": 4.5}}"#);
    let config_for = |name: &str, url: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!(
                "poll_seconds = 1\n\n[[feeds]]\nfeed = \"gdc_usd\"\nsource = \"http\"\nurl = \"{url}\"\npointer = \"/gdc/usd\"\nscale = 1e12\n\n\
                 [[feeds]]\nfeed = \"convergence/1\"\nsource = \"command\"\nscale = 1e6\ncommand = [\"python3\", \"{script}\", \"--node\", \"{api}\", \"--model\", \"1\", \"--atelier\", \"{binary}\"]\n",
                script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/evaluate_model.py"),
                binary = env!("CARGO_BIN_EXE_atelier"),
            ),
        )
        .unwrap();
        path
    };
    let (config, liar_config) = (config_for("oracle.toml", &honest), config_for("liar.toml", &lying));
    let out = dir.path().join("fern.png");
    common::atelier(&api, &["prompt", "--model", "1", "a fern", "--out", out.to_str().unwrap()]);
    // An agent for `who` on `port`, its state in `dir/who` (kept across restarts), logging to `log`.
    let agent_on = |who: &str, port: u16, log: &str| {
        let config = if who == "dev2" { &liar_config } else { &config };
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

    // The price: the median of the three (quorum 3) is the honest one's; the liar is an outlier
    // and pays for it in reputation.
    let price = until("gdc_usd to publish", 60, || {
        let feed = get(&api, "/oracle/feeds/gdc_usd");
        feed["latest"]["value"].as_str().map(str::to_owned)
    });
    assert_eq!(price, "450000000000", "the liar was outvoted");
    let liar = banner["accounts"][2]["address"].as_str().unwrap().to_owned();
    let penalty = until("the liar to be penalized", 30, || {
        let history = get(&api, &format!("/accounts/{liar}/events?limit=200"));
        history["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["event"]["event"]["type"] == "operator_penalized")
            .cloned()
    });
    assert_eq!(penalty["event"]["event"]["value"], "4500000000000", "{penalty}");
    assert_ne!(penalty["event"]["event"]["reputation_lost"], "0", "the liar lost reputation: {penalty}");
    let operators = get(&api, "/oracle/operators");
    let record = operators.as_array().unwrap().iter().find(|o| o["address"] == liar.as_str()).unwrap();
    assert!(record["outliers"].as_u64().unwrap() >= 1, "{record}");
    // Model 1's convergence: the shipped evaluator renders its design again and finds it the same.
    let loss = until("convergence/1 to publish", 60, || {
        let feed = get(&api, "/oracle/feeds/convergence%2F1");
        feed["latest"]["value"].as_str().map(str::to_owned)
    });
    assert_eq!(loss, "0", "a faithfully served procedural model has no validation loss");
    // Demand for `botanical`, observed by the node's own agents once an epoch (60 blocks) closed.
    let demand = until("demand/botanical to publish", 120, || {
        let feed = get(&api, "/oracle/feeds/demand%2Fbotanical");
        feed["latest"]["value"].as_str().map(|v| v.parse::<u128>().unwrap())
    });
    let first_epoch = get(&api, "/registry/styles?epoch=0");
    let units = first_epoch["styles"].as_array().unwrap().iter().find(|d| d["style"] == "botanical");
    assert!(units.is_some(), "the prompt counted under botanical in epoch 0: {first_epoch}");
    assert!(demand > 0, "the forecast follows the demand there was");

    // With the two others stopped, dev0 observes a price round that stays open below quorum;
    // killed and restarted on the same state, it does not observe that round again.
    for (mut other, _) in agents.drain(1..) {
        other.kill().unwrap();
        other.wait().unwrap();
    }
    let dev0_port = agents[0].1;
    let open = until("dev0 to observe the open round", 30, || {
        let health: serde_json::Value = serde_json::from_str(&common::http_get(dev0_port, "/health")).ok()?;
        let observed = health["feeds"]["gdc_usd"]["round"].as_u64()?;
        let feed = get(&api, "/oracle/feeds/gdc_usd");
        (feed["round"]["number"].as_u64() == Some(observed)).then_some(observed)
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
    // The round it observed before the kill is in its journal; given a few polls while that round
    // stays open (10 blocks), it sends nothing for it again — a second observation of a round is
    // refused by the chain and counted as `refused`.
    assert!(dir.path().join("dev0").join("rounds").join(format!("gdc_usd-{open}")).exists());
    std::thread::sleep(Duration::from_secs(3));
    let metrics = common::http_get(port, "/metrics");
    assert!(!metrics.contains("reason=\"refused\""), "the restarted agent tried a round again:\n{metrics}");

    for (mut child, _) in agents {
        let _ = child.kill();
        let _ = child.wait();
    }
    common::stop_node(&mut node);
}

/// The style incentive each closed epoch paid, by model: `(epoch, [(model, amount)])`.
fn incentives(api: &str) -> Vec<(u64, Vec<(u64, u128)>)> {
    let reports = get(api, "/treasury/epochs");
    reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let paid = r["steering"]["incentives"].as_array().unwrap().iter();
            let paid =
                paid.map(|i| (i["model"].as_u64().unwrap(), i["amount"].as_str().unwrap().parse().unwrap()));
            (r["epoch"].as_u64().unwrap(), paid.collect())
        })
        .collect()
}

fn claimable(api: &str, path: &str) -> u128 {
    get(api, path)["claimable_gdc"].as_str().unwrap().parse().unwrap()
}

#[test]
fn demand_moved_from_botanical_to_ink_moves_the_style_incentive_to_inks_fine_tuner_and_datasets() {
    let dir = tempfile::tempdir().unwrap();
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "150"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    let address = |name: &str| {
        let accounts = banner["accounts"].as_array().unwrap();
        accounts.iter().find(|a| a["name"] == name).unwrap()["address"].as_str().unwrap().to_owned()
    };
    let (fine_tuner, contributor) = (address("dev7"), address("dev5"));
    let epoch = || get(&api, "/registry/styles")["epoch"].as_u64().unwrap();
    let prompt = |model: &str, n: usize| {
        for i in 0..n {
            let out = dir.path().join(format!("{model}-{i}.png"));
            common::atelier(
                &api,
                &["prompt", "--model", model, &format!("a design {i}"), "--out", out.to_str().unwrap()],
            );
        }
    };
    // Botanical (model 1) is asked for through the first epochs; then only ink (model 2).
    prompt("1", 4);
    until("epoch 1", 60, || (epoch() >= 1).then_some(()));
    prompt("1", 4);
    let shifted = epoch() + 1;
    until("the shift's epoch", 60, || (epoch() >= shifted).then_some(()));
    let before = (
        claimable(&api, &format!("/vaults/model/2/holders/{fine_tuner}")),
        claimable(&api, &format!("/registry/datasets/1/contributors/{contributor}")),
    );
    let botanical_led = incentives(&api).iter().any(|(_, paid)| paid.first().is_some_and(|(m, _)| *m == 1));
    assert!(botanical_led, "botanical's model led the incentive first: {:?}", incentives(&api));
    // Ink is asked for each epoch until the incentive follows.
    let followed = until("the incentive to follow ink", 240, || {
        prompt("2", 2);
        incentives(&api).into_iter().find(|(e, paid)| {
            let ink: u128 = paid.iter().filter(|(m, _)| *m == 2).map(|(_, a)| a).sum();
            let botanical: u128 = paid.iter().filter(|(m, _)| *m == 1).map(|(_, a)| a).sum();
            *e >= shifted && ink > botanical
        })
    });
    assert!(
        followed.0 <= shifted + 3,
        "within the forecast's horizon: epoch {} after the shift at {shifted}",
        followed.0
    );
    // Paid into ink's royalty vault (its fine-tuner's) and dataset 1's contributors.
    let after = (
        claimable(&api, &format!("/vaults/model/2/holders/{fine_tuner}")),
        claimable(&api, &format!("/registry/datasets/1/contributors/{contributor}")),
    );
    assert!(
        after.0 > before.0 && after.1 > before.1,
        "the fine-tuner and the contributor were paid: {before:?} → {after:?}"
    );
    // The node checked conservation after every block and is still producing them.
    let height = get(&api, "/status")["height"].as_u64().unwrap();
    until("another block", 10, || (get(&api, "/status")["height"].as_u64().unwrap() > height).then_some(()));
    common::stop_node(&mut node);
}
