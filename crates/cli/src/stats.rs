//! `atelier stats`: the economy series a node keeps for its dashboard.

use std::{
    io::Write,
    path::PathBuf,
    time::{Duration, Instant},
};

use anyhow::{Context, Result};
use atelier_storage::Storage;
use clap::Subcommand;

use crate::{config, output::Output};

#[derive(Debug, Subcommand)]
pub(crate) enum StatsCommand {
    /// Replay the chain's stored blocks in memory and record the economy's figures after each,
    /// replacing those recorded (after an upgrade, or a state restored from an image). Stop the
    /// node first.
    Rebuild {
        /// The node's home.
        #[arg(long)]
        home: PathBuf,
    },
}

/// How often progress is shown.
const PROGRESS_EVERY: Duration = Duration::from_millis(500);

pub(crate) fn run(command: StatsCommand, output: Output) -> Result<()> {
    let StatsCommand::Rebuild { home } = command;
    let storage = Storage::open(&config::database_path(&home)).with_context(|| {
        format!("opening the database in {} (is its node still running?)", home.display())
    })?;
    let genesis = config::load_genesis(&home)?;
    let started = Instant::now();
    let mut shown = Instant::now();
    let mut blocks = 0;
    atelier_node::series::rebuild(&storage, genesis, &mut |done, total| {
        blocks = total;
        if output == Output::Text && (shown.elapsed() >= PROGRESS_EVERY || done == total) {
            shown = Instant::now();
            let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-3);
            let left = (total - done) as f64 / rate.max(1e-3);
            eprint!("\rrebuilding the economy series: {done}/{total} blocks, {rate:.0} blocks/s, {left:.0} s left   ");
            let _ = std::io::stderr().flush();
        }
    })
    .context("rebuilding the economy series")?;
    if output == Output::Text {
        eprintln!();
    }
    let head = storage.series_head()?.map(|sample| sample.height.get());
    let report = serde_json::json!({ "blocks": blocks, "series_head": head, "seconds": started.elapsed().as_secs_f64() });
    output.print(&report, |_| {
        format!("rebuilt the economy series over {blocks} blocks in {:.1} s", started.elapsed().as_secs_f64())
    })
}
