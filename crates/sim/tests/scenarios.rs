//! Shocks move the economy the way the protocol says they should: an outside price crash reported
//! by the oracle makes the treasury spend its reserve on buy-backs, and nothing else does; the
//! baseline community's collectors buy what is listed, and its sales pay royalties; its voters
//! grant what they tolerate from the treasury and refuse what they do not; when demand moves from
//! one style to another, the style incentive follows it, and prompting one's own style to draw
//! the incentive costs more than it draws.

use std::{fs, path::Path};

use atelier_protocol::modules::{
    governance::{self, ActionResult, Status},
    registry::{self, ModelId},
    revenue::{self, VaultId},
    treasury,
};
use atelier_sim::{Population, Row, Scenario, World, policy::Policies, rng::Key, simulate};

fn scenario(name: &str, overrides: &[(&str, &str)]) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name);
    let text = fs::read_to_string(path).unwrap();
    let overrides: Vec<(String, String)> =
        overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Scenario::parse(&text, &overrides).unwrap()
}

fn last_row(scenario: &Scenario) -> Row {
    let outcome = simulate(scenario, 0, 0, &Policies::default(), |_| Ok(())).unwrap();
    assert_eq!(outcome.blocks, scenario.blocks);
    outcome.last.unwrap()
}

#[test]
fn an_outside_price_crash_reported_by_the_oracle_makes_the_treasury_buy_back() {
    let short = [
        ("blocks", "140"),
        ("genesis.epoch_blocks", "20"),
        ("shocks.0.at", "30"),
        ("shocks.0.blocks", "1000"),
    ];
    let crashed = last_row(&scenario("market-crash.toml", &short));
    let calm_overrides: Vec<(&str, &str)> =
        short.iter().copied().chain([("shocks.0.factor", "1.0")]).collect();
    let calm = last_row(&scenario("market-crash.toml", &calm_overrides));
    assert!(crashed.oracle_price > 0 && crashed.oracle_price < crashed.price * 6 / 10, "{crashed:?}");
    assert!(calm.oracle_price > calm.price * 9 / 10, "{calm:?}");
    assert!(
        crashed.reserve < calm.reserve,
        "the crash spent reserve: {} vs {}",
        crashed.reserve,
        calm.reserve
    );
    assert!(crashed.burned > calm.burned, "and burned what it bought");
}

#[test]
fn collectors_buy_listed_outputs_and_their_sales_pay_royalties_and_the_protocol_fee() {
    let last = last_row(&scenario("baseline.toml", &[("blocks", "80")]));
    assert!(last.paid_providers > 0 && last.paid_datasets > 0 && last.paid_fine_tuners > 0, "{last:?}");
    assert!(last.paid_royalties > 0, "sales paid royalties: {last:?}");
    assert!(last.market_fees > 0, "and the protocol fee: {last:?}");
}

/// The baseline's voters over 140 blocks of 20-block epochs, with a vote lasting 20 blocks and
/// execution 10 blocks after it, asking for `ask` `ugdc` each time; the world at the end.
fn governed(ask: &str) -> (Row, World) {
    let overrides = [
        ("blocks", "140"),
        ("genesis.epoch_blocks", "20"),
        ("genesis.voting_delay_blocks", "5"),
        ("genesis.voting_period_blocks", "20"),
        ("genesis.timelock_blocks", "10"),
        ("agents.6.propose_every", "20"),
        ("agents.6.ask", ask),
        ("agents.6.turnout", "1.0"),
        ("agents.6.max_share", "0.5"),
    ];
    let scenario = scenario("baseline.toml", &overrides);
    assert!(matches!(scenario.agents[6], Population::Voter { .. }), "the overrides reach the voters");
    let mut world =
        World::new(&scenario, Key { seed: scenario.seed, point: 0, run: 0, block: 0, stream: 0 }).unwrap();
    let mut last = Row::default();
    for block in 1..=scenario.blocks {
        last = world.step(block).unwrap();
    }
    (last, world)
}

#[test]
fn voters_grant_an_ask_they_tolerate_and_the_treasury_pays_it_and_refuse_a_greedy_one() {
    // 1% of the treasury's GDC: every voter tolerates it (the least tolerant 2.5%).
    let (modest, world) = governed("1_000_000_000");
    assert!(modest.proposals >= 4 && modest.proposals_executed >= 3, "{modest:?}");
    assert_eq!(modest.proposals_defeated, 0, "{modest:?}");
    assert!(modest.votes >= 20 * modest.proposals_executed, "every voter voted: {modest:?}");
    let proposals = governance::query::proposals(world.store(), None, 100, world.head().height).unwrap();
    let executed: Vec<_> = proposals.iter().filter(|p| p.proposal.status == Status::Executed).collect();
    assert_eq!(executed.len() as i128, modest.proposals_executed);
    for view in executed {
        assert!(view.proposal.results.iter().all(|r| *r == ActionResult::Applied), "{:?}", view.proposal);
    }
    // 40%: only the 5 most tolerant of 20 and the proposer vote For.
    let (greedy, _) = governed("40_000_000_000");
    assert!(greedy.proposals >= 4 && greedy.proposals_defeated >= 3, "{greedy:?}");
    assert_eq!(greedy.proposals_executed, 0, "{greedy:?}");
}

