//! The treasury: a thousandfold pump within an epoch moves the moving average and every valuation
//! by at most the cap; buy-backs pace themselves over the defence, stop at the reserve floor and
//! shrink to the price-move bound and defer when the pool would fill them outside the slippage
//! bound (before or in the batch); a
//! sandwich around a buy-back inside its block earns nothing after fees; a share of GDC income is
//! converted each epoch, capped; income is accounted by source; the treasury's ledger balances
//! over random flows, with conservation checked after every block.

use atelier_primitives::{Amount, Bps, Denom};
use atelier_protocol::{
    Event, ExecutedBlock, Genesis, Msg, TxOutcome,
    modules::{
        amm::{self, AmmEvent, AmmMsg, Side, math::PRICE_SCALE},
        bank::BankMsg,
        treasury::{self, IncomeSource, PendingKind, TreasuryEvent, TreasuryParams},
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address};
use proptest::prelude::*;

const FUNDS: u128 = 1_000_000_000_000_000_000;
const EPOCH: u64 = 10;
/// Each side of the pool: 1 000 000 GDC and 1 000 000 USD, a price of 1.
const POOL: u128 = 1_000_000_000_000;
const ATTACKER: u64 = 9;

fn bps(v: u32) -> Bps {
    Bps::new(v).unwrap()
}

/// Dev accounts funded in both denoms, a pool at a price of 1 whose liquidity is dev 0's, and a
/// treasury holding `gdc` and a reserve of `reserve`.
fn builder(gdc: u128, reserve: u128) -> GenesisBuilder {
    (0..10)
        .fold(GenesisBuilder::new().fund_dev_accounts(10, Amount::new(FUNDS)), |b, i| {
            b.fund(dev_address(i), Denom::USD, Amount::new(FUNDS))
        })
        .pool(Amount::new(POOL), Amount::new(POOL), dev_address(0))
        .fund(treasury::account(), Denom::GDC, Amount::new(gdc))
        .fund(treasury::account(), Denom::USD, Amount::new(reserve))
}

/// [`builder`]'s genesis with 10-block epochs and the treasury under `params`.
fn with_params(builder: GenesisBuilder, params: TreasuryParams) -> Genesis {
    let mut genesis = builder.build();
    genesis.staking.params.epoch_blocks = EPOCH;
    genesis.treasury.params = params;
    genesis
}

fn genesis(gdc: u128, reserve: u128, params: TreasuryParams) -> Genesis {
    with_params(builder(gdc, reserve), params)
}

fn swap(side: Side, amount_in: u128) -> Msg {
    Msg::Amm(AmmMsg::Swap { side, amount_in: Amount::new(amount_in), min_out: Amount::ZERO })
}

fn status(chain: &TestChain) -> treasury::query::Status {
    treasury::query::status(&chain.store).unwrap()
}

fn treasury_events(executed: &ExecutedBlock) -> Vec<TreasuryEvent> {
    executed
        .end_block_events
        .iter()
        .filter_map(|e| match e {
            Event::Treasury(event) => Some(event.clone()),
            _ => None,
        })
        .collect()
}

/// Produces blocks until the head is an epoch's last block, sending `msgs` in the first of them
/// (or in that last block if the head is just before it); returns every block's events.
fn finish_epoch(chain: &mut TestChain, msgs: Vec<(u64, Msg)>) -> Vec<TreasuryEvent> {
    let mut events = Vec::new();
    let mut msgs = Some(msgs);
    loop {
        let executed = chain.block_of(msgs.take().unwrap_or_default());
        assert!(executed.receipts.iter().all(|r| r.outcome == TxOutcome::Applied));
        events.extend(treasury_events(&executed));
        if (chain.head.height.0 + 1).is_multiple_of(EPOCH) {
            return events;
        }
    }
}

fn price(chain: &TestChain) -> u128 {
    let pool = amm::query::pool(&chain.store).unwrap();
    amm::math::price(pool.reserve_gdc.get(), pool.reserve_usd.get())
}

#[test]
fn a_thousandfold_pump_within_an_epoch_moves_the_average_and_every_valuation_at_most_the_cap() {
    let params = TreasuryParams { ma_cap: bps(500), ..TreasuryParams::default() };
    let mut chain = TestChain::new(genesis(10 * POOL, POOL, params));
    finish_epoch(&mut chain, Vec::new());
    let start = status(&chain);
    assert_eq!(start.book.average, PRICE_SCALE, "the first epoch's TWAP starts the average");
    // Selling 31 times the pool's USD multiplies the price by about a thousand.
    let events = finish_epoch(&mut chain, vec![(ATTACKER, swap(Side::SellUsd, 31 * POOL))]);
    assert!(price(&chain) > 950 * PRICE_SCALE, "the pump worked: {}", price(&chain));
    let pumped = status(&chain);
    let report = pumped.last_report.clone().unwrap();
    assert!(report.twap.unwrap() > 800 * PRICE_SCALE, "the epoch's TWAP followed the pump");
    assert_eq!(pumped.book.average, PRICE_SCALE + PRICE_SCALE / 20, "exactly the 5% cap");
    assert_eq!(report.cushion, (PRICE_SCALE + PRICE_SCALE / 20) * 9 / 10);
    let value = |s: &treasury::query::Status| s.last_report.as_ref().unwrap().targets.value.get();
    let first = chain_value_at(&start);
    assert!(value(&pumped) <= first + first / 20, "the treasury's value moved at most 5%");
    assert!(!events.iter().any(|e| matches!(e, TreasuryEvent::OrderPlaced { .. })));
    // Holding the pump for more epochs moves it at most 5% each time.
    let mut previous = pumped.book.average;
    for _ in 0..3 {
        finish_epoch(&mut chain, Vec::new());
        let average = status(&chain).book.average;
        assert!(average <= previous + previous / 20 && average > previous);
        previous = average;
    }
}

/// The treasury's value as the controller would count it at the status's average.
fn chain_value_at(status: &treasury::query::Status) -> u128 {
    status.last_report.as_ref().unwrap().targets.value.get()
}

/// Defence params: weak when the TWAP is under 90% of the average (the wall far below), after 2 of
/// the last 3 epochs, spread over 4 epochs; the reserve's floor is 100 epochs of a 1 000 000 uusd
/// infrastructure cost.
fn defence() -> TreasuryParams {
    TreasuryParams {
        wall: bps(9_000),
        defence_epochs: 4,
        infra_cost_per_epoch: Amount::new(1_000_000),
        runway_target_epochs: 200,
        reserve_floor_epochs: 100,
        ..TreasuryParams::default()
    }
}

const FLOOR: u128 = 100 * 1_000_000;

/// Halves the price with one dump and closes epochs until the defence starts; returns its first
/// epoch's events.
fn crash(chain: &mut TestChain) -> Vec<TreasuryEvent> {
    finish_epoch(chain, Vec::new());
    let first = finish_epoch(chain, vec![(ATTACKER, swap(Side::SellGdc, POOL * 414 / 1_000))]);
    assert!(price(chain) < PRICE_SCALE * 51 / 100);
    assert!(
        !first.iter().any(|e| matches!(e, TreasuryEvent::DefenceStarted { .. })),
        "one weak epoch of two"
    );
    finish_epoch(chain, Vec::new())
}

fn placed(events: &[TreasuryEvent]) -> Option<u128> {
    events.iter().find_map(|e| match e {
        TreasuryEvent::OrderPlaced { kind: PendingKind::Buyback, amount_in, .. } => Some(amount_in.get()),
        _ => None,
    })
}

fn burned(events: &[TreasuryEvent]) -> Option<u128> {
    events.iter().find_map(|e| match e {
        TreasuryEvent::OrderFilled { kind: PendingKind::Buyback, amount_out, .. } => Some(amount_out.get()),
        _ => None,
    })
}

#[test]
fn buybacks_pace_the_reserve_over_the_defence_burn_what_they_buy_and_stop_at_the_floor() {
    let reserve = 1_000_000_000 + FLOOR;
    let mut chain = TestChain::new(genesis(0, reserve, defence()));
    let mut events = crash(&mut chain);
    assert!(events.contains(&TreasuryEvent::DefenceStarted { epochs: 4 }));
    let mut spent = Vec::new();
    loop {
        let before = status(&chain);
        let Some(budget) = placed(&events) else { break };
        assert_eq!(
            budget,
            (before.reserve.get() + budget - FLOOR) / u128::from(before.book.defence_left + 1)
        );
        let bought = burned(&events).expect("filled in its batch");
        assert!(bought > budget, "GDC bought under a price of 1");
        spent.push(budget);
        events = finish_epoch(&mut chain, Vec::new());
    }
    assert_eq!(spent, vec![250_000_000; 4], "the reserve above the floor, spread over 4 epochs");
    let after = status(&chain);
    assert_eq!(after.reserve.get(), FLOOR);
    assert_eq!(after.book.bought_with.get(), 1_000_000_000);
    assert!(
        events.contains(&TreasuryEvent::BuybackStopped {
            reserve: Amount::new(FLOOR),
            floor: Amount::new(FLOOR)
        })
    );
    // Burned: the GDC supply fell by what the buy-backs bought (plus the fees' burns).
    assert!(after.book.burned.get() > 1_000_000_000);
    for _ in 0..3 {
        let events = finish_epoch(&mut chain, Vec::new());
        assert!(placed(&events).is_none(), "never under the floor");
        assert_eq!(status(&chain).reserve.get(), FLOOR);
    }
}

#[test]
fn a_buyback_the_pool_would_fill_outside_the_slippage_bound_is_deferred() {
    // The slippage rule alone: no bound on the move shrinks the order first.
    let params = TreasuryParams { max_slippage: bps(10), max_price_move: Bps::ZERO, ..defence() };
    // A reserve of a tenth of the pool: a quarter of it moves the price far more than 0.1%.
    let mut chain = TestChain::new(genesis(0, POOL / 10 + FLOOR, params));
    let events = crash(&mut chain);
    assert!(events.contains(&TreasuryEvent::DefenceStarted { epochs: 4 }));
    let deferred = events.iter().find_map(|e| match e {
        TreasuryEvent::Deferred { kind: PendingKind::Buyback, amount_in, at_clearing: false, .. } => {
            Some(amount_in.get())
        }
        _ => None,
    });
    assert_eq!(deferred, Some(POOL / 10 / 4));
    assert!(placed(&events).is_none());
    let after = status(&chain);
    assert_eq!(after.reserve.get(), POOL / 10 + FLOOR, "nothing spent");
    assert_eq!(after.book.defence_left, 4, "a deferred epoch is not counted");
}

#[test]
fn a_buyback_that_would_move_the_price_more_than_the_bound_is_shrunk_to_it_and_the_rest_waits() {
    // A reserve of a tenth of the pool: a quarter of it would lift the price about 7%.
    let reserve = POOL / 10 + FLOOR;
    let mut chain = TestChain::new(genesis(0, reserve, defence()));
    finish_epoch(&mut chain, Vec::new());
    finish_epoch(&mut chain, vec![(ATTACKER, swap(Side::SellGdc, POOL * 414 / 1_000))]);
    finish_epoch_but_one(&mut chain);
    let pool = amm::query::pool(&chain.store).unwrap();
    let before = price(&chain);
    let events = treasury_events(&chain.block_of(Vec::new()));
    assert!(events.contains(&TreasuryEvent::DefenceStarted { epochs: 4 }));
    // R × (√1.005 − 1), rounded down.
    let r = pool.reserve_usd.get();
    let fit = amm::math::sqrt_product(r, r * 10_050 / 10_000) - r;
    assert_eq!(placed(&events), Some(fit));
    assert!(fit < (reserve - FLOOR) / 4);
    let moved = price(&chain);
    assert!(moved > before && moved <= before * 10_050 / 10_000, "{before} → {moved}");
    let after = status(&chain);
    assert_eq!(after.reserve.get(), reserve - fit, "the rest stays in the reserve");
    assert_eq!(after.book.defence_left, 3, "a shrunk epoch counts");
    let next = finish_epoch(&mut chain, Vec::new());
    assert!(placed(&next).is_some_and(|amount| amount < fit * 2), "the defence goes on, shrunk again");
}

#[test]
fn a_buyback_whose_batch_price_misses_the_bound_is_refunded_and_deferred() {
    let mut chain = TestChain::new(genesis(0, 1_000_000_000 + FLOOR, defence()));
    finish_epoch(&mut chain, Vec::new());
    finish_epoch(&mut chain, vec![(ATTACKER, swap(Side::SellGdc, POOL * 414 / 1_000))]);
    // Into the defence's first block: a large purchase in the same batch moves the price 10%.
    finish_epoch_but_one(&mut chain);
    let executed = chain.block_of(vec![(ATTACKER, swap(Side::SellUsd, POOL / 20))]);
    let events = treasury_events(&executed);
    assert!(events.contains(&TreasuryEvent::DefenceStarted { epochs: 4 }));
    assert!(
        events.iter().any(|e| matches!(
            e,
            TreasuryEvent::Deferred { kind: PendingKind::Buyback, at_clearing: true, .. }
        ))
    );
    assert_eq!(status(&chain).reserve.get(), 1_000_000_000 + FLOOR, "refunded in full");
}

/// Produces blocks until the next block is an epoch's last.
fn finish_epoch_but_one(chain: &mut TestChain) {
    while !(chain.head.height.0 + 2).is_multiple_of(EPOCH) {
        chain.idle(1);
    }
}

#[test]
fn a_sandwich_around_a_buyback_inside_its_block_earns_nothing_after_fees() {
    let mut chain = TestChain::new(genesis(0, 1_000_000_000 + FLOOR, defence()));
    finish_epoch(&mut chain, Vec::new());
    finish_epoch(&mut chain, vec![(ATTACKER, swap(Side::SellGdc, POOL * 414 / 1_000))]);
    finish_epoch_but_one(&mut chain);
    let holdings = |chain: &TestChain| {
        (
            chain.balance(&dev_address(ATTACKER), Denom::GDC).get(),
            chain.balance(&dev_address(ATTACKER), Denom::USD).get(),
        )
    };
    let (gdc_before, usd_before) = holdings(&chain);
    // Buy in front of the treasury and sell behind it, in the same block.
    let front = 10_000_000u128;
    let back = front * 2;
    let executed =
        chain.block_of(vec![(ATTACKER, swap(Side::SellUsd, front)), (ATTACKER, swap(Side::SellGdc, back))]);
    assert!(executed.receipts.iter().all(|r| r.outcome == TxOutcome::Applied));
    let events = treasury_events(&executed);
    let budget = placed(&events).expect("the buy-back ran in this block");
    let bought = burned(&events).unwrap();
    let (gdc_after, usd_after) = holdings(&chain);
    // Everyone in the batch traded at one price: the treasury's, uusd per ugdc.
    let value = |gdc: u128, usd: u128| usd as i128 * bought as i128 + gdc as i128 * budget as i128;
    let pnl = value(gdc_after, usd_after) - value(gdc_before, usd_before);
    assert!(pnl < 0, "the sandwich lost {pnl} (at the batch price, scaled) to fees");
    let fills: Vec<u128> = executed
        .end_block_events
        .iter()
        .filter_map(|e| match e {
            Event::Amm(AmmEvent::SwapFilled { amount_out, .. }) => Some(amount_out.get()),
            _ => None,
        })
        .collect();
    assert_eq!(fills.len(), 3, "both legs and the treasury's order filled in one batch");
}

#[test]
fn a_share_of_gdc_income_is_converted_each_epoch_capped() {
    let params =
        TreasuryParams { max_conversion_per_epoch: Amount::new(300_000_000), ..TreasuryParams::default() };
    let mut chain = TestChain::new(genesis(0, 0, params));
    let donate = |amount: u128| {
        Msg::Bank(BankMsg::Transfer {
            to: treasury::account(),
            denom: Denom::GDC,
            amount: Amount::new(amount),
        })
    };
    let events = finish_epoch(&mut chain, vec![(1, donate(400_000_000))]);
    let converted = |events: &[TreasuryEvent]| {
        events.iter().find_map(|e| match e {
            TreasuryEvent::OrderFilled { kind: PendingKind::Conversion, amount_in, amount_out, .. } => {
                Some((amount_in.get(), amount_out.get()))
            }
            _ => None,
        })
    };
    let (sold, received) = converted(&events).expect("half of 400 000 000 converted");
    assert_eq!(sold, 200_000_000);
    assert_eq!(received, amm::math::amount_out(200_000_000, POOL, POOL).unwrap());
    let after = status(&chain);
    assert_eq!((after.gdc.get(), after.reserve.get()), (200_000_000, received));
    let events = finish_epoch(&mut chain, vec![(1, donate(2_000_000_000))]);
    assert_eq!(converted(&events).unwrap().0, 300_000_000, "half of it, capped at 300 000 000");
    let income = treasury::query::income(&chain.store).unwrap();
    let transfers = income.iter().find(|(s, _)| *s == IncomeSource::Transfers).unwrap().1;
    assert_eq!(transfers.ugdc.get(), 2_400_000_000);
    assert_eq!(status(&chain).last_report.unwrap().income.ugdc.get(), 2_000_000_000, "the epoch's own");
}

#[derive(Debug, Clone)]
enum Step {
    Swap(Side, u128),
    Donate(Denom, u128),
    Idle(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (prop_oneof![Just(Side::SellGdc), Just(Side::SellUsd)], 1u128..POOL / 2)
            .prop_map(|(s, a)| Step::Swap(s, a)),
        (prop_oneof![Just(Denom::GDC), Just(Denom::USD)], 1u128..POOL / 10)
            .prop_map(|(d, a)| Step::Donate(d, a)),
        (1u64..12).prop_map(Step::Idle),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Over random swaps, donations and epochs, with a defence that triggers at every weak epoch and
    /// a pool target, the treasury's balances are exactly its start, plus its income, plus what its
    /// orders received, less what they spent and what it put in the pool.
    #[test]
    fn the_treasury_ledger_balances_over_random_flows(steps in proptest::collection::vec(step(), 1..25)) {
        let params = TreasuryParams {
            trigger_epochs: 1,
            window_epochs: 1,
            max_slippage: bps(1_000),
            pol_target: bps(2_000),
            max_pol_add_per_epoch: Amount::new(POOL / 100),
            ..defence()
        };
        let (gdc0, usd0) = (POOL / 5, POOL / 5);
        let mut chain = TestChain::new(genesis(gdc0, usd0, params));
        let (mut gdc, mut usd) = (gdc0 as i128, usd0 as i128);
        let mut record = |executed: &ExecutedBlock| {
            for receipt_events in executed.receipts.iter().map(|r| &r.events).chain(std::iter::once(&executed.end_block_events)) {
                for event in receipt_events {
                    match event {
                        Event::Treasury(TreasuryEvent::IncomeReceived { denom, amount, .. }) => {
                            if *denom == Denom::GDC { gdc += amount.get() as i128 } else { usd += amount.get() as i128 }
                        }
                        Event::Treasury(TreasuryEvent::OrderFilled { kind, amount_in, amount_out, .. }) => match kind {
                            PendingKind::Buyback => usd -= amount_in.get() as i128,
                            PendingKind::Conversion => {
                                gdc -= amount_in.get() as i128;
                                usd += amount_out.get() as i128;
                            }
                        },
                        Event::Amm(AmmEvent::LiquidityAdded { provider, gdc: g, usd: u, .. }) if *provider == treasury::account() => {
                            gdc -= g.get() as i128;
                            usd -= u.get() as i128;
                        }
                        _ => {}
                    }
                }
            }
        };
        for step in steps {
            match step {
                Step::Swap(side, amount) => record(&chain.block_of(vec![(ATTACKER, swap(side, amount))])),
                Step::Donate(denom, amount) => record(&chain.block_of(vec![(1, Msg::Bank(BankMsg::Transfer {
                    to: treasury::account(), denom, amount: Amount::new(amount),
                }))])),
                Step::Idle(blocks) => for _ in 0..blocks { record(&chain.produce(Vec::new())) },
            }
        }
        let after = status(&chain);
        prop_assert_eq!(after.gdc.get() as i128, gdc);
        prop_assert_eq!(after.reserve.get() as i128, usd);
        prop_assert!(after.reserve.get() >= FLOOR, "buy-backs never took the reserve under its floor");
    }
}

// --- steering by the oracle agents' reports ---------------------------------------------------

mod steering {
    use super::*;
    use atelier_primitives::{Hash, Height};
    use atelier_protocol::modules::{
        compute::{ClassCapacity, ComputeMsg},
        oracle::{self, FeedId, FeedSpec, OracleMsg},
        registry::{self, ContributorShares, DatasetId, DatasetWeight, ModelId, RegistryMsg},
        revenue::{self, VaultId},
        treasury::{EpochReport, Steering},
    };

    /// Dev accounts 0–2 observe; 5 contributes the dataset; 6 and 7 register models; 8 serves
    /// jobs that 9 asks for.
    const OPERATORS: u64 = 3;
    const CONTRIBUTOR: u64 = 5;
    const PROVIDER: u64 = 8;
    const REQUESTER: u64 = 9;
    /// A grants budget of 500 000 ugdc an epoch, a style incentive of 100 000: under what half a
    /// style's 1 000-unit job pays in fees (at least 1 000 000).
    const TREASURY_GDC: u128 = 5_000_000;
    const JOB_UNITS: u64 = 1_000;

    fn feed(id: &str) -> FeedSpec {
        FeedSpec {
            id: FeedId(id.into()),
            quorum: OPERATORS as u32,
            heartbeat_blocks: 5,
            deviation: bps(50),
            staleness_blocks: 12,
            round_blocks: 5,
        }
    }

    /// The treasury's genesis with operators, feeds for two styles' demand, engagement and model
    /// 3's quality, and the grants budget at 10% of the treasury's GDC, a fifth of it the incentive.
    fn steered() -> TestChain {
        steered_with(|_| {})
    }

    /// [`steered`] with its treasury params changed by `change`.
    fn steered_with(change: impl FnOnce(&mut TreasuryParams)) -> TestChain {
        let mut params = TreasuryParams {
            grants_share: bps(1_000),
            style_incentive_share: bps(2_000),
            max_style_incentive: Amount::MAX,
            infra_cost_per_epoch: Amount::new(1_000_000),
            runway_target_epochs: 10,
            ..TreasuryParams::default()
        };
        change(&mut params);
        let operators = (0..OPERATORS)
            .fold(builder(TREASURY_GDC, 0), |b, i| b.stake(dev_address(i), Amount::new(10_000_000_000)));
        let mut genesis = with_params(operators, params);
        genesis.oracle.params.feeds =
            ["demand/botanical", "demand/ink", "engagement", "quality/3"].map(feed).to_vec();
        genesis.oracle.operators = (0..OPERATORS)
            .map(|i| oracle::Operator {
                address: dev_address(i),
                since: Height(0),
                observations: 0,
                outliers: 0,
            })
            .collect();
        let mut chain = TestChain::new(genesis);
        let dataset = RegistryMsg::RegisterDataset {
            content_hash: Hash::digest("test", &[b"data"]),
            license: "CC-BY-4.0".into(),
            contributors: vec![ContributorShares { contributor: dev_address(CONTRIBUTOR), shares: 1 }],
        };
        let model =
            |style: &str, parent: Option<u64>, datasets: Vec<DatasetWeight>| RegistryMsg::RegisterModel {
                class: "image-xl".into(),
                weights_hash: Hash::blob(style.as_bytes()),
                parent: parent.map(ModelId),
                datasets,
                performance_fee: bps(500),
                style: style.into(),
            };
        let whole = vec![DatasetWeight { dataset: DatasetId(1), weight: Bps::ONE }];
        let provider = ComputeMsg::RegisterProvider {
            bond: Amount::new(1_000_000_000),
            endpoint: "https://gpu.example".into(),
            capacities: vec![ClassCapacity { class: "image-xl".into(), units: 100_000 }],
        };
        let executed = chain.block_of(vec![(PROVIDER, Msg::Compute(provider))]);
        assert!(executed.receipts.iter().all(|r| r.outcome == TxOutcome::Applied), "{:?}", executed.receipts);
        for (sender, msg) in [
            (CONTRIBUTOR, dataset),
            (6, model("botanical", None, whole.clone())),
            (6, model("ink", None, whole)),
            (7, model("", Some(2), vec![])),
        ] {
            let executed = chain.block_of(vec![(sender, Msg::Registry(msg))]);
            assert!(
                executed.receipts.iter().all(|r| r.outcome == TxOutcome::Applied),
                "{:?}",
                executed.receipts
            );
        }
        assert_eq!(registry::query::model(&chain.store, ModelId(3)).unwrap().unwrap().style, "ink");
        finish_epoch(&mut chain, vec![]);
        chain
    }

    /// The operators observe `values` (feed, value), each in its open round, in one block.
    fn observe(chain: &mut TestChain, values: &[(&str, u128)]) {
        let mut msgs = Vec::new();
        for (id, value) in values {
            let round = oracle::query::feed(&chain.store, &FeedId((*id).into()), chain.head.height)
                .unwrap()
                .unwrap()
                .round
                .number;
            for operator in 0..OPERATORS {
                let msg = OracleMsg::SubmitObservation { feed: FeedId((*id).into()), round, value: *value };
                msgs.push((operator, Msg::Oracle(msg)));
            }
        }
        let executed = chain.block_of(msgs);
        assert!(executed.receipts.iter().all(|r| r.outcome == TxOutcome::Applied), "{:?}", executed.receipts);
    }

    /// The requester asks each of `models` for a job of [`JOB_UNITS`] units, in one block.
    fn ask(chain: &mut TestChain, models: &[u64]) {
        let job = |model| ComputeMsg::SubmitJob {
            model: ModelId(model),
            units: JOB_UNITS,
            max_fee_per_unit: Amount::new(2_000),
            tip_per_unit: Amount::ZERO,
            prompt_hash: Hash::digest("test", &[b"a fern"]),
            params_hash: Hash::ZERO,
            deterministic: true,
            parents: Vec::new(),
            policy: Default::default(),
        };
        let executed = chain.block_of(models.iter().map(|m| (REQUESTER, Msg::Compute(job(*m)))).collect());
        assert!(executed.receipts.iter().all(|r| r.outcome == TxOutcome::Applied), "{:?}", executed.receipts);
    }

    /// The report of the epoch that just ended.
    fn last_report(chain: &TestChain) -> EpochReport {
        treasury::query::reports(&chain.store).unwrap().pop().unwrap()
    }

    fn paid(report: &EpochReport) -> Vec<(u64, u128)> {
        report.steering.incentives.iter().map(|i| (i.model.0, i.amount.get())).collect()
    }

    fn owed(chain: &TestChain, vault: VaultId) -> u128 {
        revenue::query::owed(&chain.store, &vault).unwrap().unwrap().0.get()
    }

    fn contributor_owed(chain: &TestChain) -> u128 {
        registry::query::stake(&chain.store, DatasetId(1), &dev_address(CONTRIBUTOR))
            .unwrap()
            .unwrap()
            .claimable_gdc
            .get()
    }

    #[test]
    fn the_style_incentive_follows_demand_from_one_style_to_another_into_vaults_and_datasets() {
        let mut chain = steered();
        // Epoch 1: botanical is forecast nine times as much as ink; both styles are asked for.
        observe(&mut chain, &[("demand/botanical", 9_000), ("demand/ink", 1_000)]);
        ask(&mut chain, &[1, 2]);
        let grants_before = status(&chain).book.targets.grants_gdc;
        finish_epoch(&mut chain, vec![]);
        let first = last_report(&chain);
        let budget = first.steering.incentive_budget.get();
        assert_eq!(budget, first.targets.grants_gdc.get() / 5, "a fifth of the grants budget");
        assert!(grants_before.get() > 0);
        // Model 1 (botanical) weighs 9 000; models 2 and 3 (ink) 1 000 each.
        assert_eq!(paid(&first), vec![(1, budget * 9 / 11), (2, budget / 11), (3, budget / 11)]);
        assert_eq!(
            status(&chain).book.grants_left.ugdc,
            first.targets.grants_gdc.saturating_sub(Amount::new(paid(&first).iter().map(|(_, a)| a).sum())),
            "what the incentive paid is out of the grants budget"
        );
        // Half of each share into the datasets' vaults, the rest into the model's own.
        let botanical = &first.steering.incentives[0];
        assert_eq!(botanical.to_datasets.get(), botanical.amount.get() / 2);
        assert_eq!(
            owed(&chain, VaultId::Model(ModelId(1))),
            botanical.amount.get() - botanical.to_datasets.get()
        );
        let to_datasets: u128 = first.steering.incentives.iter().map(|i| i.to_datasets.get()).sum();
        assert!(
            contributor_owed(&chain).abs_diff(to_datasets) <= 1,
            "the contributor is owed its datasets' part"
        );

        // Epoch 2: demand moves to ink; model 3's quality is measured at 50%.
        observe(&mut chain, &[("demand/botanical", 1_000), ("demand/ink", 9_000), ("quality/3", 5_000)]);
        ask(&mut chain, &[1, 3]);
        finish_epoch(&mut chain, vec![]);
        let second = last_report(&chain);
        let budget = second.steering.incentive_budget.get();
        // Weights: model 2 9 000 × 100%, model 3 9 000 × 50%, model 1 1 000.
        assert_eq!(paid(&second), vec![(2, budget * 18 / 29), (3, budget * 9 / 29), (1, budget * 2 / 29)]);
        let ink: u128 = paid(&second).iter().filter(|(m, _)| *m != 1).map(|(_, a)| a).sum();
        assert!(ink * 10 > budget * 9, "more than 90% went to ink's models");
        // The fine-tune's vault is its owner's: the fine-tuner is paid.
        let fine_tuner = revenue::query::position(&chain.store, &VaultId::Model(ModelId(3)), &dev_address(7))
            .unwrap()
            .unwrap();
        assert_eq!(
            fine_tuner.claimable_gdc.get(),
            budget * 9 / 29 - second.steering.incentives[1].to_datasets.get()
                + first.steering.incentives[2].amount.get()
                - first.steering.incentives[2].to_datasets.get()
        );
    }

    #[test]
    fn a_style_nobody_paid_for_draws_no_incentive_and_one_is_paid_at_most_half_its_fees() {
        let mut chain = steered();
        // Ink is forecast, but only botanical's model is asked for, for 1 000 units.
        observe(&mut chain, &[("demand/botanical", 1_000), ("demand/ink", 9_000)]);
        ask(&mut chain, &[1]);
        finish_epoch(&mut chain, vec![]);
        let report = last_report(&chain);
        let fees = report.styles.iter().find(|d| d.style == "botanical").unwrap().fees.get();
        assert!(fees >= 1_000_000, "the job paid at least the minimum base fee: {fees}");
        // Botanical's share of the budget (1 000 / 19 000 of it) is under half its fees: paid
        // whole; ink's models are paid nothing.
        let budget = report.steering.incentive_budget.get();
        assert_eq!(paid(&report), vec![(1, budget * 1_000 / 19_000)]);
        // With the cap at 1% of the fees, botanical is paid exactly that.
        let mut chain = steered_with(|p| p.style_incentive_fee_cap = bps(100));
        observe(&mut chain, &[("demand/botanical", 1_000)]);
        ask(&mut chain, &[1]);
        finish_epoch(&mut chain, vec![]);
        let report = last_report(&chain);
        let fees = report.styles.iter().find(|d| d.style == "botanical").unwrap().fees.get();
        assert_eq!(paid(&report), vec![(1, fees / 100)]);
    }

    #[test]
    fn without_fresh_feeds_the_controller_is_neutral_and_pays_no_incentive() {
        let mut chain = steered();
        observe(&mut chain, &[("demand/botanical", 9_000), ("engagement", 1_000)]);
        ask(&mut chain, &[1]);
        finish_epoch(&mut chain, vec![]);
        assert!(!last_report(&chain).steering.incentives.is_empty());
        // Two epochs on, every value is older than its 12 blocks of staleness.
        finish_epoch(&mut chain, vec![]);
        finish_epoch(&mut chain, vec![]);
        let report = last_report(&chain);
        assert_eq!(
            report.steering,
            Steering { incentive_budget: report.steering.incentive_budget, ..Steering::default() },
            "no engagement, no trend, no prudence, nothing paid"
        );
        assert_eq!(
            report.targets.grants_gdc,
            status(&chain).book.grants_left.ugdc,
            "the grants budget keeps it"
        );
        assert_eq!(report.targets.reserve_target.get(), 10_000_000, "the base policy's reserve target");
    }

    #[test]
    fn falling_engagement_raises_the_reserve_target_a_step_an_epoch_and_a_stale_feed_steps_back() {
        let params = |chain: &TestChain| treasury::query::params(&chain.store).unwrap();
        let mut chain = steered();
        let step = i32::from(params(&chain).engagement_step.get());
        let mut prudence = Vec::new();
        for engagement in [10_000, 9_800, 5_000, 2_000] {
            observe(&mut chain, &[("engagement", engagement)]);
            finish_epoch(&mut chain, vec![]);
            let report = last_report(&chain);
            prudence.push((report.steering.trend, report.steering.prudence));
        }
        assert_eq!(
            prudence,
            vec![(None, 0), (Some(-200), 200), (Some(-4_897), 200 + step), (Some(-6_000), 200 + 2 * step)],
            "the first value has no trend; each fall raises prudence by at most a step"
        );
        let raised = last_report(&chain).steering.prudence;
        assert_eq!(
            last_report(&chain).targets.reserve_target.get(),
            10_000_000 * (10_000 + raised as u128) / 10_000,
            "the reserve target is raised by the prudence"
        );
        finish_epoch(&mut chain, vec![]);
        let stale = last_report(&chain);
        assert_eq!(stale.steering.engagement, None);
        assert_eq!(stale.steering.prudence, raised - step, "a stale feed steps prudence back");
    }
}
