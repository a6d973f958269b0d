//! What each population sends in a block: setup, then every agent's behaviour, read from the
//! committed state and the last block's events.

use std::collections::BTreeSet;

use atelier_primitives::{Address, Amount, Bps, Denom, Hash, Height};
use atelier_protocol::{
    Msg,
    modules::{
        amm::{self, AmmMsg, Side},
        bank,
        compute::{self, ClassCapacity, ComputeMsg},
        governance::{Action, Choice, GovernanceMsg},
        market::{Item, MarketMsg},
        oracle::{self, FeedId, OracleMsg},
        provenance::AssetId,
        registry::{ContributorShares, DatasetId, DatasetWeight, ModelId, RegistryMsg},
        staking::{self, StakingMsg},
        treasury,
    },
};
use atelier_state::{MemoryStore, StateError};

use super::{Agent, CLASS, LISTING_BLOCKS, Open, RunError, Sender, WIND_DOWN_BLOCKS, World};
use crate::{
    policy::{AgentView, View},
    rng::{Key, Stream},
    scenario::{Population, Shock},
};

/// The first stream of custom policies' seeds (one per population, after every agent's).
const POLICY_STREAM: u64 = 1 << 32;

impl World {
    pub(super) fn setup_msgs(&self, block: u64) -> Vec<(Sender, Msg)> {
        let mut msgs = Vec::new();
        if block == 1 {
            let dataset = RegistryMsg::RegisterDataset {
                content_hash: Hash::digest("atelier/sim", &[b"dataset"]),
                license: "CC-BY-4.0".into(),
                contributors: vec![ContributorShares { contributor: self.studio.1, shares: 1 }],
            };
            msgs.push((self.studio, Msg::Registry(dataset)));
            for agent in &self.agents {
                let sender = (agent.key, agent.address);
                let stake =
                    |amount: u64| Msg::Staking(StakingMsg::Stake { amount: Amount::new(amount.into()) });
                match &self.scenario.agents[agent.population] {
                    Population::Provider { capacity, bond, stake: amount, .. } => {
                        msgs.push((sender, Msg::Compute(register_provider(*capacity, *bond))));
                        if *amount > 0 {
                            msgs.push((sender, stake(*amount)));
                        }
                    }
                    Population::Spammer { capacity, bond, .. } => {
                        msgs.push((sender, Msg::Compute(register_provider(*capacity, *bond))));
                    }
                    Population::DataContributor { .. } => {
                        let dataset = RegistryMsg::RegisterDataset {
                            content_hash: Hash::digest("atelier/sim/dataset", &[&agent.address.0]),
                            license: "CC-BY-4.0".into(),
                            contributors: vec![ContributorShares { contributor: agent.address, shares: 1 }],
                        };
                        msgs.push((sender, Msg::Registry(dataset)));
                    }
                    Population::Staker { stake: amount, .. } | Population::Voter { stake: amount, .. } => {
                        msgs.push((sender, stake(*amount)))
                    }
                    Population::SybilStaker { accounts, stake: amount } => {
                        let share = if agent.rank == 0 { *amount } else { amount / accounts };
                        msgs.push((sender, stake(share)));
                    }
                    _ => {}
                }
            }
        } else if block == 2 {
            // Trained on the contributors' datasets evenly (the studio's own without any).
            let contributed: Vec<DatasetId> =
                self.datasets.iter().filter(|(owner, _)| **owner != self.studio.1).map(|(_, d)| *d).collect();
            let trained_on = if contributed.is_empty() { vec![DatasetId(1)] } else { contributed };
            let share = Bps::SCALE as u32 / trained_on.len() as u32;
            let datasets = trained_on
                .iter()
                .enumerate()
                .map(|(i, dataset)| {
                    let rest = if i == 0 { Bps::SCALE as u32 - share * trained_on.len() as u32 } else { 0 };
                    DatasetWeight { dataset: *dataset, weight: Bps::new(share + rest).unwrap_or(Bps::ZERO) }
                })
                .collect();
            let model = RegistryMsg::RegisterModel {
                class: CLASS.into(),
                // The simulator settles hashes: a model's weights are named, not loaded.
                weights_hash: atelier_primitives::Hash::blob(b"the simulated base model"),
                parent: None,
                datasets,
                performance_fee: Bps::new(500).unwrap_or(Bps::ZERO),
                style: String::new(),
            };
            msgs.push((self.studio, Msg::Registry(model)));
        } else if block == 3 {
            for agent in &self.agents {
                let population = &self.scenario.agents[agent.population];
                let fee = match population {
                    Population::FineTuner { performance_fee_bps, .. } => u32::from(*performance_fee_bps),
                    Population::SelfPrompter { .. } => 500,
                    _ => continue,
                };
                let model = RegistryMsg::RegisterModel {
                    class: CLASS.into(),
                    weights_hash: atelier_primitives::Hash::blob(&agent.address.0),
                    parent: self.models.first().copied(),
                    datasets: Vec::new(),
                    performance_fee: Bps::new(fee).unwrap_or(Bps::ZERO),
                    style: population.style().unwrap_or_default().to_owned(),
                };
                msgs.push(((agent.key, agent.address), Msg::Registry(model)));
            }
        }
        msgs
    }

