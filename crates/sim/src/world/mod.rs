//! One run: a chain in memory, the scenario's agents, and the block loop. Agents act only by
//! submitting transactions that go through `build_block` like anyone's; signatures are not made
//! nor checked (`SignatureCheck::Skip`), nothing else is skipped. What each population sends is
//! in `agents.rs`; this module builds, commits and measures the blocks.

mod agents;

use std::{
    collections::{BTreeMap, VecDeque},
    time::{Duration, Instant},
};

use atelier_primitives::{Address, Amount, Denom, Hash, Height, PublicKey, SecretKey, crypto::Signature};
use atelier_protocol::{
    BlockError, BlockEvidence, Event, ExecutedBlock, Header, Msg, SignatureCheck, SignedTx, Tx, build_block,
    economy::gini_bps,
    init_chain, invariants,
    modules::{
        amm::{self, AmmEvent},
        auth, bank,
        compute::{self, ComputeEvent, ComputeMsg, JobId},
        fees::{self, params::GasSchedule},
        governance::{self, Action, GovernanceEvent, ProposalId},
        market::{ListingId, MarketEvent},
        oracle::{self, FeedId, OracleMsg},
        provenance::{self, AssetId},
        registry::{self, DatasetId, ModelId, RegistryEvent},
        revenue::{self, VaultId},
        staking, treasury,
    },
    tx::ChainId,
};
use atelier_state::{MemoryStore, StateError};

use self::agents::Market;
use crate::{
    genesis::genesis,
    metrics::Row,
    policy::Policies,
    rng::Key,
    scenario::{Population, Scenario},
};

/// Milliseconds between simulated blocks.
pub const BLOCK_MS: u64 = 1_000;
/// The class every job runs on.
const CLASS: &str = "image-xl";
/// Blocks spent registering datasets, providers and stakes (1), the base model (2) and its
/// fine-tunes (3) before agents act.
pub const SETUP_BLOCKS: u64 = 3;
/// Attackers stop this many blocks before a run's end, so what they started settles.
pub const WIND_DOWN_BLOCKS: u64 = 10;
/// Blocks a listing stays open.
const LISTING_BLOCKS: u64 = 100;
/// Open listings and recent outputs the world remembers for its collectors and remixers.
const REMEMBERED: usize = 1_024;

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The genesis is invalid.
    #[error("genesis: {0}")]
    Genesis(String),
    /// A block could not be built.
    #[error("block {height}: {reason}")]
    Block {
        /// Its height.
        height: u64,
        /// Why.
        reason: String,
    },
    /// An invariant broke: a bug in the protocol, recorded with the run.
    #[error("block {height}: invariant broken: {detail}")]
    Invariant {
        /// The height.
        height: u64,
        /// What broke.
        detail: String,
    },
    /// A custom population's policy failed, or none was given by its name.
    #[error("block {height}: policy {policy:?}: {reason}")]
    Policy {
        /// The height.
        height: u64,
        /// The policy's name.
        policy: String,
        /// Why.
        reason: String,
    },
}

/// One agent.
#[derive(Debug, Clone)]
struct Agent {
    /// Which population.
    population: usize,
    /// Its place in it.
    rank: u64,
    key: PublicKey,
    address: Address,
}

type Sender = (PublicKey, Address);

/// What an account holds, in base units: `ugdc` (liquid, bonded, unbonding, provider bond) and
/// `uusd`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Holdings {
    gdc: i128,
    usd: i128,
}

impl Holdings {
    /// What `account` holds: balances, stake, its provider bond, and what the vaults of `models`
    /// owe it.
    fn of(state: &MemoryStore, account: &Address, models: &[ModelId]) -> Result<Holdings, StateError> {
        let position = staking::query::position(state, account)?;
        let bond = compute::query::provider(state, account)?.map_or(0, |p| p.bond.get());
        let mut owed = 0;
        for model in models {
            owed += revenue::query::position(state, &VaultId::Model(*model), account)?
                .map_or(0, |p| p.claimable_gdc.get());
        }
        let gdc = bank::query::balance(state, account, &Denom::GDC)?.get()
            + position.bonded.get()
            + position.unbonding.iter().map(|u| u.amount.get()).sum::<u128>()
            + bond
            + owed;
        let usd = bank::query::balance(state, account, &Denom::USD)?.get();
        Ok(Holdings { gdc: gdc as i128, usd: usd as i128 })
    }

