//! `report.html`: every run's trajectory is averaged into at most [`BUCKETS`] buckets as it
//! streams, and each sweep point keeps, per bucket and metric, the sum, least and most of its
//! runs' bucket means — integers, so the report is the same whatever the order runs finish in —
//! and the first run's final reputations. Memory is O(points × buckets × metrics), whatever the
//! number of runs.

use std::fmt::Write;

use atelier_protocol::economy::gini_bps;

use crate::{
    batch::Summary,
    metrics::Row,
    svg::{PALETTE, Series, bar_chart, line_chart},
};

/// Buckets a run's trajectory is averaged into.
pub const BUCKETS: u64 = 200;

fn bucket_count(blocks: u64) -> u64 {
    blocks.clamp(1, BUCKETS)
}

/// One run's trajectory, averaged into buckets as it streams.
pub struct Trace {
    blocks: u64,
    sums: Vec<Vec<i128>>,
    counts: Vec<i128>,
}

impl Trace {
    /// An empty trace of a run of `blocks` blocks.
    pub fn new(blocks: u64) -> Trace {
        let buckets = bucket_count(blocks) as usize;
        Trace { blocks, sums: vec![vec![0; Row::METRICS.len()]; buckets], counts: vec![0; buckets] }
    }

    /// Adds a block's row.
    pub fn push(&mut self, row: &Row) {
        let buckets = bucket_count(self.blocks);
        let index = (row.block.saturating_sub(1) * buckets / self.blocks.max(1)).min(buckets - 1) as usize;
        for (sum, value) in self.sums[index].iter_mut().zip(row.values()) {
            *sum = sum.saturating_add(value);
        }
        self.counts[index] += 1;
    }
}

/// A sweep point's trajectories across its runs.
pub struct Bands {
    blocks: u64,
    /// Runs that reached each bucket.
    runs: Vec<i128>,
    sum: Vec<Vec<i128>>,
    low: Vec<Vec<i128>>,
    high: Vec<Vec<i128>>,
    /// The first run's agents' final reputation.
    pub reputations: Vec<u128>,
}

impl Bands {
    /// No run yet, of runs of `blocks` blocks.
    pub fn new(blocks: u64) -> Bands {
        let buckets = bucket_count(blocks) as usize;
        let metrics = Row::METRICS.len();
        Bands {
            blocks,
            runs: vec![0; buckets],
            sum: vec![vec![0; metrics]; buckets],
            low: vec![vec![i128::MAX; metrics]; buckets],
            high: vec![vec![i128::MIN; metrics]; buckets],
            reputations: Vec::new(),
        }
    }

    /// Adds a run's trace.
    pub fn merge(&mut self, trace: &Trace) {
        for (b, count) in trace.counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            self.runs[b] += 1;
            for m in 0..Row::METRICS.len() {
                let mean = trace.sums[b][m] / count;
                self.sum[b][m] = self.sum[b][m].saturating_add(mean);
                self.low[b][m] = self.low[b][m].min(mean);
                self.high[b][m] = self.high[b][m].max(mean);
            }
        }
    }

    fn x(&self, bucket: usize) -> f64 {
        (bucket as f64 + 0.5) * self.blocks as f64 / bucket_count(self.blocks) as f64
    }

    /// The mean line of `metric` (and its band) over the buckets the runs reached; with
    /// `measured_only`, leaving out buckets where the mean is 0 (a measure not taken yet, like
    /// the bands before the first epoch closes).
    fn series(
        &self,
        metric: &str,
        name: String,
        color: &'static str,
        band: bool,
        measured_only: bool,
    ) -> Series {
        let Some(m) = Row::METRICS.iter().position(|n| *n == metric) else {
            return Series { name, color, line: Vec::new(), band: Vec::new() };
        };
        let reached = || {
            (0..self.runs.len())
                .filter(move |b| self.runs[*b] > 0 && !(measured_only && self.sum[*b][m] == 0))
        };
        let line = reached().map(|b| (self.x(b), self.sum[b][m] as f64 / self.runs[b] as f64)).collect();
        let band = if band {
            reached().map(|b| (self.x(b), self.low[b][m] as f64, self.high[b][m] as f64)).collect()
        } else {
            Vec::new()
        };
        Series { name, color, line, band }
    }
}

/// Points drawn in the report (one colour each).
const SHOWN: usize = PALETTE.len();

