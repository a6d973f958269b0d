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

/// A base port with 16 free ports from it (checked by binding them): APIs from the base, p2p
/// from base + 8. Tests run as processes of their own, each from a block of 32 ports of its own.
fn free_ports() -> u16 {
    let start = 20_000 + (std::process::id() % 1_000) as u16 * 32;
    (0..200)
        .map(|step| 20_000 + (start - 20_000 + step * 32) % 32_000)
        .find(|base| (0..16).all(|i| TcpListener::bind(("127.0.0.1", base + i)).is_ok()))
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
    let base = free_ports();
    let (api, p2p) = (base, base + 8);
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

    // A proven answer from validator 0 carries its block's finalization certificate, which holds
    // against the epoch's validator set as another validator tells it, and not against a set of
    // other keys.
    let api0 = format!("http://127.0.0.1:{api}");
    let query = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_atelier"))
            .args(["--output", "json", "--node", &api0, "query"])
            .args(args)
            .output()
            .unwrap()
    };
    let key = atelier_primitives::hash::hex_encode(b"auth/height");
    let proven = query(&["state", &key, "--prove"]);
    let proven: serde_json::Value = serde_json::from_slice(&proven.stdout).unwrap();
    let epoch =
        proven["finalization"]["epoch"].as_u64().unwrap_or_else(|| panic!("no certificate: {proven}"));
    let set = clients[1].read(&format!("/staking/validators/{epoch}")).await.unwrap();
    let trusted = dir.path().join("validators.json");
    std::fs::write(&trusted, set.to_string()).unwrap();
    let trusted = trusted.to_str().unwrap();
    for args in [
        vec!["state", key.as_str(), "--prove", "--validator-set", trusted],
        vec!["account", "dev1", "--prove", "--validator-set", trusted],
    ] {
        let out = query(&args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(answer["verified"], true, "{args:?}");
        assert_eq!(answer["finalized"]["epoch"], epoch, "{args:?}: {answer}");
    }
    let mut strangers = set.clone();
    for (validator, seed) in strangers["validators"].as_array_mut().unwrap().iter_mut().zip(100u32..) {
        validator["consensus_key"] = serde_json::to_value(hd::dev_key(seed).public_key()).unwrap();
    }
    let untrusted = dir.path().join("strangers.json");
    std::fs::write(&untrusted, strangers.to_string()).unwrap();
    let refused = query(&["state", &key, "--prove", "--validator-set", untrusted.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && stderr.contains("not proven final"), "{stderr}");

    // A home synced from validator 0 is written only if the trusted set finalized the head it sent.
    let sync = |home: &str, set: &Path| {
        Command::new(env!("CARGO_BIN_EXE_atelier"))
            .args(["--output", "json", "init", "--join"])
            .arg(dir.path().join("validator-0"))
            .arg("--home")
            .arg(dir.path().join(home))
            .args(["--api-port", "1", "--p2p-port", "2", "--sync-from", &api0, "--validator-set"])
            .arg(set)
            .output()
            .unwrap()
    };
    let refused = sync("distrusting", &untrusted);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && stderr.contains("not proven final"), "{stderr}");
    assert!(!dir.path().join("distrusting").exists(), "nothing written");
    let synced = sync("trusting", Path::new(trusted));
    assert!(synced.status.success(), "{}", String::from_utf8_lossy(&synced.stderr));
    let synced: serde_json::Value = serde_json::from_slice(&synced.stdout).unwrap();
    assert!(synced["synced"]["height"].as_u64().unwrap() >= top, "{synced}");
}

/// Runs `scripts/localnet.sh` with `args` on the localnet under `dir`, failing with its output.
fn localnet(dir: &Path, api: u16, p2p: u16, args: &[&str]) -> String {
    localnet_with(dir, api, p2p, args, &[])
}

/// [`localnet`] with more environment.
fn localnet_with(dir: &Path, api: u16, p2p: u16, args: &[&str], env: &[(&str, &str)]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/localnet.sh");
    let output = Command::new("bash")
        .arg(script)
        .args(args)
        .envs(env.iter().copied())
        .env("LOCALNET_DIR", dir)
        .env("ATELIER_BIN", env!("CARGO_BIN_EXE_atelier"))
        .env("API_PORT", api.to_string())
        .env("P2P_PORT", p2p.to_string())
        .env("EPOCH_BLOCKS", "20")
        .output()
        .unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "localnet.sh {args:?} failed:\n{text}");
    text
}

/// Stops the localnet's processes however the test ends.
struct Localnet<'a> {
    dir: &'a Path,
    api: u16,
    p2p: u16,
}

impl<'a> Localnet<'a> {
    /// Four validators started with the script under `dir`, and a client for each of five (the
    /// fifth for the one a test adds).
    fn start(dir: &'a Path) -> (Localnet<'a>, Vec<Client>) {
        let base = free_ports();
        let net = Localnet { dir, api: base, p2p: base + 8 };
        localnet(dir, net.api, net.p2p, &["start", "4"]);
        let clients = (0..5).map(|i| Client::new(format!("http://127.0.0.1:{}", net.api + i))).collect();
        (net, clients)
    }
}