    /// What the agents send in `block`.
    pub(super) fn agent_msgs(&self, block: u64, market: &Market) -> Result<Vec<(Sender, Msg)>, StateError> {
        let shocks = Shocks::at(&self.scenario.shocks, block);
        let attacking = block + WIND_DOWN_BLOCKS <= self.scenario.blocks;
        let height = self.head.height.0 + 1;
        let mut msgs = Vec::new();
        let mut bought = BTreeSet::new();
        // What the style oracles read, once for all of them: each demand feed's spec and open
        // round and value, with the forecast of its style.
        let mut demand_feeds = Vec::new();
        if !self.forecasts.is_empty() {
            let params = oracle::query::params(&self.store)?;
            for (style, (forecast, _)) in &self.forecasts {
                let feed = FeedId(format!("demand/{style}"));
                if let (Some(spec), Some(view)) =
                    (params.feed(&feed).cloned(), oracle::query::feed(&self.store, &feed, self.head.height)?)
                {
                    demand_feeds.push((feed, spec, view, *forecast));
                }
            }
        }
        for (index, agent) in self.agents.iter().enumerate() {
            let mut rng = Stream::new(Key { block, stream: index as u64, ..self.key });
            let sender = (agent.key, agent.address);
            let mut send = |msg: Msg| msgs.push((sender, msg));
            let population = &self.scenario.agents[agent.population];
            if let Population::Provider { .. } | Population::Spammer { .. } = population {
                let down = match population {
                    Population::Provider { count, .. } => (agent.rank as f64) < shocks.outage * *count as f64,
                    _ => false,
                };
                if !down {
                    self.answers(agent).into_iter().for_each(&mut send);
                }
            }
            if let Population::Prompter { list_share, price, .. }
            | Population::Remixer { list_share, price, .. } = population
            {
                for (_, asset) in self.minted.iter().filter(|(owner, _)| *owner == agent.address) {
                    if rng.chance(*list_share) {
                        send(list(*asset, *price));
                    }
                }
            }
            match population {
                Population::Collector { activity, max_price, .. } if rng.chance(*activity) => {
                    let affordable: Vec<&Open> = self
                        .listings
                        .iter()
                        .filter(|o| o.price <= u128::from(*max_price) && !bought.contains(&o.listing))
                        .collect();
                    if !affordable.is_empty() {
                        let open = affordable[rng.between(0, affordable.len() as u128 - 1) as usize];
                        bought.insert(open.listing);
                        let buy =
                            MarketMsg::Buy { listing: open.listing, max_price: Amount::new(open.price) };
                        send(Msg::Market(buy));
                    }
                }
                Population::Remixer { activity, units, max_fee, .. } if rng.chance(*activity) => {
                    let parent =
                        self.recent.get(rng.between(0, self.recent.len().saturating_sub(1) as u128) as usize);
                    if let (Some(parent), Some(model)) = (parent, self.models.first()) {
                        let mut remix = job(*model, *units, (*max_fee).into(), 0, block, index as u64);
                        if let Msg::Compute(ComputeMsg::SubmitJob { parents, .. }) = &mut remix {
                            parents.push(*parent);
                        }
                        send(remix);
                    }
                }
                Population::LiquidityProvider { activity, amount, .. } if rng.chance(*activity) => {
                    let units = amm::query::lp_units(&self.store, &agent.address)?;
                    if units == 0 {
                        let usd = u128::from(*amount).saturating_mul(market.price) / amm::math::PRICE_SCALE;
                        send(Msg::Amm(AmmMsg::AddLiquidity {
                            max_gdc: Amount::new((*amount).into()),
                            max_usd: Amount::new(usd + usd / 100 + 1),
                            min_lp: 0,
                        }));
                    } else {
                        send(Msg::Amm(AmmMsg::RemoveLiquidity {
                            lp: units,
                            min_gdc: Amount::ZERO,
                            min_usd: Amount::ZERO,
                        }));
                    }
                }
                Population::Prompter {
                    demand,
                    elasticity,
                    reference_fee,
                    max_fee,
                    tip,
                    units,
                    style,
                    ..
                } => {
                    let price = market.compute_base_fee.max(1) as f64;
                    let p = demand * shocks.demand * (*reference_fee as f64 / price).powf(*elasticity);
                    if market.compute_base_fee <= u128::from(*max_fee) && rng.chance(p.min(1.0)) {
                        let choice = match style {
                            Some(style) => shocks.shifted(*style) as usize,
                            None => rng.between(0, self.models.len().saturating_sub(1) as u128) as usize,
                        };
                        if let Some(model) = self.models.get(choice) {
                            send(job(*model, *units, (*max_fee).into(), (*tip).into(), block, index as u64));
                        }
                    }
                }
                Population::Provider { cost, .. } if *cost > 0 && self.first_of_epoch(height) => {
                    if let Some(msg) = self.adjusted_capacity(agent, *cost, market.compute_base_fee)? {
                        send(msg);
                    }
                }
                Population::DataContributor { .. } if self.last_of_epoch(height) => {
                    if let Some(dataset) = self.datasets.get(&agent.address) {
                        send(Msg::Registry(RegistryMsg::ClaimRoyalties { dataset: *dataset }));
                    }
                }
                Population::OracleOperator { noise, .. }
                    if self.observed.get(&(agent.address, FeedId::gdc_usd())) != Some(&market.round) =>
                {
                    let error = noise * (2.0 * rng.unit() - 1.0);
                    let value = market.price as f64 * shocks.crash * (1.0 + error);
                    send(observation(market.round, value));
                }
                Population::Voter { count, propose_every, ask, turnout, max_share, .. } => {
                    if agent.rank == 0 && block.is_multiple_of(*propose_every) && self.may_propose(agent)? {
                        send(proposal(agent.address, *ask));
                    }
                    // The k-th of n voters grants at most k / n × max_share of the treasury's GDC.
                    let tolerated =
                        (agent.rank + 1) as f64 / *count as f64 * max_share * market.treasury_gdc as f64;
                    for ballot in self.ballots.iter().filter(|b| b.voting_starts == height) {
                        let power =
                            staking::query::reputation_at(&self.store, &agent.address, ballot.snapshot)?;
                        if power == 0 || !rng.chance(*turnout) {
                            continue;
                        }
                        let choice = if ballot.proposer == agent.address || ballot.ask as f64 <= tolerated {
                            Choice::For
                        } else {
                            Choice::Against
                        };
                        send(Msg::Governance(GovernanceMsg::Vote { proposal: ballot.proposal, choice }));
                    }
                }
                Population::Trader { activity, size, .. } if rng.chance(*activity) => {
                    let side = if rng.chance(0.5) { Side::SellGdc } else { Side::SellUsd };
                    send(swap(side, rng.between(1, u128::from(*size))));
                }
                Population::WashTrader { size, .. } if attacking => {
                    if block.is_multiple_of(2) {
                        send(swap(Side::SellUsd, (*size).into()));
                    } else if let Some(msg) = self.sell_what_was_bought(agent)? {
                        send(msg);
                    }
                }
                Population::FlashStaker { stake, .. } => {
                    let position = staking::query::position(&self.store, &agent.address)?;
                    if attacking && self.last_of_epoch(height) {
                        send(Msg::Staking(StakingMsg::Stake { amount: Amount::new((*stake).into()) }));
                    } else if self.first_of_epoch(height) && !position.bonded.is_zero() {
                        send(Msg::Staking(StakingMsg::Unstake { amount: position.bonded }));
                    }
                    if position.unbonding.iter().any(|u| u.release_at.0 <= height) {
                        send(Msg::Staking(StakingMsg::Withdraw {}));
                    }
                }
                Population::Sandwicher { size, lead, .. } => {
                    if let Some(msg) =
                        self.sandwich(agent, height, *lead, *size, attacking && market.defending)?
                    {
                        send(msg);
                    }
                }
                Population::OracleManipulator { bias, size, .. } => {
                    if self.observed.get(&(agent.address, FeedId::gdc_usd())) != Some(&market.round) {
                        let value = market.price as f64 * shocks.crash * (1.0 - bias);
                        send(observation(market.round, value));
                    }
                    if agent.rank == 0
                        && let Some(msg) =
                            self.sandwich(agent, height, 1, *size, attacking && market.defending)?
                    {
                        send(msg);
                    }
                }
                Population::StyleOracle { .. } => {
                    for (feed, spec, view, forecast) in &demand_feeds {
                        let round = view.round.number;
                        if self.observed.get(&(agent.address, feed.clone())) != Some(&round)
                            && spec.worth_observing(
                                &view.round,
                                view.latest.as_ref(),
                                *forecast,
                                Height(height),
                            )
                        {
                            let feed = feed.clone();
                            send(Msg::Oracle(OracleMsg::SubmitObservation { feed, round, value: *forecast }));
                        }
                    }
                }
                Population::SelfPrompter { activity, units, max_fee, .. }
                    if attacking && rng.chance(*activity) =>
                {
                    if let Some(model) = self.own_models.get(&agent.address) {
                        send(job(*model, *units, (*max_fee).into(), 0, block, index as u64));
                    }
                }
                Population::Spammer { jobs, units, max_fee, .. } if attacking && agent.rank == 1 => {
                    for (n, model) in (0..*jobs).zip(std::iter::repeat(self.models.first()).flatten()) {
                        let id = index as u64 * 1_000_000 + n;
                        send(job(*model, *units, (*max_fee).into(), 0, block, id));
                    }
                }
                _ => {}
            }
        }
        Ok(msgs)
    }

