//! Load generator: starts the release node as its own process (dev chain, `--accounts` funded
//! senders), submits pre-signed transfers over loopback HTTP at a target rate for a bounded time,
//! follows the blocks, and reports accepted, rejected and included transactions per second, the
//! p50/p99 time from submit to inclusion, block intervals, and the node's peak RSS.
//!
//! ```sh
//! cargo build --release --bin atelier --example load
//! target/release/examples/load --rate 10000 --seconds 10
//! target/release/examples/load --rate 100000 --seconds 10   # 10x overload
//! target/release/examples/load --rate 100000 --seconds 10 --block-ms 5000   # past the node's capacity
//! target/release/examples/load --rate 10000 --seconds 10 --validators 4    # four validator processes
//! ```
//!
//! With `--validators N` the load goes round-robin to N validator processes under BFT consensus
//! (a fresh validator set written by `atelier init --validators N`), and blocks are followed at
//! validator 0.

use std::{
    collections::BTreeMap,
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use atelier_client::Client;
use atelier_primitives::{Amount, Denom, Encode, Height, hd};
use atelier_protocol::{Msg, Tx, modules::bank::BankMsg};

struct Args {
    rate: u64,
    seconds: u64,
    accounts: u32,
    concurrency: usize,
    block_ms: u64,
    validators: u32,
}

fn args() -> Args {
    let mut parsed =
        Args { rate: 10_000, seconds: 10, accounts: 2_000, concurrency: 256, block_ms: 1_000, validators: 0 };
    let raw: Vec<String> = std::env::args().skip(1).collect();
    for pair in raw.chunks(2) {
        let value = pair
            .get(1)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or_else(|| panic!("bad value for {}", pair[0]));
        match pair[0].as_str() {
            "--rate" => parsed.rate = value,
            "--seconds" => parsed.seconds = value,
            "--accounts" => parsed.accounts = value as u32,
            "--concurrency" => parsed.concurrency = value as usize,
            "--block-ms" => parsed.block_ms = value,
            "--validators" => parsed.validators = value as u32,
            other => panic!("unknown flag {other}"),
        }
    }
    parsed
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let args = args();
    let total = args.rate * args.seconds;
    let per_sender = total.div_ceil(u64::from(args.accounts));
    let binary = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().join("atelier");
    let home = tempfile::tempdir().unwrap();
    let mut nodes = if args.validators == 0 {
        start_solo(&binary, home.path(), &args)
    } else {
        start_validators(&binary, home.path(), &args)
    };
    let clients: Vec<Client> = nodes.iter().map(|(_, client)| client.clone()).collect();
    // Validators first connect to each other: load starts once every one finalizes blocks.
    let ready_by = Instant::now() + Duration::from_secs(60);
    for client in &clients {
        while client.status().await.map_or(0, |s| s.height) < 1 {
            assert!(Instant::now() < ready_by, "the nodes did not start finalizing blocks");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let client = clients[0].clone();
    let status = client.status().await.unwrap();
    eprintln!(
        "{} node process(es) {:?}; signing {total} transfers from {} accounts",
        nodes.len(),
        nodes.iter().map(|(child, _)| child.id()).collect::<Vec<_>>(),
        args.accounts
    );

    let keys = hd::dev_keys(0..args.accounts);
    let fees = client.fees().await.unwrap();
    let max_fee: Amount =
        fees.suggested_max_fee.parse::<Amount>().unwrap().saturating_add(Amount::new(1_000));
    // Round-robin over senders so that each round's nonces are contiguous per sender.
    let mut txs: Vec<(String, Vec<u8>)> = Vec::with_capacity(total as usize);
    'outer: for nonce in 0..per_sender {
        for (i, key) in keys.iter().enumerate() {
            if txs.len() as u64 == total {
                break 'outer;
            }
            let to = keys[(i + 1) % keys.len()].public_key().address();
            let tx = Tx {
                chain_id: status.chain_id.parse().unwrap(),
                sender: key.public_key(),
                nonce,
                expiry_height: Height(u64::MAX),
                gas_limit: 1_000,
                max_fee_per_gas: max_fee,
                max_priority_fee_per_gas: Amount::new(1),
                msgs: vec![Msg::Bank(BankMsg::Transfer { to, denom: Denom::GDC, amount: Amount::new(1) })],
            }
            .sign(key);
            txs.push((tx.hash().to_hex(), tx.to_bytes()));
        }
    }

    let submitted: Arc<Mutex<BTreeMap<String, Instant>>> = Arc::default();
    let rejected: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
    let (sender, receiver) = async_channel::<(String, Vec<u8>)>(args.concurrency * 4);
    let start_height = client.status().await.unwrap().height;
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..args.concurrency {
        let (client, receiver, submitted, rejected) =
            (clients[worker % clients.len()].clone(), receiver.clone(), submitted.clone(), rejected.clone());
        workers.push(tokio::spawn(async move {
            while let Ok((hash, bytes)) = receiver.recv().await {
                let at = Instant::now();
                match client.submit(&bytes, false).await {
                    Ok(_) => {
                        submitted.lock().unwrap().insert(hash, at);
                    }
                    Err(atelier_client::ClientError::Api { body, .. }) => {
                        *rejected.lock().unwrap().entry(body.error).or_default() += 1;
                    }
                    Err(other) => {
                        *rejected.lock().unwrap().entry(format!("transport: {other}")).or_default() += 1
                    }
                }
            }
        }));
    }
    // Pace submissions in 10 ms slices.
    let pacer = tokio::spawn(async move {
        let per_slice = (args.rate / 100).max(1) as usize;
        let mut slice = tokio::time::interval(Duration::from_millis(10));
        for chunk in txs.chunks(per_slice) {
            slice.tick().await;
            for item in chunk {
                if sender.send(item.clone()).await.is_err() {
                    return;
                }
            }
        }
    });

    // Follow blocks until the submissions are done and the mempool drains (bounded).
    let mut included: BTreeMap<String, Instant> = BTreeMap::new();
    let mut block_times = Vec::new();
    let mut block_sizes = Vec::new();
    let mut next = start_height + 1;
    let deadline = started + Duration::from_secs(args.seconds + 30);
    let mut peak_rss = 0;
    loop {
        peak_rss = peak_rss.max(nodes.iter().map(|(child, _)| peak_rss_kib(child.id())).max().unwrap_or(0));
        let head = client.status().await.map(|s| s.height).unwrap_or(next - 1);
        while next <= head {
            let block = client.block(next).await.unwrap();
            let now = Instant::now();
            block_times.push(block.header["time_ms"].as_u64().unwrap());
            block_sizes.push(block.txs.len());
            for hash in block.txs {
                included.insert(hash, now);
            }
            next += 1;
        }
        let submitting = !pacer.is_finished() || workers.iter().any(|w| !w.is_finished());
        let mut pending = 0;
        for node in &clients {
            pending += node.status().await.map(|s| s.mempool_txs).unwrap_or(0);
        }
        if (!submitting && pending == 0) || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    peak_rss = peak_rss.max(nodes.iter().map(|(child, _)| peak_rss_kib(child.id())).max().unwrap_or(0));
    // Stop submitting before stopping the node, so that no request fails because of the shutdown.
    pacer.abort();
    for worker in &workers {
        worker.abort();
    }
    for worker in workers {
        let _ = worker.await;
    }
    for (child, _) in &mut nodes {
        let _ = child.kill();
        let _ = child.wait();
    }

    let submitted = submitted.lock().unwrap().clone();
    let mut latencies: Vec<Duration> = included
        .iter()
        .filter_map(|(hash, at)| submitted.get(hash).map(|sent| at.saturating_duration_since(*sent)))
        .collect();
    latencies.sort();
    let intervals: Vec<u64> = block_times.windows(2).map(|w| w[1] - w[0]).collect();
    let max_interval = intervals.iter().max().copied().unwrap_or(0);
    let mean_interval = if intervals.is_empty() {
        0.0
    } else {
        intervals.iter().sum::<u64>() as f64 / intervals.len() as f64
    };
    println!("offered rate        {} tx/s for {} s ({total} transfers)", args.rate, args.seconds);
    println!(
        "accepted            {} ({:.0}/s)",
        submitted.len(),
        submitted.len() as f64 / elapsed.as_secs_f64()
    );
    println!("rejected            {:?}", rejected.lock().unwrap());
    println!(
        "not sent in time    {}",
        total as usize - submitted.len() - rejected.lock().unwrap().values().sum::<u64>() as usize
    );
    println!(
        "included            {} in {:.1} s = {:.0} tx/s",
        included.len(),
        elapsed.as_secs_f64(),
        included.len() as f64 / elapsed.as_secs_f64()
    );
    // Blocks that carried a full second of load: what the node sustains once the load is steady.
    let busy: Vec<usize> = block_sizes.iter().copied().filter(|&n| n > 0).collect();
    let steady = busy.get(1..busy.len().saturating_sub(1)).unwrap_or_default();
    println!(
        "steady blocks       {} txs per block on average over {} blocks (max {})",
        steady.iter().sum::<usize>().checked_div(steady.len()).unwrap_or(0),
        steady.len(),
        steady.iter().max().copied().unwrap_or(0)
    );
    println!(
        "submit->inclusion   p50 {:?}  p99 {:?}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
    println!(
        "block interval      mean {mean_interval:.0} ms, max {max_interval} ms over {} blocks",
        block_times.len()
    );
    println!("node peak RSS       {} MiB (the largest process)", peak_rss / 1024);
}

/// Reads a node's JSON banner from its stdout: it prints it once its API listens.
fn banner(child: &mut Child) -> serde_json::Value {
    let mut banner = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        banner.push_str(&line);
        if line == "}" {
            break;
        }
    }
    serde_json::from_str(&banner).unwrap()
}

/// One dev node, its own sequencer.
fn start_solo(binary: &std::path::Path, home: &std::path::Path, args: &Args) -> Vec<(Child, Client)> {
    let mut node = Command::new(binary)
        .args(["--output", "json", "node", "--dev", "--api-addr", "127.0.0.1:0", "--home"])
        .arg(home)
        .args(["--accounts", &args.accounts.to_string()])
        .args(["--block-time-ms", &args.block_ms.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e} (cargo build --release --bin atelier)", binary.display()));
    let url = banner(&mut node)["api_url"].as_str().unwrap().to_owned();
    vec![(node, Client::new(url))]
}

/// `args.validators` validator processes of a fresh validator set on loopback ports.
fn start_validators(binary: &std::path::Path, home: &std::path::Path, args: &Args) -> Vec<(Child, Client)> {
    let base = 30_000 + (std::process::id() % 10_000) as u16;
    let init = Command::new(binary)
        .args(["init", "--dev", "--home"])
        .arg(home)
        .args(["--validators", &args.validators.to_string(), "--dev-accounts", &args.accounts.to_string()])
        .args(["--api-port", &base.to_string(), "--p2p-port", &(base + 100).to_string()])
        .output()
        .unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    (0..args.validators)
        .map(|i| {
            let mut node = Command::new(binary)
                .args(["--output", "json", "node", "--validator", "--home"])
                .arg(home.join(format!("validator-{i}")))
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let url = banner(&mut node)["api_url"].as_str().unwrap().to_owned();
            (node, Client::new(url))
        })
        .collect()
}

/// A bounded multi-consumer channel from tokio primitives.
fn async_channel<T: Send + 'static>(capacity: usize) -> (tokio::sync::mpsc::Sender<T>, SharedReceiver<T>) {
    let (sender, receiver) = tokio::sync::mpsc::channel(capacity);
    (sender, SharedReceiver(Arc::new(tokio::sync::Mutex::new(receiver))))
}

struct SharedReceiver<T>(Arc<tokio::sync::Mutex<tokio::sync::mpsc::Receiver<T>>>);

impl<T> Clone for SharedReceiver<T> {
    fn clone(&self) -> Self {
        SharedReceiver(self.0.clone())
    }
}

impl<T> SharedReceiver<T> {
    async fn recv(&self) -> Result<T, ()> {
        self.0.lock().await.recv().await.ok_or(())
    }
}
