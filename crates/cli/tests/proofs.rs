//! State with proofs through the binary and a running node: `atelier query state --prove` checks
//! every value and absence against the header's state root, and refuses an answer about a block
//! other than the one it was told to expect, or a height the node does not have; past heights
//! are proven against their own blocks.

mod common;

use atelier_primitives::{Address, Amount, Denom, Encode, hash::hex_encode};
use std::process::Command;

use serde_json::Value;

use common::try_atelier as atelier;

fn balance_key(address: &Address, denom: &[u8]) -> String {
    hex_encode(&[b"bank/balance/".as_slice(), address.as_bytes(), denom].concat())
}

#[test]
fn a_proven_query_checks_each_value_and_absence_and_refuses_another_block_or_a_missing_height() {
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "0"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    let account = atelier(&api, &["query", "account", "dev1"]).unwrap();
    let address: Address = account["address"].as_str().unwrap().parse().unwrap();
    let held = balance_key(&address, Denom::GDC.as_bytes());
    let absent = balance_key(&address, b"unheld");

    let proven = atelier(&api, &["query", "state", &held, &absent, "--prove"]).unwrap();
    assert_eq!(proven["verified"], true);
    let entries = proven["entries"].as_array().unwrap();
    let amount: Amount = account["balances"][0]["amount"].as_str().unwrap().parse().unwrap();
    assert_eq!(entries[0]["value"].as_str().unwrap(), hex_encode(&amount.to_bytes()));
    assert!(entries[1]["value"].is_null(), "the unheld denomination is proven absent");
    assert!(entries.iter().all(|entry| !entry["proof"]["siblings"].as_array().unwrap().is_empty()));

    // The block it was about, pinned: the same answer holds.
    let block = proven["block_hash"].as_str().unwrap();
    let pinned = atelier(&api, &["query", "state", &held, "--prove", "--expect-block", block]).unwrap();
    assert_eq!(pinned["verified"], true);

    // Another block expected: refused, printing nothing.
    let other = "00".repeat(32);
    let refused = atelier(&api, &["query", "state", &held, "--prove", "--expect-block", &other]).unwrap_err();
    assert!(refused.contains("does not hold") && refused.contains("not to the block"), "{refused}");

    // Without --prove, the answer says it was not checked.
    let unproven = atelier(&api, &["query", "state", &held]).unwrap();
    assert_eq!(unproven["verified"], false);
    assert!(unproven["entries"][0].get("proof").is_none());

    // A height above the head: no such block.
    let missing = atelier(&api, &["query", "state", &held, "--height", "999999"]).unwrap_err();
    assert!(missing.contains("no block at height 999999"), "{missing}");

    // A past height: the state and the block as they were then, proven.
    let height = proven["height"].as_u64().unwrap();
    atelier(&api, &["dev", "mine", "1"]).unwrap();
    let past = atelier(&api, &["query", "state", &held, &absent, "--height", &height.to_string(), "--prove"])
        .unwrap();
    assert_eq!(
        (past["verified"].clone(), past["block_hash"].clone()),
        (Value::Bool(true), proven["block_hash"].clone())
    );
    assert_eq!(past["entries"], proven["entries"]);
    common::stop_node(&mut node);
}

#[test]
fn every_proven_read_is_verified_by_re_running_its_query_and_says_what_it_checked() {
    let dir = tempfile::tempdir().unwrap();
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "100"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    // A design minted for dev4 (its vault opens with it), and stake on its way out for dev5.
    let out = dir.path().join("fox.png");
    let made =
        common::atelier(&api, &["prompt", "--model", "1", "a red fox", "--out", out.to_str().unwrap()]);
    let asset = made["settled"]["asset"].as_u64().unwrap_or_else(|| panic!("{made}")).to_string();
    let vault = format!("asset/{asset}");
    for line in ["staking stake --from dev5 --amount 5000000", "staking unstake --from dev5 --amount 1000000"]
    {
        let mut args = vec!["tx"];
        args.extend(line.split_whitespace());
        args.push("--wait");
        common::atelier(&api, &args);
    }
    let reads: [&[&str]; 7] = [
        &["account", "dev1"],
        &["staking", "position", "dev5"],
        &["staking", "reputation", "dev1"],
        &["staking", "reputation", "dev1", "--height", "1"],
        &["provenance", "asset", &asset],
        &["revenue", "vault", &vault],
        &["revenue", "position", "--vault", &vault, "--holder", "dev4"],
    ];
    for read in reads {
        let mut args = vec!["query"];
        args.extend(read);
        let plain = atelier(&api, &args).unwrap();
        args.push("--prove");
        let proven = atelier(&api, &args).unwrap_or_else(|error| panic!("{read:?}: {error}"));
        assert_eq!(proven["verified"], true, "{read:?}");
        let proof = &proven["proof"];
        assert!(!proof["entries"].as_array().unwrap().is_empty(), "{read:?}");
        assert!(proof["entries"].as_array().unwrap().iter().all(|entry| entry["proof"].is_object()));
        // The same record as without a proof (its figures may move between the two reads: blocks
        // come every 100 ms; the proven one is checked against its own block above).
        for field in plain.as_object().unwrap().keys() {
            assert!(proven.get(field).is_some(), "{read:?}: {field} missing from the proven answer");
        }
    }
    let position = atelier(&api, &["query", "staking", "position", "dev5", "--prove"]).unwrap();
    assert_eq!(position["unbonding"][0]["amount"], "1000000", "the unbonding entry is proven too");
    // Pinned to the block it was read at, it holds (read again until no block came in between);
    // to another, it is refused.
    let pinned = (0..10).find_map(|_| {
        let read = atelier(&api, &["query", "staking", "position", "dev5", "--prove"]).unwrap();
        let block = read["proof"]["block_hash"].as_str().unwrap().to_owned();
        atelier(&api, &["query", "staking", "position", "dev5", "--prove", "--expect-block", &block]).ok()
    });
    assert_eq!(pinned.expect("a pinned read at an unchanged head")["verified"], true);
    let other = "00".repeat(32);
    let refused =
        atelier(&api, &["query", "staking", "position", "dev5", "--prove", "--expect-block", &other])
            .unwrap_err();
    assert!(refused.contains("not to the block"), "{refused}");

    // For people: the answer, then what was checked.
    let text = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["--node", &api, "query", "revenue", "vault", &vault, "--prove"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("verified: the protocol's query over"), "{text}");
    common::stop_node(&mut node);
}
