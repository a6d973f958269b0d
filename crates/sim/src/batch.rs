//! Batches: every (sweep point, run) of a scenario, run in parallel on a fixed number of threads,
//! each streaming its per-block CSV to disk as it goes and leaving a manifest; the summary is
//! built from each run's final row, so memory stays bounded whatever the number of runs.

use std::{
    fs,
    io::{BufWriter, IsTerminal, Write},
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
    },
};

use serde::{Deserialize, Serialize};

use crate::{
    metrics::{Basis, Row},
    policy::Policies,
    report::{self, Bands, Trace},
    rng::Key,
    scenario::{Population, Scenario, ScenarioError, Sweep, points},
    tidy,
    world::{RunError, Timing, World},
};

/// The simulator's version, recorded in every manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Why a batch could not run (a run's own failure is recorded in its manifest instead).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The scenario is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The output folder could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A manifest does not parse.
    #[error("manifest {path}: {reason}")]
    Manifest {
        /// The path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A point asked for is not one of the batch's.
    #[error("point {point} asked for, but the sweeps make {points} points (0 to {})", points - 1)]
    NoSuchPoint {
        /// The point asked for.
        point: u64,
        /// How many the sweeps make.
        points: u64,
    },
    /// The tidy files could not be written.
    #[error("{path}: {reason}")]
    Tidy {
        /// The path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The caller stopped the batch (its [`Monitor`]); what had run stays on disk.
    #[error("stopped before every run finished")]
    Stopped,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> BatchError + '_ {
    move |source| BatchError::Io { path: path.to_path_buf(), source }
}

/// What to run.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The scenario's TOML text.
    pub scenario: String,
    /// Runs per point (the scenario's if `None`).
    pub runs: Option<u64>,
    /// The seed (the scenario's if `None`).
    pub seed: Option<u64>,
    /// Sweeps, combined as a cartesian product.
    pub sweeps: Vec<Sweep>,
    /// Sweeps that move together, as one dimension of that product.
    pub zipped: Vec<Sweep>,
    /// The output folder.
    pub out: PathBuf,
    /// Worker threads.
    pub threads: usize,
    /// Only these sweep points (every point if `None`): each point is self-contained, its runs
    /// the same as in the whole batch, so points can be spread over machines.
    pub only_points: Option<Vec<u64>>,
    /// Progress on stderr: a bar on a terminal, a line per finished run otherwise.
    pub progress_on_stderr: bool,
    /// Counters to watch the batch by, and its stop flag.
    pub monitor: Arc<Monitor>,
    /// The policies the scenario's custom populations name.
    pub policies: Policies,
}

impl Batch {
    /// A batch of `scenario` (TOML) into `out`, with the scenario's runs and seed, no sweep, on
    /// one thread, with progress on stderr.
    pub fn new(scenario: String, out: PathBuf) -> Batch {
        Batch {
            scenario,
            runs: None,
            seed: None,
            sweeps: Vec::new(),
            zipped: Vec::new(),
            out,
            threads: 1,
            only_points: None,
            progress_on_stderr: true,
            monitor: Arc::default(),
            policies: Policies::default(),
        }
    }
}

/// A running batch seen from outside: blocks and runs done out of their totals (set when the
/// runs start), and a flag that stops it between blocks.
#[derive(Debug, Default)]
pub struct Monitor {
    /// Blocks simulated so far, over every run.
    pub blocks: AtomicU64,
    /// Blocks the batch will simulate if no run stops early.
    pub blocks_total: AtomicU64,
    /// Runs finished.
    pub runs: AtomicUsize,
    /// Runs in the batch.
    pub runs_total: AtomicUsize,
    /// Set to stop the batch: the runs under way stop after their block, no other starts, and
    /// the batch returns [`BatchError::Stopped`].
    pub stop: AtomicBool,
}