    /// The change from `start`, valued in `uusd` at `price` (`uusd` per `ugdc` × 10^12).
    fn gain_since(&self, start: &Holdings, price: u128) -> i128 {
        let scale = amm::math::PRICE_SCALE as i128;
        (self.usd - start.usd) + (self.gdc - start.gdc).saturating_mul(price as i128) / scale
    }
}

/// What changes only at an epoch's close, measured then and carried.
#[derive(Debug, Clone, Copy, Default)]
struct EpochMetrics {
    style_incentive_paid: i128,
    incentive_in_demand_bps: i128,
    forecast_error_milli: i128,
    naive_error_milli: i128,
    average: i128,
    cushion: i128,
    wall: i128,
    bought_back: i128,
    bought_burned: i128,
    reputation_gini_bps: i128,
    stake_gini_bps: i128,
}

/// What settled jobs and sales paid, by role, since genesis.
#[derive(Debug, Clone, Copy, Default)]
struct Flows {
    providers: i128,
    datasets: i128,
    fine_tuners: i128,
    treasury: i128,
    /// Sales' royalty stacks, dataset royalties and model fees.
    royalties: i128,
    /// Sales' protocol fees.
    market_fees: i128,
    /// Sales in the last block.
    sales: i128,
}

/// What governance did since genesis.
#[derive(Debug, Clone, Copy, Default)]
struct Governed {
    proposals: i128,
    executed: i128,
    defeated: i128,
    votes: i128,
}

/// A proposal whose voting is yet to start, as voters see it.
#[derive(Debug, Clone, Copy)]
struct Ballot {
    proposal: ProposalId,
    proposer: Address,
    snapshot: Height,
    voting_starts: u64,
    /// The `ugdc` its treasury spends ask for.
    ask: u128,
}

/// An open listing, as collectors see it.
#[derive(Debug, Clone, Copy)]
struct Open {
    listing: ListingId,
    price: u128,
    until: u64,
}

/// A run in progress.
pub struct World {
    scenario: Scenario,
    key: Key,
    store: MemoryStore,
    head: Header,
    chain_id: ChainId,
    gas: GasSchedule,
    epoch_blocks: u64,
    infra_cost: u128,
    studio: Sender,
    agents: Vec<Agent>,
    nonces: BTreeMap<Address, u64>,
    /// Jobs assigned in the last block, by provider.
    assigned: Vec<(Address, JobId)>,
    /// The last round of each feed each oracle operator observed.
    observed: BTreeMap<(Address, FeedId), u64>,
    /// Each style's forecast for the epoch under way, as the style oracles make it: the value,
    /// and the forecast's one-step error and the naive forecast's.
    forecasts: BTreeMap<String, (u128, Option<(f64, f64)>)>,
    /// Each self-prompter's model.
    own_models: BTreeMap<Address, ModelId>,
    /// What each attacker and twin held at genesis.
    start: BTreeMap<Address, Holdings>,
    epoch: EpochMetrics,
    flows: Flows,
    /// Datasets registered, by owner.
    datasets: BTreeMap<Address, DatasetId>,
    /// Models registered, in order: the base model first.
    models: Vec<ModelId>,
    /// Outputs minted in the last block, with their owners.
    minted: Vec<(Address, AssetId)>,
    /// The latest outputs, for remixers.
    recent: VecDeque<AssetId>,
    /// Open listings, oldest first.
    listings: VecDeque<Open>,
    /// Proposals whose voting has not started, by id.
    ballots: Vec<Ballot>,
    governed: Governed,
    /// Custom populations' policies, by name.
    policies: Policies,
    /// The last block's metrics, as custom policies see them.
    last: Row,
    timing: Timing,
}

/// Where a run's wall time went (not part of any result: it differs from run to run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timing {
    /// Agents choosing and building their transactions.
    pub agents: Duration,
    /// The protocol: building, executing and committing blocks, with the invariant checks every
    /// block runs from what it changed.
    pub protocol: Duration,
    /// Scanning the whole state for every invariant after each block, when the scenario asks
    /// (release builds; debug builds scan inside the protocol's time).
    pub invariants: Duration,
    /// Reading the metrics of each block.
    pub measuring: Duration,
}