impl Drop for Localnet<'_> {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| localnet(self.dir, self.api, self.p2p, &["stop"]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fifth_validator_added_with_the_localnet_script_joins_at_an_epoch_boundary_while_transfers_flow() {
    let dir = tempfile::tempdir().unwrap();
    let (net, clients) = Localnet::start(dir.path());
    let (api, p2p) = (net.api, net.p2p);

    // Transfers flow through validator 0 the whole time.
    let chain_id = clients[0].status().await.unwrap().chain_id;
    let sender = hd::dev_key(1);
    let transfer = |nonce: u64| {
        Tx {
            chain_id: chain_id.parse().unwrap(),
            sender: sender.public_key(),
            nonce,
            expiry_height: Height(u64::MAX),
            gas_limit: 1_000,
            max_fee_per_gas: Amount::new(1_000),
            max_priority_fee_per_gas: Amount::new(1),
            msgs: vec![Msg::Bank(BankMsg::Transfer {
                to: hd::dev_key(2).public_key().address(),
                denom: Denom::GDC,
                amount: Amount::new(1),
            })],
        }
        .sign(&sender)
        .to_bytes()
    };
    clients[0].submit(&transfer(0), true).await.unwrap();
    let added = localnet(net.dir, api, p2p, &["add"]);
    assert!(added.contains("follows the chain"), "{added}");

    // The fifth validator's key is in a set the chain chose, and it proposes blocks from that
    // epoch on, while transfers go on being included.
    let fifth_key = {
        let text = std::fs::read_to_string(dir.path().join("validator-4/validator_key.json")).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["public_key"].as_str().unwrap().to_string()
    };
    let mut nonce = 1;
    let mut joined_epoch = None;
    let deadline = Instant::now() + Duration::from_secs(240);
    while joined_epoch.is_none() {
        assert!(Instant::now() < deadline, "the fifth validator was never chosen");
        clients[0].submit(&transfer(nonce), true).await.unwrap();
        nonce += 1;
        let validators: serde_json::Value = clients[0].read("/staking/validators").await.unwrap();
        let chosen = |set: &serde_json::Value| {
            set["validators"]
                .as_array()
                .is_some_and(|all| all.iter().any(|v| v["consensus_key"] == fifth_key.as_str()))
        };
        if chosen(&validators["current"]) {
            joined_epoch = validators["epoch"].as_u64();
        }
    }
    let joined_epoch = joined_epoch.unwrap();
    let first = joined_epoch * 20;
    let operator = hd::dev_key(9).public_key().address().to_string();
    eventually(Duration::from_secs(120), "the fifth validator to propose a block", || async {
        let head = height(&clients[0]).await;
        let mut proposed = false;
        for at in first..=head {
            if let Ok(block) = clients[0].block(at).await {
                proposed |= block.header["proposer"] == operator.as_str();
            }
        }
        proposed
    })
    .await;

    // Every process, the fifth included, holds the same blocks (hence roots) at every height.
    let top = height(&clients[0]).await;
    for client in &clients {
        eventually(Duration::from_secs(60), "every validator to reach the top", || async {
            height(client).await >= top
        })
        .await;
    }
    for at in 1..=top {
        let mut headers = Vec::new();
        for client in &clients {
            headers.push(client.block(at).await.unwrap().header);
        }
        assert!(headers.windows(2).all(|w| w[0] == w[1]), "validators disagree at height {at}");
    }
    let included = clients[4].account(&sender.public_key().address().to_string()).await.unwrap();
    assert_eq!(included.nonce, nonce, "every transfer was included, as the fifth validator sees it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_validator_synced_from_a_peers_state_follows_the_chain_without_replaying_it() {
    let dir = tempfile::tempdir().unwrap();
    let (net, clients) = Localnet::start(dir.path());
    let (api, p2p) = (net.api, net.p2p);
    // Past the first epoch, so that the new validator starts its epoch from a block it synced.
    eventually(Duration::from_secs(120), "the chain to pass its first epoch", || async {
        height(&clients[0]).await > 22
    })
    .await;
    let added = localnet_with(net.dir, api, p2p, &["add"], &[("SYNC", "1")]);
    assert!(added.contains("follows the chain"), "{added}");

    // It holds the blocks from the height it synced at (and the last block of the epoch before,
    // which consensus starts the epoch from), none before, and each is validator 0's.
    let top = height(&clients[0]).await + 3;
    eventually(Duration::from_secs(60), "the synced validator to follow", || async {
        height(&clients[4]).await >= top
    })
    .await;
    let mut held = Vec::new();
    for at in 1..=top {
        if let Ok(block) = clients[4].block(at).await {
            assert_eq!(block.header, clients[0].block(at).await.unwrap().header, "height {at}");
            held.push(at);
        }
    }
    let synced_at =
        held.iter().rev().zip((0..=top).rev()).take_while(|(held, at)| *held == at).last().unwrap().1;
    assert!(synced_at > 20, "synced past the first epoch, at {synced_at}: holds {held:?}");
    assert!(held.len() as u64 <= top - synced_at + 2, "replayed blocks before {synced_at}: {held:?}");
}
