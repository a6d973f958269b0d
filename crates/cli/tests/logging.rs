//! A dev node logs each block and each transaction, as JSON lines with `--log-format json`.

mod common;

use std::process::Command;

#[test]
fn a_dev_node_logs_each_transaction_and_block_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("node.log");
    let (mut node, banner) = common::start_node(
        &[
            "--dev",
            "--no-provider",
            "--api-addr",
            "127.0.0.1:0",
            "--block-time-ms",
            "0",
            "--log-format",
            "json",
        ],
        Some(&log),
    );
    let api = banner["api_url"].as_str().unwrap();
    let sent = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["--node", api, "--output", "json", "tx", "bank", "transfer", "--from", "dev1", "--to", "dev2"])
        .args(["--amount", "1GDC", "--wait"])
        .output()
        .unwrap();
    assert!(sent.status.success(), "{}", String::from_utf8_lossy(&sent.stderr));
    let hash = serde_json::from_slice::<serde_json::Value>(&sent.stdout).unwrap()["hash"]
        .as_str()
        .unwrap()
        .to_string();
    common::stop_node(&mut node);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}")))
        .collect();
    let logged =
        |message: &'static str| lines.iter().filter(move |line| line["fields"]["message"] == message);
    let transaction = logged("transaction").find(|line| line["fields"]["tx"] == hash.as_str());
    let transaction = transaction.expect("the transaction's line");
    assert_eq!(transaction["fields"]["outcome"], "applied");
    assert_eq!(transaction["fields"]["height"], 1);
    assert!(logged("committed block").any(|line| line["fields"]["height"] == 1));
}