    /// What the custom populations' policies send in `block` (at `height`).
    pub(super) fn custom_msgs(&self, block: u64, height: u64) -> Result<Vec<(Sender, Msg)>, RunError> {
        let mut msgs = Vec::new();
        for (population, group) in self.scenario.agents.iter().enumerate() {
            let Population::Custom { policy: name, .. } = group else { continue };
            let failed = |reason: String| RunError::Policy { height, policy: name.clone(), reason };
            let policy =
                self.policies.get(name).ok_or_else(|| failed("no policy by this name was given".into()))?;
            let members: Vec<&Agent> = self.agents.iter().filter(|a| a.population == population).collect();
            let mut agents = Vec::with_capacity(members.len());
            for agent in &members {
                let balance = |denom: &Denom| {
                    bank::query::balance(&self.store, &agent.address, denom)
                        .map(|a| a.get())
                        .map_err(|e| failed(e.to_string()))
                };
                agents.push(AgentView {
                    rank: agent.rank,
                    address: agent.address,
                    ugdc: balance(&Denom::GDC)?,
                    uusd: balance(&Denom::USD)?,
                });
            }
            let seed =
                Stream::new(Key { block, stream: POLICY_STREAM + population as u64, ..self.key }).next_u64();
            let view = View {
                policy: name.clone(),
                block,
                point: self.key.point,
                run: self.key.run,
                seed,
                last: self.last,
                agents,
            };
            for (rank, msg) in policy.decide(&view).map_err(failed)? {
                let agent = members.get(rank as usize).ok_or_else(|| {
                    failed(format!(
                        "agent {rank} named, but the population has {} (0 to {})",
                        members.len(),
                        members.len().saturating_sub(1)
                    ))
                })?;
                msgs.push(((agent.key, agent.address), msg));
            }
        }
        Ok(msgs)
    }

