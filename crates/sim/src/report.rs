//! `report.html`: every run's trajectory is averaged into at most [`BUCKETS`] buckets as it
//! streams, and each sweep point keeps, per bucket and metric, the sum, least and most of its
//! runs' bucket means — integers, so the report is the same whatever the order runs finish in —
//! and the first run's final reputations. Memory is O(points × buckets × metrics), whatever the
//! number of runs.
//!
//! The report is one self-contained HTML file: text is HTML (headings, the flags, each chart's
//! title, unit, legend and a table of its numbers), and the charts are drawn by uPlot (vendored
//! with the node's dashboard, inlined here) from the data embedded as JSON: round tick labels
//! that never repeat, values on hover, drag to zoom, a CSV download per chart. A chart with
//! nothing to show (every value zero) is left out, and a section with no chart left.

use std::fmt::Write;

use atelier_protocol::economy::gini_bps;
use serde::Serialize;

use crate::{
    batch::Summary,
    metrics::Row,
    scenario::{Population, Scenario},
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
#[derive(Debug)]
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

    /// The mean line of `metric` (and its band of the least and the most run) over the buckets
    /// the runs reached, divided by `divisor`; with `measured_only`, leaving out buckets where
    /// the mean is 0 (a measure not taken yet, like the bands before the first epoch closes).
    fn series(&self, metric: &str, name: String, divisor: f64, band: bool, measured_only: bool) -> Series {
        let mut series = Series { name, points: Vec::new(), band };
        let Some(m) = Row::METRICS.iter().position(|n| *n == metric) else { return series };
        for b in
            (0..self.runs.len()).filter(|b| self.runs[*b] > 0 && !(measured_only && self.sum[*b][m] == 0))
        {
            let mean = self.sum[b][m] as f64 / self.runs[b] as f64 / divisor;
            let (low, high) = (self.low[b][m] as f64 / divisor, self.high[b][m] as f64 / divisor);
            series.points.push((self.x(b), mean, low, high));
        }
        series
    }
}

/// Points drawn in the report (one colour each; summary.json has them all).
const SHOWN: usize = PALETTE.len();

/// The colours of the points' lines (and of several metrics in one chart).
pub const PALETTE: [&str; 8] =
    ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

/// uPlot, vendored with the node's dashboard (MIT), inlined into every report.
const UPLOT_JS: &str = include_str!("../../node/dashboard/vendor/uplot/uPlot.iife.min.js");
const UPLOT_CSS: &str = include_str!("../../node/dashboard/vendor/uplot/uPlot.min.css");
/// The report's own script (drawing, ticks, hover, zoom, CSV) and style.
const REPORT_JS: &str = include_str!("report.js");
const REPORT_CSS: &str = include_str!("report.css");

/// A unit a chart is drawn in: base units divided by `divisor`.
#[derive(Debug, Clone, Copy)]
struct Unit {
    name: &'static str,
    divisor: f64,
}

const GDC: Unit = Unit { name: "GDC", divisor: 1e6 };
const USD: Unit = Unit { name: "USD", divisor: 1e6 };
const PRICE: Unit = Unit { name: "USD per GDC", divisor: 1e12 };
const PERCENT: Unit = Unit { name: "%", divisor: 100.0 };
const GINI: Unit = Unit { name: "Gini coefficient (0 to 1)", divisor: 10_000.0 };

const fn count(name: &'static str) -> Unit {
    Unit { name, divisor: 1.0 }
}

/// One line of a chart: (x, mean, least run, most run) per point.
#[derive(Debug, Clone)]
struct Series {
    name: String,
    points: Vec<(f64, f64, f64, f64)>,
    /// Whether the band of the least and the most run is drawn.
    band: bool,
}

/// A chart as the script draws it, in its unit.
#[derive(Debug, Serialize)]
struct Chart {
    id: String,
    title: String,
    unit: String,
    x_label: String,
    /// "line", or "bars" (x is a point's index; `x_names` names them).
    kind: &'static str,
    x: Vec<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    x_names: Vec<String>,
    series: Vec<Line>,
}

