//! A dev node's controls through the binary: a snapshot reverted and a dump loaded put the state
//! root, head and balances back; set-balance sets a balance exactly; what cannot be done is refused
//! and changes nothing.

mod common;

use serde_json::Value;

use std::process::Command;

use common::try_atelier as atelier;

fn head(api: &str) -> (u64, String) {
    let status = atelier(api, &["query", "status"]).unwrap();
    let block = atelier(api, &["query", "block"]).unwrap();
    (status["height"].as_u64().unwrap(), block["header"]["state_root"].as_str().unwrap().to_owned())
}

fn height(api: &str) -> u64 {
    atelier(api, &["query", "status"]).unwrap()["height"].as_u64().unwrap()
}

fn balance(api: &str, who: &str) -> Value {
    atelier(api, &["query", "account", who]).unwrap()["balances"].clone()
}

fn transfer(api: &str) {
    atelier(api, &["tx", "bank", "transfer", "--from", "dev1", "--to", "dev2", "--amount", "1GDC", "--wait"])
        .unwrap();
}

#[test]
fn a_reverted_snapshot_and_a_loaded_dump_put_the_same_root_head_and_balances_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "0"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    transfer(&api);

    // Snapshot, move on, revert: the head, root and balances of the snapshot, and the blocks
    // after it are gone.
    let before = (head(&api), balance(&api, "dev2"));
    let snapshot = atelier(&api, &["dev", "snapshot"]).unwrap();
    assert_eq!(
        (snapshot["height"].as_u64().unwrap(), snapshot["state_root"].as_str().unwrap()),
        (before.0.0, before.0.1.as_str())
    );
    transfer(&api);
    atelier(&api, &["dev", "mine", "3"]).unwrap();
    assert_ne!(head(&api), before.0);
    let reverted = atelier(&api, &["dev", "revert", &snapshot["id"].to_string()]).unwrap();
    assert_eq!(reverted["state_root"], before.0.1.as_str());
    assert_eq!((head(&api), balance(&api, "dev2")), before);
    assert!(
        atelier(&api, &["query", "block", &(before.0.0 + 1).to_string()]).is_err(),
        "later blocks are gone"
    );
    // The chain goes on from there; the snapshot was used up.
    transfer(&api);
    assert_eq!(head(&api).0, before.0.0 + 1);
    let again = atelier(&api, &["dev", "revert", &snapshot["id"].to_string()]).unwrap_err();
    assert!(again.contains("no snapshot"), "{again}");

    // Dump, move on, load: the dumped head and root again.
    let file = dir.path().join("state.json");
    atelier(&api, &["dev", "dump", file.to_str().unwrap()]).unwrap();
    let dumped = (head(&api), balance(&api, "dev2"));
    transfer(&api);
    transfer(&api);
    let loaded = atelier(&api, &["dev", "load", file.to_str().unwrap()]).unwrap();
    assert_eq!(
        (loaded["height"].as_u64().unwrap(), loaded["state_root"].as_str().unwrap()),
        (dumped.0.0, dumped.0.1.as_str())
    );
    assert_eq!((head(&api), balance(&api, "dev2")), dumped);

    // A dump whose entries were changed is refused, and nothing changes.
    let mut dump: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    dump["entries"][0][1] = Value::String("00".into());
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, dump.to_string()).unwrap();
    let refused = atelier(&api, &["dev", "load", tampered.to_str().unwrap()]).unwrap_err();
    assert!(refused.contains("400") && refused.contains("not loaded"), "{refused}");
    assert_eq!((head(&api), balance(&api, "dev2")), dumped);
    common::stop_node(&mut node);
}

/// What `account` holds of `denom`, in base units.
fn held(api: &str, account: &str, denom: &str) -> u128 {
    balance(api, account)
        .as_array()
        .unwrap()
        .iter()
        .find(|coin| coin["denom"] == denom)
        .map_or(0, |coin| coin["amount"].as_str().unwrap().parse().unwrap())
}

