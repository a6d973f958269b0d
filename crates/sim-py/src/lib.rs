//! `atelier_sim._native`: the simulator's batch, run from Python. The Python half
//! (`python/atelier_sim`) turns its files into a DataFrame; this half runs the batch exactly as
//! `atelier sim run` does (same files, same bytes), with the interpreter released while it runs,
//! reporting progress to a Python callable and stopping on Ctrl-C.

use std::{
    path::PathBuf,
    sync::{Arc, Mutex, atomic::Ordering},
    thread::JoinHandle,
    time::{Duration, Instant},
};

use atelier_sim::{
    Batch, BatchError, Monitor, Row, Sweep,
    policy::{Policies, Policy, View},
    scenario::points,
};
use pyo3::{
    create_exception,
    exceptions::{PyOSError, PyRuntimeError, PyValueError},
    prelude::*,
    types::{PyDict, PyList},
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

/// A custom population's policy: a Python callable given the block's view as a dict, returning
/// `(rank, message)` pairs, each message a dict (or JSON text) as `atelier tx batch` reads them.
/// Its first exception stops the batch and is raised by `run`.
struct PythonPolicy {
    callable: Py<PyAny>,
    failure: Arc<Mutex<Option<PyErr>>>,
    monitor: Arc<Monitor>,
}

impl PythonPolicy {
    fn call(&self, py: Python<'_>, view: &View) -> PyResult<Vec<(u64, atelier_protocol::Msg)>> {
        let metrics = PyDict::new(py);
        metrics.set_item("block", view.last.block)?;
        for (name, value) in Row::METRICS.iter().zip(view.last.values()) {
            metrics.set_item(name, value)?;
        }
        let agents = PyList::empty(py);
        for agent in &view.agents {
            let entry = PyDict::new(py);
            entry.set_item("rank", agent.rank)?;
            entry.set_item("address", agent.address.to_string())?;
            entry.set_item("ugdc", agent.ugdc)?;
            entry.set_item("uusd", agent.uusd)?;
            agents.append(entry)?;
        }
        let given = PyDict::new(py);
        given.set_item("policy", &view.policy)?;
        given.set_item("block", view.block)?;
        given.set_item("point", view.point)?;
        given.set_item("run", view.run)?;
        given.set_item("seed", view.seed)?;
        given.set_item("metrics", metrics)?;
        given.set_item("agents", agents)?;
        let decided = self.callable.call1(py, (given,))?;
        let dumps = py.import("json")?.getattr("dumps")?;
        let mut msgs = Vec::new();
        for item in decided.bind(py).try_iter()? {
            let (rank, msg): (u64, Bound<'_, PyAny>) = item?.extract().map_err(|_| {
                PyValueError::new_err(
                    "a policy returns (rank, message) pairs: (0, {\"amm\": {\"type\": \"swap\", …}})",
                )
            })?;
            let json: String = match msg.extract::<String>() {
                Ok(text) => text,
                Err(_) => dumps.call1((msg,))?.extract()?,
            };
            let msg = serde_json::from_str(&json)
                .map_err(|e| PyValueError::new_err(format!("agent {rank}'s message {json}: {e}")))?;
            msgs.push((rank, msg));
        }
        Ok(msgs)
    }
}

impl Policy for PythonPolicy {
    fn decide(&self, view: &View) -> Result<Vec<(u64, atelier_protocol::Msg)>, String> {
        Python::attach(|py| self.call(py, view)).map_err(|error| {
            let text = error.to_string();
            if let Ok(mut failure) = self.failure.lock() {
                failure.get_or_insert(error);
            }
            self.monitor.stop.store(true, Ordering::Relaxed);
            text
        })
    }
}

/// Runs a batch of `scenario` (TOML text) into the folder `out` and returns its `summary.json`.
/// `sweeps` and `zipped` are `(dotted path, values)` pairs; `points` runs only those sweep
/// points; `progress(blocks, blocks_total, runs, runs_total)` is called about ten times a second;
/// `agents` maps the scenario's custom policies' names to Python callables.
#[pyfunction]
#[pyo3(signature = (scenario, out, *, runs=None, seed=None, sweeps=Vec::new(), zipped=Vec::new(), threads=1, points=None, progress=None, agents=None))]
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
    agents: Option<Vec<(String, Py<PyAny>)>>,
) -> PyResult<String> {
    let monitor = Arc::new(Monitor::default());
    let failure: Arc<Mutex<Option<PyErr>>> = Arc::default();
    let mut policies = Policies::default();
    for (name, callable) in agents.unwrap_or_default() {
        let policy = PythonPolicy { callable, failure: failure.clone(), monitor: monitor.clone() };
        policies.insert(name, Arc::new(policy));
    }
    let batch = Batch {
        runs,
        seed,
        sweeps: self::sweeps(sweeps),
        zipped: self::sweeps(zipped),
        threads: threads.max(1),
        only_points: points,
        progress_on_stderr: false,
        monitor: monitor.clone(),
        policies,
        ..Batch::new(scenario, out.clone())
    };
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
    if let Some(failure) = failure.lock().ok().and_then(|mut f| f.take()) {
        return Err(failure);
    }
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