#[derive(Debug, Serialize)]
struct Line {
    name: String,
    color: &'static str,
    y: Vec<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    low: Option<Vec<Option<f64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    high: Option<Vec<Option<f64>>>,
}

impl Chart {
    /// A line chart of `series` over a shared x axis (the union of theirs).
    fn lines(title: &str, unit: Unit, x_label: &str, series: Vec<Series>) -> Chart {
        let mut x: Vec<f64> = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
        x.sort_by(f64::total_cmp);
        x.dedup();
        let at = |s: &Series, pick: fn(&(f64, f64, f64, f64)) -> f64| -> Vec<Option<f64>> {
            x.iter().map(|x| s.points.iter().find(|p| p.0 == *x).map(pick)).collect()
        };
        let series = series
            .iter()
            .enumerate()
            .map(|(i, s)| Line {
                name: s.name.clone(),
                color: PALETTE[i % PALETTE.len()],
                y: at(s, |p| p.1),
                low: s.band.then(|| at(s, |p| p.2)),
                high: s.band.then(|| at(s, |p| p.3)),
            })
            .collect();
        Chart {
            id: String::new(),
            title: title.into(),
            unit: unit.name.into(),
            x_label: x_label.into(),
            kind: "line",
            x,
            x_names: Vec::new(),
            series,
        }
    }

    /// Whether any value is other than zero.
    fn shows_anything(&self) -> bool {
        self.series.iter().any(|s| {
            [Some(&s.y), s.low.as_ref(), s.high.as_ref()]
                .into_iter()
                .flatten()
                .flatten()
                .any(|v| v.is_some_and(|v| v != 0.0))
        })
    }
}