impl Timing {
    /// The sum of two.
    pub fn plus(self, other: Timing) -> Timing {
        Timing {
            agents: self.agents + other.agents,
            protocol: self.protocol + other.protocol,
            invariants: self.invariants + other.invariants,
            measuring: self.measuring + other.measuring,
        }
    }
}

fn key_of(name: &str, index: u64) -> PublicKey {
    SecretKey::from_seed(Hash::digest("atelier/sim/agent", &[name.as_bytes(), &index.to_le_bytes()]).0)
        .public_key()
}

impl World {
    /// The world at genesis for `scenario` under `key` (its `block` and `stream` are ignored).
    pub fn new(scenario: &Scenario, key: Key) -> Result<World, RunError> {
        let studio_key = key_of("studio", 0);
        let studio = (studio_key, studio_key.address());
        let mut agents = Vec::new();
        for (population, group) in scenario.agents.iter().enumerate() {
            for rank in 0..group.count() {
                let key = key_of("agent", agents.len() as u64);
                agents.push(Agent { population, rank, key, address: key.address() });
            }
        }
        let accounts: Vec<Address> =
            std::iter::once(studio.1).chain(agents.iter().map(|a| a.address)).collect();
        let operators: Vec<Address> =
            agents.iter().filter(|a| scenario.agents[a.population].observes()).map(|a| a.address).collect();
        let genesis = genesis(scenario, &accounts, studio.1, &operators)?;
        let mut store = MemoryStore::new();
        let state = init_chain(&store, genesis).map_err(|e| RunError::Genesis(e.to_string()))?;
        store.commit(state.commit);
        let read = |e: StateError| RunError::Genesis(e.to_string());
        let gas = fees::query::params(&store).map_err(read)?.gas;
        let epoch_blocks = staking::query::params(&store).map_err(read)?.epoch_blocks;
        let infra_cost = treasury::query::params(&store).map_err(read)?.infra_cost_per_epoch.get();
        let mut start = BTreeMap::new();
        for agent in agents.iter().filter(|a| World::measured(scenario, a)) {
            start.insert(agent.address, Holdings::of(&store, &agent.address, &[]).map_err(read)?);
        }
        Ok(World {
            scenario: scenario.clone(),
            key,
            store,
            head: state.header.clone(),
            chain_id: state.header.chain_id,
            gas,
            epoch_blocks,
            infra_cost,
            studio,
            agents,
            nonces: BTreeMap::new(),
            assigned: Vec::new(),
            observed: BTreeMap::new(),
            forecasts: BTreeMap::new(),
            own_models: BTreeMap::new(),
            start,
            epoch: EpochMetrics::default(),
            flows: Flows::default(),
            datasets: BTreeMap::new(),
            models: Vec::new(),
            minted: Vec::new(),
            recent: VecDeque::new(),
            listings: VecDeque::new(),
            ballots: Vec::new(),
            governed: Governed::default(),
            policies: Policies::default(),
            last: Row::default(),
            timing: Timing::default(),
        })
    }

    /// The world with the policies its custom populations name.
    pub fn with_policies(mut self, policies: Policies) -> World {
        self.policies = policies;
        self
    }

    /// Whether an agent's gains are measured: attackers, and what they are measured against.
    fn measured(scenario: &Scenario, agent: &Agent) -> bool {
        let population = &scenario.agents[agent.population];
        population.attacks() || (population.observes() && scenario.agents.iter().any(|p| p.attacks()))
    }

    /// Where the run's time went so far.
    pub fn timing(&self) -> Timing {
        self.timing
    }

    /// The chain's state.
    pub fn store(&self) -> &MemoryStore {
        &self.store
    }

    /// The accounts of the scenario's `population`-th population, by rank.
    pub fn members(&self, population: usize) -> Vec<Address> {
        self.agents.iter().filter(|a| a.population == population).map(|a| a.address).collect()
    }

    /// The last committed header.
    pub fn head(&self) -> &Header {
        &self.head
    }

