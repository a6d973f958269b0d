//! The economy after a block, in figures: what the dashboard charts and the node keeps as series.
//!
//! [`Economy::after`] reads the state a block left and the block's events, and carries forward the
//! totals since genesis from the economy after the block before, so that the figures of a chain
//! are a pure function of its blocks. Every figure is an integer in the unit its [`Metric`] names.
//! Reading them is bounded by the number of compute classes, plus, when an epoch closes, one scan
//! of the accounts that hold reputation.

use atelier_primitives::{Denom, Height};
use atelier_state::{StateError, StateRead};

use crate::{
    Event, Header,
    modules::{
        amm, bank,
        compute::{self, ComputeEvent},
        governance::GovernanceEvent,
        market::MarketEvent,
        oracle::{self, FeedId},
        staking, treasury,
    },
};

/// What one figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Base units of GDC.
    Ugdc,
    /// Base units of the stable denomination.
    Uusd,
    /// A price in `uusd` per `ugdc`, times 10^12.
    Price,
    /// Gas.
    Gas,
    /// Compute units.
    ComputeUnits,
    /// Basis points.
    Bps,
    /// A count of things.
    Count,
    /// Epochs.
    Epochs,
    /// Reputation points.
    Reputation,
}

impl Unit {
    /// Its name in the API.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Ugdc => "ugdc",
            Unit::Uusd => "uusd",
            Unit::Price => "uusd/ugdc×1e12",
            Unit::Gas => "gas",
            Unit::ComputeUnits => "compute units",
            Unit::Bps => "bps",
            Unit::Count => "count",
            Unit::Epochs => "epochs",
            Unit::Reputation => "reputation",
        }
    }
}

/// How a figure reads over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The value after the block: downsampling keeps the last one of each span.
    Gauge,
    /// A total since genesis that never falls: the change over a span is what happened in it.
    Total,
}

/// One figure's name, unit, kind and meaning. Per-class figures are named `{name}/{class}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    /// Its name in the API.
    pub name: &'static str,
    /// What it counts.
    pub unit: Unit,
    /// Gauge or total.
    pub kind: Kind,
    /// One per compute class.
    pub per_class: bool,
    /// What it means.
    pub doc: &'static str,
}

/// Declares [`Economy`]'s chain-wide figures and their [`Metric`]s from one list.
macro_rules! figures {
    ($($(#[doc = $doc:literal])+ $name:ident: $unit:ident $kind:ident,)+) => {
        /// The economy after one block.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct Economy {
            /// The block's height.
            pub height: Height,
            /// The block's time.
            pub time_ms: u64,
            $($(#[doc = $doc])+ pub $name: i128,)+
            /// Each compute class, in the order of the params.
            pub classes: Vec<ClassFigures>,
        }

        impl Economy {
            /// The chain-wide figures, in declaration order.
            pub const METRICS: &'static [Metric] = &[$(Metric {
                name: stringify!($name),
                unit: Unit::$unit,
                kind: Kind::$kind,
                per_class: false,
                doc: concat!($($doc),+),
            }),+];

            fn chain_wide(&self) -> [i128; Economy::METRICS.len()] {
                [$(self.$name),+]
            }

            /// Sets the chain-wide figure `name`; false if there is none.
            fn set(&mut self, name: &str, value: i128) -> bool {
                match name {
                    $(stringify!($name) => self.$name = value,)+
                    _ => return false,
                }
                true
            }
        }
    };
}

