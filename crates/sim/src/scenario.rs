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
    /// Also scan the whole state for every invariant after every block (O(state) per block).
    /// Without it every block is still checked, from what it changed (the protocol does so in
    /// every block it executes).
    #[serde(default)]
    pub full_invariant_scan: bool,
}

fn one() -> u64 {
    1
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
    /// The infrastructure the treasury funds, `uusd` per epoch: its runway's unit.
    #[serde(default = "infra_cost")]
    pub infra_cost: u64,
    /// The most gas a block may use; the block-space base fee rises while blocks use more than
    /// half of it (the module's default, 30 M, if unset). A simulated community fills a sliver of
    /// a real chain's block, so a scenario that exercises the base fee scales it to its demand.
    #[serde(default)]
    pub block_gas_limit: Option<u64>,
    /// The settlement waterfall's treasury share, in basis points (the module's default if unset).
    #[serde(default)]
    pub treasury_share_bps: Option<u16>,
    /// Its datasets' share.
    #[serde(default)]
    pub dataset_share_bps: Option<u16>,
    /// Its burned share.
    #[serde(default)]
    pub burn_bps: Option<u16>,
    /// The treasury's cushion band under the moving average: the floor it defends.
    #[serde(default)]
    pub cushion_bps: Option<u16>,
    /// Its wall band, at least as far as the cushion.
    #[serde(default)]
    pub wall_bps: Option<u16>,
    /// Governance's blocks between a proposal and its voting (the module's default if unset).
    #[serde(default)]
    pub voting_delay_blocks: Option<u64>,
    /// Its blocks of voting.
    #[serde(default)]
    pub voting_period_blocks: Option<u64>,
    /// Its blocks between a passed vote and execution.
    #[serde(default)]
    pub timelock_blocks: Option<u64>,
}

fn infra_cost() -> u64 {
    1_000_000_000
}

impl Default for GenesisOverrides {
    fn default() -> Self {
        GenesisOverrides {
            epoch_blocks: 100,
            balance: 1_000_000_000_000,
            pool_side: 100_000_000_000,
            treasury: 100_000_000_000,
            infra_cost: infra_cost(),
            block_gas_limit: None,
            treasury_share_bps: None,
            dataset_share_bps: None,
            burn_bps: None,
            cushion_bps: None,
            wall_bps: None,
            voting_delay_blocks: None,
            voting_period_blocks: None,
            timelock_blocks: None,
        }
    }
}

