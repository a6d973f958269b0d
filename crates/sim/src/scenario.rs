//! Scenarios are TOML data (spec: the README's "Simulator" section): the run's length, genesis
//! overrides, agent populations with their behaviour, and shocks at given blocks. Any value can be
//! overridden or swept by its dotted path (`agents.0.demand`, `genesis.epoch_blocks`).

use serde::{Deserialize, Serialize};

/// Why a scenario could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// Not TOML.
    #[error("scenario: {0}")]
    Toml(#[from] toml::de::Error),
    /// A path names nothing, or a value does not parse.
    #[error("scenario override {path}: {reason}")]
    Override {
        /// The dotted path.
        path: String,
        /// Why.
        reason: String,
    },
    /// A sweep is malformed.
    #[error("sweep {0:?}: expected KEY=V1,V2,…")]
    Sweep(String),
    /// The scenario is inconsistent.
    #[error("scenario: {0}")]
    Invalid(String),
}

/// A scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Its name.
    pub name: String,
    /// Blocks per run.
    pub blocks: u64,
    /// Monte Carlo runs (the command line may override).
    #[serde(default = "one")]
    pub runs: u64,
    /// The batch's seed (the command line may override).
    #[serde(default)]
    pub seed: u64,
    /// Genesis overrides.
    #[serde(default)]
    pub genesis: GenesisOverrides,
    /// Agent populations.
    #[serde(default)]
    pub agents: Vec<Population>,
    /// Shocks at given blocks.
    #[serde(default)]
    pub shocks: Vec<Shock>,
    /// Check every invariant after every block (slower, and what the tests do).
    #[serde(default = "yes")]
    pub check_invariants: bool,
}

fn one() -> u64 {
    1
}

fn yes() -> bool {
    true
}

/// What the scenario changes in the simulation genesis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisOverrides {
    /// Staking's epoch length: the treasury's and reputation's clock.
    pub epoch_blocks: u64,
    /// `ugdc` and `uusd` each agent starts with.
    pub balance: u64,
    /// Each side of the GDC/uusd pool.
    pub pool_side: u64,
    /// The treasury's `ugdc` and `uusd`.
    pub treasury: u64,
}

impl Default for GenesisOverrides {
    fn default() -> Self {
        GenesisOverrides {
            epoch_blocks: 100,
            balance: 1_000_000_000_000,
            pool_side: 100_000_000_000,
            treasury: 100_000_000_000,
        }
    }
}

/// A population of agents that behave alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Population {
    /// People prompting the model: each block each submits a job with a probability that falls
    /// with the class's base fee: `demand × (reference_fee / base_fee) ^ elasticity`.
    Prompter {
        /// How many.
        count: u64,
        /// Jobs per block per prompter at the reference fee.
        demand: f64,
        /// How demand answers price.
        elasticity: f64,
        /// The base fee per unit at which demand is `demand`.
        reference_fee: u64,
        /// The most a prompter pays per unit.
        max_fee: u64,
        /// Tip per unit.
        tip: u64,
        /// Units per job.
        units: u64,
    },
    /// GPU operators serving the class: each answers what it is assigned in the next block.
    Provider {
        /// How many.
        count: u64,
        /// Units per block each offers.
        capacity: u64,
        /// Bond each posts.
        bond: u64,
    },
    /// Staked oracle operators observing the outside GDC price (the pool's price, times a crash's
    /// factor while one is under way) with relative noise, once per round of the `gdc_usd` feed.
    OracleOperator {
        /// How many (at least the feed's quorum of 3 for values to publish).
        count: u64,
        /// Largest relative error of an observation, 0 to 1.
        noise: f64,
    },
    /// Traders on the AMM: each block each swaps with a probability, either way.
    Trader {
        /// How many.
        count: u64,
        /// Probability per block.
        activity: f64,
        /// Largest input, in base units.
        size: u64,
    },
}

/// A shock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Shock {
    /// Prompters' demand multiplies by `factor` for `blocks` blocks from `at`.
    DemandSpike {
        /// First block.
        at: u64,
        /// How long.
        blocks: u64,
        /// The multiplier.
        factor: f64,
    },
    /// The outside GDC price falls to `factor` of the pool's for `blocks` blocks from `at`: oracle
    /// operators report it.
    PriceCrash {
        /// First block.
        at: u64,
        /// How long.
        blocks: u64,
        /// The outside price over the pool's, 0 to 1.
        factor: f64,
    },
    /// A `share` of providers stops answering for `blocks` blocks from `at`.
    ProviderOutage {
        /// First block.
        at: u64,
        /// How long.
        blocks: u64,
        /// The share of providers down, 0 to 1.
        share: f64,
    },
}

impl Shock {
    fn window(&self) -> (u64, u64) {
        match self {
            Shock::DemandSpike { at, blocks, .. }
            | Shock::PriceCrash { at, blocks, .. }
            | Shock::ProviderOutage { at, blocks, .. } => (*at, *blocks),
        }
    }

