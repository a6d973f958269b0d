//! One run: a chain in memory, the scenario's agents, and the block loop. Agents act only by
//! submitting transactions that go through `build_block` like anyone's; signatures are not made
//! nor checked (`SignatureCheck::Skip`), nothing else is skipped.

use std::collections::BTreeMap;

use atelier_primitives::{Address, Amount, Denom, Hash, Height, PublicKey, SecretKey, crypto::Signature};
use atelier_protocol::{
    BlockError, ExecutedBlock, Genesis, Header, Msg, SignatureCheck, SignedTx, Tx, build_block, init_chain,
    invariants,
    modules::{
        amm::{self, AmmGenesis, AmmMsg, Side, genesis::LpHolding},
        auth,
        bank::{self, AccountBalances, BankGenesis, BankParams, Coin},
        compute::{self, ClassCapacity, ComputeEvent, ComputeMsg, JobId},
        fees::{self, params::GasSchedule},
        oracle::{self, FeedId, Operator, OracleGenesis, OracleMsg},
        registry::{ContributorShares, DatasetId, DatasetWeight, ModelId, RegistryMsg},
        staking::{self, Checkpoint, StakingGenesis, Standing, genesis::StakerGenesis},
        treasury,
    },
    tx::ChainId,
};
use atelier_state::MemoryStore;

use crate::{
    rng::{Key, Stream},
    scenario::{Population, Scenario, Shock},
};

/// Milliseconds between simulated blocks.
pub const BLOCK_MS: u64 = 1_000;
/// The class every job runs on.
const CLASS: &str = "image-xl";
/// Blocks spent registering the dataset, model and providers before agents act.
pub const SETUP_BLOCKS: u64 = 2;

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

/// What one block measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Row {
    /// Height.
    pub block: u64,
    /// Gas the block used.
    pub gas_used: u64,
    /// Block-space base fee per gas.
    pub base_fee: u128,
    /// The class's compute base fee per unit.
    pub compute_base_fee: u128,
    /// The class's utilisation in the last block, in basis points.
    pub utilisation_bps: u64,
    /// Jobs waiting in the class's queue.
    pub queued: u64,
    /// Jobs submitted in the block.
    pub jobs_submitted: u64,
    /// Jobs admitted in the block.
    pub jobs_admitted: u64,
    /// Jobs settled since genesis.
    pub jobs_settled: u64,
    /// Swaps filled in the block.
    pub swaps: u64,
    /// The pool's price, uusd per ugdc × 10^12.
    pub price: u128,
    /// The treasury's `ugdc`.
    pub treasury_gdc: u128,
    /// The treasury's stable reserve, `uusd`.
    pub reserve: u128,
    /// `ugdc` burned since genesis.
    pub burned: u128,
    /// Transactions the proposer left out.
    pub skipped: u64,
    /// The oracle's published GDC/USD (0 before its first value).
    pub oracle_price: u128,
}

impl Row {
    /// The CSV header.
    pub const HEADER: &'static str = "block,gas_used,base_fee,compute_base_fee,utilisation_bps,queued,jobs_submitted,jobs_admitted,jobs_settled,swaps,price,treasury_gdc,reserve,burned,skipped,oracle_price";

    /// The metric names, in CSV order after `block`.
    pub const METRICS: [&'static str; 15] = [
        "gas_used",
        "base_fee",
        "compute_base_fee",
        "utilisation_bps",
        "queued",
        "jobs_submitted",
        "jobs_admitted",
        "jobs_settled",
        "swaps",
        "price",
        "treasury_gdc",
        "reserve",
        "burned",
        "skipped",
        "oracle_price",
    ];

    /// The metrics, in [`Row::METRICS`] order.
    pub fn values(&self) -> [u128; 15] {
        [
            u128::from(self.gas_used),
            self.base_fee,
            self.compute_base_fee,
            u128::from(self.utilisation_bps),
            u128::from(self.queued),
            u128::from(self.jobs_submitted),
            u128::from(self.jobs_admitted),
            u128::from(self.jobs_settled),
            u128::from(self.swaps),
            self.price,
            self.treasury_gdc,
            self.reserve,
            self.burned,
            u128::from(self.skipped),
            self.oracle_price,
        ]
    }