/// A population of agents that behave alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Population {
    /// People prompting the model: each block each submits a job with a probability that falls
    /// with the class's base fee: `demand × (reference_fee / base_fee) ^ elasticity`. A style is a
    /// model: populations with a `style` prompt only it, each with its own demand curve.
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
        /// Chance that a prompter lists each output it receives for sale.
        #[serde(default)]
        list_share: f64,
        /// Its asking price, `ugdc`.
        #[serde(default)]
        price: u64,
        /// The model it prompts: 0 the base model, k the k-th fine-tune; unset, any of them
        /// evenly.
        #[serde(default)]
        style: Option<u64>,
    },
    /// Collectors: each block each buys an open listing at most `max_price` with a probability.
    Collector {
        /// How many.
        count: u64,
        /// Probability per block.
        activity: f64,
        /// The most it pays, `ugdc`.
        max_price: u64,
    },
    /// Remixers: each block each, with a probability, asks for a job whose output remixes a
    /// recent output (its parent, whose royalty stack it inherits), and lists what it gets.
    Remixer {
        /// How many.
        count: u64,
        /// Probability per block.
        activity: f64,
        /// Units per job.
        units: u64,
        /// The most it pays per unit.
        max_fee: u64,
        /// Chance it lists each output.
        list_share: f64,
        /// Its asking price, `ugdc`.
        price: u64,
    },
    /// Liquidity providers: each block each, with a probability, deposits `amount` `ugdc` (and
    /// `uusd` at the pool's ratio) when it holds no pool units, or withdraws them all when it does.
    LiquidityProvider {
        /// How many.
        count: u64,
        /// Probability per block.
        activity: f64,
        /// `ugdc` per deposit.
        amount: u64,
    },
    /// GPU operators serving the class: each answers what it is assigned in the next block.
    /// With a `cost`, each adjusts its capacity to profitability at every epoch's start: 10% more
    /// while the class's base fee is over 110% of the cost, 10% less while it is under the cost.
    Provider {
        /// How many.
        count: u64,
        /// Units per block each offers at first.
        capacity: u64,
        /// Bond each posts.
        bond: u64,
        /// What serving a unit costs it, per unit; 0 keeps the capacity fixed.
        #[serde(default)]
        cost: u64,
        /// `ugdc` each bonds in staking in the first block, earning reputation (0: none).
        #[serde(default)]
        stake: u64,
    },
    /// Data contributors: each registers a dataset in the first block — the base model is
    /// trained on all of theirs, evenly — and claims its royalties at every epoch's close.
    DataContributor {
        /// How many.
        count: u64,
    },
    /// Fine-tuners: each registers a fine-tune of the base model taking `performance_fee_bps` of
    /// its jobs' base fee; prompters choose among the base model and every fine-tune evenly.
    FineTuner {
        /// How many.
        count: u64,
        /// Its performance fee, in basis points.
        performance_fee_bps: u16,
        /// The style its fine-tunes declare (`[a-z0-9-]`); unset, the base model's (`general`).
        #[serde(default)]
        style: Option<String>,
    },
    /// Staked oracle operators serving each style's `demand/<style>` feed the way `atelier oracle
    /// run`'s `chain` demand measure does: the units the style's models will be asked for next
    /// epoch, forecast (`atelier-forecast`, the same code) from the past epochs' record, observed
    /// in a round only when the chain would publish it. The feeds exist when this population does,
    /// with a quorum of a majority of it.
    StyleOracle {
        /// How many.
        count: u64,
    },
    /// Agents whose decisions come from a policy the caller supplies by name (`crate::policy`;
    /// from Python, `atelier_sim.run(..., agents={name: callable})`): each block it sees the last
    /// block's metrics and its agents' balances and returns the messages they send.
    Custom {
        /// How many.
        count: u64,
        /// The policy's name.
        policy: String,
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
    /// Voters: each bonds `stake` `ugdc` in the first block; its reputation is its voting power.
    /// Every `propose_every` blocks the first of them, once its tier may propose, asks the
    /// treasury for `ask` `ugdc` (a `TreasurySpend` to itself). Each voter takes part in each
    /// proposal with chance `turnout`, at the first block of its voting, and votes For when the
    /// ask is at most the share of the treasury's `ugdc` it tolerates (the k-th of n voters
    /// `k / n × max_share`), Against otherwise.
    Voter {
        /// How many.
        count: u64,
        /// `ugdc` each bonds.
        stake: u64,
        /// Blocks between proposals.
        propose_every: u64,
        /// `ugdc` each proposal asks for.
        ask: u64,
        /// Chance of voting on a proposal.
        turnout: f64,
        /// The largest share of the treasury's `ugdc` the most tolerant voter grants, 0 to 1.
        max_share: f64,
    },
    /// Stakers: each bonds `stake` `ugdc` in the first block and holds it.
    Staker {
        /// How many.
        count: u64,
        /// `ugdc` each bonds.
        stake: u64,
    },
    /// Attack, wash trading: buys GDC with `size` `uusd` in one block and sells what it bought in
    /// the next, over and over, pumping volume and the price it trades at.
    WashTrader {
        /// How many.
        count: u64,
        /// `uusd` per purchase.
        size: u64,
    },
    /// Attack, sybil splitting: `stake` split evenly over `accounts` accounts, beside an honest
    /// twin bonding all of it in one account; the attacker's edge is theirs minus the twin's.
    SybilStaker {
        /// Accounts the stake is split over.
        accounts: u64,
        /// `ugdc` in all.
        stake: u64,
    },
    /// Attack, flash staking: bonds `stake` in each epoch's last block and unbonds it in the
    /// next, to be counted at the epoch's close without holding stake through it.
    FlashStaker {
        /// How many.
        count: u64,
        /// `ugdc` each bonds.
        stake: u64,
    },
    /// Attack, buy-back sandwich: while the treasury defends the floor, buys GDC with `size`
    /// `uusd` `lead` blocks before each epoch's last block (0: in the buy-back's own batch) and
    /// sells what it bought in the block after.
    Sandwicher {
        /// How many.
        count: u64,
        /// `uusd` per purchase.
        size: u64,
        /// Blocks before the epoch's last block.
        lead: u64,
    },
    /// Attack, self-prompting: a fine-tuner that registers a fine-tune of its own `style` (in the
    /// third block) and prompts it itself, each block with a probability, to inflate that style's
    /// forecast demand and draw the treasury's style incentive into its model's vault. Its gain
    /// counts what its vault owes it.
    SelfPrompter {
        /// How many.
        count: u64,
        /// The style it declares.
        style: String,
        /// Probability per block of a job.
        activity: f64,
        /// Units per job.
        units: u64,
        /// The most it pays per unit.
        max_fee: u64,
    },
    /// Attack, oracle manipulation: staked oracle operators reporting the outside price times
    /// `1 − bias`, to make the treasury buy; the first of them sandwiches the buy-backs it hopes
    /// for with `size` `uusd`, a block ahead.
    OracleManipulator {
        /// How many operators.
        count: u64,
        /// How far under the outside price they report, 0 to 1.
        bias: f64,
        /// `uusd` per purchase.
        size: u64,
    },
    /// Attack, fee-market spam: a provider that also floods its class with `jobs` jobs of
    /// `units` units per block to push the compute base fee up, beside an honest twin provider
    /// of the same capacity and bond; the attacker's edge is its gain minus the twin's.
    Spammer {
        /// Jobs per block.
        jobs: u64,
        /// Units per job.
        units: u64,
        /// The most it pays per unit.
        max_fee: u64,
        /// Units per block each of the two offers.
        capacity: u64,
        /// Bond each posts.
        bond: u64,
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
    /// Prompters of model `from` prompt model `to` instead for `blocks` blocks from `at` (0 the
    /// base model, k the k-th fine-tune): demand moves from one style to another.
    StyleShift {
        /// First block.
        at: u64,
        /// How long.
        blocks: u64,
        /// The model prompted before.
        from: u64,
        /// The model prompted instead.
        to: u64,
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
            | Shock::StyleShift { at, blocks, .. }
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
        let fine_tunes: u64 = self
            .agents
            .iter()
            .filter(|p| matches!(p, Population::FineTuner { .. } | Population::SelfPrompter { .. }))
            .map(Population::count)
            .sum();
        for shock in &self.shocks {
            if let Shock::StyleShift { from, to, .. } = shock
                && (*from > fine_tunes || *to > fine_tunes)
            {
                return invalid("a style shift's models are 0 (the base model) or the number of a fine-tune");
            }
        }
        if self.styles().len() > 16 {
            return invalid("at most 16 styles");
        }
        for population in &self.agents {
            match population {
                Population::Prompter { style: Some(style), .. } if *style > fine_tunes => {
                    return invalid("a prompter's style is 0 (the base model) or the number of a fine-tune");
                }
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
                Population::Trader { activity, .. }
                | Population::Collector { activity, .. }
                | Population::LiquidityProvider { activity, .. }
                    if !(0.0..=1.0).contains(activity) =>
                {
                    return invalid("an activity is a probability");
                }
                Population::Prompter { list_share, .. } if !(0.0..=1.0).contains(list_share) => {
                    return invalid("a list share is a probability");
                }
                Population::Remixer { activity, list_share, units, .. }
                    if !(0.0..=1.0).contains(activity)
                        || !(0.0..=1.0).contains(list_share)
                        || *units == 0 =>
                {
                    return invalid(
                        "a remixer's activity and list share are probabilities, its units positive",
                    );
                }
                Population::FineTuner { style: Some(style), .. } | Population::SelfPrompter { style, .. }
                    if !is_label(style) =>
                {
                    return invalid("a style is 1 to 32 characters of a-z, 0-9 and -");
                }
                Population::SelfPrompter { activity, units, .. }
                    if !(0.0..=1.0).contains(activity) || *units == 0 =>
                {
                    return invalid("a self-prompter's activity is a probability, its units positive");
                }
                Population::OracleManipulator { bias, .. } if !(0.0..=1.0).contains(bias) => {
                    return invalid("an oracle manipulator's bias is between 0 and 1");
                }
                Population::Voter { propose_every, turnout, max_share, .. }
                    if *propose_every == 0
                        || !(0.0..=1.0).contains(turnout)
                        || !(0.0..=1.0).contains(max_share) =>
                {
                    return invalid(
                        "a voter proposes every positive number of blocks; its turnout and share are between 0 and 1",
                    );
                }
                Population::SybilStaker { accounts, stake } if *accounts == 0 || stake < accounts => {
                    return invalid("a sybil staker needs at least one account and one ugdc per account");
                }
                Population::Spammer { units, .. } if *units == 0 => {
                    return invalid("a spammer's jobs need units");
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
            | Population::DataContributor { count }
            | Population::Collector { count, .. }
            | Population::Remixer { count, .. }
            | Population::LiquidityProvider { count, .. }
            | Population::FineTuner { count, .. }
            | Population::StyleOracle { count }
            | Population::Custom { count, .. }
            | Population::SelfPrompter { count, .. }
            | Population::OracleOperator { count, .. }
            | Population::Trader { count, .. }
            | Population::Staker { count, .. }
            | Population::Voter { count, .. }
            | Population::WashTrader { count, .. }
            | Population::FlashStaker { count, .. }
            | Population::Sandwicher { count, .. }
            | Population::OracleManipulator { count, .. } => *count,
            // The twin first.
            Population::SybilStaker { accounts, .. } => accounts.saturating_add(1),
            Population::Spammer { .. } => 2,
        }
    }

    /// Whether it attacks the protocol; its accounts' gains are the attacker's PnL.
    pub fn attacks(&self) -> bool {
        matches!(
            self,
            Population::WashTrader { .. }
                | Population::SybilStaker { .. }
                | Population::FlashStaker { .. }
                | Population::Sandwicher { .. }
                | Population::OracleManipulator { .. }
                | Population::SelfPrompter { .. }
                | Population::Spammer { .. }
        )
    }

    /// Whether its agent of `rank` is the honest twin the attacker is measured against.
    pub fn is_twin(&self, rank: u64) -> bool {
        rank == 0 && matches!(self, Population::SybilStaker { .. } | Population::Spammer { .. })
    }

    /// Whether its agents observe the oracle's feeds.
    pub fn observes(&self) -> bool {
        matches!(
            self,
            Population::OracleOperator { .. }
                | Population::OracleManipulator { .. }
                | Population::StyleOracle { .. }
        )
    }

    /// The style of the models it registers, if it registers any.
    pub fn style(&self) -> Option<&str> {
        match self {
            Population::FineTuner { style, .. } => Some(style.as_deref().unwrap_or(GENERAL)),
            Population::SelfPrompter { style, .. } => Some(style),
            _ => None,
        }
    }
}

/// The base model's style.
pub const GENERAL: &str = "general";

/// Whether `text` is a style label.
fn is_label(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 32
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Scenario {
    /// Every style the scenario's models declare, the base model's first, each once.
    pub fn styles(&self) -> Vec<String> {
        let mut styles = vec![GENERAL.to_owned()];
        for style in self.agents.iter().filter_map(Population::style) {
            if !styles.iter().any(|s| s == style) {
                styles.push(style.to_owned());
            }
        }
        styles
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

/// The batch's points: the zipped sweeps move together (their `i`-th values make the `i`-th
/// step; they must have as many values each), and that one dimension is combined with every
/// other sweep as a cartesian product, in order. One point, with no override, without sweeps.
pub fn points(sweeps: &[Sweep], zipped: &[Sweep]) -> Result<Vec<Vec<(String, String)>>, ScenarioError> {
    let mut dimensions: Vec<Vec<Vec<(String, String)>>> = Vec::new();
    if let Some(first) = zipped.first() {
        if let Some(odd) = zipped.iter().find(|z| z.values.len() != first.values.len()) {
            return Err(ScenarioError::Invalid(format!(
                "zipped sweeps need as many values each: {} has {}, {} has {}",
                first.key,
                first.values.len(),
                odd.key,
                odd.values.len()
            )));
        }
        let steps = (0..first.values.len())
            .map(|i| zipped.iter().map(|z| (z.key.clone(), z.values[i].clone())).collect())
            .collect();
        dimensions.push(steps);
    }
    for sweep in sweeps {
        dimensions.push(sweep.values.iter().map(|v| vec![(sweep.key.clone(), v.clone())]).collect());
    }
    let mut points: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for dimension in &dimensions {
        points = points
            .into_iter()
            .flat_map(|point| {
                dimension.iter().map(move |step| {
                    let mut next = point.clone();
                    next.extend(step.iter().cloned());
                    next
                })
            })
            .collect();
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(text: &str) -> Sweep {
        text.parse().unwrap()
    }

    #[test]
    fn zipped_sweeps_move_together_and_combine_with_the_others_as_a_product() {
        let zipped = [sweep("a=1,2"), sweep("b=x,y")];
        let all = points(&[sweep("c=7,8,9")], &zipped).unwrap();
        assert_eq!(all.len(), 2 * 3);
        let pair = |a: &str, b: &str, c: &str| {
            vec![("a".to_string(), a.to_string()), ("b".into(), b.into()), ("c".into(), c.into())]
        };
        assert_eq!(all[0], pair("1", "x", "7"));
        assert_eq!(all[2], pair("1", "x", "9"));
        assert_eq!(all[3], pair("2", "y", "7"));
        assert_eq!(points(&[], &[]).unwrap(), vec![Vec::new()]);
    }

    #[test]
    fn zipped_sweeps_of_different_lengths_are_refused() {
        let error = points(&[], &[sweep("a=1,2"), sweep("b=1")]).unwrap_err();
        assert!(error.to_string().contains("as many values"), "{error}");
    }

    #[test]
    fn an_override_of_a_missing_key_is_refused() {
        let text = "name = \"t\"\nblocks = 5\n";
        let error = Scenario::parse(text, &[("genesis.nope.x".into(), "1".into())]).unwrap_err();
        assert!(matches!(error, ScenarioError::Override { .. }), "{error}");
    }
}
