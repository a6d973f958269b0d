//! Snapshot tests of `--output json`: for every command, stdout is exactly one JSON document whose
//! shape (field names and value kinds) matches the reviewed snapshot in `tests/snapshots/`.
//! Run with `UPDATE_SNAPSHOTS=1` to rewrite them after a deliberate change.

mod common;

use std::{
    path::{Path, PathBuf},
    process::{Child, Command},
};

use serde_json::Value;

struct DevNode {
    child: Child,
    api: String,
}

impl Drop for DevNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn atelier(keyring: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_atelier"));
    command.env("ATELIER_KEYRING", keyring).env("ATELIER_PASSWORD", "snapshot-password");
    command
}

fn start_dev_node() -> (DevNode, Value) {
    let (child, banner) = common::start_node(
        &["--dev", "--no-provider", "--api-addr", "127.0.0.1:0", "--block-time-ms", "0"],
        None,
    );
    let api = banner["api_url"].as_str().unwrap().to_owned();
    (DevNode { child, api }, banner)
}

/// Field names (sorted: the order a program reads fields in does not matter) and value kinds,
/// with arrays reduced to their first element.
fn shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let sorted: std::collections::BTreeMap<_, _> =
                map.iter().map(|(k, v)| (k.clone(), shape(v))).collect();
            Value::Object(sorted.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.first().map(shape).into_iter().collect()),
        Value::String(_) => Value::String("string".into()),
        Value::Number(_) => Value::String("number".into()),
        Value::Bool(_) => Value::String("bool".into()),
        Value::Null => Value::Null,
    }
}

fn run_json(node: &DevNode, keyring: &Path, args: &[&str]) -> Value {
    let output =
        atelier(keyring).args(["--output", "json", "--node", &node.api]).args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON document: {e}"))
}

fn check(name: &str, value: &Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(format!("{name}.json"));
    let actual = serde_json::to_string_pretty(&shape(value)).unwrap() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing snapshot {}", path.display()));
    assert_eq!(actual, expected, "the JSON shape of `{name}` changed");
}

#[test]
fn every_command_prints_one_json_document_of_the_reviewed_shape() {
    let keyring = tempfile::tempdir().unwrap();
    let (node, banner) = start_dev_node();
    check("node_dev_banner", &banner);

    check("query_status", &run_json(&node, keyring.path(), &["query", "status"]));
    check("query_fees", &run_json(&node, keyring.path(), &["query", "fees"]));
    check("keys_add", &run_json(&node, keyring.path(), &["keys", "add", "alice"]));
    check("keys_import", &run_json(&node, keyring.path(), &["keys", "import", "faucet", "--dev", "1"]));
    check("keys_list", &run_json(&node, keyring.path(), &["keys", "list"]));
    check("keys_show", &run_json(&node, keyring.path(), &["keys", "show", "alice"]));

    let sent = run_json(
        &node,
        keyring.path(),
        &["tx", "bank", "transfer", "--from", "faucet", "--to", "dev2", "--amount", "5", "--wait"],
    );
    check("tx_transfer", &sent);
    let hash = sent["hash"].as_str().unwrap().to_owned();
    let height = sent["height"].as_u64().unwrap().to_string();
    check("query_tx", &run_json(&node, keyring.path(), &["query", "tx", &hash]));
    check("query_block", &run_json(&node, keyring.path(), &["query", "block", &height]));
    check("query_account", &run_json(&node, keyring.path(), &["query", "account", "dev2"]));
    check(
        "query_events",
        &run_json(&node, keyring.path(), &["query", "events", "--from-height", &height, "--limit", "3"]),
    );

    compute_market_flow(&node, keyring.path());
    governance_flow(&node, keyring.path());

    let home = tempfile::tempdir().unwrap();
    let init = atelier(keyring.path())
        .args(["--output", "json", "init", "--dev", "--home"])
        .arg(home.path().join("node"))
        .output()
        .unwrap();
    assert!(init.status.success());
    check("init", &serde_json::from_slice(&init.stdout).unwrap());
}