impl Monitor {
    /// Whether the batch was asked to stop.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// One run's record, written beside its CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario file, relative to the manifest.
    pub scenario_file: String,
    /// The simulator's version.
    pub version: String,
    /// The batch seed.
    pub seed: u64,
    /// The sweep point's index.
    pub point: u64,
    /// The point's overrides.
    pub overrides: Vec<(String, String)>,
    /// The run's index.
    pub run: u64,
    /// Blocks it produced.
    pub blocks: u64,
    /// The state root after its last block.
    pub final_state_root: String,
    /// Why it stopped early, if it did (a broken invariant, say).
    pub error: Option<String>,
}

/// A metric's distribution across a point's runs, each run summed up by `statistic`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    /// The metric.
    pub metric: String,
    /// Its unit.
    pub unit: String,
    /// What a block's value counts: in the block, at it, as of the last epoch's close, or since
    /// genesis.
    pub basis: Basis,
    /// How each run is summed up: "final value", or "mean per block" for what happens in each
    /// block.
    pub statistic: String,
    /// Mean.
    pub mean: f64,
    /// 5th percentile (nearest rank).
    pub p5: f64,
    /// 95th percentile (nearest rank).
    pub p95: f64,
}

/// A sweep point's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointSummary {
    /// Its index.
    pub point: u64,
    /// Its overrides.
    pub overrides: Vec<(String, String)>,
    /// Runs that finished.
    pub completed: u64,
    /// Runs that stopped on an error.
    pub failed: u64,
    /// Each metric's distribution.
    pub metrics: Vec<Aggregate>,
    /// What a token engineer must see first: whether the treasury drains, how concentrated
    /// reputation and stake end up, whether every invariant held, and whether attacks paid.
    pub flags: Vec<Flag>,
}

/// One check of a point's runs, and whether it held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// What was checked.
    pub check: String,
    /// Whether it held.
    pub held: bool,
    /// The figures behind it, in words.
    pub detail: String,
}

/// A treasury balance falling by more than this share over a run is flagged, in percent.
pub const DRAIN_FLAGGED_PERCENT: f64 = 10.0;

/// A Gini coefficient above this is flagged as concentration, in basis points.
pub const GINI_FLAGGED_BPS: f64 = 6_000.0;

/// A whole number with its thousands grouped: 1,234,567.
fn grouped(value: f64) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    if value.round() < 0.0 { format!("-{out}") } else { out }
}

/// One metric of a row.
type Metric = fn(&Row) -> i128;

/// The checks of a point's `runs` (those that finished) and the `errors` of those that stopped.
fn flags(scenario: &Scenario, runs: &[&RunSum], errors: &[&String]) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mean =
        |of: &dyn Fn(&RunSum) -> f64| runs.iter().map(|r| of(r)).sum::<f64>() / runs.len().max(1) as f64;
    let balances: [(&str, Metric, &str); 2] =
        [("treasury GDC", |r| r.treasury_gdc, "GDC"), ("stable reserve", |r| r.reserve, "USD")];
    for (check, balance, unit) in balances {
        let changes: Vec<f64> = runs
            .iter()
            .filter(|r| balance(&r.first) > 0)
            .map(|r| (balance(&r.last) - balance(&r.first)) as f64 / balance(&r.first) as f64 * 100.0)
            .collect();
        if changes.is_empty() {
            continue;
        }
        let change = changes.iter().sum::<f64>() / changes.len() as f64;
        let worst = changes.iter().copied().fold(f64::INFINITY, f64::min);
        let (first, last) = (mean(&|r| balance(&r.first) as f64), mean(&|r| balance(&r.last) as f64));
        flags.push(Flag {
            check: format!("{check} does not drain"),
            held: change > -DRAIN_FLAGGED_PERCENT,
            detail: format!(
                "{change:+.1}% over the run (mean of runs; worst {worst:+.1}%): {} to {} {unit}",
                grouped(first / 1e6),
                grouped(last / 1e6),
            ),
        });
    }
    let ginis: [(&str, Metric); 2] =
        [("reputation", |r| r.reputation_gini_bps), ("stake", |r| r.stake_gini_bps)];
    for (check, gini) in ginis {
        let gini = mean(&|r| gini(&r.last) as f64);
        flags.push(Flag {
            check: format!("{check} is not concentrated"),
            held: gini <= GINI_FLAGGED_BPS,
            detail: format!(
                "Gini {:.2} among the agents holding any at the last epoch's close (mean of runs; flagged above {:.2})",
                gini / 10_000.0,
                GINI_FLAGGED_BPS / 10_000.0
            ),
        });
    }
    flags.push(Flag {
        check: "every invariant held in every block".into(),
        held: errors.is_empty(),
        detail: match errors.first() {
            None => format!("{} runs, every block checked from what it changed", runs.len()),
            Some(first) => {
                format!("{} of {} runs stopped; the first: {first}", errors.len(), errors.len() + runs.len())
            }
        },
    });
    if scenario.agents.iter().any(Population::attacks) {
        let paid = runs.iter().filter(|r| r.last.attacker_pnl > 0 || r.last.attacker_reputation > 0).count();
        let best = runs.iter().map(|r| r.last.attacker_pnl).max().unwrap_or(0);
        flags.push(Flag {
            check: "the attack does not pay".into(),
            held: paid == 0,
            detail: format!(
                "the attacker ended ahead of its honest twin in {paid} of {} runs (best PnL {:.2} USD)",
                runs.len(),
                best as f64 / 1e6
            ),
        });
    }
    flags
}

