//! Real chains start from a genesis a person wrote, checked before anything is written: no key of
//! the published dev mnemonic unless the file asks for them, and every role a running chain needs.

mod common;

use std::{
    path::Path,
    process::{Command, Output},
};

use atelier_primitives::hd;

fn atelier() -> Command {
    Command::new(env!("CARGO_BIN_EXE_atelier"))
}

fn run(args: &[&str]) -> Output {
    atelier().args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The commented example, which names only addresses nobody holds a published key for.
fn example() -> String {
    let out = run(&["genesis", "example"]);
    assert!(out.status.success());
    text(&out.stdout)
}

fn write(dir: &Path, name: &str, contents: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

const PROPOSER: &str = "atelier1wgt54sffd4xnjv0j8gclxdds40kj4rkmpard5x";

#[test]
fn init_without_a_genesis_or_dev_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let out = run(&["init", "--home", home.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--genesis"), "{}", text(&out.stderr));
    assert!(!home.exists());
}

#[test]
fn a_chain_from_the_example_genesis_has_no_published_key_and_starts() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "genesis.toml", &example());
    let validate = run(&["--output", "json", "genesis", "validate", &file]);
    assert!(validate.status.success(), "{}", text(&validate.stdout));
    let report: serde_json::Value = serde_json::from_slice(&validate.stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["chain_id"], "gallery-1");

    let home = dir.path().join("home");
    let init = run(&["init", "--home", home.to_str().unwrap(), "--genesis", &file, "--proposer", PROPOSER]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    let genesis = std::fs::read_to_string(home.join("genesis.json")).unwrap();
    let config = std::fs::read_to_string(home.join("config.toml")).unwrap();
    for key in hd::dev_keys(0..100) {
        let address = key.public_key().address().to_string();
        assert!(!genesis.contains(&address), "genesis.json names the published key {address}");
        assert!(!config.contains(&address), "config.toml names the published key {address}");
    }
    assert!(genesis.contains("atelier14q32f9c9ca2sdu0qew6mdk4v9hpnp63ktu57we"), "the file's stable issuer");
    assert!(config.contains(PROPOSER));

    let (mut node, banner) =
        common::start_node(&["--home", home.to_str().unwrap(), "--api-addr", "127.0.0.1:0"], None);
    common::stop_node(&mut node);
    assert_eq!(banner["chain_id"], "gallery-1");
    assert_eq!(banner["accounts"], serde_json::json!([]), "a real chain lists no dev accounts");
    assert!(banner.get("mnemonic").is_none());
}

#[test]
fn a_genesis_naming_a_published_key_is_refused_unless_it_allows_them() {
    let dir = tempfile::tempdir().unwrap();
    let dev3 = hd::dev_key(3).public_key().address().to_string();
    let spec = example().replace(PROPOSER, &dev3);
    let file = write(dir.path(), "genesis.toml", &spec);
    let out = run(&["genesis", "validate", &file]);
    assert!(!out.status.success());
    assert!(
        text(&out.stdout).contains(&format!("{dev3} is dev3 of the published dev mnemonic")),
        "{}",
        text(&out.stdout)
    );
    let home = dir.path().join("home");
    let init = run(&["init", "--home", home.to_str().unwrap(), "--genesis", &file, "--proposer", PROPOSER]);
    assert!(!init.status.success());
    assert!(!home.join("genesis.json").exists(), "nothing is written for a refused genesis");

    let allowed = spec.replace("# allow_published_keys = true", "allow_published_keys = true");
    let file = write(dir.path(), "allowed.toml", &allowed);
    assert!(run(&["genesis", "validate", &file]).status.success());
}

#[test]
fn validate_explains_every_problem_of_a_genesis() {
    let dir = tempfile::tempdir().unwrap();
    let zero = atelier_primitives::Address::default().to_string();
    let spec = example()
        .replace(
            "stable_issuer = \"atelier14q32f9c9ca2sdu0qew6mdk4v9hpnp63ktu57we\"",
            &format!("stable_issuer = \"{zero}\""),
        )
        .replace("reputation = 2000000", "reputation = 10")
        .replace("  \"atelier19579s2q0r4q34fptyt6cemaflnzerwhqtv89wy\",\n]", "]");
    let file = write(dir.path(), "genesis.toml", &spec);
    let out = run(&["--output", "json", "genesis", "validate", &file]);
    assert!(!out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems: Vec<&str> =
        report["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(has("stable_issuer: no account may mint"), "{problems:?}");
    assert!(has("stakers: no staker has the reputation to propose"), "{problems:?}");
    assert!(has("oracle_operators: feed gdc_usd needs 3 operators"), "{problems:?}");
    assert_eq!(problems.len(), 3, "{problems:?}");

    let typo = example().replace("epoch_blocks = 600", "epoch_blok = 600");
    let out = run(&["genesis", "validate", &write(dir.path(), "typo.toml", &typo)]);
    assert!(
        text(&out.stdout).contains("params.staking.epoch_blok: no such parameter"),
        "{}",
        text(&out.stdout)
    );
    let unit = example().replace("stake = \"100000GDC\"", "stake = \"100000USD\"");
    let out = run(&["genesis", "validate", &write(dir.path(), "unit.toml", &unit)]);
    assert!(text(&out.stdout).contains("stakers.stake: 100000USD is not in ugdc"), "{}", text(&out.stdout));
}

#[test]
fn a_home_whose_genesis_lacks_a_role_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "genesis.toml", &example());
    let home = dir.path().join("home");
    let init = run(&["init", "--home", home.to_str().unwrap(), "--genesis", &file, "--proposer", PROPOSER]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    let path = home.join("genesis.json");
    let mut genesis: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    genesis["compliance"]["attesters"] = serde_json::json!([]);
    std::fs::write(&path, serde_json::to_string_pretty(&genesis).unwrap()).unwrap();
    let out = run(&["node", "--home", home.to_str().unwrap(), "--api-addr", "127.0.0.1:0"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("attesters: monetisation needs"), "{}", text(&out.stderr));
}

#[test]
fn dev_chains_still_start_with_one_flag() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let init = run(&["init", "--dev", "--dev-accounts", "1", "--home", home.to_str().unwrap()]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    let out = run(&["--output", "json", "genesis", "validate", home.join("genesis.json").to_str().unwrap()]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = report["problems"].as_array().unwrap();
    assert!(!problems.is_empty(), "a dev chain is called what it is");
    for problem in problems {
        assert!(problem.as_str().unwrap().contains("published dev mnemonic"), "only its keys: {problem}");
    }
}