    /// The results a provider owes for the jobs it was assigned in the last block.
    fn answers(&self, agent: &Agent) -> Vec<Msg> {
        self.assigned
            .iter()
            .filter(|(provider, _)| *provider == agent.address)
            .map(|(_, job)| {
                Msg::Compute(ComputeMsg::SubmitResult {
                    job: *job,
                    output_hash: Hash::digest("atelier/sim/output", &[&job.0.to_le_bytes()]),
                })
            })
            .collect()
    }

    /// A provider's new capacity when its class's base fee is over 110% of its cost per unit
    /// (10% more) or under it (10% less, at least 1 unit); `None` in between.
    fn adjusted_capacity(&self, agent: &Agent, cost: u64, base_fee: u128) -> Result<Option<Msg>, StateError> {
        let Some(provider) = compute::query::provider(&self.store, &agent.address)? else { return Ok(None) };
        let units = provider.capacity(CLASS);
        let cost = u128::from(cost);
        let next = if base_fee * 10 > cost * 11 {
            units.saturating_add((units / 10).max(1))
        } else if base_fee < cost {
            units.saturating_sub((units / 10).max(1)).max(1)
        } else {
            return Ok(None);
        };
        Ok((next != units).then(|| {
            Msg::Compute(ComputeMsg::UpdateProvider {
                endpoint: String::new(),
                capacities: vec![ClassCapacity { class: CLASS.into(), units: next }],
                add_bond: Amount::ZERO,
            })
        }))
    }