/// `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The scenario.
    pub scenario: String,
    /// The seed.
    pub seed: u64,
    /// Runs per point.
    pub runs: u64,
    /// Blocks per run.
    pub blocks: u64,
    /// Per point.
    pub points: Vec<PointSummary>,
}

struct Job {
    point: usize,
    run: u64,
}

/// Runs `batch`; returns its summary (also written to `summary.json`).
pub fn run(batch: &Batch) -> Result<Summary, BatchError> {
    run_timed(batch).map(|(summary, _)| summary)
}

/// Runs `batch`; returns its summary and where its runs' time went, summed over them.
pub fn run_timed(batch: &Batch) -> Result<(Summary, Timing), BatchError> {
    let points = points(&batch.sweeps, &batch.zipped)?;
    let mut scenarios = Vec::with_capacity(points.len());
    for overrides in &points {
        let mut scenario = Scenario::parse(&batch.scenario, overrides)?;
        scenario.runs = batch.runs.unwrap_or(scenario.runs);
        scenario.seed = batch.seed.unwrap_or(scenario.seed);
        scenarios.push(scenario);
    }
    let first = &scenarios[0];
    check_policies(first, &batch.policies)?;
    let chosen: Vec<usize> = match &batch.only_points {
        None => (0..points.len()).collect(),
        Some(only) => {
            let mut chosen = Vec::with_capacity(only.len());
            for &point in only {
                match usize::try_from(point).ok().filter(|&p| p < points.len()) {
                    Some(p) if !chosen.contains(&p) => chosen.push(p),
                    Some(_) => {}
                    None => return Err(BatchError::NoSuchPoint { point, points: points.len() as u64 }),
                }
            }
            chosen.sort_unstable();
            chosen
        }
    };
    fs::create_dir_all(&batch.out).map_err(io(&batch.out))?;
    let scenario_path = batch.out.join("scenario.toml");
    fs::write(&scenario_path, &batch.scenario).map_err(io(&scenario_path))?;
    let jobs: Vec<Job> =
        chosen.iter().flat_map(|&point| (0..first.runs).map(move |run| Job { point, run })).collect();
    let finals: Mutex<Vec<Option<Result<RunSum, String>>>> = Mutex::new(vec![None; jobs.len()]);
    let timing: Mutex<Timing> = Mutex::new(Timing::default());
    let bands: Mutex<Vec<Bands>> = Mutex::new(scenarios.iter().map(|s| Bands::new(s.blocks)).collect());
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let failure: Mutex<Option<BatchError>> = Mutex::new(None);
    let blocks: u64 = jobs.iter().map(|job| scenarios[job.point].blocks).sum();
    let progress = Progress::new(blocks, jobs.len(), batch.progress_on_stderr, &batch.monitor);
    std::thread::scope(|scope| {
        for _ in 0..batch.threads.max(1) {
            scope.spawn(|| {
                loop {
                    if batch.monitor.stopped() {
                        break;
                    }
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(index) else { break };
                    let scenario = &scenarios[job.point];
                    let outcome =
                        run_one(scenario, &points[job.point], job.point as u64, job.run, batch, &progress);
                    match outcome {
                        Ok(finished) => {
                            if let Ok(mut timing) = timing.lock() {
                                *timing = timing.plus(finished.timing);
                            }
                            if let Ok(mut bands) = bands.lock() {
                                bands[job.point].merge(&finished.trace);
                                if job.run == 0 {
                                    bands[job.point].reputations = finished.reputations;
                                }
                            }
                            if let Ok(mut finals) = finals.lock() {
                                finals[index] = Some(finished.summed);
                            }
                        }
                        Err(error) => {
                            if let Ok(mut failure) = failure.lock() {
                                failure.get_or_insert(error);
                            }
                        }
                    }
                    progress.run_done(done.fetch_add(1, Ordering::Relaxed) + 1);
                }
            });
        }
    });
    progress.finish();
    if let Some(error) = failure.into_inner().ok().flatten() {
        return Err(error);
    }
    if batch.monitor.stopped() {
        return Err(BatchError::Stopped);
    }
    let finals = finals.into_inner().unwrap_or_default();
    let mut summary = Summary {
        scenario: first.name.clone(),
        seed: first.seed,
        runs: first.runs,
        blocks: first.blocks,
        points: Vec::new(),
    };
    for &point in &chosen {
        let overrides = &points[point];
        let outcomes: Vec<&Option<Result<RunSum, String>>> =
            jobs.iter().zip(&finals).filter(|(job, _)| job.point == point).map(|(_, f)| f).collect();
        let runs: Vec<&RunSum> =
            outcomes.iter().filter_map(|o| o.as_ref().and_then(|r| r.as_ref().ok())).collect();
        let errors: Vec<&String> =
            outcomes.iter().filter_map(|o| o.as_ref().and_then(|r| r.as_ref().err())).collect();
        let failed = errors.len() as u64;
        summary.points.push(PointSummary {
            point: point as u64,
            overrides: overrides.clone(),
            completed: runs.len() as u64,
            failed,
            metrics: aggregate(&runs),
            flags: flags(&scenarios[point], &runs, &errors),
        });
    }
    let path = batch.out.join("summary.json");
    let text = serde_json::to_string_pretty(&summary).unwrap_or_default();
    fs::write(&path, text).map_err(io(&path))?;
    let path = batch.out.join("report.html");
    let bands = bands.into_inner().unwrap_or_default();
    let bands: Vec<Bands> =
        bands.into_iter().enumerate().filter(|(point, _)| chosen.contains(point)).map(|(_, b)| b).collect();
    fs::write(&path, report::html(first, &summary, &bands)).map_err(io(&path))?;
    let runs: Vec<(u64, u64)> = jobs.iter().map(|job| (job.point as u64, job.run)).collect();
    let parameters = tidy::Parameters::of(&batch.sweeps, &batch.zipped, &points);
    tidy::write(&batch.out, &runs, &parameters)?;
    Ok((summary, timing.into_inner().unwrap_or_default()))
}