/// Set-balance raises and lowers GDC and USD to exactly the amount asked, through mined
/// transactions (so the head moves and the state stays conserved); a balance it cannot lower is
/// refused with the reason.
#[test]
fn set_balance_makes_an_account_hold_exactly_the_amount_asked() {
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "0"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    // An account of a fresh key: no dev key signs for it.
    let keyring = tempfile::tempdir().unwrap();
    let added = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args([
            "--keyring-dir",
            keyring.path().to_str().unwrap(),
            "--output",
            "json",
            "keys",
            "add",
            "stranger",
        ])
        .env("ATELIER_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    let added: Value = serde_json::from_slice(&added.stdout).unwrap();
    let stranger = added["key"]["address"].as_str().unwrap();
    for (account, amount, denom, expected) in [
        ("dev4", "1500000GDC", "ugdc", 1_500_000_000_000),
        ("dev4", "1.5GDC", "ugdc", 1_500_000),
        ("dev4", "12USD", "uusd", 12_000_000),
        ("dev4", "0", "ugdc", 0),
        ("dev4", "0", "uusd", 0),
        ("dev4", "1", "ugdc", 1),
        (stranger, "7GDC", "ugdc", 7_000_000),
    ] {
        let height = height(&api);
        let gdc_before = held(&api, account, "ugdc");
        let mut args = vec!["dev", "set-balance", account, amount];
        if !amount.ends_with("GDC") && !amount.ends_with("USD") {
            args.extend(["--denom", denom]);
        }
        let now = atelier(&api, &args).unwrap();
        assert_eq!(now["amount"].as_str().unwrap().parse::<u128>().unwrap(), expected, "{account} {amount}");
        assert_eq!(held(&api, account, denom), expected, "{account} {amount}");
        if denom == "uusd" {
            assert_eq!(held(&api, account, "ugdc"), gdc_before, "setting uusd leaves ugdc as it was");
        }
        assert!(self::height(&api) > height, "it went through blocks");
    }
    let refused = atelier(&api, &["dev", "set-balance", stranger, "1GDC"]).unwrap_err();
    assert!(
        refused.contains("400") && refused.contains("only a dev account's balance can be lowered"),
        "{refused}"
    );
    assert_eq!(held(&api, stranger, "ugdc"), 7_000_000, "nothing changed");
    common::stop_node(&mut node);
}

#[test]
fn a_node_that_is_not_a_dev_chain_has_no_dev_controls() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let example = Command::new(env!("CARGO_BIN_EXE_atelier")).args(["genesis", "example"]).output().unwrap();
    let spec = dir.path().join("genesis.toml");
    std::fs::write(&spec, &example.stdout).unwrap();
    let init = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["init", "--home", home.to_str().unwrap(), "--genesis", spec.to_str().unwrap()])
        .args(["--proposer", "atelier1wr9e985lqt44ar9gxwj0angfmc2pkjgauvzsxs"])
        .output()
        .unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let (mut node, banner) =
        common::start_node(&["--home", home.to_str().unwrap(), "--api-addr", "127.0.0.1:0"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    let set_balance = ["dev", "set-balance", "atelier1wr9e985lqt44ar9gxwj0angfmc2pkjgauvzsxs", "1GDC"];
    for args in [&["dev", "snapshot"][..], &["dev", "revert", "1"], &["dev", "dump", "-"], &set_balance] {
        let refused = atelier(&api, args).unwrap_err();
        assert!(refused.contains("404") && refused.contains("not a dev chain"), "{args:?}: {refused}");
    }
    let status: Value = serde_json::from_str(&common::http_get_url(&api, "/status")).unwrap();
    assert_eq!(status["dev_chain"], false);
    let accounts: Value = serde_json::from_str(&common::http_get_url(&api, "/dev/accounts")).unwrap();
    assert_eq!(accounts["error"], "not_found", "{accounts}");
    common::stop_node(&mut node);
}

#[test]
fn a_dev_chain_names_its_accounts_as_the_banner_does() {
    let (mut node, banner) = common::start_node(
        &["--dev", "--no-provider", "--accounts", "12", "--api-addr", "127.0.0.1:0"],
        None,
    );
    let api = banner["api_url"].as_str().unwrap().to_owned();
    let status: Value = serde_json::from_str(&common::http_get_url(&api, "/status")).unwrap();
    assert_eq!(status["dev_chain"], true);
    let named: Value = serde_json::from_str(&common::http_get_url(&api, "/dev/accounts")).unwrap();
    let named: Vec<(String, String)> = named
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap().to_owned(), a["address"].as_str().unwrap().to_owned()))
        .collect();
    let shown: Vec<(String, String)> = banner["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap().to_owned(), a["address"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(named.len(), 12);
    assert_eq!(named, shown);
    common::stop_node(&mut node);
}
