//! Consensus speed in Commonware's deterministic runtime: blocks per second and time to finality
//! (from a block's proposal to its commit at each validator) for 4, 7 and 10 validators on 20 ms
//! links (±5 ms), proposing as fast as the protocol allows, across epochs of
//! `support::EPOCH_BLOCKS` blocks; and what an epoch change costs: the interval from an epoch's
//! last block to the next epoch's first, and those blocks' finality, against the median within
//! epochs. The times are simulated, so the numbers are the same on any machine and every run.
//!
//! Run: `cargo bench -p atelier-consensus --bench consensus`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, UNIX_EPOCH};

use commonware_runtime::Clock;
use commonware_runtime::Runner as _;
use support::{Net, link};

struct Report {
    validators: usize,
    blocks: u64,
    seconds: f64,
    /// Finality of blocks inside epochs, and of the blocks on either side of a boundary.
    finality_ms: Vec<u64>,
    boundary_finality_ms: Vec<u64>,
    /// Block intervals inside epochs, and from an epoch's last block to the next one's first.
    interval_ms: Vec<u64>,
    boundary_interval_ms: Vec<u64>,
}

/// Whether block `height` is the last of its epoch or the first of the next.
fn at_boundary(height: u64) -> bool {
    matches!(height % support::EPOCH_BLOCKS, 0) || height % support::EPOCH_BLOCKS == support::EPOCH_BLOCKS - 1
}

fn now_ms(net: &Net) -> u64 {
    net.context().current().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

fn measure(validators: usize, run: Duration) -> Report {
    // A 10 µs cycle: hand-offs between the engine's tasks cost what they cost, not 1 ms each.
    support::runner(42, Duration::from_micros(10)).start(move |context| async move {
        let mut net = Net::all_in_genesis(&context, validators, link(20)).await;
        net.timing.min_block_interval = Duration::ZERO;
        let all: Vec<usize> = (0..validators).collect();
        for i in &all {
            net.start(*i).await;
        }
        // Warm up: every validator connected and finalizing.
        assert!(net.wait_for(&all, 3, Duration::from_secs(60)).await, "no progress");
        let start_height = net.heights().into_iter().flatten().min().unwrap();
        let started = now_ms(&net);
        let mut seen = vec![start_height; validators];
        let (mut finality_ms, mut boundary_finality_ms) = (Vec::new(), Vec::new());
        while now_ms(&net) < started + run.as_millis() as u64 {
            context.sleep(Duration::from_millis(1)).await;
            let now = now_ms(&net);
            for (i, height) in net.heights().into_iter().enumerate() {
                let height = height.unwrap();
                for h in seen[i] + 1..=height {
                    if let Some(proposed) = net.block_time_ms(i, h) {
                        let finality =
                            if at_boundary(h) { &mut boundary_finality_ms } else { &mut finality_ms };
                        finality.push(now.saturating_sub(proposed));
                    }
                }
                seen[i] = seen[i].max(height);
            }
        }
        let end_height = *seen.iter().min().unwrap();
        if std::env::var_os("ATELIER_BENCH_DETAIL").is_some() {
            eprintln!("heights from {start_height}: {seen:?}");
            for h in start_height + 1..=end_height {
                if let (Some(before), Some(at)) = (net.block_time_ms(0, h - 1), net.block_time_ms(0, h))
                    && at - before > 150
                {
                    eprintln!("interval before block {h}: {} ms", at - before);
                }
            }
        }
        let (mut interval_ms, mut boundary_interval_ms) = (Vec::new(), Vec::new());
        for h in start_height + 1..=end_height {
            let (Some(before), Some(at)) = (net.block_time_ms(0, h - 1), net.block_time_ms(0, h)) else {
                continue;
            };
            let interval =
                if h % support::EPOCH_BLOCKS == 0 { &mut boundary_interval_ms } else { &mut interval_ms };
            interval.push(at - before);
        }
        net.assert_agreement();
        Report {
            validators,
            blocks: end_height - start_height,
            seconds: run.as_secs_f64(),
            finality_ms,
            boundary_finality_ms,
            interval_ms,
            boundary_interval_ms,
        }
    })
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    // `cargo bench` passes flags such as --bench; there is nothing to select.
    println!(
        "consensus, deterministic runtime, 20 ms links (jitter 5 ms), simulated time, epochs of {} blocks",
        support::EPOCH_BLOCKS
    );
    println!(
        "| validators | blocks/s | finality p50 | p99 | max | interval p50 / max | at a boundary p50 / max | boundary finality p50 / max |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    // `ATELIER_VALIDATORS=4,7` measures those set sizes only.
    let sizes: Vec<usize> = std::env::var("ATELIER_VALIDATORS")
        .ok()
        .map(|list| list.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![4, 7, 10]);
    for validators in sizes {
        let mut report = measure(validators, Duration::from_secs(20));
        for series in [
            &mut report.finality_ms,
            &mut report.boundary_finality_ms,
            &mut report.interval_ms,
            &mut report.boundary_interval_ms,
        ] {
            series.sort_unstable();
        }
        println!(
            "| {} | {:.1} | {} ms | {} ms | {} ms | {} / {} ms | {} / {} ms | {} / {} ms |",
            report.validators,
            report.blocks as f64 / report.seconds,
            percentile(&report.finality_ms, 0.5),
            percentile(&report.finality_ms, 0.99),
            report.finality_ms.last().unwrap(),
            percentile(&report.interval_ms, 0.5),
            report.interval_ms.last().unwrap(),
            percentile(&report.boundary_interval_ms, 0.5),
            report.boundary_interval_ms.last().unwrap(),
            percentile(&report.boundary_finality_ms, 0.5),
            report.boundary_finality_ms.last().unwrap(),
        );
    }
}