    /// Whether it is under way at `block`.
    pub fn active(&self, block: u64) -> bool {
        let (at, blocks) = self.window();
        block >= at && block < at.saturating_add(blocks)
    }
}

impl Scenario {
    /// Reads `text` with `overrides` (`(dotted path, TOML value)`) applied.
    pub fn parse(text: &str, overrides: &[(String, String)]) -> Result<Scenario, ScenarioError> {
        let mut value: toml::Value = toml::from_str(text)?;
        for (path, raw) in overrides {
            set(&mut value, path, raw)?;
        }
        let scenario: Scenario = value.try_into()?;
        scenario.validate()?;
        Ok(scenario)
    }

    fn validate(&self) -> Result<(), ScenarioError> {
        let invalid = |reason: &str| Err(ScenarioError::Invalid(reason.into()));
        if self.blocks == 0 || self.blocks > 10_000_000 {
            return invalid("blocks must be between 1 and 10 000 000");
        }
        if self.runs == 0 {
            return invalid("runs must be positive");
        }
        if self.genesis.epoch_blocks == 0 {
            return invalid("genesis.epoch_blocks must be positive");
        }
        let agents: u64 = self.agents.iter().map(Population::count).sum();
        if agents > 100_000 {
            return invalid("at most 100 000 agents");
        }
        for population in &self.agents {
            match population {
                Population::Prompter { demand, elasticity, reference_fee, units, .. }
                    if !(demand.is_finite()
                        && *demand >= 0.0
                        && elasticity.is_finite()
                        && *reference_fee > 0
                        && *units > 0) =>
                {
                    return invalid(
                        "a prompter needs a finite demand ≥ 0, a finite elasticity, a positive reference fee and units",
                    );
                }
                Population::OracleOperator { noise, .. } if !(0.0..=1.0).contains(noise) => {
                    return invalid("an oracle operator's noise is between 0 and 1");
                }
                Population::Trader { activity, .. } if !(0.0..=1.0).contains(activity) => {
                    return invalid("a trader's activity is a probability");
                }
                _ => {}
            }
        }
        Ok(())
    }
}

impl Population {
    /// How many agents.
    pub fn count(&self) -> u64 {
        match self {
            Population::Prompter { count, .. }
            | Population::Provider { count, .. }
            | Population::OracleOperator { count, .. }
            | Population::Trader { count, .. } => *count,
        }
    }
}

/// Sets the value at a dotted path (array indices as numbers) to `raw` read as TOML, or as a
/// string if it is not TOML.
fn set(root: &mut toml::Value, path: &str, raw: &str) -> Result<(), ScenarioError> {
    let fail = |reason: &str| ScenarioError::Override { path: path.into(), reason: reason.into() };
    let value: toml::Value = toml::from_str::<toml::Table>(&format!("v = {raw}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.into()));
    let mut node = root;
    let parts: Vec<&str> = path.split('.').collect();
    let (last, parents) = parts.split_last().ok_or_else(|| fail("empty path"))?;
    for part in parents {
        node = match node {
            toml::Value::Table(table) => table.get_mut(*part).ok_or_else(|| fail("no such key"))?,
            toml::Value::Array(items) => {
                let index: usize = part.parse().map_err(|_| fail("an array needs an index"))?;
                items.get_mut(index).ok_or_else(|| fail("index out of range"))?
            }
            _ => return Err(fail("not a table or an array")),
        };
    }
    match node {
        toml::Value::Table(table) => {
            table.insert((*last).to_string(), value);
        }
        toml::Value::Array(items) => {
            let index: usize = last.parse().map_err(|_| fail("an array needs an index"))?;
            *items.get_mut(index).ok_or_else(|| fail("index out of range"))? = value;
        }
        _ => return Err(fail("not a table or an array")),
    }
    Ok(())
}

/// A sweep over one key: `KEY=V1,V2,…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sweep {
    /// The dotted path.
    pub key: String,
    /// Its values.
    pub values: Vec<String>,
}

impl std::str::FromStr for Sweep {
    type Err = ScenarioError;

    fn from_str(text: &str) -> Result<Sweep, ScenarioError> {
        let (key, values) = text.split_once('=').ok_or_else(|| ScenarioError::Sweep(text.into()))?;
        let values: Vec<String> =
            values.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
        if key.is_empty() || values.is_empty() {
            return Err(ScenarioError::Sweep(text.into()));
        }
        Ok(Sweep { key: key.into(), values })
    }
}

/// The sweep's points: the cartesian product of every sweep's values (one point, no override,
/// without sweeps), in order.
pub fn points(sweeps: &[Sweep]) -> Vec<Vec<(String, String)>> {
    let mut points: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for sweep in sweeps {
        points = points
            .into_iter()
            .flat_map(|point| {
                sweep.values.iter().map(move |value| {
                    let mut next = point.clone();
                    next.push((sweep.key.clone(), value.clone()));
                    next
                })
            })
            .collect();
    }
    points
}