/// The compute market through the CLI alone: a dataset, a model, a provider, jobs answered and
/// settled after their challenge window, the asset minted, the royalties paid, and the model's
/// royalty vault shared and claimed.
fn compute_market_flow(node: &DevNode, keyring: &Path) {
    // `atelier query|tx MODULE …` from one line of words; every transaction waits and must apply.
    let query = |line: &str| {
        let mut args = vec!["query"];
        args.extend(line.split_whitespace());
        run_json(node, keyring, &args)
    };
    let tx = |line: String| {
        let mut args = vec!["tx"];
        args.extend(line.split_whitespace());
        args.push("--wait");
        let sent = run_json(node, keyring, &args);
        let receipt = run_json(node, keyring, &["query", "tx", sent["hash"].as_str().unwrap()]);
        assert_eq!(receipt["receipt"]["outcome"]["status"], "applied", "{line}: {receipt}");
    };
    let content = "11".repeat(32);
    let output = "22".repeat(32);
    let answer =
        |job: u64| tx(format!("compute submit-result --from dev3 --job {job} --output-hash {output}"));
    let submit = |prompt: &str| {
        tx(format!(
            "compute submit-job --from dev4 --model 1 --units 100 --price 2000 --provider-tip 300 --royalty-share 500 --prompt {prompt}"
        ))
    };
    tx(format!(
        "registry register-dataset --from dev1 --content-hash {content} --license CC-BY-4.0 --contributor dev5=3 --contributor dev6=1"
    ));
    tx(format!(
        "registry register-model --from dev2 --class image-xl --weights {} --dataset 1=10000 --fee 500",
        "44".repeat(32)
    ));
    // The dev chain gates monetisation on ethical sourcing: until dev8 attests dataset 1, model 1
    // cannot take jobs.
    let refused = atelier(keyring)
        .args(["--node", &node.api, "tx", "compute", "submit-job", "--from", "dev4", "--model", "1"])
        .args(["--units", "100", "--price", "2000", "--prompt", "early", "--wait"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&refused.stderr).contains("code 332"), "{refused:?}");
    let attest = ["tx", "compliance", "attest", "--from", "dev8", "--schema", "1", "--subject", "dataset/1"];
    let sent = run_json(node, keyring, &[&attest[..], &["--data-hash", &content, "--wait"]].concat());
    let receipt = run_json(node, keyring, &["query", "tx", sent["hash"].as_str().unwrap()]);
    assert_eq!(receipt["receipt"]["outcome"]["status"], "applied", "{receipt}");
    let standing = run_json(node, keyring, &["query", "compliance", "subject", "model/1"]);
    check("query_attest_subject", &standing);
    assert_eq!(standing["gate"]["status"], "compliant");
    tx("compute register-provider --from dev3 --bond 1000000000 --endpoint https://gpu.example --capacity image-xl=1000".into());
    submit("fox");
    let job = query("compute job 1");
    check("query_compute_job", &job);
    assert_eq!(job["status"], "admitted");
    let provider = run_json(node, keyring, &["query", "account", "dev3"])["address"].clone();
    assert_eq!(job["provider"], provider, "the only provider");
    answer(1);
    close_challenge_window(node, keyring);
    assert_eq!(query("compute job 1")["status"], "settled");
    for (name, line) in [
        ("classes", "compute classes"),
        ("providers", "compute providers"),
        ("jobs", "compute jobs --provider dev3"),
        ("model", "registry model 1"),
        ("dataset", "registry dataset 1"),
    ] {
        check(&format!("query_compute_{name}"), &query(line));
    }
    for (name, line) in [
        ("asset", "provenance asset 1"),
        ("assets", "provenance assets --owner dev4"),
        ("vault", "revenue vault model/1"),
    ] {
        check(&format!("query_compute_{name}"), &query(line));
    }
    let royalties = query("registry royalties --dataset 1 --contributor dev5");
    check("query_compute_royalties", &royalties);
    // 15% of the 100 000 base part goes to the dataset; dev5 holds 3 of its 4 shares.
    assert_eq!(royalties["claimable_gdc"], "11250");
    tx("registry claim-royalties --from dev5 --dataset 1".into());
    // A remix made elsewhere names asset 1 as its parent.
    tx(format!(
        "provenance register-derivative --from dev6 --parent 1 --output-hash {content} --royalty-share 300"
    ));
    check("query_compute_lineage", &query("provenance lineage 1"));
    // The requester sells its asset; the buyer owns it after.
    let market = |line: &str| {
        let mut args = vec!["tx", "market"];
        args.extend(line.split_whitespace());
        args.push("--wait");
        run_json(node, keyring, &args)
    };
    market("list --from dev4 --asset 1 --price 50000");
    check("query_market_listings", &run_json(node, keyring, &["query", "market", "listings"]));
    check("query_market_listing", &run_json(node, keyring, &["query", "market", "listing", "1"]));
    market("buy --from dev7 --listing 1 --max-price 50000");
    let dev7 = run_json(node, keyring, &["query", "account", "dev7"])["address"].clone();
    assert_eq!(query("provenance asset 1")["owner"], dev7);
    let manifest = query("provenance manifest 2");
    check("query_compute_manifest", &manifest);
    assert_eq!(manifest["ingredients"][0]["relationship"], "parentOf");
    assert_eq!(query("provenance lineage 1")["children"]["items"][0], 2);
    let stack = query("provenance royalty-stack 2");
    check("query_compute_royalty_stack", &stack);
    assert_eq!((stack[0]["ancestor"].as_u64(), stack[0]["share"].as_u64()), (Some(1), Some(500)));
    // The model's 5% fee from the job and from the sale went to its vault; its owner sells a
    // quarter of the vault.
    let position = query("revenue position --vault model/1 --holder dev2");
    check("query_compute_position", &position);
    assert_eq!(position["claimable_gdc"], "7500", "5% of the job and of the 50 000 sale");
    tx("revenue transfer-shares --from dev2 --vault model/1 --to dev9 --units 25000000".into());
    let bought = query("revenue position --vault model/1 --holder dev9");
    assert_eq!((bought["units"].as_u64(), bought["claimable_gdc"].as_str()), (Some(25_000_000), Some("0")));
    submit("again");
    answer(2);
    close_challenge_window(node, keyring);
    assert_eq!(
        query("revenue position --vault model/1 --holder dev9")["claimable_gdc"],
        "1250",
        "a quarter of 5 000"
    );
    tx("revenue claim-revenue --from dev9 --vault model/1".into());
    assert_eq!(query("revenue position --vault model/1 --holder dev9")["claimable_gdc"], "0");
    // A transaction the node's simulation says would fail is not sent, and says why; with
    // --force it is, and its failure is reported with its code.
    let job_for_no_model = |force: bool| {
        let mut command = atelier(keyring);
        command.args(["--node", &node.api, "tx", "compute", "submit-job", "--from", "dev4", "--model", "9"]);
        command.args(["--units", "1", "--price", "2000", "--prompt", "x", "--wait"]);
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    let account = |name: &str| run_json(node, keyring, &["query", "account", name]);
    let nonce_before = account("dev4")["nonce"].clone();
    let refused = job_for_no_model(false);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("code 312: no model 9 (nothing was sent"), "{stderr}");
    assert_eq!(account("dev4")["nonce"], nonce_before, "nothing was sent, nothing charged");
    let failed = job_for_no_model(true);
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("failed: code 312: no model 9"), "{stderr}");
}