    /// The sandwich around the treasury's buy-backs: while `on`, a purchase with `size` `uusd`
    /// `lead` blocks before an epoch's last block; at the next epoch's first block, the sale of
    /// what it bought.
    fn sandwich(
        &self,
        agent: &Agent,
        height: u64,
        lead: u64,
        size: u64,
        on: bool,
    ) -> Result<Option<Msg>, StateError> {
        if on && self.last_of_epoch(height + lead) {
            return Ok(Some(swap(Side::SellUsd, size.into())));
        }
        if self.first_of_epoch(height) {
            return self.sell_what_was_bought(agent);
        }
        Ok(None)
    }

    /// A sale of the `ugdc` an agent holds beyond what it started with, if any.
    fn sell_what_was_bought(&self, agent: &Agent) -> Result<Option<Msg>, StateError> {
        let held = bank::query::balance(&self.store, &agent.address, &Denom::GDC)?.get();
        let bought = held.saturating_sub(u128::from(self.scenario.genesis.balance));
        Ok((bought > 0).then(|| swap(Side::SellGdc, bought)))
    }

    /// Whether an agent's reputation now gives it a tier that may propose.
    fn may_propose(&self, agent: &Agent) -> Result<bool, StateError> {
        let reputation = staking::query::position(&self.store, &agent.address)?.reputation;
        let params = staking::query::params(&self.store)?;
        Ok(params.tier(reputation).is_some_and(|t| t.propose))
    }
}

/// What agents see of the chain before they act.
pub(super) struct Market {
    /// The class's base fee per unit.
    compute_base_fee: u128,
    /// The `gdc_usd` round under way.
    pub(super) round: u64,
    /// The pool's price.
    price: u128,
    /// Whether the treasury is defending the floor.
    defending: bool,
    /// The treasury's `ugdc`.
    treasury_gdc: u128,
}