figures! {
    /// Gas the block used.
    gas_used: Gas Gauge,
    /// Gas per block the base fee aims at.
    gas_target: Gas Gauge,
    /// Base fee per gas charged in the block.
    base_fee: Ugdc Gauge,
    /// GDC ever minted (genesis and issuance).
    minted: Ugdc Total,
    /// GDC ever burned (base fees, job burns, buy-backs).
    burned: Ugdc Total,
    /// GDC held in accounts.
    supply: Ugdc Gauge,
    /// Jobs admitted in the block.
    jobs_admitted: Count Gauge,
    /// Jobs settled since genesis.
    jobs_settled: Count Total,
    /// What settled jobs paid providers since genesis.
    paid_providers: Ugdc Total,
    /// What settled jobs paid the models' datasets since genesis.
    paid_datasets: Ugdc Total,
    /// What settled jobs paid the models' fine-tuners since genesis.
    paid_fine_tuners: Ugdc Total,
    /// What settled jobs paid the treasury since genesis.
    paid_treasury: Ugdc Total,
    /// What settled jobs burned since genesis.
    burned_by_jobs: Ugdc Total,
    /// Assets sold since genesis.
    sales: Count Total,
    /// What GDC sales paid royalty stacks, datasets and model vaults since genesis.
    paid_royalties: Ugdc Total,
    /// GDC sales' protocol fees since genesis.
    market_fees: Ugdc Total,
    /// The pool's price.
    price: Price Gauge,
    /// The treasury's moving average of the price.
    average: Price Gauge,
    /// The cushion band under the average, as of the last epoch report.
    cushion: Price Gauge,
    /// The wall band under the cushion, as of the last epoch report.
    wall: Price Gauge,
    /// The oracle's GDC/USD price (0 before its first value).
    oracle_price: Price Gauge,
    /// The treasury's GDC.
    treasury_gdc: Ugdc Gauge,
    /// The treasury's stable reserve.
    reserve: Uusd Gauge,
    /// Epochs of infrastructure cost the reserve pays for (0 when it costs nothing).
    runway_epochs: Epochs Gauge,
    /// GDC left in this epoch's grants budget.
    grants_left: Ugdc Gauge,
    /// Stable units the treasury has spent on buy-backs since genesis.
    bought_back: Uusd Total,
    /// GDC the treasury has bought back and burned since genesis.
    bought_burned: Ugdc Total,
    /// GDC bonded by stakers.
    bonded: Ugdc Gauge,
    /// Reputation held by all accounts.
    reputation: Reputation Gauge,
    /// The Gini coefficient of reputation among the accounts that hold any, as of the last epoch
    /// close (0 when all hold the same).
    reputation_gini_bps: Bps Gauge,
    /// Proposals opened since genesis.
    proposals: Count Total,
    /// Proposals executed since genesis.
    proposals_executed: Count Total,
    /// Proposals defeated since genesis.
    proposals_defeated: Count Total,
    /// Votes cast since genesis.
    votes: Count Total,
}

/// One compute class after a block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassFigures {
    /// The class.
    pub name: String,
    /// Its base fee per compute unit.
    pub base_fee: i128,
    /// Units per block its base fee aims at.
    pub target: i128,
    /// Units per block its active providers offer.
    pub capacity: i128,
    /// Units admitted in the last block that changed it, over its capacity.
    pub utilisation_bps: i128,
    /// Jobs waiting.
    pub queued: i128,
}

/// The per-class figures, each named `{name}/{class}`.
pub const CLASS_METRICS: &[Metric] = &[
    class_metric("class_base_fee", Unit::Ugdc, "The class's base fee per compute unit."),
    class_metric("class_target", Unit::ComputeUnits, "Units per block the class's base fee aims at."),
    class_metric("class_capacity", Unit::ComputeUnits, "Units per block the class's active providers offer."),
    class_metric(
        "class_utilisation_bps",
        Unit::Bps,
        "Units admitted over capacity in the class's last busy block.",
    ),
    class_metric("class_queued", Unit::Count, "Jobs waiting in the class's queue."),
];

const fn class_metric(name: &'static str, unit: Unit, doc: &'static str) -> Metric {
    Metric { name, unit, kind: Kind::Gauge, per_class: true, doc }
}

impl ClassFigures {
    fn values(&self) -> [i128; CLASS_METRICS.len()] {
        [self.base_fee, self.target, self.capacity, self.utilisation_bps, self.queued]
    }

    fn set(&mut self, metric: &str, value: i128) -> bool {
        let figure = match metric {
            "class_base_fee" => &mut self.base_fee,
            "class_target" => &mut self.target,
            "class_capacity" => &mut self.capacity,
            "class_utilisation_bps" => &mut self.utilisation_bps,
            "class_queued" => &mut self.queued,
            _ => return false,
        };
        *figure = value;
        true
    }
}

/// The metric a series name refers to (`supply`, or `class_base_fee/image-xl`), and the class.
pub fn metric(series: &str) -> Option<(Metric, Option<&str>)> {
    match series.split_once('/') {
        None => Economy::METRICS.iter().find(|m| m.name == series).map(|m| (*m, None)),
        Some((name, class)) if compute::valid_class_name(class) => {
            CLASS_METRICS.iter().find(|m| m.name == name).map(|m| (*m, Some(class)))
        }
        Some(_) => None,
    }
}

fn int(value: u128) -> i128 {
    i128::try_from(value).unwrap_or(i128::MAX)
}