/// Refuses a scenario whose custom populations name a policy that was not given.
fn check_policies(scenario: &Scenario, policies: &Policies) -> Result<(), ScenarioError> {
    for (index, population) in scenario.agents.iter().enumerate() {
        if let Population::Custom { policy, .. } = population
            && policies.get(policy).is_none()
        {
            return Err(ScenarioError::Invalid(format!(
                "agents.{index} (custom) names the policy {policy:?}, which was not given: custom agents' \
                 policies come from Python, atelier_sim.run(..., agents={{{policy:?}: callable}})"
            )));
        }
    }
    Ok(())
}

/// Each metric's distribution over `runs` (each run's values as [`Basis::statistic`] sums it up).
fn aggregate(runs: &[&RunSum]) -> Vec<Aggregate> {
    let summed: Vec<Vec<f64>> = runs.iter().map(|r| r.values()).collect();
    Row::METRICS
        .iter()
        .enumerate()
        .map(|(i, metric)| {
            let mut values: Vec<f64> = summed.iter().map(|r| r[i]).collect();
            values.sort_by(f64::total_cmp);
            let rank = |q: f64| {
                if values.is_empty() {
                    return 0.0;
                }
                let index = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1;
                values[index]
            };
            let mean = if values.is_empty() { 0.0 } else { values.iter().sum::<f64>() / values.len() as f64 };
            let basis = Row::BASES[i];
            Aggregate {
                metric: (*metric).to_string(),
                unit: Row::UNITS[i].to_string(),
                basis,
                statistic: basis.statistic().to_string(),
                mean,
                p5: rank(0.05),
                p95: rank(0.95),
            }
        })
        .collect()
}