/// What sets the points apart: each point's overrides of the keys whose values differ between
/// points (a sweep of one value is the same everywhere and named in the header instead).
fn labels(summary: &Summary) -> Vec<String> {
    let varies = |key: &str| {
        let values: Vec<Option<&String>> = summary
            .points
            .iter()
            .map(|p| p.overrides.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v))
            .collect();
        values.windows(2).any(|w| w[0] != w[1])
    };
    summary
        .points
        .iter()
        .map(|p| {
            let mut parts: Vec<String> = Vec::new();
            for (k, v) in &p.overrides {
                let part = format!("{k}={v}");
                if varies(k) && !parts.contains(&part) {
                    parts.push(part);
                }
            }
            if parts.is_empty() { "mean of runs".into() } else { parts.join(", ") }
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A number for the table of a chart's numbers: four significant digits.
fn figure(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return "0".into();
    }
    let digits = (3 - value.abs().log10().floor() as i32).clamp(0, 12) as usize;
    format!("{value:.digits$}")
}

/// The report of a batch of `scenario`.
pub fn html(scenario: &Scenario, summary: &Summary, bands: &[Bands]) -> String {
    let labels = labels(summary);
    let shown = bands.len().min(SHOWN);
    let per_point = |metric: &str, unit: Unit| -> Vec<Series> {
        (0..shown).map(|i| bands[i].series(metric, labels[i].clone(), unit.divisor, true, false)).collect()
    };
    let per_point_measured = |metric: &str, unit: Unit| -> Vec<Series> {
        (0..shown).map(|i| bands[i].series(metric, labels[i].clone(), unit.divisor, true, true)).collect()
    };
    // Several metrics of one point in one chart, one chart per point.
    let metrics_of = |title: &str, unit: Unit, metrics: &[(&str, &str)], measured_only: bool| -> Vec<Chart> {
        (0..shown)
            .map(|i| {
                let series = metrics
                    .iter()
                    .enumerate()
                    .map(|(k, (metric, name))| {
                        bands[i].series(metric, (*name).into(), unit.divisor, k == 0, measured_only)
                    })
                    .collect();
                let title = if shown > 1 { format!("{title}, {}", labels[i]) } else { title.to_string() };
                Chart::lines(&title, unit, "block", series)
            })
            .collect()
    };
    let line = |title: &str, unit: Unit, series: Vec<Series>| Chart::lines(title, unit, "block", series);
    let mut sections: Vec<(&str, Vec<Chart>)> = vec![
        (
            "Fees",
            vec![
                line(
                    "Compute base fee, class image-xl",
                    count("ugdc per unit"),
                    per_point("compute_base_fee", count("ugdc per unit")),
                ),
                line(
                    "Block-space base fee",
                    count("ugdc per gas"),
                    per_point("base_fee", count("ugdc per gas")),
                ),
                line("Gas used per block", count("gas"), per_point("gas_used", count("gas"))),
            ],
        ),
        (
            "Utilisation",
            vec![
                line("Utilisation of image-xl", PERCENT, per_point("utilisation_bps", PERCENT)),
                line("Jobs queued", count("jobs"), per_point("queued", count("jobs"))),
            ],
        ),
        (
            "Treasury, reserve and runway",
            vec![
                line("Treasury GDC", GDC, per_point("treasury_gdc", GDC)),
                line("Stable reserve", USD, per_point("reserve", USD)),
                line(
                    "Runway",
                    count("epochs of infrastructure cost"),
                    per_point("runway_epochs", count("epochs of infrastructure cost")),
                ),
            ],
        ),
        (
            "Market price against the floor bands",
            metrics_of(
                "Pool price, its bands and the oracle",
                PRICE,
                &[
                    ("price", "pool price"),
                    ("average", "moving average"),
                    ("cushion", "cushion"),
                    ("wall", "wall"),
                    ("oracle_price", "oracle GDC/USD"),
                ],
                true,
            ),
        ),
        (
            "Buy-backs",
            vec![
                line("Spent on buy-backs since genesis", USD, per_point("bought_back", USD)),
                line("Bought back and burned since genesis", GDC, per_point("bought_burned", GDC)),
            ],
        ),
    ];
    let lorenz: Vec<Series> = (0..shown)
        .map(|i| {
            let mut values: Vec<u128> = bands[i].reputations.iter().copied().filter(|r| *r > 0).collect();
            values.sort_unstable();
            let total: f64 = values.iter().map(|v| *v as f64).sum();
            let n = values.len().max(1) as f64;
            let mut running = 0.0;
            let mut points = vec![(0.0, 0.0, 0.0, 0.0)];
            for (k, v) in values.iter().enumerate() {
                running += *v as f64;
                let y = if total > 0.0 { running / total * 100.0 } else { 0.0 };
                points.push(((k + 1) as f64 / n * 100.0, y, y, y));
            }
            let name = format!("{} (Gini {:.2})", labels[i], gini_bps(&values) as f64 / 10_000.0);
            Series { name, points, band: false }
        })
        .collect();
    sections.push((
        "Concentration",
        vec![
            line(
                "Reputation Gini among the agents holding any",
                GINI,
                per_point_measured("reputation_gini_bps", GINI),
            ),
            line("Stake Gini among the agents holding any", GINI, per_point_measured("stake_gini_bps", GINI)),
            Chart::lines(
                "Reputation Lorenz curve of the agents holding any, first run's end",
                count("% of reputation"),
                "% of agents",
                lorenz,
            ),
        ],
    ));
    sections.push((
        "Governance",
        metrics_of(
            "Proposals since genesis",
            count("proposals"),
            &[
                ("proposals", "opened"),
                ("proposals_executed", "executed"),
                ("proposals_defeated", "defeated"),
            ],
            false,
        ),
    ));
    sections.push((
        "Royalty and fee flows by role",
        metrics_of(
            "Paid by jobs and sales since genesis",
            GDC,
            &[
                ("paid_providers", "providers"),
                ("paid_datasets", "datasets"),
                ("paid_fine_tuners", "fine-tuners"),
                ("paid_treasury", "treasury"),
                ("paid_royalties", "sale royalties"),
                ("market_fees", "market fees"),
            ],
            false,
        ),
    ));
    sections.push((
        "Styles",
        vec![
            line("Style incentive paid since genesis", GDC, per_point("style_incentive_paid", GDC)),
            line(
                "Share of the incentive to the style most asked for",
                PERCENT,
                per_point_measured("incentive_in_demand_bps", PERCENT),
            ),
        ]
        .into_iter()
        .chain(metrics_of(
            "Demand forecast error against the naive forecast's",
            count("thousandths of a unit"),
            &[("forecast_error_milli", "forecast"), ("naive_error_milli", "naive")],
            true,
        ))
        .collect(),
    ));
    if scenario.agents.iter().any(Population::attacks) {
        let pnl =
            summary.points.iter().take(shown).map(|p| p.metrics.iter().find(|a| a.metric == "attacker_pnl"));
        let (mut mean, mut low, mut high) = (Vec::new(), Vec::new(), Vec::new());
        for aggregate in pnl {
            mean.push(Some(aggregate.map_or(0.0, |a| a.mean / USD.divisor)));
            low.push(Some(aggregate.map_or(0.0, |a| a.p5 / USD.divisor)));
            high.push(Some(aggregate.map_or(0.0, |a| a.p95 / USD.divisor)));
        }
        let bars = Chart {
            id: String::new(),
            title: "Final attacker PnL per sweep point (mean, p5 to p95)".into(),
            unit: USD.name.into(),
            x_label: "sweep point".into(),
            kind: "bars",
            x: (0..mean.len()).map(|i| i as f64).collect(),
            x_names: labels.iter().take(shown).cloned().collect(),
            series: vec![Line {
                name: "attacker PnL".into(),
                color: PALETTE[0],
                y: mean,
                low: Some(low),
                high: Some(high),
            }],
        };
        sections.push((
            "Attacker PnL",
            vec![
                line("Attacker PnL against its honest twin", USD, per_point("attacker_pnl", USD)),
                bars,
                line(
                    "Attacker reputation beyond its twin's",
                    count("reputation"),
                    per_point("attacker_reputation", count("reputation")),
                ),
            ],
        ));
    }
    render(summary, &labels, sections)
}

fn render(summary: &Summary, labels: &[String], sections: Vec<(&str, Vec<Chart>)>) -> String {
    let mut out = String::new();
    let name = escape(&summary.scenario);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{name} · simulation report</title><style>{UPLOT_CSS}\n{REPORT_CSS}</style></head><body><header><h1>{name}</h1><p>Seed {} · {} runs per point · {} blocks per run · {} sweep points. Lines are the mean over runs of each block range; the shaded band spans the least and the most run. Hover a chart for its values; drag across it to zoom, double-click to zoom out.</p></header>",
        summary.seed,
        summary.runs,
        summary.blocks,
        summary.points.len()
    );
    out.push_str("<section id=\"flags\"><h2>What to see first</h2><table><thead><tr><th>point</th><th>check</th><th>held</th><th>figures</th></tr></thead><tbody>");
    for (point, label) in summary.points.iter().zip(labels) {
        for flag in &point.flags {
            let _ = write!(
                out,
                "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                if flag.held { "held" } else { "flagged" },
                escape(label),
                escape(&flag.check),
                if flag.held { "✓ yes" } else { "✗ no" },
                escape(&flag.detail)
            );
        }
    }
    out.push_str("</tbody></table></section>");
    if summary.points.len() > SHOWN {
        let _ = write!(
            out,
            "<p>Charts show the first {SHOWN} sweep points; summary.json has all {}.</p>",
            summary.points.len()
        );
    }
    let mut charts = Vec::new();
    let mut left_out = Vec::new();
    for (title, section) in sections {
        let (kept, empty): (Vec<Chart>, Vec<Chart>) = section.into_iter().partition(Chart::shows_anything);
        left_out.extend(empty.into_iter().map(|c| c.title));
        if kept.is_empty() {
            continue;
        }
        let _ = write!(out, "<section><h2>{}</h2><div class=\"charts\">", escape(title));
        for mut chart in kept {
            chart.id = format!("chart-{}", charts.len());
            figure_html(&mut out, &chart);
            charts.push(chart);
        }
        out.push_str("</div></section>");
    }
    if !left_out.is_empty() {
        let _ = write!(
            out,
            "<p class=\"left-out\">Left out, every value zero in every run: {}.</p>",
            escape(&left_out.join("; "))
        );
    }
    let data = serde_json::to_string(&charts).unwrap_or_else(|_| "[]".into()).replace("</", "<\\/");
    let _ = writeln!(
        out,
        "<script type=\"application/json\" id=\"report-data\">{data}</script><script>{UPLOT_JS}</script><script>{REPORT_JS}</script></body></html>"
    );
    out
}