    fn tx(&mut self, sender: Sender, msgs: Vec<Msg>, base_fee: Amount) -> SignedTx {
        let nonce = *self.nonces.entry(sender.1).or_insert(0);
        let body = Tx {
            chain_id: self.chain_id.clone(),
            sender: sender.0,
            nonce,
            expiry_height: Height(u64::MAX),
            gas_limit: self.gas.tx_gas(&msgs),
            max_fee_per_gas: base_fee.saturating_add(base_fee).saturating_add(Amount::new(10)),
            max_priority_fee_per_gas: Amount::new(1),
            msgs,
        };
        SignedTx::new(body, Signature::from_array([0; 64]))
    }

    fn first_of_epoch(&self, height: u64) -> bool {
        height.is_multiple_of(self.epoch_blocks)
    }

    fn last_of_epoch(&self, height: u64) -> bool {
        height % self.epoch_blocks == self.epoch_blocks - 1
    }

    /// Produces block `block` (from 1) and measures it.
    pub fn step(&mut self, block: u64) -> Result<Row, RunError> {
        let height = self.head.height.0 + 1;
        let fail = |reason: String| RunError::Block { height, reason };
        let base_fee = fees::query::base_fee(&self.store).map_err(|e| fail(e.to_string()))?;
        let started = Instant::now();
        let msgs = if block <= SETUP_BLOCKS {
            self.setup_msgs(block)
        } else {
            let market = Market::read(&self.store, self.head.height).map_err(|e| fail(e.to_string()))?;
            let mut msgs = self.agent_msgs(block, &market).map_err(|e| fail(e.to_string()))?;
            msgs.extend(self.custom_msgs(block, height)?);
            for (sender, msg) in &msgs {
                if let Msg::Oracle(OracleMsg::SubmitObservation { feed, round, .. }) = msg {
                    self.observed.insert((sender.1, feed.clone()), *round);
                }
            }
            msgs
        };
        let submitted =
            msgs.iter().filter(|(_, m)| matches!(m, Msg::Compute(ComputeMsg::SubmitJob { .. }))).count();
        let mut txs = Vec::with_capacity(msgs.len());
        for (sender, msg) in msgs {
            let tx = self.tx(sender, vec![msg], base_fee);
            *self.nonces.entry(sender.1).or_insert(0) += 1;
            txs.push(tx);
        }
        let time = self.head.time_ms + BLOCK_MS;
        let proposer = Address::module("sim-proposer");
        let built = Instant::now();
        self.timing.agents += built - started;
        let executed = match build_block(
            &self.store,
            &self.head,
            time,
            proposer,
            txs,
            BlockEvidence::default(),
            SignatureCheck::Skip,
        ) {
            Ok(executed) => executed,
            // Debug builds check every invariant inside the block's execution.
            Err(BlockError::InvariantBroken(detail)) => {
                return Err(RunError::Invariant { height, detail });
            }
            Err(error) => return Err(fail(error.to_string())),
        };
        // A left-out transaction did not use its nonce: the nonces are read back from the chain.
        let skipped = executed.skipped.len() as u64;
        let events = self.commit(executed).map_err(|e| fail(e.to_string()))?;
        let committed = Instant::now();
        self.timing.protocol += committed - built;
        if skipped > 0 {
            self.resync_nonces().map_err(|e| fail(e.to_string()))?;
        }
        // Every block checked its invariants from what it changed; release builds scan the whole
        // state here when the scenario asks (debug builds did inside the block).
        if self.scenario.full_invariant_scan && !cfg!(debug_assertions) {
            let violations = invariants::check_all(&self.store).map_err(|e| fail(e.to_string()))?;
            if let Some(detail) = invariants::describe(&violations) {
                return Err(RunError::Invariant { height, detail });
            }
        }
        let checked = Instant::now();
        self.timing.invariants += checked - committed;
        let row = self.measure(block, &events, submitted as u64, skipped).map_err(|e| fail(e.to_string()))?;
        self.timing.measuring += checked.elapsed();
        self.last = row;
        Ok(row)
    }