/// A run summed up, one value per metric: the mean of its blocks for what happens in each
/// block, its final value otherwise.
#[derive(Debug, Clone)]
struct RunSum {
    totals: Vec<i128>,
    blocks: u64,
    first: Row,
    last: Row,
}

impl RunSum {
    fn new() -> RunSum {
        RunSum { totals: vec![0; Row::METRICS.len()], blocks: 0, first: Row::default(), last: Row::default() }
    }

    fn push(&mut self, row: &Row) {
        if self.blocks == 0 {
            self.first = *row;
        }
        for (total, value) in self.totals.iter_mut().zip(row.values()) {
            *total = total.saturating_add(value);
        }
        self.blocks += 1;
        self.last = *row;
    }

    fn values(&self) -> Vec<f64> {
        self.last
            .values()
            .iter()
            .zip(&self.totals)
            .zip(Row::BASES)
            .map(|((last, total), basis)| match basis {
                Basis::InBlock => *total as f64 / self.blocks.max(1) as f64,
                _ => *last as f64,
            })
            .collect()
    }
}

/// A run's CSV and manifest.
pub(crate) fn run_paths(out: &Path, point: u64, run: u64) -> (PathBuf, PathBuf) {
    let dir = out.join(format!("point-{point}"));
    (dir.join(format!("run-{run}.csv")), dir.join(format!("run-{run}.json")))
}

/// What a finished run hands back to its batch.
struct Finished {
    /// Its metrics summed up, or the error that stopped it.
    summed: Result<RunSum, String>,
    trace: Trace,
    reputations: Vec<u128>,
    timing: Timing,
}

/// Runs one (point, run) of `batch`, streaming its CSV.
fn run_one(
    scenario: &Scenario,
    overrides: &[(String, String)],
    point: u64,
    run: u64,
    batch: &Batch,
    progress: &Progress<'_>,
) -> Result<Finished, BatchError> {
    let (csv_path, manifest_path) = run_paths(&batch.out, point, run);
    if let Some(dir) = csv_path.parent() {
        fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let file = fs::File::create(&csv_path).map_err(io(&csv_path))?;
    let mut csv = BufWriter::new(file);
    writeln!(csv, "{}", Row::header()).map_err(io(&csv_path))?;
    let mut trace = Trace::new(scenario.blocks);
    let mut sum = RunSum::new();
    let outcome = simulate(scenario, point, run, &batch.policies, |row| {
        if progress.stopped() {
            return Err(std::io::Error::new(std::io::ErrorKind::Interrupted, "stopped"));
        }
        trace.push(row);
        sum.push(row);
        progress.block();
        writeln!(csv, "{}", row.csv())
    });
    let outcome = match outcome {
        Err(error) if error.kind() == std::io::ErrorKind::Interrupted => return Err(BatchError::Stopped),
        other => other.map_err(io(&csv_path))?,
    };
    csv.flush().map_err(io(&csv_path))?;
    let manifest = Manifest {
        scenario: scenario.name.clone(),
        scenario_file: "../scenario.toml".into(),
        version: VERSION.into(),
        seed: scenario.seed,
        point,
        overrides: overrides.to_vec(),
        run,
        blocks: outcome.blocks,
        final_state_root: outcome.root,
        error: outcome.last.as_ref().err().cloned(),
    };
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    fs::write(&manifest_path, text).map_err(io(&manifest_path))?;
    Ok(Finished {
        summed: outcome.last.map(|_| sum),
        trace,
        reputations: outcome.reputations,
        timing: outcome.timing,
    })
}

/// How a simulated run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The final row, or the error that stopped the run.
    pub last: Result<Row, String>,
    /// Blocks produced.
    pub blocks: u64,
    /// The state root after the last of them.
    pub root: String,
    /// Every agent's reputation at the end.
    pub reputations: Vec<u128>,
    /// Where its time went.
    pub timing: Timing,
}

