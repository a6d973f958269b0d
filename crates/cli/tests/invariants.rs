//! A node whose stored state breaks an invariant refuses to start, says why, and exits — a real
//! process on a database that a bug or a damaged disk left behind.

use std::{process::Command, time::Duration};

use atelier_primitives::{Amount, hd};
use atelier_protocol::{Genesis, init_chain};
use atelier_storage::Storage;

#[test]
fn a_node_on_a_state_that_breaks_an_invariant_stops_with_the_reason() {
    let home = tempfile::tempdir().unwrap();
    let atelier = || Command::new(env!("CARGO_BIN_EXE_atelier"));
    let init = atelier().args(["init", "--dev", "--home"]).arg(home.path()).output().unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));

    // The node's database, initialized from the home's genesis as the node would, then given a
    // block that credits an account out of nothing.
    std::fs::create_dir_all(home.path().join("data")).unwrap();
    let storage = Storage::open(&home.path().join("data").join("chain.redb")).unwrap();
    let genesis: Genesis =
        serde_json::from_str(&std::fs::read_to_string(home.path().join("genesis.json")).unwrap()).unwrap();
    storage.init(&init_chain(&storage.snapshot().unwrap(), genesis).unwrap()).unwrap();
    let head = storage.head().unwrap().unwrap();
    let credited = hd::dev_key(7).public_key().address();
    let broken = atelier_testkit::tamper::block_creating_funds(
        &storage.snapshot().unwrap(),
        &head,
        &credited,
        Amount::new(1),
    )
    .unwrap();
    storage.commit_block(&broken).unwrap();
    drop(storage);

    let mut node = atelier()
        .args(["node", "--home"])
        .arg(home.path())
        .args(["--api-addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "the node kept running on a broken state");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut node.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!status.success());
    assert!(stderr.contains("breaks an invariant"), "{stderr}");
    assert!(stderr.contains("bank: ugdc"), "the broken rule is named: {stderr}");
}
