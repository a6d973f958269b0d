//! The economic simulator: scenarios (TOML data) of agents that act only by submitting
//! transactions, run through the protocol's own block execution, over Monte Carlo seeds and
//! parameter sweeps in parallel, streaming per-block metrics to disk. Every run is reproducible
//! from (scenario, seed, version) whatever the number of threads.

pub mod batch;
mod genesis;
pub mod metrics;
pub mod policy;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod tidy;
pub mod world;

pub use batch::{Batch, BatchError, Manifest, Monitor, Outcome, Summary, replay, run, run_timed, simulate};
pub use metrics::Row;
pub use scenario::{Population, Scenario, ScenarioError, Shock, Sweep};
pub use world::{RunError, Timing, World};