/// Runs `scenario`'s `run` at `point` with the `policies` its custom populations name, handing
/// each row to `sink`.
pub fn simulate(
    scenario: &Scenario,
    point: u64,
    run: u64,
    policies: &Policies,
    mut sink: impl FnMut(&Row) -> std::io::Result<()>,
) -> std::io::Result<Outcome> {
    let key = Key { seed: scenario.seed, point, run, block: 0, stream: 0 };
    let mut world = match World::new(scenario, key) {
        Ok(world) => world.with_policies(policies.clone()),
        Err(error) => {
            return Ok(Outcome {
                last: Err(error.to_string()),
                blocks: 0,
                root: String::new(),
                reputations: Vec::new(),
                timing: Timing::default(),
            });
        }
    };
    let mut last = Ok(Row::default());
    let mut blocks = 0;
    for block in 1..=scenario.blocks {
        match world.step(block) {
            Ok(row) => {
                sink(&row)?;
                last = Ok(row);
                blocks = block;
            }
            Err(
                error @ (RunError::Invariant { .. }
                | RunError::Block { .. }
                | RunError::Genesis(_)
                | RunError::Policy { .. }),
            ) => {
                last = Err(error.to_string());
                break;
            }
        }
    }
    let reputations = world.reputations().unwrap_or_default();
    Ok(Outcome { last, blocks, root: world.head().state_root.to_hex(), reputations, timing: world.timing() })
}

/// Reruns the run a manifest describes; returns the manifest and the state root it reaches now.
pub fn replay(manifest_path: &Path) -> Result<(Manifest, String), BatchError> {
    let text = fs::read_to_string(manifest_path).map_err(io(manifest_path))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| BatchError::Manifest { path: manifest_path.to_path_buf(), reason: e.to_string() })?;
    let scenario_path = manifest_path.parent().unwrap_or(Path::new(".")).join(&manifest.scenario_file);
    let scenario_text = fs::read_to_string(&scenario_path).map_err(io(&scenario_path))?;
    let mut scenario = Scenario::parse(&scenario_text, &manifest.overrides)?;
    scenario.seed = manifest.seed;
    check_policies(&scenario, &Policies::default()).map_err(|_| {
        ScenarioError::Invalid(
            "a run of custom agents replays only with their policies: rerun it from Python".into(),
        )
    })?;
    let outcome = simulate(&scenario, manifest.point, manifest.run, &Policies::default(), |_| Ok(()))
        .map_err(io(manifest_path))?;
    Ok((manifest, outcome.root))
}

/// Progress of a batch: counted in its [`Monitor`] and, if asked, shown on stderr: on a terminal,
/// a bar of blocks simulated with their rate, the time left and the runs finished; otherwise one
/// line per finished run, for logs.
struct Progress<'a> {
    bar: indicatif::ProgressBar,
    runs: usize,
    lines: bool,
    monitor: &'a Monitor,
}

