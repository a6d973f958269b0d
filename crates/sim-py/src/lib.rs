//! `atelier_sim._native`: the simulator's batch, run from Python. The Python half
//! (`python/atelier_sim`) turns its files into a DataFrame; this half runs the batch exactly as
//! `atelier sim run` does (same files, same bytes), with the interpreter released while it runs,
//! reporting progress to a Python callable and stopping on Ctrl-C.

use std::{
    path::PathBuf,
    sync::{Arc, atomic::Ordering},
    thread::JoinHandle,
    time::{Duration, Instant},
};

use atelier_sim::{Batch, BatchError, Monitor, Sweep, scenario::points};
use pyo3::{
    create_exception,
    exceptions::{PyOSError, PyRuntimeError, PyValueError},
    prelude::*,
};

create_exception!(_native, ScenarioError, PyValueError, "The scenario, a sweep or an override is invalid.");

/// How often progress is reported and Ctrl-C looked for.
const TICK: Duration = Duration::from_millis(100);

fn error(error: BatchError) -> PyErr {
    match error {
        BatchError::Scenario(_) | BatchError::NoSuchPoint { .. } => ScenarioError::new_err(error.to_string()),
        BatchError::Io { .. } | BatchError::Tidy { .. } | BatchError::Manifest { .. } => {
            PyOSError::new_err(error.to_string())
        }
        BatchError::Stopped => PyRuntimeError::new_err(error.to_string()),
    }
}

fn sweeps(given: Vec<(String, Vec<String>)>) -> Vec<Sweep> {
    given.into_iter().map(|(key, values)| Sweep { key, values }).collect()
}

/// Runs a batch of `scenario` (TOML text) into the folder `out` and returns its `summary.json`.
/// `sweeps` and `zipped` are `(dotted path, values)` pairs; `points` runs only those sweep
/// points; `progress(blocks, blocks_total, runs, runs_total)` is called about ten times a second.
#[pyfunction]
#[pyo3(signature = (scenario, out, *, runs=None, seed=None, sweeps=Vec::new(), zipped=Vec::new(), threads=1, points=None, progress=None))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario: String,
    out: PathBuf,
    runs: Option<u64>,
    seed: Option<u64>,
    sweeps: Vec<(String, Vec<String>)>,
    zipped: Vec<(String, Vec<String>)>,
    threads: usize,
    points: Option<Vec<u64>>,
    progress: Option<Py<PyAny>>,
) -> PyResult<String> {
    let batch = Batch {
        runs,
        seed,
        sweeps: self::sweeps(sweeps),
        zipped: self::sweeps(zipped),
        threads: threads.max(1),
        only_points: points,
        progress_on_stderr: false,
        ..Batch::new(scenario, out.clone())
    };
    let monitor: Arc<Monitor> = batch.monitor.clone();
    let worker = std::thread::spawn(move || atelier_sim::run(&batch));
    let stop = |py: Python<'_>, worker: JoinHandle<_>, cause: PyErr| -> PyErr {
        monitor.stop.store(true, Ordering::Relaxed);
        let _ = py.detach(|| worker.join());
        cause
    };
    loop {
        let over = py.detach(|| wait(&worker));
        if let Some(progress) = &progress {
            let counts = (
                monitor.blocks.load(Ordering::Relaxed),
                monitor.blocks_total.load(Ordering::Relaxed),
                monitor.runs.load(Ordering::Relaxed),
                monitor.runs_total.load(Ordering::Relaxed),
            );
            if let Err(cause) = progress.call1(py, counts) {
                return Err(stop(py, worker, cause));
            }
        }
        if over {
            break;
        }
        if let Err(interrupt) = py.check_signals() {
            return Err(stop(py, worker, interrupt));
        }
    }
    let result = py
        .detach(|| worker.join())
        .map_err(|_| PyRuntimeError::new_err("the simulator's batch thread panicked"))?;
    result.map_err(error)?;
    let path = out.join("summary.json");
    std::fs::read_to_string(&path).map_err(|e| PyOSError::new_err(format!("{}: {e}", path.display())))
}

/// Whether `worker` finished within a [`TICK`].
fn wait<T>(worker: &JoinHandle<T>) -> bool {
    let started = Instant::now();
    while !worker.is_finished() && started.elapsed() < TICK {
        std::thread::sleep(Duration::from_millis(5));
    }
    worker.is_finished()
}

/// The overrides of each sweep point, in the batch's order: `[[(path, value), …], …]`.
#[pyfunction]
#[pyo3(name = "points", signature = (sweeps=Vec::new(), zipped=Vec::new()))]
fn sweep_points(
    sweeps: Vec<(String, Vec<String>)>,
    zipped: Vec<(String, Vec<String>)>,
) -> PyResult<Vec<Vec<(String, String)>>> {
    points(&self::sweeps(sweeps), &self::sweeps(zipped)).map_err(|e| ScenarioError::new_err(e.to_string()))
}

/// A scenario given as JSON (from a Python dict), as the TOML the batch records.
#[pyfunction]
fn toml_of_json(json: &str) -> PyResult<String> {
    let value: toml::Value =
        serde_json::from_str(json).map_err(|e| ScenarioError::new_err(format!("scenario: {e}")))?;
    toml::to_string(&value).map_err(|e| ScenarioError::new_err(format!("scenario: {e}")))
}

/// The scenario's name, blocks, runs and seed, after validating it with no override (so a bad
/// scenario is refused before anything runs).
#[pyfunction]
fn check(scenario: &str) -> PyResult<(String, u64, u64, u64)> {
    let scenario =
        atelier_sim::Scenario::parse(scenario, &[]).map_err(|e| ScenarioError::new_err(e.to_string()))?;
    Ok((scenario.name, scenario.blocks, scenario.runs, scenario.seed))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("VERSION", atelier_sim::batch::VERSION)?;
    m.add("METRICS", atelier_sim::Row::METRICS.to_vec())?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_points, m)?)?;
    m.add_function(wrap_pyfunction!(toml_of_json, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    Ok(())
}
