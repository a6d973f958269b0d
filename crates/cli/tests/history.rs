//! Histories as the node indexes them: `GET /accounts/{address}/events` lists exactly
//! the stored events that name the account, newest first and in pages, and `/assets/{id}/events` a
//! design's; `/accounts/{address}/vaults`
//! finds the vaults its designs opened; `/accounts/{address}/totals` sums what it earned and
//! received; `/staking/accounts/{address}/reputation/history` follows
//! its reputation block by block.

mod common;

use std::time::{Duration, Instant};

use serde_json::Value;

use common::get_json as get;

/// Every event of the history at `path`, following the cursors, with `limit` a page.
fn history(api: &str, path: &str, limit: usize) -> Vec<Value> {
    let mut all = Vec::new();
    let mut page_path = format!("{path}?limit={limit}");
    loop {
        let page = get(api, &page_path);
        all.extend(page["items"].as_array().unwrap_or_else(|| panic!("{page}")).iter().cloned());
        match page["next"].as_str() {
            Some(next) => page_path = format!("{path}?limit={limit}&cursor={next}"),
            None => return all,
        }
    }
}

/// Whether `value` holds the string `text` anywhere.
fn mentions(value: &Value, text: &str) -> bool {
    match value {
        Value::String(s) => s == text,
        Value::Array(items) => items.iter().any(|item| mentions(item, text)),
        Value::Object(fields) => fields.values().any(|field| mentions(field, text)),
        _ => false,
    }
}