#[test]
fn prompters_of_one_style_pay_only_that_fine_tune() {
    let scenario = scenario("cadcad-parity.toml", &[("blocks", "40"), ("agents.0.style", "2")]);
    let mut world =
        World::new(&scenario, Key { seed: scenario.seed, point: 0, run: 0, block: 0, stream: 0 }).unwrap();
    for block in 1..=scenario.blocks {
        world.step(block).unwrap();
    }
    let fine_tuners = world.members(3);
    assert!(matches!(scenario.agents[3], Population::FineTuner { .. }) && fine_tuners.len() == 10);
    let mut paid = Vec::new();
    for id in 1..=11 {
        let model = registry::query::model(world.store(), ModelId(id)).unwrap().unwrap();
        let rank = fine_tuners.iter().position(|a| *a == model.owner);
        let owed = revenue::query::owed(world.store(), &VaultId::Model(model.id)).unwrap();
        if owed.is_some_and(|(gdc, _)| !gdc.is_zero()) {
            paid.push(rank);
        }
    }
    // The base model (the studio's) takes its fee from every job of its fine-tunes; of those, the
    // second registered is style 2.
    assert_eq!(paid, vec![None, Some(1)]);
}

#[test]
fn a_style_beyond_the_fine_tunes_is_refused() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/cadcad-parity.toml");
    let text = fs::read_to_string(path).unwrap();
    let error = Scenario::parse(&text, &[("agents.0.style".into(), "11".into())]).unwrap_err();
    assert!(error.to_string().contains("style"), "{error}");
}

#[test]
fn the_style_incentive_follows_demand_to_the_new_style_and_self_prompting_loses() {
    // 20-block epochs; the shift at block 200 of 360, with a fifth of the community.
    let short = [
        ("blocks", "360"),
        ("genesis.epoch_blocks", "20"),
        ("agents.4.count", "8"),
        ("agents.5.count", "2"),
        ("agents.6.count", "5"),
        ("shocks.0.at", "200"),
        ("shocks.0.blocks", "1000"),
    ];
    let scenario = scenario("style-shift.toml", &short);
    let mut world =
        World::new(&scenario, Key { seed: scenario.seed, point: 0, run: 0, block: 0, stream: 0 }).unwrap();
    // The share of each closed epoch's incentive that reached the style asked for most, by epoch.
    let mut shares = Vec::new();
    let mut last = Row::default();
    for block in 1..=scenario.blocks {
        last = world.step(block).unwrap();
        if block % 20 == 0 {
            shares.push((block / 20, last.incentive_in_demand_bps));
        }
    }
    assert!(last.style_incentive_paid > 0, "the incentive was paid");
    let before: Vec<i128> = shares.iter().filter(|(e, _)| (3..10).contains(e)).map(|(_, s)| *s).collect();
    assert!(
        before.iter().all(|s| *s > 5_000),
        "botanical, asked for most, drew most before the shift: {shares:?}"
    );
    // Within two epochs of the shift (epoch 10), ink — now asked for most — draws most.
    let after: Vec<i128> = shares.iter().filter(|(e, _)| *e >= 12).map(|(_, s)| *s).collect();
    assert!(!after.is_empty() && after.iter().all(|s| *s > 5_000), "the incentive followed ink: {shares:?}");
    assert!(last.forecast_error_milli > 0 && last.naive_error_milli > 0, "the style oracles forecast");
    // The self-prompter's model (the third fine-tune) drew incentive, and its owner lost more in
    // fees than it drew.
    let reports = treasury::query::reports(world.store()).unwrap();
    let drawn: u128 = reports
        .iter()
        .flat_map(|r| &r.steering.incentives)
        .filter(|i| i.style == "glitch")
        .map(|i| i.amount.get())
        .sum();
    assert!(drawn > 0, "the self-prompter drew some incentive");
    assert!(last.attacker_pnl < 0, "prompting its own style paid: {}", last.attacker_pnl);
}

#[test]
fn the_baseline_s_busy_blocks_lift_the_block_space_base_fee_off_its_floor() {
    let baseline = scenario("baseline.toml", &[("blocks", "150")]);
    let (mut highest, mut over_target) = (0, 0);
    let outcome = simulate(&baseline, 0, 0, &Policies::default(), |row| {
        highest = highest.max(row.base_fee);
        over_target += i32::from(row.gas_used > 90_000);
        Ok(())
    })
    .unwrap();
    assert!(outcome.last.is_ok(), "{:?}", outcome.last);
    assert!(over_target > 0, "some blocks pass the 90 000-gas target");
    assert!(highest > 1, "the base fee rose above its floor of 1: {highest}");
}