fn label(index: usize, overrides: &[(String, String)]) -> String {
    let parts: Vec<String> = overrides.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if parts.is_empty() { format!("p{index}") } else { format!("p{index} {}", parts.join(" ")) }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The report of a batch.
pub fn html(summary: &Summary, bands: &[Bands]) -> String {
    let labels: Vec<String> = summary.points.iter().map(|p| label(p.point as usize, &p.overrides)).collect();
    let shown = bands.len().min(SHOWN);
    let per_point = |metric: &str| -> Vec<Series> {
        (0..shown).map(|i| bands[i].series(metric, labels[i].clone(), PALETTE[i], true, false)).collect()
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{name}</title><style>body{{font-family:sans-serif;max-width:1320px;margin:1em auto}}svg{{margin:4px;border:1px solid #ddd}}td,th{{padding:2px 8px;text-align:left}}</style></head><body><h1>{name}</h1>",
        name = escape(&summary.scenario)
    );
    let _ = write!(
        out,
        "<p>Seed {} · {} runs per point · {} blocks per run · {} points. Lines are the mean over runs of each block range; shaded bands span the least and the most run. Amounts are base units (µGDC, µUSD); prices are µUSD per µGDC × 10<sup>12</sup>.</p><table><tr><th>point</th><th>overrides</th><th>completed</th><th>failed</th></tr>",
        summary.seed,
        summary.runs,
        summary.blocks,
        summary.points.len()
    );
    for p in &summary.points {
        let overrides: Vec<String> = p.overrides.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = write!(
            out,
            "<tr><td>p{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            p.point,
            escape(&overrides.join(", ")),
            p.completed,
            p.failed
        );
    }
    out.push_str("</table>");
    if bands.len() > SHOWN {
        let _ = write!(out, "<p>Charts show the first {SHOWN} points; summary.json has all.</p>");
    }
    let mut section = |title: &str, charts: Vec<String>| {
        let _ = write!(out, "<h2>{}</h2><div>{}</div>", escape(title), charts.concat());
    };
    section(
        "Fees",
        vec![
            line_chart("compute base fee per unit, class image-xl", "block", &per_point("compute_base_fee")),
            line_chart("block-space base fee per gas", "block", &per_point("base_fee")),
        ],
    );
    section(
        "Utilisation",
        vec![
            line_chart("utilisation of image-xl (bps)", "block", &per_point("utilisation_bps")),
            line_chart("jobs queued", "block", &per_point("queued")),
        ],
    );
    section(
        "Treasury, reserve and runway",
        vec![
            line_chart("treasury ugdc", "block", &per_point("treasury_gdc")),
            line_chart("stable reserve uusd", "block", &per_point("reserve")),
            line_chart("runway (epochs of infrastructure cost)", "block", &per_point("runway_epochs")),
        ],
    );
    let metric_series = |b: &Bands, metrics: &[(&str, &str)], measured_only: bool| -> Vec<Series> {
        metrics
            .iter()
            .enumerate()
            .map(|(i, (metric, name))| {
                b.series(metric, (*name).into(), PALETTE[i % PALETTE.len()], i == 0, measured_only)
            })
            .collect()
    };
    let price = [
        ("price", "pool price"),
        ("average", "moving average"),
        ("cushion", "cushion"),
        ("wall", "wall"),
        ("oracle_price", "oracle gdc_usd"),
    ];
    // One chart per point, of several metrics.
    let charts_per_point = |title: &str, metrics: &[(&str, &str)], measured_only: bool| -> Vec<String> {
        (0..shown)
            .map(|i| {
                let title = format!("{title}, {}", labels[i]);
                line_chart(&title, "block", &metric_series(&bands[i], metrics, measured_only))
            })
            .collect()
    };
    section("Market price against the floor bands", charts_per_point("price and bands", &price, true));
    section(
        "Buy-backs",
        vec![
            line_chart("uusd spent on buy-backs (cumulative)", "block", &per_point("bought_back")),
            line_chart("ugdc bought back and burned (cumulative)", "block", &per_point("bought_burned")),
        ],
    );
    let mut reputation =
        vec![line_chart("reputation gini (bps)", "block", &per_point("reputation_gini_bps"))];
    let lorenz: Vec<Series> = (0..shown)
        .map(|i| {
            let mut values = bands[i].reputations.clone();
            values.sort_unstable();
            let total: f64 = values.iter().map(|v| *v as f64).sum();
            let n = values.len().max(1) as f64;
            let mut running = 0.0;
            let mut line = vec![(0.0, 0.0)];
            for (k, v) in values.iter().enumerate() {
                running += *v as f64;
                line.push((
                    (k + 1) as f64 / n * 100.0,
                    if total > 0.0 { running / total * 100.0 } else { 0.0 },
                ));
            }
            let name = format!("{} gini {}bps", labels[i], gini_bps(&values));
            Series { name, color: PALETTE[i], line, band: Vec::new() }
        })
        .collect();
    reputation.push(line_chart(
        "reputation lorenz curve, first run's end (% of reputation)",
        "% of agents",
        &lorenz,
    ));
    section("Reputation", reputation);
    let governance =
        [("proposals", "opened"), ("proposals_executed", "executed"), ("proposals_defeated", "defeated")];
    section("Governance", charts_per_point("proposals (cumulative)", &governance, false));
    let flows = [
        ("paid_providers", "providers"),
        ("paid_datasets", "datasets"),
        ("paid_fine_tuners", "fine-tuners"),
        ("paid_treasury", "treasury"),
        ("paid_royalties", "sale royalties"),
    ];
    section("Royalty and fee flows by role", charts_per_point("ugdc paid by jobs and sales", &flows, false));
    let pnl: Vec<(String, f64, f64, f64)> = summary
        .points
        .iter()
        .map(|p| {
            let a = p.metrics.iter().find(|a| a.metric == "attacker_pnl");
            (
                format!("p{}", p.point),
                a.map_or(0.0, |a| a.mean),
                a.map_or(0.0, |a| a.p5),
                a.map_or(0.0, |a| a.p95),
            )
        })
        .collect();
    section(
        "Attacker PnL",
        vec![
            line_chart("attacker pnl uusd against its honest twin", "block", &per_point("attacker_pnl")),
            bar_chart("final attacker pnl per sweep point (mean, p5 to p95)", &pnl),
            line_chart("attacker reputation beyond its twin", "block", &per_point("attacker_reputation")),
        ],
    );
    out.push_str("</body></html>\n");
    out
}