#[test]
fn a_history_is_every_event_naming_an_account_or_a_design_newest_first_with_vaults_totals_and_reputation() {
    let dir = tempfile::tempdir().unwrap();
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "100"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    let address = |name: &str| {
        let accounts = banner["accounts"].as_array().unwrap();
        let account = accounts.iter().find(|a| a["name"] == name).unwrap();
        account["address"].as_str().unwrap().to_owned()
    };
    let (requester, payee) = (address("dev4"), address("dev5"));
    let out = dir.path().join("fox.png");
    let made =
        common::atelier(&api, &["prompt", "--model", "1", "a red fox", "--out", out.to_str().unwrap()]);
    let asset = made["settled"]["asset"].as_u64().unwrap_or_else(|| panic!("{made}"));
    // dev4 sells the design to dev6.
    let asset_flag = asset.to_string();
    common::atelier(
        &api,
        &["tx", "market", "list", "--from", "dev4", "--asset", &asset_flag, "--price", "2GDC", "--wait"],
    );
    let listing = get(&api, "/market/listings")["items"][0]["id"].as_u64().unwrap();
    let bought = common::atelier(
        &api,
        &[
            "tx",
            "market",
            "buy",
            "--from",
            "dev6",
            "--listing",
            &listing.to_string(),
            "--max-price",
            "2000000",
            "--wait",
        ],
    );
    let sent = common::atelier(
        &api,
        &["tx", "bank", "transfer", "--from", "dev4", "--to", "dev5", "--amount", "3GDC", "--wait"],
    );
    let sent_at = sent["height"].as_u64().unwrap();

    // The index follows the chain within moments.
    let started = Instant::now();
    let indexed = loop {
        let page = get(&api, &format!("/accounts/{payee}/events?limit=1"));
        let indexed = page["indexed_height"].as_u64().unwrap();
        if indexed >= sent_at {
            break indexed;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the index never reached {sent_at}: {page}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let up_to_indexed = |views: Vec<Value>| {
        views.into_iter().filter(|view| view["height"].as_u64().unwrap() <= indexed).collect::<Vec<_>>()
    };
    for account in [&requester, &payee] {
        let mut expected: Vec<Value> = common::events(&api, indexed)
            .into_iter()
            .filter(|(_, view)| mentions(&view["event"], account))
            .map(|(_, view)| view)
            .collect();
        expected.reverse();
        let path = format!("/accounts/{account}/events");
        assert_eq!(up_to_indexed(history(&api, &path, 1_000)), expected, "{account}'s history");
        assert_eq!(up_to_indexed(history(&api, &path, 2)), expected, "{account}'s history, two at a time");
    }
    // The design's own history: minted by its job, listed, sold.
    let design = up_to_indexed(history(&api, &format!("/assets/{asset}/events"), 2));
    let kinds: Vec<&str> =
        design.iter().map(|view| view["event"]["event"]["type"].as_str().unwrap()).collect();
    for kind in ["asset_minted", "job_settled", "listed", "sold"] {
        assert!(kinds.contains(&kind), "{kind} missing from the design's history: {kinds:?}");
    }
    let sale = design.iter().find(|view| view["event"]["event"]["type"] == "sold").unwrap();
    assert_eq!(sale["tx_hash"], bought["hash"]);
    assert_eq!(sale["event"]["event"]["item"], serde_json::json!({"kind": "asset", "asset": asset}));
    let received = history(&api, &format!("/accounts/{payee}/events"), 100);
    assert!(
        received
            .iter()
            .any(|view| view["tx_hash"] == sent["hash"] && view["event"]["event"]["type"] == "transferred"),
        "the transfer is in the payee's history: {received:?}"
    );

    // Running totals: what the provider earned, what the payee received.
    let tally = |account: &str, name: &str| -> String {
        let totals = get(&api, &format!("/accounts/{account}/totals"));
        let tallies = totals["tallies"].as_array().unwrap_or_else(|| panic!("{totals}"));
        tallies.iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("{totals}"))["value"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let provider = made["provider"].as_str().unwrap_or_else(|| panic!("{made}"));
    assert_eq!(tally(provider, "jobs_served"), "1");
    assert_eq!(tally(provider, "earned_as_provider"), made["settled"]["provider"].as_str().unwrap());
    assert_eq!(tally(&payee, "received_ugdc"), "3000000");
    assert_eq!(tally(&payee, "sent_ugdc"), "0");

    assert_eq!(tally(&requester, "sales"), "1");
    assert_eq!(tally(&address("dev6"), "purchases"), "1");

    // The design minted to dev4 opened a vault dev4 holds every unit of, sold design or not.
    let vaults = get(&api, &format!("/accounts/{requester}/vaults"));
    assert_eq!(vaults["complete"], true, "{vaults}");
    let held = vaults["positions"].as_array().unwrap();
    let position =
        held.iter().find(|p| p["vault"] == format!("asset/{asset}")).unwrap_or_else(|| panic!("{vaults}"));
    let direct = get(&api, &format!("/vaults/asset/{asset}/holders/{requester}"));
    assert_eq!(position["position"], direct, "{vaults}");
    let holders = get(&api, &format!("/vaults/asset/{asset}/holders"));
    assert_eq!(holders["items"], serde_json::json!([{"holder": requester, "position": direct}]), "{holders}");
    assert_eq!(get(&api, &format!("/accounts/{payee}/vaults"))["positions"], serde_json::json!([]));

    // The job counted under its model's style (the dev economy's base model is `botanical`).
    let current = get(&api, "/registry/styles")["epoch"].as_u64().unwrap();
    let botanical: u64 = (0..=current)
        .flat_map(|epoch| {
            get(&api, &format!("/registry/styles?epoch={epoch}"))["styles"].as_array().unwrap().clone()
        })
        .filter(|demand| demand["style"] == "botanical")
        .map(|demand| demand["jobs"].as_u64().unwrap())
        .sum();
    assert_eq!(botanical, 1, "one prompt of model 1");

    // Reputation over time: the heights asked for, each as the point lookup answers.
    let history =
        get(&api, &format!("/staking/accounts/{provider}/reputation/history?from=1&to={indexed}&points=5"));
    let points = history["points"].as_array().unwrap_or_else(|| panic!("{history}"));
    let heights: Vec<u64> = points.iter().map(|p| p["height"].as_u64().unwrap()).collect();
    assert_eq!(heights.first(), Some(&1));
    assert_eq!(heights.last(), Some(&indexed));
    assert!(heights.windows(2).all(|pair| pair[0] < pair[1]), "{heights:?}");
    for point in points {
        let height = point["height"].as_u64().unwrap();
        let at = get(&api, &format!("/staking/accounts/{provider}/reputation?height={height}"));
        assert_eq!(point["reputation"], at["reputation"], "at {height}");
    }
    // The most reputed accounts: most first, their shares of all reputation at most the whole.
    let leaders = get(&api, "/staking/leaders?limit=3");
    let listed = leaders["leaders"].as_array().unwrap_or_else(|| panic!("{leaders}"));
    let reputations: Vec<u128> =
        listed.iter().map(|l| l["reputation"].as_str().unwrap().parse().unwrap()).collect();
    assert!(reputations.windows(2).all(|pair| pair[0] >= pair[1]), "{leaders}");
    assert!(listed.iter().map(|l| l["share_bps"].as_u64().unwrap()).sum::<u64>() <= 10_000);
    assert!(listed.len() as u64 <= leaders["holders"].as_u64().unwrap());
    assert_eq!(get(&api, "/staking/leaders?limit=0")["error"], "bad_request");
    let refused = get(&api, &format!("/staking/accounts/{provider}/reputation/history?points=1"));
    assert_eq!(refused["error"], "bad_request", "{refused}");
    let refused = get(&api, &format!("/accounts/{payee}/events?cursor=00"));
    assert_eq!(refused["error"], "bad_request", "{refused}");
    common::stop_node(&mut node);
}