    /// Applies the block and follows what happened in it; returns its events.
    fn commit(&mut self, executed: ExecutedBlock) -> Result<Vec<Event>, StateError> {
        let ExecutedBlock { block, receipts, end_block_events, commit, .. } = executed;
        let events: Vec<Event> =
            receipts.into_iter().flat_map(|r| r.events).chain(end_block_events).collect();
        self.assigned.clear();
        self.flows.sales = 0;
        let height = block.header.height.0;
        let mut settled = Vec::new();
        let mut proposed = Vec::new();
        for event in &events {
            match event {
                Event::Compute(ComputeEvent::JobAdmitted { job, provider, .. }) => {
                    self.assigned.push((*provider, *job));
                }
                Event::Registry(RegistryEvent::DatasetRegistered { dataset, owner, .. }) => {
                    self.datasets.insert(*owner, *dataset);
                }
                Event::Registry(RegistryEvent::ModelRegistered { model, owner, .. }) => {
                    self.models.push(*model);
                    self.own_models.insert(*owner, *model);
                }
                Event::Compute(ComputeEvent::JobSettled {
                    treasury,
                    datasets,
                    fine_tuners,
                    provider_paid,
                    asset,
                    ..
                }) => {
                    self.flows.providers += provider_paid.get() as i128;
                    self.flows.datasets += datasets.get() as i128;
                    self.flows.fine_tuners += fine_tuners.get() as i128;
                    self.flows.treasury += treasury.get() as i128;
                    settled.push(*asset);
                }
                Event::Market(MarketEvent::Listed { listing, price, .. }) => {
                    let until = height + LISTING_BLOCKS;
                    remember(&mut self.listings, Open { listing: *listing, price: price.get(), until });
                }
                Event::Market(MarketEvent::Sold { listing, protocol_fee, royalties, .. }) => {
                    self.listings.retain(|o| o.listing != *listing);
                    self.flows.royalties += royalties.get() as i128;
                    self.flows.market_fees += protocol_fee.get() as i128;
                    self.flows.sales += 1;
                }
                Event::Market(MarketEvent::Cancelled { listing }) => {
                    self.listings.retain(|o| o.listing != *listing);
                }
                Event::Governance(GovernanceEvent::Proposed { proposal, .. }) => {
                    self.governed.proposals += 1;
                    proposed.push(*proposal);
                }
                Event::Governance(GovernanceEvent::Voted { .. }) => self.governed.votes += 1,
                Event::Governance(GovernanceEvent::Executed { .. }) => self.governed.executed += 1,
                Event::Governance(GovernanceEvent::Defeated { .. }) => self.governed.defeated += 1,
                _ => {}
            }
        }
        self.listings.retain(|o| o.until > height);
        self.ballots.retain(|b| b.voting_starts > height);
        self.head = block.header;
        self.store.commit(commit);
        self.minted.clear();
        for asset in settled {
            if let Some(minted) = provenance::query::asset(&self.store, asset)? {
                self.minted.push((minted.owner, asset));
            }
            remember(&mut self.recent, asset);
        }
        for id in proposed {
            if let Some(governance::query::ProposalView { proposal, .. }) =
                governance::query::proposal(&self.store, id, self.head.height)?
            {
                let ask = proposal
                    .actions
                    .iter()
                    .map(|a| match a {
                        Action::TreasurySpend { denom: Denom::GDC, amount, .. } => amount.get(),
                        _ => 0,
                    })
                    .sum();
                self.ballots.push(Ballot {
                    proposal: id,
                    proposer: proposal.proposer,
                    snapshot: proposal.snapshot,
                    voting_starts: proposal.voting_starts.0,
                    ask,
                });
            }
        }
        Ok(events)
    }

    fn resync_nonces(&mut self) -> Result<(), StateError> {
        for (address, nonce) in self.nonces.iter_mut() {
            *nonce = auth::query::nonce(&self.store, address)?;
        }
        Ok(())
    }

    /// Every agent's reputation now.
    pub fn reputations(&self) -> Result<Vec<u128>, StateError> {
        self.agents
            .iter()
            .map(|a| Ok(staking::query::position(&self.store, &a.address)?.reputation))
            .collect()
    }