/// Ten more blocks: a submitted result's challenge window closes and the job settles.
fn close_challenge_window(node: &DevNode, keyring: &Path) {
    for _ in 0..10 {
        run_json(
            node,
            keyring,
            &["tx", "bank", "transfer", "--from", "dev7", "--to", "dev8", "--amount", "1", "--wait"],
        );
    }
}

/// Stake, reputation, a proposal and its votes, and the cluster reads, through the CLI alone. Dev
/// accounts 0–3 start staked as members.
fn governance_flow(node: &DevNode, keyring: &Path) {
    let query = |line: &str| {
        let mut args = vec!["query"];
        args.extend(line.split_whitespace());
        run_json(node, keyring, &args)
    };
    let tx = |line: &str| {
        let mut args = vec!["tx"];
        args.extend(line.split_whitespace());
        args.push("--wait");
        let sent = run_json(node, keyring, &args);
        let receipt = run_json(node, keyring, &["query", "tx", sent["hash"].as_str().unwrap()]);
        assert_eq!(receipt["receipt"]["outcome"]["status"], "applied", "{line}: {receipt}");
    };
    tx("staking stake --from dev5 --amount 5000000");
    tx("staking unstake --from dev5 --amount 1000000");
    let position = query("staking position dev5");
    check("query_stake_position", &position);
    assert_eq!(
        (position["bonded"].as_str(), position["unbonding"][0]["amount"].as_str()),
        (Some("4000000"), Some("1000000"))
    );
    check("query_stake_params", &query("staking params"));
    check("query_stake_totals", &query("staking totals"));
    let reputation = query("staking reputation dev1 --height 1");
    check("query_stake_reputation", &reputation);
    assert_eq!(reputation["reputation"], "2000000");
    tx("governance propose --from dev1 --summary pay-dev5 --spend dev5=1000");
    // Voting opens five blocks after the proposal.
    close_challenge_window(node, keyring);
    tx("governance vote --from dev1 --proposal 1 --choice for");
    tx("governance vote --from dev2 --proposal 1 --choice abstain");
    let proposal = query("governance proposal 1");
    check("query_gov_proposal", &proposal);
    assert_eq!(
        (proposal["status"].as_str(), proposal["tally"]["for"].as_str()),
        (Some("active"), Some("2000000"))
    );
    check("query_gov_proposals", &query("governance proposals"));
    check("query_gov_vote", &query("governance vote --proposal 1 --voter dev2"));
    check("query_gov_params", &query("governance params"));
    check("query_cluster_params", &query("clusters params"));
    assert_eq!(query("clusters list"), serde_json::json!([]));
    amm_flow(node, keyring);
    oracle_and_treasury_flow(node, keyring);
    dispute_flow(node, keyring);
    // A proposer without a proposing tier is refused with its code. (The command's spelling from
    // before the CLI was grouped by module still works, and says the new one.)
    let refused = atelier(keyring)
        .args(["--node", &node.api, "tx", "gov", "propose", "--from", "dev8", "--summary", "x"])
        .args(["--spend", "dev8=1", "--wait"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("code 801") && stderr.contains("nothing was sent"), "{stderr}");
    assert!(stderr.contains("note: `atelier tx gov` is now `atelier tx governance`"), "{stderr}");
    let dry_run =
        ["tx", "bank", "transfer", "--from", "dev1", "--to", "dev2", "--amount", "1GDC", "--dry-run"];
    check("tx_dry_run", &run_json(node, keyring, &dry_run));
    // The fee flags set the transaction's gas limit and its prices per gas (in GDC or base units);
    // without them the node's schedule and suggestions apply.
    let transfer = ["tx", "bank", "transfer", "--from", "dev1", "--to", "dev2", "--amount", "1GDC"];
    let fees = run_json(node, keyring, &["query", "fees"]);
    let defaults = run_json(node, keyring, &[&transfer[..], &["--generate-only"]].concat());
    assert_eq!(defaults["tx"]["max_fee_per_gas"], fees["suggested_max_fee"]);
    assert_eq!(defaults["tx"]["max_priority_fee_per_gas"], fees["suggested_tip"]);
    let flags = ["--gas-limit", "90000", "--max-fee", "0.00005GDC", "--tip", "7", "--generate-only"];
    let chosen = run_json(node, keyring, &[&transfer[..], &flags].concat());
    assert_eq!(chosen["tx"]["gas_limit"], 90_000);
    assert_eq!(
        (chosen["tx"]["max_fee_per_gas"].as_str(), chosen["tx"]["max_priority_fee_per_gas"].as_str()),
        (Some("50"), Some("7"))
    );
    let starved = atelier(keyring)
        .args(["--node", &node.api, "tx", "bank", "transfer", "--from", "dev1", "--to", "dev2"])
        .args(["--amount", "1GDC", "--gas-limit", "1"])
        .output()
        .unwrap();
    assert!(!starved.status.success());
    let stderr = String::from_utf8_lossy(&starved.stderr);
    assert!(stderr.contains("nothing was sent") || stderr.contains("gas"), "{stderr}");
}

/// The dev pool (the treasury's liquidity at 1 uusd per ugdc): a deposit, a swap cleared at the
/// block's end, the pool and an LP position.
fn amm_flow(node: &DevNode, keyring: &Path) {
    let tx = |line: &str| {
        let mut args = vec!["tx", "amm"];
        args.extend(line.split_whitespace());
        args.push("--wait");
        let sent = run_json(node, keyring, &args);
        let receipt = run_json(node, keyring, &["query", "tx", sent["hash"].as_str().unwrap()]);
        assert_eq!(receipt["receipt"]["outcome"]["status"], "applied", "{line}: {receipt}");
    };
    let before = run_json(node, keyring, &["query", "amm", "pool"]);
    check("query_amm_pool", &before);
    tx("add-liquidity --from dev6 --max-gdc 1000000 --max-usd 1000000");
    let lp = run_json(node, keyring, &["query", "amm", "lp", "dev6"]);
    check("query_amm_lp", &lp);
    assert_eq!(lp["units"], "1000000");
    tx("swap --from dev6 --side sell-gdc --amount 1000000 --min-out 990000");
    let after = run_json(node, keyring, &["query", "amm", "pool"]);
    assert_eq!(
        after["reserve_gdc"], "100002000000",
        "the swap's input went into the pool at the block's end"
    );
    check("query_amm_params", &run_json(node, keyring, &["query", "amm", "params"]));
}

/// The dev oracle (dev0–dev3 are operators): three observations close a round of `gdc_usd` with
/// their median; the treasury's status, income, params and reports.
fn oracle_and_treasury_flow(node: &DevNode, keyring: &Path) {
    let feed = run_json(node, keyring, &["query", "oracle", "feed", "gdc_usd"]);
    let round = feed["round"]["number"].as_u64().unwrap().to_string();
    for (from, value) in [("dev0", "990000000000"), ("dev1", "1000000000000"), ("dev2", "1020000000000")] {
        let args = [
            "tx", "oracle", "observe", "--from", from, "--feed", "gdc_usd", "--round", &round, "--value",
            value, "--wait",
        ];
        let sent = run_json(node, keyring, &args);
        let receipt = run_json(node, keyring, &["query", "tx", sent["hash"].as_str().unwrap()]);
        assert_eq!(receipt["receipt"]["outcome"]["status"], "applied", "{from}: {receipt}");
    }
    let feed = run_json(node, keyring, &["query", "oracle", "feed", "gdc_usd"]);
    check("query_oracle_feed", &feed);
    assert_eq!(feed["latest"]["value"], "1000000000000", "the median of the three");
    assert_eq!(feed["stale"], false);
    check("query_oracle_operators", &run_json(node, keyring, &["query", "oracle", "operators"]));
    check("query_oracle_params", &run_json(node, keyring, &["query", "oracle", "params"]));
    check("query_treasury_status", &run_json(node, keyring, &["query", "treasury", "status"]));
    check("query_treasury_income", &run_json(node, keyring, &["query", "treasury", "income"]));
    check("query_treasury_params", &run_json(node, keyring, &["query", "treasury", "params"]));
}

/// A report about asset 1 with its bond, an arbiter's vote, the dispute and the compliance params.
fn dispute_flow(node: &DevNode, keyring: &Path) {
    let evidence = "33".repeat(32);
    let sent = [
        vec![
            "tx",
            "compliance",
            "report",
            "--from",
            "dev9",
            "--subject",
            "asset/1",
            "--evidence-hash",
            &evidence,
        ],
        vec!["--bond", "100000000", "--wait"],
    ]
    .concat();
    let sent = run_json(node, keyring, &sent);
    let receipt = run_json(node, keyring, &["query", "tx", sent["hash"].as_str().unwrap()]);
    assert_eq!(receipt["receipt"]["outcome"]["status"], "applied", "{receipt}");
    let vote =
        ["tx", "compliance", "vote", "--from", "dev5", "--dispute", "1", "--verdict", "uphold", "--wait"];
    run_json(node, keyring, &vote);
    let dispute = run_json(node, keyring, &["query", "compliance", "dispute", "1"]);
    check("query_dispute_show", &dispute);
    assert_eq!(dispute["dispute"]["uphold"], 1);
    check("query_attest_params", &run_json(node, keyring, &["query", "compliance", "params"]));
    check("query_attest_schemas", &run_json(node, keyring, &["query", "compliance", "schemas"]));
}