    /// One CSV line, without its newline.
    pub fn csv(&self) -> String {
        let values: Vec<String> = self.values().iter().map(u128::to_string).collect();
        format!("{},{}", self.block, values.join(","))
    }
}

/// A run in progress.
pub struct World {
    scenario: Scenario,
    key: Key,
    store: MemoryStore,
    head: Header,
    chain_id: ChainId,
    gas: GasSchedule,
    studio: (PublicKey, Address),
    agents: Vec<Agent>,
    nonces: BTreeMap<Address, u64>,
    /// Jobs assigned in the last block, by provider.
    assigned: Vec<(Address, JobId)>,
    /// The last `gdc_usd` round each oracle operator observed.
    observed: BTreeMap<Address, u64>,
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
        let operators: Vec<Address> = agents
            .iter()
            .filter(|a| matches!(scenario.agents[a.population], Population::OracleOperator { .. }))
            .map(|a| a.address)
            .collect();
        let genesis = genesis(scenario, &accounts, studio.1, &operators)?;
        let mut store = MemoryStore::new();
        let state = init_chain(&store, genesis).map_err(|e| RunError::Genesis(e.to_string()))?;
        store.commit(state.commit);
        let chain_id = state.header.chain_id.clone();
        let gas = fees::query::params(&store).map_err(|e| RunError::Genesis(e.to_string()))?.gas;
        Ok(World {
            scenario: scenario.clone(),
            key,
            store,
            head: state.header,
            chain_id,
            gas,
            studio,
            agents,
            nonces: BTreeMap::new(),
            assigned: Vec::new(),
            observed: BTreeMap::new(),
        })
    }

    /// The last committed header.
    pub fn head(&self) -> &Header {
        &self.head
    }

    fn tx(&mut self, sender: (PublicKey, Address), msgs: Vec<Msg>, base_fee: Amount) -> SignedTx {
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

    fn setup_msgs(&self, block: u64) -> Vec<((PublicKey, Address), Msg)> {
        let mut msgs = Vec::new();
        if block == 1 {
            let dataset = RegistryMsg::RegisterDataset {
                content_hash: Hash::digest("atelier/sim", &[b"dataset"]),
                license: "CC-BY-4.0".into(),
                contributors: vec![ContributorShares { contributor: self.studio.1, shares: 1 }],
            };
            msgs.push((self.studio, Msg::Registry(dataset)));
            for agent in &self.agents {
                if let Population::Provider { capacity, bond, .. } = &self.scenario.agents[agent.population] {
                    let register = ComputeMsg::RegisterProvider {
                        bond: Amount::new(u128::from(*bond)),
                        endpoint: "https://gpu.sim".into(),
                        capacities: vec![ClassCapacity { class: CLASS.into(), units: *capacity }],
                    };
                    msgs.push(((agent.key, agent.address), Msg::Compute(register)));
                }
            }
        } else if block == 2 {
            let model = RegistryMsg::RegisterModel {
                class: CLASS.into(),
                parent: None,
                datasets: vec![DatasetWeight { dataset: DatasetId(1), weight: atelier_primitives::Bps::ONE }],
                performance_fee: atelier_primitives::Bps::new(500).unwrap_or(atelier_primitives::Bps::ZERO),
            };
            msgs.push((self.studio, Msg::Registry(model)));
        }
        msgs
    }

    /// What the agents send in `block`.
    fn agent_msgs(
        &self,
        block: u64,
        compute_base_fee: u128,
        round: u64,
        pool_price: u128,
    ) -> Vec<((PublicKey, Address), Msg)> {
        let shocks = Shocks::at(&self.scenario.shocks, block);
        let (spike, outage, crash) = (shocks.demand, shocks.outage, shocks.crash);
        let mut msgs = Vec::new();
        for (index, agent) in self.agents.iter().enumerate() {
            let mut rng = Stream::new(Key { block, stream: index as u64, ..self.key });
            let sender = (agent.key, agent.address);
            match &self.scenario.agents[agent.population] {
                Population::Prompter { demand, elasticity, reference_fee, max_fee, tip, units, .. } => {
                    let price = compute_base_fee.max(1) as f64;
                    let p = demand * spike * (*reference_fee as f64 / price).powf(*elasticity);
                    if compute_base_fee <= u128::from(*max_fee) && rng.chance(p.min(1.0)) {
                        let job = job(*units, u128::from(*max_fee), u128::from(*tip), block, index as u64);
                        msgs.push((sender, Msg::Compute(job)));
                    }
                }
                Population::Provider { count, .. } => {
                    let down = (agent.rank as f64) < outage * *count as f64;
                    if !down {
                        for (_, job) in self.assigned.iter().filter(|(p, _)| *p == agent.address) {
                            let answer = ComputeMsg::SubmitResult {
                                job: *job,
                                output_hash: Hash::digest("atelier/sim/output", &[&job.0.to_le_bytes()]),
                            };
                            msgs.push((sender, Msg::Compute(answer)));
                        }
                    }
                }
                Population::OracleOperator { noise, .. } => {
                    if self.observed.get(&agent.address) != Some(&round) {
                        let error = noise * (2.0 * rng.unit() - 1.0);
                        let value = (pool_price as f64 * crash * (1.0 + error)).max(0.0) as u128;
                        let observe = OracleMsg::SubmitObservation { feed: FeedId::gdc_usd(), round, value };
                        msgs.push((sender, Msg::Oracle(observe)));
                    }
                }
                Population::Trader { activity, size, .. } => {
                    if rng.chance(*activity) {
                        let side = if rng.chance(0.5) { Side::SellGdc } else { Side::SellUsd };
                        let amount_in = Amount::new(rng.between(1, u128::from(*size)));
                        msgs.push((
                            sender,
                            Msg::Amm(AmmMsg::Swap { side, amount_in, min_out: Amount::ZERO }),
                        ));
                    }
                }
            }
        }
        msgs
    }

    /// Produces block `block` (from 1) and measures it.
    pub fn step(&mut self, block: u64) -> Result<Row, RunError> {
        let height = self.head.height.0 + 1;
        let fail = |reason: String| RunError::Block { height, reason };
        let base_fee = fees::query::base_fee(&self.store).map_err(|e| fail(e.to_string()))?;
        let class = compute::query::classes(&self.store)
            .map_err(|e| fail(e.to_string()))?
            .into_iter()
            .find(|c| c.name == CLASS)
            .ok_or_else(|| fail(format!("no class {CLASS}")))?;
        let msgs = if block <= SETUP_BLOCKS {
            self.setup_msgs(block)
        } else {
            let round = oracle::query::feed(&self.store, &FeedId::gdc_usd(), self.head.height)
                .map_err(|e| fail(e.to_string()))?
                .map_or(1, |f| f.round.number);
            let pool = amm::query::pool(&self.store).map_err(|e| fail(e.to_string()))?;
            let price = amm::math::price(pool.reserve_gdc.get(), pool.reserve_usd.get());
            let msgs = self.agent_msgs(block, class.base_fee.get(), round, price);
            for (sender, msg) in &msgs {
                if matches!(msg, Msg::Oracle(_)) {
                    self.observed.insert(sender.1, round);
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
        let executed =
            match build_block(&self.store, &self.head, time, proposer, txs, Vec::new(), SignatureCheck::Skip)
            {
                Ok(executed) => executed,
                // Debug builds check every invariant inside the block's execution.
                Err(BlockError::InvariantBroken(detail)) => {
                    return Err(RunError::Invariant { height, detail });
                }
                Err(error) => return Err(fail(error.to_string())),
            };
        // A left-out transaction did not use its nonce: the nonces are read back from the chain.
        let skipped = executed.skipped.len() as u64;
        self.commit(executed.clone());
        if skipped > 0 {
            self.resync_nonces().map_err(|e| fail(e.to_string()))?;
        }
        // Release builds check them here, after the block, when the scenario asks (debug builds
        // did inside the block).
        if self.scenario.check_invariants && !cfg!(debug_assertions) {
            let violations = invariants::check_all(&self.store).map_err(|e| fail(e.to_string()))?;
            if !violations.is_empty() {
                let detail: Vec<String> = violations.iter().map(ToString::to_string).collect();
                return Err(RunError::Invariant { height, detail: detail.join("; ") });
            }
        }
        self.measure(block, &executed, submitted as u64, skipped).map_err(|e| fail(e.to_string()))
    }

    fn commit(&mut self, executed: ExecutedBlock) {
        self.assigned = executed
            .end_block_events
            .iter()
            .filter_map(|e| match e {
                atelier_protocol::Event::Compute(ComputeEvent::JobAdmitted { job, provider, .. }) => {
                    Some((*provider, *job))
                }
                _ => None,
            })
            .collect();
        self.head = executed.block.header.clone();
        self.store.commit(executed.commit);
    }

    fn resync_nonces(&mut self) -> Result<(), atelier_state::StateError> {
        for (address, nonce) in self.nonces.iter_mut() {
            *nonce = auth::query::nonce(&self.store, address)?;
        }
        Ok(())
    }

    fn measure(
        &self,
        block: u64,
        executed: &ExecutedBlock,
        submitted: u64,
        skipped: u64,
    ) -> Result<Row, atelier_state::StateError> {
        let class = compute::query::classes(&self.store)?.into_iter().find(|c| c.name == CLASS);
        let pool = amm::query::pool(&self.store)?;
        let events =
            || executed.receipts.iter().flat_map(|r| r.events.iter()).chain(executed.end_block_events.iter());
        let count = |f: &dyn Fn(&atelier_protocol::Event) -> bool| events().filter(|e| f(e)).count() as u64;
        Ok(Row {
            block,
            gas_used: executed.block.header.gas_used,
            base_fee: executed.block.header.base_fee.get(),
            compute_base_fee: class.as_ref().map_or(0, |c| c.base_fee.get()),
            utilisation_bps: class.as_ref().map_or(0, |c| u64::from(c.utilisation.get())),
            queued: class.as_ref().map_or(0, |c| u64::from(c.queued)),
            jobs_submitted: submitted,
            jobs_admitted: count(&|e| {
                matches!(e, atelier_protocol::Event::Compute(ComputeEvent::JobAdmitted { .. }))
            }),
            jobs_settled: compute::jobs_settled(&self.store, CLASS)?,
            swaps: count(&|e| matches!(e, atelier_protocol::Event::Amm(amm::AmmEvent::SwapFilled { .. }))),
            price: amm::math::price(pool.reserve_gdc.get(), pool.reserve_usd.get()),
            treasury_gdc: bank::query::balance(&self.store, &treasury::account(), &Denom::GDC)?.get(),
            reserve: bank::query::balance(&self.store, &treasury::account(), &Denom::USD)?.get(),
            burned: bank::query::supply(&self.store, &Denom::GDC)?.burned.get(),
            skipped,
            oracle_price: oracle::query::feed(&self.store, &FeedId::gdc_usd(), self.head.height)?
                .and_then(|f| f.latest)
                .map_or(0, |p| p.value),
        })
    }
}

/// The shocks under way at a block, combined: demand multipliers multiply, the largest outage
/// share wins, price-crash factors multiply.
struct Shocks {
    demand: f64,
    outage: f64,
    crash: f64,
}

impl Shocks {
    fn at(shocks: &[Shock], block: u64) -> Shocks {
        let mut combined = Shocks { demand: 1.0, outage: 0.0, crash: 1.0 };
        for shock in shocks.iter().filter(|s| s.active(block)) {
            match shock {
                Shock::DemandSpike { factor, .. } => combined.demand *= factor,
                Shock::ProviderOutage { share, .. } => combined.outage = combined.outage.max(*share),
                Shock::PriceCrash { factor, .. } => combined.crash *= factor,
            }
        }
        combined
    }
}

/// Genesis time of simulated chains: 2026-01-01T00:00:00Z.
const GENESIS_TIME_MS: u64 = 1_767_225_600_000;

/// The simulation's genesis: every account funded in both denoms, the pool and the treasury
/// funded, the pool's liquidity the treasury's, the scenario's epoch length; module defaults
/// otherwise.
fn genesis(
    scenario: &Scenario,
    accounts: &[Address],
    issuer: Address,
    operators: &[Address],
) -> Result<Genesis, RunError> {
    let g = &scenario.genesis;
    let both = |amount: u64| {
        [Denom::GDC, Denom::USD].map(|denom| Coin { denom, amount: Amount::new(u128::from(amount)) }).to_vec()
    };
    let mut balances: Vec<AccountBalances> = accounts
        .iter()
        .map(|address| AccountBalances { address: *address, coins: both(g.balance) })
        .collect();
    balances.push(AccountBalances { address: treasury::account(), coins: both(g.treasury) });
    balances.push(AccountBalances { address: amm::account(), coins: both(g.pool_side) });
    let side = Amount::new(u128::from(g.pool_side));
    let supply = amm::math::sqrt_product(side.get(), side.get());
    if supply <= amm::math::MINIMUM_LIQUIDITY {
        return Err(RunError::Genesis("genesis.pool_side is too small for the pool's first mint".into()));
    }
    let holdings =
        vec![LpHolding { holder: treasury::account(), units: supply - amm::math::MINIMUM_LIQUIDITY }];
    let mut staking = StakingGenesis::default();
    staking.params.epoch_blocks = g.epoch_blocks;
    // Oracle operators start staked at the oracle's minimum and registered.
    let mut oracle = OracleGenesis::default();
    let stake = oracle.params.min_stake;
    for address in operators {
        let standing = Standing { bonded: stake, floor: stake, ..Standing::default() };
        let checkpoint = Checkpoint { from_height: Height(0), standing };
        staking.accounts.push(StakerGenesis { address: *address, checkpoint });
        oracle.operators.push(Operator { address: *address, since: Height(0), observations: 0, outliers: 0 });
    }
    if !operators.is_empty() {
        let bonded = Amount::new(stake.get().saturating_mul(operators.len() as u128));
        balances.push(AccountBalances {
            address: staking::account(),
            coins: vec![Coin { denom: Denom::GDC, amount: bonded }],
        });
    }
    oracle.params.max_operators = oracle.params.max_operators.max(operators.len().min(64) as u32);
    for feed in &mut oracle.params.feeds {
        feed.quorum = feed.quorum.min(operators.len().max(1) as u32);
        feed.heartbeat_blocks = 20;
        feed.staleness_blocks = 2 * g.epoch_blocks.max(20);
        feed.round_blocks = 10;
    }
    Ok(Genesis {
        chain_id: "atelier-sim".parse().map_err(|e| RunError::Genesis(format!("{e}")))?,
        genesis_time_ms: GENESIS_TIME_MS,
        initial_height: Height(1),
        auth: Default::default(),
        bank: BankGenesis { params: BankParams { stable_issuer: issuer }, balances, burned: Vec::new() },
        fees: Default::default(),
        registry: Default::default(),
        compute: Default::default(),
        provenance: Default::default(),
        revenue: Default::default(),
        market: Default::default(),
        staking,
        governance: Default::default(),
        clusters: Default::default(),
        amm: AmmGenesis {
            pool: amm::Pool {
                reserve_gdc: side,
                reserve_usd: side,
                lp_supply: supply,
                ..amm::Pool::default()
            },
            holdings,
            ..AmmGenesis::default()
        },
        oracle,
        treasury: Default::default(),
        compliance: Default::default(),
    })
}

fn job(units: u64, max_fee: u128, tip: u128, block: u64, agent: u64) -> ComputeMsg {
    ComputeMsg::SubmitJob {
        model: ModelId(1),
        units,
        max_fee_per_unit: Amount::new(max_fee),
        tip_per_unit: Amount::new(tip),
        prompt_hash: Hash::digest("atelier/sim/prompt", &[&block.to_le_bytes(), &agent.to_le_bytes()]),
        params_hash: Hash::ZERO,
        deterministic: true,
        parents: Vec::new(),
        policy: Default::default(),
    }
}