    /// Reads what changes only when an epoch closes.
    fn measure_epoch(&mut self, height: u64) -> Result<(), StateError> {
        let epoch = height / self.epoch_blocks;
        if let Some(report) = treasury::query::report(&self.store, epoch)? {
            self.epoch.average = report.average as i128;
            self.epoch.cushion = report.cushion as i128;
            self.epoch.wall = report.wall as i128;
            let paid: u128 = report.steering.incentives.iter().map(|i| i.amount.get()).sum();
            self.epoch.style_incentive_paid += paid as i128;
            // The style asked for most in the epoch, and the share of its incentive that went there.
            self.epoch.incentive_in_demand_bps = match report.styles.first() {
                Some(top) if paid > 0 => {
                    let there: u128 = report
                        .steering
                        .incentives
                        .iter()
                        .filter(|i| i.style == top.style)
                        .map(|i| i.amount.get())
                        .sum();
                    (there * 10_000 / paid) as i128
                }
                _ => 0,
            };
        }
        if self.scenario.agents.iter().any(|p| matches!(p, Population::StyleOracle { .. })) {
            self.forecast_styles(height / self.epoch_blocks + 1)?;
        }
        let book = treasury::query::book(&self.store)?;
        self.epoch.bought_back = book.bought_with.get() as i128;
        self.epoch.bought_burned = book.burned.get() as i128;
        // Among the agents holding any, as the chain's own economy measures it.
        let held = |values: Vec<u128>| values.into_iter().filter(|v| *v > 0).collect::<Vec<u128>>();
        self.epoch.reputation_gini_bps = gini_bps(&held(self.reputations()?));
        let stakes: Vec<u128> = self
            .agents
            .iter()
            .map(|a| Ok(staking::query::position(&self.store, &a.address)?.bonded.get()))
            .collect::<Result<_, StateError>>()?;
        self.epoch.stake_gini_bps = gini_bps(&held(stakes));
        Ok(())
    }

    /// Each style's demand forecast for `epoch` from the epochs before it (at most 48), as the
    /// oracle agents' `chain` demand measure makes it, and the forecasts' mean errors.
    fn forecast_styles(&mut self, epoch: u64) -> Result<(), StateError> {
        let past: Vec<Vec<registry::StyleDemand>> = (epoch.saturating_sub(48)..epoch)
            .map(|e| registry::query::style_demand(&self.store, e))
            .collect::<Result<_, _>>()?;
        self.forecasts.clear();
        let (mut errors, mut naive, mut fitted) = (0.0, 0.0, 0u32);
        for style in self.scenario.styles() {
            let units: Vec<f64> = past
                .iter()
                .map(|demands| demands.iter().find(|d| d.style == style).map_or(0.0, |d| d.units as f64))
                .collect();
            let Some((next, fit)) = atelier_forecast::next_step(&units) else { continue };
            if let Some((error, naive_error)) = fit {
                errors += error;
                naive += naive_error;
                fitted += 1;
            }
            self.forecasts.insert(style, (next.max(0.0).round() as u128, fit));
        }
        if fitted > 0 {
            self.epoch.forecast_error_milli = (errors / f64::from(fitted) * 1_000.0).round() as i128;
            self.epoch.naive_error_milli = (naive / f64::from(fitted) * 1_000.0).round() as i128;
        }
        Ok(())
    }

    /// The attackers' gains and reputation beyond their twins', at `price`.
    fn attack_edge(&self, price: u128) -> Result<(i128, i128), StateError> {
        let honest_operators: Vec<&Agent> = self
            .agents
            .iter()
            .filter(|a| matches!(self.scenario.agents[a.population], Population::OracleOperator { .. }))
            .collect();
        let (mut pnl, mut reputation) = (0i128, 0i128);
        for (index, population) in self.scenario.agents.iter().enumerate().filter(|(_, p)| p.attacks()) {
            let members = self.agents.iter().filter(|a| a.population == index);
            let (attackers, twins): (Vec<&Agent>, Vec<&Agent>) =
                members.partition(|a| !population.is_twin(a.rank));
            let (gain, held) = self.gains(&attackers, price)?;
            pnl += gain;
            reputation += held;
            if !twins.is_empty() {
                let (gain, held) = self.gains(&twins, price)?;
                pnl -= gain;
                reputation -= held;
            } else if matches!(population, Population::OracleManipulator { .. })
                && !honest_operators.is_empty()
            {
                // Operators are measured against the honest ones, scaled to their number.
                let (gain, held) = self.gains(&honest_operators, price)?;
                let scale = |v: i128| v * attackers.len() as i128 / honest_operators.len() as i128;
                pnl -= scale(gain);
                reputation -= scale(held);
            }
        }
        Ok((pnl, reputation))
    }

