//! A load of prompts against a node whose providers run the procedural backend, measured from
//! each job's submission to its output downloaded and checked by hash (what `atelier prompt`
//! does): jobs per second, latency percentiles, and — given the providers' metrics ports and
//! process ids — how much of the providers' CPU went to generation and their peak memory.
//!
//! `bench/prompt-load.sh` starts a release node, registers the providers and runs this; by hand:
//!
//! ```text
//! cargo run --release -p atelier-agents --example prompt_load -- --node http://127.0.0.1:26657 \
//!     --jobs 200 --size 256 --provider 127.0.0.1:9101=PID
//! ```

use std::{
    collections::BTreeMap,
    sync::Arc,
    time::{Duration, Instant},
};

use atelier_agents::chain::Chain;
use atelier_primitives::{Amount, Bps, Hash, hd};
use atelier_protocol::{
    Msg,
    modules::{
        compute::{ComputeMsg, JobStatus},
        provenance::RoyaltyPolicy,
        registry::ModelId,
    },
};

struct Args {
    node: String,
    jobs: usize,
    size: u32,
    /// `metrics address = pid` of each provider daemon.
    providers: Vec<(String, u32)>,
    /// Requesters (dev accounts), each submitting its share of the jobs one after another.
    requesters: u32,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        node: "http://127.0.0.1:26657".into(),
        jobs: 100,
        size: 256,
        providers: Vec::new(),
        requesters: 4,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--node" => args.node = value()?,
            "--jobs" => args.jobs = value()?.parse().map_err(|e| format!("--jobs: {e}"))?,
            "--size" => args.size = value()?.parse().map_err(|e| format!("--size: {e}"))?,
            "--requesters" => args.requesters = value()?.parse().map_err(|e| format!("--requesters: {e}"))?,
            "--provider" => {
                let text = value()?;
                let (address, pid) = text.split_once('=').ok_or("--provider ADDRESS=PID")?;
                args.providers
                    .push((address.to_owned(), pid.parse().map_err(|e| format!("--provider: {e}"))?));
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// CPU seconds (user + system) and peak resident memory (KiB) of process `pid`.
fn process(pid: u32) -> (f64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> =
        stat.rsplit_once(") ").map(|(_, rest)| rest.split(' ').collect()).unwrap_or_default();
    let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let peak = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0);
    (ticks as f64 / 100.0, peak)
}

/// The sum of a provider's backend time, in seconds, from its metrics.
async fn backend_seconds(address: &str) -> f64 {
    let Ok(response) = reqwest::get(format!("http://{address}/metrics")).await else { return 0.0 };
    let text = response.text().await.unwrap_or_default();
    text.lines()
        .filter(|line| line.starts_with("atelier_provider_backend_duration_seconds_sum"))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = args()?;
    let before: Vec<(f64, f64)> = {
        let mut before = Vec::new();
        for (address, pid) in &args.providers {
            before.push((process(*pid).0, backend_seconds(address).await));
        }
        before
    };
    let uploader = Chain::new(&args.node, hd::dev_key(4));
    let classes = uploader.client().read("/compute/classes").await.map_err(|e| e.to_string())?;
    let base_fee: u128 = classes[0]["base_fee"].as_str().and_then(|fee| fee.parse().ok()).unwrap_or(1_000);
    let prompt = uploader.put_blob(b"a fern in the garden".to_vec()).await.map_err(|e| e.to_string())?;
    let mut params = Vec::new();
    for seed in 0..args.jobs {
        let json = format!(r#"{{"seed": {seed}, "width": {0}, "height": {0}}}"#, args.size);
        params.push(uploader.put_blob(json.into_bytes()).await.map_err(|e| e.to_string())?);
    }
    let started = Instant::now();
    let per = args.jobs.div_ceil(args.requesters as usize);
    let mut tasks = Vec::new();
    for (r, chunk) in params.chunks(per.max(1)).enumerate() {
        let (node, chunk) = (args.node.clone(), chunk.to_vec());
        tasks.push(tokio::spawn(async move {
            let chain = Arc::new(Chain::new(&node, hd::dev_key(10 + r as u32)));
            let mut latencies = Vec::new();
            for params_hash in chunk {
                let submitted = Instant::now();
                let msg = Msg::Compute(ComputeMsg::SubmitJob {
                    model: ModelId(1),
                    units: 10,
                    max_fee_per_unit: Amount::new(base_fee * 4),
                    tip_per_unit: Amount::ZERO,
                    prompt_hash: prompt,
                    params_hash,
                    deterministic: true,
                    parents: Vec::new(),
                    policy: RoyaltyPolicy { share: Bps::ZERO, license_fee: Amount::ZERO },
                });
                let included = chain.send(vec![msg]).await.map_err(|e| e.to_string())?;
                let page = chain.client().events(included.height, 1_000).await.map_err(|e| e.to_string())?;
                let job = page
                    .items
                    .iter()
                    .find(|e| {
                        e.tx_hash.as_deref() == Some(&included.hash)
                            && e.event["event"]["type"] == "job_submitted"
                    })
                    .and_then(|e| e.event["event"]["job"].as_u64())
                    .ok_or("no job submitted")?;
                let output: Hash = loop {
                    let record = chain.job(job).await.map_err(|e| e.to_string())?.ok_or("no job")?;
                    if let Some(output) = record.output_hash {
                        break output;
                    }
                    if record.status.is_final() && record.status != JobStatus::Settled {
                        return Err(format!("job {job} ended {:?}", record.status));
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                };
                chain.blob(&output).await.map_err(|e| e.to_string())?;
                latencies.push(submitted.elapsed());
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.map_err(|e| e.to_string())??);
    }
    let wall = started.elapsed();
    latencies.sort();
    let mut report = BTreeMap::new();
    report.insert("jobs", serde_json::json!(latencies.len()));
    report.insert("size", serde_json::json!(format!("{0}x{0}", args.size)));
    report.insert("providers", serde_json::json!(args.providers.len()));
    report.insert("jobs_per_second", serde_json::json!(latencies.len() as f64 / wall.as_secs_f64()));
    report.insert("latency_p50_ms", serde_json::json!(percentile(&latencies, 0.5).as_secs_f64() * 1e3));
    report.insert("latency_p99_ms", serde_json::json!(percentile(&latencies, 0.99).as_secs_f64() * 1e3));
    let mut cpu = 0.0;
    let mut generation = 0.0;
    let mut peak = 0;
    for ((address, pid), (cpu_before, backend_before)) in args.providers.iter().zip(before) {
        let (cpu_after, peak_kib) = process(*pid);
        cpu += cpu_after - cpu_before;
        generation += backend_seconds(address).await - backend_before;
        peak = peak.max(peak_kib);
    }
    if !args.providers.is_empty() {
        report.insert("generation_ms_per_job", serde_json::json!(generation * 1e3 / latencies.len() as f64));
        report.insert("provider_cpu_seconds", serde_json::json!(cpu));
        report.insert("generation_seconds", serde_json::json!(generation));
        report.insert(
            "generation_share_of_provider_cpu",
            serde_json::json!(if cpu > 0.0 { generation / cpu } else { 0.0 }),
        );
        report.insert("provider_peak_rss_mib", serde_json::json!(peak as f64 / 1024.0));
    }
    println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    Ok(())
}