impl<'a> Progress<'a> {
    fn new(blocks: u64, runs: usize, on_stderr: bool, monitor: &'a Monitor) -> Progress<'a> {
        monitor.blocks_total.store(blocks, Ordering::Relaxed);
        monitor.runs_total.store(runs, Ordering::Relaxed);
        let terminal = on_stderr && std::io::stderr().is_terminal();
        let bar = if terminal {
            let style = indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {human_pos}/{human_len} blocks · {rate} · {eta} left · {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} blocks/s", state.per_sec());
            })
            .progress_chars("#>-");
            indicatif::ProgressBar::new(blocks).with_style(style)
        } else {
            indicatif::ProgressBar::hidden()
        };
        bar.set_message(format!("0/{runs} runs"));
        Progress { bar, runs, lines: on_stderr && !terminal, monitor }
    }

    /// One more block simulated.
    fn block(&self) {
        self.monitor.blocks.fetch_add(1, Ordering::Relaxed);
        self.bar.inc(1);
    }

    fn stopped(&self) -> bool {
        self.monitor.stopped()
    }

    /// `done` runs finished.
    fn run_done(&self, done: usize) {
        self.monitor.runs.store(done, Ordering::Relaxed);
        if self.lines {
            let _ = writeln!(std::io::stderr().lock(), "run {done}/{} done", self.runs);
        } else if !self.bar.is_hidden() {
            self.bar.set_message(format!("{done}/{} runs", self.runs));
        }
    }

    fn finish(&self) {
        if !self.bar.is_hidden() {
            self.bar.finish();
            let _ = writeln!(std::io::stderr().lock());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_of(first: Row, last: Row) -> RunSum {
        let mut sum = RunSum::new();
        sum.push(&first);
        sum.push(&last);
        sum
    }

    fn flag<'a>(flags: &'a [Flag], check: &str) -> &'a Flag {
        flags.iter().find(|f| f.check == check).unwrap_or_else(|| panic!("no {check} in {flags:?}"))
    }

    #[test]
    fn a_treasury_that_drains_a_concentrated_stake_a_broken_run_and_a_paying_attack_are_flagged() {
        let attack = "name = \"t\"\nblocks = 2\n[[agents]]\nkind = \"wash_trader\"\ncount = 1\nsize = 1\n";
        let scenario = Scenario::parse(attack, &[]).unwrap();
        let start = Row { treasury_gdc: 100_000_000_000, reserve: 50_000_000_000, ..Row::default() };
        let drained = Row {
            treasury_gdc: 85_000_000_000,
            reserve: 50_000_000_000,
            stake_gini_bps: 7_000,
            reputation_gini_bps: 2_000,
            attacker_pnl: 5,
            ..Row::default()
        };
        let runs = [run_of(start, drained), run_of(start, Row { attacker_pnl: -5, ..drained })];
        let error = "block 9: invariant broken: x".to_string();
        let raised = flags(&scenario, &runs.iter().collect::<Vec<_>>(), &[&error]);
        let treasury = flag(&raised, "treasury GDC does not drain");
        assert!(!treasury.held && treasury.detail.starts_with("-15.0% over the run"), "{treasury:?}");
        assert!(flag(&raised, "stable reserve does not drain").held);
        assert!(!flag(&raised, "stake is not concentrated").held);
        assert!(flag(&raised, "reputation is not concentrated").held);
        let invariants = flag(&raised, "every invariant held in every block");
        assert!(!invariants.held && invariants.detail.contains("1 of 3 runs stopped"), "{invariants:?}");
        let attack = flag(&raised, "the attack does not pay");
        assert!(!attack.held && attack.detail.contains("in 1 of 2 runs"), "{attack:?}");

        let calm = flags(
            &Scenario::parse("name = \"t\"\nblocks = 2\n", &[]).unwrap(),
            &[&run_of(start, start)],
            &[],
        );
        assert!(calm.iter().all(|f| f.held), "{calm:?}");
        assert!(
            calm.iter().all(|f| f.check != "the attack does not pay"),
            "no attack bound without attackers"
        );
    }

    #[test]
    fn a_flag_s_figures_group_thousands() {
        assert_eq!(grouped(100_006.4), "100,006");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(-1_234_567.0), "-1,234,567");
        assert_eq!(grouped(0.2), "0");
    }
}