    /// The summed gains and reputation of `agents`.
    fn gains(&self, agents: &[&Agent], price: u128) -> Result<(i128, i128), StateError> {
        let (mut gain, mut reputation) = (0i128, 0i128);
        for agent in agents {
            let start = self.start.get(&agent.address).copied().unwrap_or_default();
            gain += Holdings::of(&self.store, &agent.address, &self.models)?.gain_since(&start, price);
            reputation += staking::query::position(&self.store, &agent.address)?.reputation as i128;
        }
        Ok((gain, reputation))
    }

    fn measure(
        &mut self,
        block: u64,
        events: &[Event],
        submitted: u64,
        skipped: u64,
    ) -> Result<Row, StateError> {
        let height = self.head.height.0;
        if block == 1 || self.last_of_epoch(height) {
            self.measure_epoch(height)?;
        }
        let class = compute::query::classes(&self.store)?.into_iter().find(|c| c.name == CLASS);
        let pool = amm::query::pool(&self.store)?;
        let price = amm::math::price(pool.reserve_gdc.get(), pool.reserve_usd.get());
        let count = |f: &dyn Fn(&Event) -> bool| events.iter().filter(|e| f(e)).count() as i128;
        let reserve = bank::query::balance(&self.store, &treasury::account(), &Denom::USD)?.get();
        let (attacker_pnl, attacker_reputation) =
            if self.start.is_empty() { (0, 0) } else { self.attack_edge(price)? };
        let int = |v: u128| v as i128;
        Ok(Row {
            block,
            gas_used: i128::from(self.head.gas_used),
            base_fee: int(self.head.base_fee.get()),
            compute_base_fee: class.as_ref().map_or(0, |c| int(c.base_fee.get())),
            utilisation_bps: class.as_ref().map_or(0, |c| i128::from(c.utilisation.get())),
            queued: class.as_ref().map_or(0, |c| i128::from(c.queued)),
            jobs_submitted: i128::from(submitted),
            jobs_admitted: count(&|e| matches!(e, Event::Compute(ComputeEvent::JobAdmitted { .. }))),
            jobs_settled: i128::from(compute::jobs_settled(&self.store, CLASS)?),
            swaps: count(&|e| matches!(e, Event::Amm(AmmEvent::SwapFilled { .. }))),
            price: int(price),
            treasury_gdc: int(bank::query::balance(&self.store, &treasury::account(), &Denom::GDC)?.get()),
            reserve: int(reserve),
            runway_epochs: reserve.checked_div(self.infra_cost).map_or(0, int),
            burned: int(bank::query::supply(&self.store, &Denom::GDC)?.burned.get()),
            skipped: i128::from(skipped),
            oracle_price: oracle::query::feed(&self.store, &FeedId::gdc_usd(), self.head.height)?
                .and_then(|f| f.latest)
                .map_or(0, |p| int(p.value)),
            average: self.epoch.average,
            cushion: self.epoch.cushion,
            wall: self.epoch.wall,
            bought_back: self.epoch.bought_back,
            bought_burned: self.epoch.bought_burned,
            paid_providers: self.flows.providers,
            paid_datasets: self.flows.datasets,
            paid_fine_tuners: self.flows.fine_tuners,
            paid_treasury: self.flows.treasury,
            sales: self.flows.sales,
            paid_royalties: self.flows.royalties,
            market_fees: self.flows.market_fees,
            reputation_gini_bps: self.epoch.reputation_gini_bps,
            stake_gini_bps: self.epoch.stake_gini_bps,
            proposals: self.governed.proposals,
            proposals_executed: self.governed.executed,
            proposals_defeated: self.governed.defeated,
            votes: self.governed.votes,
            attacker_pnl,
            attacker_reputation,
            style_incentive_paid: self.epoch.style_incentive_paid,
            incentive_in_demand_bps: self.epoch.incentive_in_demand_bps,
            forecast_error_milli: self.epoch.forecast_error_milli,
            naive_error_milli: self.epoch.naive_error_milli,
        })
    }
}

/// Keeps at most [`REMEMBERED`] items, dropping the oldest.
fn remember<T>(items: &mut VecDeque<T>, item: T) {
    if items.len() == REMEMBERED {
        items.pop_front();
    }
    items.push_back(item);
}