impl Economy {
    /// The economy after the block `header` heads, whose events are `events`, on the state it left;
    /// `before` is the economy after the block before (the default one at genesis).
    pub fn after(
        state: &impl StateRead,
        header: &Header,
        events: &[Event],
        before: &Economy,
    ) -> Result<Economy, StateError> {
        let mut economy =
            Economy { height: header.height, time_ms: header.time_ms, classes: Vec::new(), ..before.clone() };
        economy.jobs_admitted = 0;
        economy.count(events);
        economy.gas_used = i128::from(header.gas_used);
        economy.gas_target = i128::from(crate::modules::fees::query::params(state)?.gas_target());
        economy.base_fee = int(header.base_fee.get());
        let gdc = bank::query::supply(state, &Denom::GDC)?;
        economy.minted = int(gdc.minted.get());
        economy.burned = int(gdc.burned.get());
        economy.supply = int(gdc.circulating.get());
        economy.jobs_settled = 0;
        for class in compute::query::classes(state)? {
            economy.jobs_settled += i128::from(compute::jobs_settled(state, &class.name)?);
            economy.classes.push(ClassFigures {
                base_fee: int(class.base_fee.get()),
                target: i128::from(class.target),
                capacity: i128::from(class.capacity),
                utilisation_bps: i128::from(class.utilisation.get()),
                queued: i128::from(class.queued),
                name: class.name,
            });
        }
        let pool = amm::query::pool(state)?;
        economy.price = int(amm::math::price(pool.reserve_gdc.get(), pool.reserve_usd.get()));
        let status = treasury::query::status(state)?;
        economy.average = int(status.book.average);
        if let Some(report) = &status.last_report {
            economy.cushion = int(report.cushion);
            economy.wall = int(report.wall);
        }
        economy.oracle_price = oracle::query::feed(state, &FeedId::gdc_usd(), header.height)?
            .and_then(|f| f.latest)
            .map_or(0, |p| int(p.value));
        economy.treasury_gdc = int(status.gdc.get());
        economy.reserve = int(status.reserve.get());
        let cost = treasury::query::params(state)?.infra_cost_per_epoch.get();
        economy.runway_epochs = status.reserve.get().checked_div(cost).map_or(0, int);
        economy.grants_left = int(status.book.grants_left.ugdc.get());
        economy.bought_back = int(status.book.bought_with.get());
        economy.bought_burned = int(status.book.burned.get());
        let totals = staking::query::totals(state)?;
        economy.bonded = int(totals.bonded.get());
        economy.reputation = int(totals.reputation);
        let params = staking::query::params(state)?;
        if staking::epoch_of(&params, before.height) != staking::epoch_of(&params, header.height)
            || before.height == Height(0)
        {
            let held: Vec<u128> = staking::query::reputations(state)?.into_iter().map(|(_, r)| r).collect();
            economy.reputation_gini_bps = gini_bps(&held);
        }
        Ok(economy)
    }

    /// Adds what the block's events did to the totals since genesis.
    fn count(&mut self, events: &[Event]) {
        for event in events {
            match event {
                Event::Compute(ComputeEvent::JobAdmitted { .. }) => self.jobs_admitted += 1,
                Event::Compute(ComputeEvent::JobSettled {
                    treasury,
                    datasets,
                    fine_tuners,
                    burned,
                    provider_paid,
                    ..
                }) => {
                    self.paid_providers += int(provider_paid.get());
                    self.paid_datasets += int(datasets.get());
                    self.paid_fine_tuners += int(fine_tuners.get());
                    self.paid_treasury += int(treasury.get());
                    self.burned_by_jobs += int(burned.get());
                }
                Event::Market(MarketEvent::Sold { denom, protocol_fee, royalties, .. }) => {
                    self.sales += 1;
                    if *denom == Denom::GDC {
                        self.paid_royalties += int(royalties.get());
                        self.market_fees += int(protocol_fee.get());
                    }
                }
                Event::Governance(GovernanceEvent::Proposed { .. }) => self.proposals += 1,
                Event::Governance(GovernanceEvent::Voted { .. }) => self.votes += 1,
                Event::Governance(GovernanceEvent::Executed { .. }) => self.proposals_executed += 1,
                Event::Governance(GovernanceEvent::Defeated { .. }) => self.proposals_defeated += 1,
                _ => {}
            }
        }
    }