impl Market {
    pub(super) fn read(store: &MemoryStore, height: Height) -> Result<Market, StateError> {
        let compute_base_fee = compute::query::classes(store)?
            .into_iter()
            .find(|c| c.name == CLASS)
            .map_or(0, |c| c.base_fee.get());
        let round = oracle::query::feed(store, &FeedId::gdc_usd(), height)?.map_or(1, |f| f.round.number);
        let pool = amm::query::pool(store)?;
        let price = amm::math::price(pool.reserve_gdc.get(), pool.reserve_usd.get());
        let defending = treasury::query::book(store)?.defence_left > 0;
        let treasury_gdc = bank::query::balance(store, &treasury::account(), &Denom::GDC)?.get();
        Ok(Market { compute_base_fee, round, price, defending, treasury_gdc })
    }
}

/// The shocks under way at a block, combined: demand multipliers multiply, the largest outage
/// share wins, price-crash factors multiply.
struct Shocks {
    demand: f64,
    outage: f64,
    crash: f64,
    /// A style shift under way: `(from, to)` (the last one listed wins).
    shift: Option<(u64, u64)>,
}

impl Shocks {
    fn at(shocks: &[Shock], block: u64) -> Shocks {
        let mut combined = Shocks { demand: 1.0, outage: 0.0, crash: 1.0, shift: None };
        for shock in shocks.iter().filter(|s| s.active(block)) {
            match shock {
                Shock::DemandSpike { factor, .. } => combined.demand *= factor,
                Shock::ProviderOutage { share, .. } => combined.outage = combined.outage.max(*share),
                Shock::PriceCrash { factor, .. } => combined.crash *= factor,
                Shock::StyleShift { from, to, .. } => combined.shift = Some((*from, *to)),
            }
        }
        combined
    }

    /// The model a prompter of `model` prompts now.
    fn shifted(&self, model: u64) -> u64 {
        match self.shift {
            Some((from, to)) if from == model => to,
            _ => model,
        }
    }
}

fn register_provider(capacity: u64, bond: u64) -> ComputeMsg {
    ComputeMsg::RegisterProvider {
        bond: Amount::new(bond.into()),
        endpoint: "https://gpu.sim".into(),
        capacities: vec![ClassCapacity { class: CLASS.into(), units: capacity }],
    }
}

fn list(asset: AssetId, price: u64) -> Msg {
    Msg::Market(MarketMsg::List {
        item: Item::Asset { asset },
        price: Amount::new(price.into()),
        denom: Denom::GDC,
        expires_in: LISTING_BLOCKS,
    })
}

/// A proposal asking the treasury for `ask` `ugdc` for `to`.
fn proposal(to: Address, ask: u64) -> Msg {
    Msg::Governance(GovernanceMsg::Propose {
        summary: "fund a voter's work".into(),
        actions: vec![Action::TreasurySpend { to, denom: Denom::GDC, amount: Amount::new(ask.into()) }],
    })
}

fn swap(side: Side, amount_in: u128) -> Msg {
    Msg::Amm(AmmMsg::Swap { side, amount_in: Amount::new(amount_in), min_out: Amount::ZERO })
}

fn observation(round: u64, value: f64) -> Msg {
    Msg::Oracle(OracleMsg::SubmitObservation {
        feed: FeedId::gdc_usd(),
        round,
        value: value.max(0.0) as u128,
    })
}

fn job(model: ModelId, units: u64, max_fee: u128, tip: u128, block: u64, agent: u64) -> Msg {
    Msg::Compute(ComputeMsg::SubmitJob {
        model,
        units,
        max_fee_per_unit: Amount::new(max_fee),
        tip_per_unit: Amount::new(tip),
        prompt_hash: Hash::digest("atelier/sim/prompt", &[&block.to_le_bytes(), &agent.to_le_bytes()]),
        params_hash: Hash::ZERO,
        deterministic: true,
        parents: Vec::new(),
        policy: Default::default(),
    })
}
