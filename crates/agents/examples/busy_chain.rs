//! Drives a busy economy on a dev node until its chain is `--blocks` high: requesters pay each
//! other and, every `--job-every` transactions, ask model 1 for a design that the dev node's
//! provider generates and the chain settles. What `bench/dashboard.sh` builds its history with,
//! before it times the dashboard; progress (height, blocks per second, transactions sent) goes to
//! standard error every few seconds.
//!
//! ```text
//! cargo run --release -p atelier-agents --example busy_chain -- --node http://127.0.0.1:26657 \
//!     --blocks 100000 --requesters 4 --job-every 20
//! ```

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use atelier_agents::chain::Chain;
use atelier_primitives::{Amount, Bps, Denom, hd};
use atelier_protocol::{
    Msg,
    modules::{bank::BankMsg, compute::ComputeMsg, provenance::RoyaltyPolicy, registry::ModelId},
};

struct Args {
    node: String,
    blocks: u64,
    requesters: u32,
    job_every: u64,
}

fn args() -> Result<Args, String> {
    let mut args =
        Args { node: "http://127.0.0.1:26657".into(), blocks: 100_000, requesters: 4, job_every: 20 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--node" => args.node = value()?,
            "--blocks" => args.blocks = value()?.parse().map_err(|e| format!("--blocks: {e}"))?,
            "--requesters" => args.requesters = value()?.parse().map_err(|e| format!("--requesters: {e}"))?,
            "--job-every" => {
                args.job_every = value()?.parse().map_err(|e| format!("--job-every: {e}"))?;
                if args.job_every == 0 {
                    return Err("--job-every must be at least 1".into());
                }
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = args()?;
    let first = Chain::new(&args.node, hd::dev_key(4));
    let classes = first.client().read("/compute/classes").await.map_err(|e| e.to_string())?;
    let base_fee: u128 = classes[0]["base_fee"].as_str().and_then(|fee| fee.parse().ok()).unwrap_or(1_000);
    let prompt = first.put_blob(b"a garden of ferns".to_vec()).await.map_err(|e| e.to_string())?;
    let params =
        first.put_blob(br#"{"width": 64, "height": 64}"#.to_vec()).await.map_err(|e| e.to_string())?;
    let sent = Arc::new(AtomicU64::new(0));
    let height = Arc::new(AtomicU64::new(first.height().await.map_err(|e| e.to_string())?));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for r in 0..args.requesters {
        let (node, sent, height) = (args.node.clone(), sent.clone(), height.clone());
        let (blocks, job_every) = (args.blocks, args.job_every);
        tasks.push(tokio::spawn(async move {
            let chain = Chain::new(&node, hd::dev_key(4 + r));
            let mut n = 0u64;
            while height.load(Ordering::Relaxed) < blocks {
                n += 1;
                let msg = if n.is_multiple_of(job_every) {
                    Msg::Compute(ComputeMsg::SubmitJob {
                        model: ModelId(1),
                        units: 10,
                        max_fee_per_unit: Amount::new(base_fee * 4),
                        tip_per_unit: Amount::ZERO,
                        prompt_hash: prompt,
                        params_hash: params,
                        deterministic: true,
                        parents: Vec::new(),
                        policy: RoyaltyPolicy { share: Bps::ZERO, license_fee: Amount::ZERO },
                    })
                } else {
                    // Round the dev accounts, a little more each time.
                    let to = hd::dev_key(4 + ((r + 1 + n as u32) % 6)).public_key().address();
                    Msg::Bank(BankMsg::Transfer {
                        to,
                        denom: Denom::GDC,
                        amount: Amount::new(1_000 + u128::from(n)),
                    })
                };
                match chain.send_pending(vec![msg]).await {
                    Ok(_) => {
                        sent.fetch_add(1, Ordering::Relaxed);
                    }
                    // A full mempool or a job the queue cannot take yet: wait a block and go on.
                    Err(error) => {
                        eprintln!("requester {r}: {error}");
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                }
            }
        }));
    }
    let mut last = (Instant::now(), height.load(Ordering::Relaxed));
    while height.load(Ordering::Relaxed) < args.blocks {
        tokio::time::sleep(Duration::from_secs(5)).await;
        let now = first.height().await.map_err(|e| e.to_string())?;
        height.store(now, Ordering::Relaxed);
        let rate = (now - last.1) as f64 / last.0.elapsed().as_secs_f64();
        let left = args.blocks.saturating_sub(now) as f64 / rate.max(0.001);
        eprintln!(
            "block {now} of {} · {rate:.0} blocks/s · {} transactions sent · about {left:.0} s left",
            args.blocks,
            sent.load(Ordering::Relaxed)
        );
        last = (Instant::now(), now);
    }
    for task in tasks {
        task.await.map_err(|e| e.to_string())?;
    }
    let report = serde_json::json!({
        "blocks": height.load(Ordering::Relaxed),
        "transactions_sent": sent.load(Ordering::Relaxed),
        "seconds": started.elapsed().as_secs_f64(),
    });
    println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    Ok(())
}
