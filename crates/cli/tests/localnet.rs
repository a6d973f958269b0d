//! Four validators as four real processes on 127.0.0.1, over authenticated p2p: transfers
//! submitted to different validators are all finalized, and every validator reports the same
//! block and state root at every height they share.

use std::{
    net::TcpListener,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use atelier_client::Client;
use atelier_primitives::{Amount, Denom, Encode, Height, hd};
use atelier_protocol::{Msg, Tx, modules::bank::BankMsg};

const VALIDATORS: u16 = 4;

/// A base port with `VALIDATORS` free ports from it (checked by binding them).
fn free_ports() -> u16 {
    let start = 20_000 + (std::process::id() % 20_000) as u16;
    (0..200)
        .map(|step| start.wrapping_add(step * 16))
        .find(|base| (0..VALIDATORS).all(|i| TcpListener::bind(("127.0.0.1", base + i)).is_ok()))
        .expect("free ports")
}

struct Validators(Vec<Child>);

impl Drop for Validators {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn start(home: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["node", "--validator", "--home"])
        .arg(home)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the atelier binary starts")
}

/// Polls `check` every 100 ms until it holds; panics after `within`.
async fn eventually<F: std::future::Future<Output = bool>>(
    within: Duration,
    what: &str,
    mut check: impl FnMut() -> F,
) {
    let deadline = Instant::now() + within;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn height(client: &Client) -> u64 {
    client.status().await.map_or(0, |status| status.height)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfers_sent_to_four_validator_processes_are_final_everywhere_with_the_same_roots() {
    let dir = tempfile::tempdir().unwrap();
    let (api, p2p) = (free_ports(), free_ports() + 8);
    let init = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["init", "--dev", "--home"])
        .arg(dir.path())
        .args(["--validators", "4", "--api-port", &api.to_string(), "--p2p-port", &p2p.to_string()])
        .output()
        .unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let _validators =
        Validators((0..VALIDATORS).map(|i| start(&dir.path().join(format!("validator-{i}")))).collect());
    let clients: Vec<Client> =
        (0..VALIDATORS).map(|i| Client::new(format!("http://127.0.0.1:{}", api + i))).collect();
    for client in &clients {
        eventually(Duration::from_secs(60), "every validator to finalize a block", || async {
            height(client).await >= 1
        })
        .await;
    }

    // Dev account i sends to dev account i + 4 through validator i, three times, each waiting for
    // inclusion at the validator it was submitted to.
    let chain_id = clients[0].status().await.unwrap().chain_id;
    let mut included = Vec::new();
    for round in 0..3u64 {
        for (i, client) in clients.iter().enumerate() {
            let key = hd::dev_key(i as u32);
            let tx = Tx {
                chain_id: chain_id.parse().unwrap(),
                sender: key.public_key(),
                nonce: round,
                expiry_height: Height(u64::MAX),
                gas_limit: 1_000,
                max_fee_per_gas: Amount::new(1_000),
                max_priority_fee_per_gas: Amount::new(1),
                msgs: vec![Msg::Bank(BankMsg::Transfer {
                    to: hd::dev_key(i as u32 + 4).public_key().address(),
                    denom: Denom::GDC,
                    amount: Amount::new(1),
                })],
            }
            .sign(&key);
            let submitted = client.submit(&tx.to_bytes(), true).await.unwrap();
            included.push((submitted.hash, submitted.height.unwrap()));
        }
    }

    // Every validator reaches the last inclusion, knows every transfer, and holds the same block
    // (hence the same state root) at every height.
    let top = included.iter().map(|(_, height)| *height).max().unwrap();
    for client in &clients {
        eventually(Duration::from_secs(30), "every validator to reach the last transfer", || async {
            height(client).await >= top
        })
        .await;
        for (hash, _) in &included {
            let view = client.tx(hash).await.unwrap();
            assert_eq!(view.status, atelier_api::TxStatus::Included, "{hash}");
        }
    }
    for at in 1..=top {
        let headers: Vec<serde_json::Value> = {
            let mut headers = Vec::new();
            for client in &clients {
                headers.push(client.block(at).await.unwrap().header);
            }
            headers
        };
        assert!(headers.windows(2).all(|w| w[0] == w[1]), "validators disagree at height {at}: {headers:?}");
        assert!(headers[0]["state_root"].is_string());
    }
}
