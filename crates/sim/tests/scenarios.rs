//! Shocks move the economy the way the protocol says they should: an outside price crash reported
//! by the oracle makes the treasury spend its reserve on buy-backs, and nothing else does; the
//! baseline community's collectors buy what is listed, and its sales pay royalties.

use std::{fs, path::Path};

use atelier_sim::{Row, Scenario, simulate};

fn scenario(name: &str, overrides: &[(&str, &str)]) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name);
    let text = fs::read_to_string(path).unwrap();
    let overrides: Vec<(String, String)> =
        overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Scenario::parse(&text, &overrides).unwrap()
}

fn last_row(scenario: &Scenario) -> Row {
    let outcome = simulate(scenario, 0, 0, |_| Ok(())).unwrap();
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