    /// The economy whose [`Economy::series`] are `figures` (in any order); names it does not know
    /// are ignored.
    pub fn from_series(height: Height, time_ms: u64, figures: &[(String, i128)]) -> Economy {
        let mut economy = Economy { height, time_ms, ..Economy::default() };
        for (name, value) in figures {
            if economy.set(name, *value) {
                continue;
            }
            let Some((metric, class)) = name.split_once('/') else { continue };
            let index = match economy.classes.iter().position(|c| c.name == class) {
                Some(index) => index,
                None => {
                    economy.classes.push(ClassFigures { name: class.to_owned(), ..ClassFigures::default() });
                    economy.classes.len() - 1
                }
            };
            economy.classes[index].set(metric, *value);
        }
        economy
    }

    /// Every figure as `(series name, value)`: the chain-wide ones, then each class's.
    pub fn series(&self) -> Vec<(String, i128)> {
        let mut series: Vec<(String, i128)> =
            Economy::METRICS.iter().zip(self.chain_wide()).map(|(m, v)| (m.name.to_owned(), v)).collect();
        for class in &self.classes {
            for (metric, value) in CLASS_METRICS.iter().zip(class.values()) {
                series.push((format!("{}/{}", metric.name, class.name), value));
            }
        }
        series
    }
}

/// The Gini coefficient of `values` in basis points, rounded to the nearest: 0 when all are equal
/// (or all zero), towards 10 000 when one holds everything.
pub fn gini_bps(values: &[u128]) -> i128 {
    let mut sorted: Vec<u128> = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len() as u128;
    let total = sorted.iter().fold(0u128, |sum, v| sum.saturating_add(*v));
    if n == 0 || total == 0 {
        return 0;
    }
    // G = 2 Σ i·x_i / (n Σ x) − (n + 1) / n with i from 1, over one denominator; never negative
    // for values in ascending order.
    let ranked =
        sorted.iter().zip(1u128..).fold(0u128, |sum, (v, i)| sum.saturating_add(i.saturating_mul(*v)));
    let numerator =
        ranked.saturating_mul(20_000).saturating_sub((n + 1).saturating_mul(total).saturating_mul(10_000));
    let denominator = n.saturating_mul(total);
    int(numerator.saturating_add(denominator / 2) / denominator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gini_of_equal_shares_is_zero_and_of_one_holder_of_four_is_three_quarters() {
        assert_eq!(gini_bps(&[5, 5, 5, 5]), 0);
        assert_eq!(gini_bps(&[0, 0, 0, 8]), 7_500);
        assert_eq!(gini_bps(&[]), 0);
        assert_eq!(gini_bps(&[0, 0]), 0);
    }

    #[test]
    fn the_gini_rounds_to_the_nearest_basis_point() {
        // 1, 2: G = 2·5/(2·3) − 3/2 = 1/6 → 1 666.67 → 1 667.
        assert_eq!(gini_bps(&[2, 1]), 1_667);
    }

    #[test]
    fn every_series_names_a_metric_and_only_valid_names_resolve() {
        let economy = Economy {
            classes: vec![ClassFigures { name: "image-xl".into(), ..ClassFigures::default() }],
            ..Economy::default()
        };
        let series = economy.series();
        assert_eq!(series.len(), Economy::METRICS.len() + CLASS_METRICS.len());
        for (name, _) in &series {
            assert!(metric(name).is_some(), "{name}");
        }
        assert!(metric("nothing").is_none());
        assert!(metric("class_queued/Not A Class").is_none());
        assert!(metric("supply/image-xl").is_none());
    }

    #[test]
    fn an_economy_read_back_from_its_series_is_the_same_economy() {
        let mut economy = Economy { height: Height(7), time_ms: 9, ..Economy::default() };
        for (index, (name, _)) in Economy::default().series().iter().enumerate() {
            assert!(economy.set(name, index as i128 + 1), "{name}");
        }
        economy.classes = vec![
            ClassFigures {
                name: "image-xl".into(),
                base_fee: 1,
                target: 2,
                capacity: 3,
                utilisation_bps: 4,
                queued: 5,
            },
            ClassFigures {
                name: "audio".into(),
                base_fee: 6,
                target: 7,
                capacity: 8,
                utilisation_bps: 9,
                queued: 10,
            },
        ];
        let mut figures = economy.series();
        figures.reverse();
        let mut back = Economy::from_series(Height(7), 9, &figures);
        back.classes.reverse();
        assert_eq!(back, economy);
    }
}
