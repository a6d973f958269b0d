//! `atelier sim run|replay`: the economic simulator over the protocol's own execution.

use std::path::PathBuf;

use anyhow::{Context, Result};
use atelier_sim::{Batch, Sweep};
use clap::Subcommand;

use crate::output::Output;

/// A simulator command.
#[derive(Debug, Subcommand)]
pub(crate) enum SimCommand {
    /// Run a scenario's Monte Carlo runs and sweeps; write per-block CSVs, manifests and
    /// summary.json into --out.
    Run {
        /// The scenario (TOML), e.g. scenarios/baseline.toml.
        scenario: PathBuf,
        /// Runs per sweep point (the scenario's by default).
        #[arg(long)]
        runs: Option<u64>,
        /// The seed (the scenario's by default).
        #[arg(long)]
        seed: Option<u64>,
        /// Sweep a value by its dotted path: KEY=V1,V2,… (repeat for a cartesian product).
        #[arg(long)]
        sweep: Vec<Sweep>,
        /// Sweep values that move together: KEY=V1,V2,… (repeat; each with as many values; they
        /// make one dimension of the product).
        #[arg(long)]
        zip: Vec<Sweep>,
        /// The output folder.
        #[arg(long, default_value = "sim-out")]
        out: PathBuf,
        /// Worker threads (all cores by default).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Rerun one run from its manifest and check it reaches the same state root.
    Replay {
        /// A run's manifest, e.g. sim-out/point-0/run-3.json.
        manifest: PathBuf,
    },
}

pub(crate) fn run(command: SimCommand, output: Output) -> Result<()> {
    match command {
        SimCommand::Run { scenario, runs, seed, sweep, zip, out, threads } => {
            let text =
                std::fs::read_to_string(&scenario).with_context(|| format!("{}", scenario.display()))?;
            let threads =
                threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let batch =
                Batch { runs, seed, sweeps: sweep, zipped: zip, threads, ..Batch::new(text, out.clone()) };
            let started = std::time::Instant::now();
            let (summary, timing) = atelier_sim::run_timed(&batch)?;
            let seconds = started.elapsed().as_secs_f64();
            let steps = summary.blocks * summary.runs * summary.points.len() as u64;
            let report = serde_json::json!({
                "out": out.display().to_string(),
                "points": summary.points.len(),
                "runs": summary.runs,
                "blocks": summary.blocks,
                "failed": summary.points.iter().map(|p| p.failed).sum::<u64>(),
                "seconds": seconds,
                "steps_per_second": steps as f64 / seconds.max(1e-9),
                "time_split": time_split(&timing),
            });
            output.print(&report, |r| {
                let split = &r["time_split"];
                let share = |k: &str| split[k].as_f64().unwrap_or(0.0) * 100.0;
                format!(
                    "{} runs of {} blocks at {} points in {:.1} s ({:.0} steps/s), {} failed; results in {}\n\
                     time in runs: protocol {:.1}%, full invariant scans {:.1}%, agents {:.1}%, metrics {:.1}%",
                    r["runs"],
                    r["blocks"],
                    r["points"],
                    r["seconds"].as_f64().unwrap_or(0.0),
                    r["steps_per_second"].as_f64().unwrap_or(0.0),
                    r["failed"],
                    r["out"].as_str().unwrap_or(""),
                    share("protocol"),
                    share("invariants"),
                    share("agents"),
                    share("measuring"),
                )
            })
        }
        SimCommand::Replay { manifest } => {
            let (recorded, root) = atelier_sim::replay(&manifest)?;
            let same = root == recorded.final_state_root;
            let report = serde_json::json!({ "recorded": recorded.final_state_root, "replayed": root, "identical": same });
            output.print(&report, |r| {
                format!("recorded {} replayed {} identical {}", r["recorded"], r["replayed"], r["identical"])
            })?;
            if !same {
                anyhow::bail!("the replay reached another state root");
            }
            Ok(())
        }
    }
}

/// Each part's share of the runs' summed time.
fn time_split(timing: &atelier_sim::Timing) -> serde_json::Value {
    let parts = [
        ("protocol", timing.protocol),
        ("invariants", timing.invariants),
        ("agents", timing.agents),
        ("measuring", timing.measuring),
    ];
    let total: f64 = parts.iter().map(|(_, d)| d.as_secs_f64()).sum::<f64>().max(1e-12);
    parts.iter().map(|(name, d)| ((*name).to_string(), serde_json::json!(d.as_secs_f64() / total))).collect()
}