/// A chart's figure: its title and unit, the plot the script fills, its tools, and a table of
/// its numbers (first, least, most and last of each line).
fn figure_html(out: &mut String, chart: &Chart) {
    let title = escape(&chart.title);
    let unit = escape(&chart.unit);
    let names: Vec<String> = chart.series.iter().map(|s| escape(&s.name)).collect();
    let _ = write!(
        out,
        "<figure class=\"chart\" id=\"{id}\"><figcaption><span class=\"title\">{title}</span> <span class=\"unit\">{unit}</span></figcaption><div class=\"plot\" role=\"img\" aria-label=\"{title}, in {unit}, by {}: {}\"></div><div class=\"tools\"><button type=\"button\" class=\"csv\">Download CSV</button></div><details><summary>Numbers</summary><table><thead><tr><th>line</th><th>first</th><th>least</th><th>most</th><th>last</th></tr></thead><tbody>",
        escape(&chart.x_label),
        names.join("; "),
        id = chart.id
    );
    for (series, name) in chart.series.iter().zip(&names) {
        let values: Vec<f64> = series.y.iter().flatten().copied().collect();
        let (Some(first), Some(last)) = (values.first(), values.last()) else { continue };
        let least = values.iter().copied().fold(f64::INFINITY, f64::min);
        let most = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let _ = write!(
            out,
            "<tr><td>{name}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            figure(*first),
            figure(least),
            figure(most),
            figure(*last)
        );
    }
    out.push_str("</tbody></table></details></figure>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::PointSummary;

    fn summary(overrides: Vec<Vec<(&str, &str)>>) -> Summary {
        Summary {
            scenario: "test".into(),
            seed: 1,
            runs: 1,
            blocks: 10,
            points: overrides
                .into_iter()
                .enumerate()
                .map(|(i, o)| PointSummary {
                    point: i as u64,
                    overrides: o.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                    completed: 1,
                    failed: 0,
                    metrics: Vec::new(),
                    flags: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_sweep_legend_names_only_what_varies_between_points() {
        let swept = summary(vec![
            vec![("blocks", "40"), ("genesis.cushion_bps", "500")],
            vec![("blocks", "40"), ("genesis.cushion_bps", "1000")],
        ]);
        assert_eq!(labels(&swept), ["genesis.cushion_bps=500", "genesis.cushion_bps=1000"]);
        assert_eq!(labels(&summary(vec![vec![]])), ["mean of runs"]);
    }

    #[test]
    fn a_chart_of_zeros_shows_nothing_and_a_chart_with_one_value_does() {
        let zeros =
            Series { name: "a".into(), points: vec![(1.0, 0.0, 0.0, 0.0), (2.0, 0.0, 0.0, 0.0)], band: true };
        assert!(!Chart::lines("t", GDC, "block", vec![zeros.clone()]).shows_anything());
        let mut one = zeros;
        one.points[1].3 = 2.0;
        assert!(Chart::lines("t", GDC, "block", vec![one]).shows_anything());
    }

    #[test]
    fn lines_of_different_blocks_share_one_x_axis_with_gaps() {
        let a = Series {
            name: "a".into(),
            points: vec![(1.0, 1.0, 1.0, 1.0), (3.0, 3.0, 3.0, 3.0)],
            band: false,
        };
        let b = Series { name: "b".into(), points: vec![(2.0, 2.0, 2.0, 2.0)], band: false };
        let chart = Chart::lines("t", GDC, "block", vec![a, b]);
        assert_eq!(chart.x, [1.0, 2.0, 3.0]);
        assert_eq!(chart.series[0].y, [Some(1.0), None, Some(3.0)]);
        assert_eq!(chart.series[1].y, [None, Some(2.0), None]);
    }
}
