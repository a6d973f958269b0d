//! Crash safety: SIGKILL the node at random moments during a stream of transfers; after every
//! kill, every transfer the API reported as included is still stored, the stored state matches a
//! replay of the stored blocks from genesis, and the node restarts where it stopped.
//!
//! Ignored by default (it runs a real process 20 times); `.ci/run` runs it.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

use atelier_client::Client;
use atelier_primitives::{Amount, Denom, Encode, Height, hd};
use atelier_protocol::{Genesis, Msg, SignatureCheck, Tx, apply_block, init_chain, modules::bank::BankMsg};
use atelier_state::MemoryStore;
use atelier_storage::Storage;

const KILLS: u64 = 20;

fn start(home: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["--output", "json", "node", "--home"])
        .arg(home)
        .args(["--api-addr", "127.0.0.1:0", "--block-time-ms", "20"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the atelier binary starts");
    let mut banner = String::new();
    let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    for line in lines.by_ref() {
        let line = line.expect("banner line");
        banner.push_str(&line);
        if line == "}" {
            break;
        }
    }
    let banner: serde_json::Value = serde_json::from_str(&banner).expect("a JSON banner");
    (child, banner["api_url"].as_str().expect("api_url").to_owned())
}

/// Submits transfers from dev accounts 1..=3, waiting for each; returns the hashes reported included.
async fn stream_transfers(client: &Client, rounds: u64, included: &mut Vec<String>) {
    let status = match client.status().await {
        Ok(status) => status,
        Err(_) => return,
    };
    for round in 0..rounds {
        for sender in 1..=3u32 {
            let key = hd::dev_key(sender);
            let Ok(account) = client.account(&key.public_key().address().to_string()).await else { return };
            let msgs = vec![Msg::Bank(BankMsg::Transfer {
                to: hd::dev_key(sender + 3).public_key().address(),
                denom: Denom::GDC,
                amount: Amount::new(u128::from(round) + 1),
            })];
            let tx = Tx {
                chain_id: status.chain_id.parse().unwrap(),
                sender: key.public_key(),
                nonce: account.next_nonce,
                expiry_height: Height(u64::MAX),
                gas_limit: 1_000,
                max_fee_per_gas: Amount::new(1_000),
                max_priority_fee_per_gas: Amount::new(1),
                msgs,
            }
            .sign(&key);
            match client.submit(&tx.to_bytes(), true).await {
                Ok(submitted) if submitted.height.is_some() => included.push(submitted.hash),
                Ok(_) => {}
                // The node was killed under us: stop; what was reported stays reported.
                Err(_) => return,
            }
        }
    }
}

/// Replays the stored blocks from genesis in memory and compares every header.
fn check_replay(home: &Path, storage: &Storage) {
    let genesis: Genesis =
        serde_json::from_str(&std::fs::read_to_string(home.join("genesis.json")).unwrap()).unwrap();
    let mut memory = MemoryStore::new();
    let state = init_chain(&memory, genesis).unwrap();
    memory.commit(state.commit);
    let mut parent = state.header;
    assert_eq!(Some(&parent), storage.genesis_header().unwrap().as_ref());
    let head = storage.head().unwrap().unwrap();
    for height in 1..=head.height.get() {
        let block = storage.block(Height(height)).unwrap().expect("every committed height has its block");
        let executed =
            apply_block(&memory, &parent, block, SignatureCheck::Skip).expect("a stored block replays");
        memory.commit(executed.commit);
        parent = executed.block.header;
    }
    assert_eq!(parent, head, "replay reaches the stored head");
    assert_eq!(memory.root(), head.state_root);
}

#[test]
#[ignore = "runs the node binary 20 times; run by .ci/run"]
fn a_killed_node_loses_no_included_transfer_and_its_state_replays_from_genesis() {
    let home = tempfile::tempdir().unwrap();
    let init = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["init", "--dev", "--home"])
        .arg(home.path())
        .output()
        .unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut included = Vec::new();
    let mut last_height = 0;
    // A fixed seed for the kill moments, so that a failing run can be repeated.
    let mut moment = 0x2026_1122_u64;
    for kill in 0..KILLS {
        let (mut child, api) = start(home.path());
        moment = moment.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = Duration::from_millis(50 + (moment >> 33) % 400);
        let client = Client::new(api);
        runtime.block_on(async {
            let _ = tokio::time::timeout(delay, stream_transfers(&client, 1_000, &mut included)).await;
        });
        child.kill().expect("SIGKILL");
        child.wait().unwrap();

        let storage =
            Storage::open(&home.path().join("data").join("chain.redb")).expect("reopens after a kill");
        let head = storage.head().unwrap().unwrap();
        assert!(head.height.get() >= last_height, "kill {kill}: height went back");
        last_height = head.height.get();
        for hash in &included {
            let hash = hash.parse().unwrap();
            assert!(storage.tx_location(&hash).unwrap().is_some(), "kill {kill}: included {hash} was lost");
        }
        storage.audit_state().unwrap();
        check_replay(home.path(), &storage);
    }
    assert!(
        included.len() >= KILLS as usize,
        "the stream included too little to prove anything: {}",
        included.len()
    );
    eprintln!(
        "{} kills, {} transfers reported included and found, final height {last_height}",
        KILLS,
        included.len()
    );
}
