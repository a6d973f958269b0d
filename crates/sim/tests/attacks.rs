//! Every attack scenario, on a short run (epochs of 20 blocks), ends with the attacker no richer
//! than the honest twin it is measured against, and holding no more reputation; and the attack did
//! happen (each test checks the trace it leaves).

use std::{fs, path::Path};

use atelier_sim::{Row, Scenario, policy::Policies, simulate};

/// The final row of the scenario's first run, shortened to `blocks` with 20-block epochs and
/// `overrides`; every block's rows pass to `each`.
fn run(name: &str, blocks: u64, overrides: &[(&str, &str)], mut each: impl FnMut(&Row)) -> Row {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name);
    let text = fs::read_to_string(path).unwrap();
    let mut all =
        vec![("blocks".to_string(), blocks.to_string()), ("genesis.epoch_blocks".into(), "20".into())];
    all.extend(overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let scenario = Scenario::parse(&text, &all).unwrap();
    let outcome = simulate(&scenario, 0, 0, &Policies::default(), |row| {
        each(row);
        Ok(())
    })
    .unwrap();
    assert_eq!(outcome.blocks, blocks);
    outcome.last.unwrap()
}

fn assert_no_edge(name: &str, last: &Row) {
    assert!(last.attacker_pnl <= 0, "{name}: the attacker gained {} uusd", last.attacker_pnl);
    assert!(
        last.attacker_reputation <= 0,
        "{name}: the attacker gained {} reputation",
        last.attacker_reputation
    );
}

#[test]
fn wash_trading_pays_the_pool_both_ways_and_earns_nothing() {
    let mut swaps = 0;
    let last = run("attack-wash-trading.toml", 80, &[], |row| swaps += row.swaps);
    assert_no_edge("wash trading", &last);
    assert!(last.attacker_pnl < 0 && swaps >= 60, "it traded: {swaps} swaps, {}", last.attacker_pnl);
}

#[test]
fn splitting_stake_over_sybil_accounts_never_holds_more_reputation_than_one_account() {
    let last = run("attack-sybil-splitting.toml", 70, &[], |_| {});
    assert_no_edge("sybil splitting", &last);
    assert!(last.reputation_gini_bps > 0, "stakers earned reputation: {last:?}");
}

#[test]
fn stake_bonded_for_each_epochs_close_earns_no_reputation() {
    let mut most = 0;
    let last = run("attack-flash-staking.toml", 70, &[], |row| most = most.max(row.attacker_reputation));
    assert_no_edge("flash staking", &last);
    assert_eq!(most, 0, "it never held reputation");
    assert!(last.attacker_pnl < 0, "it paid gas: {}", last.attacker_pnl);
}

#[test]
fn a_provider_spamming_its_own_class_ends_poorer_than_its_honest_twin() {
    let mut submitted = 0;
    let last = run("attack-fee-spam.toml", 60, &[], |row| submitted += row.jobs_submitted);
    assert_no_edge("fee spam", &last);
    assert!(submitted > 5 * 40, "the spam went in: {submitted} jobs");
}

#[test]
fn sandwiching_the_treasurys_buy_backs_loses_from_the_block_before_or_inside_their_batch() {
    for lead in ["1", "0"] {
        let last = run(
            "attack-buyback-sandwich.toml",
            200,
            &[("shocks.0.at", "30"), ("shocks.0.blocks", "1000"), ("agents.4.lead", lead)],
            |_| {},
        );
        assert!(last.bought_back > 0, "lead {lead}: the treasury bought back: {last:?}");
        assert_no_edge(&format!("sandwich, lead {lead}"), &last);
    }
}

#[test]
fn a_minority_of_lying_oracle_operators_starts_no_defence_and_loses_reputation() {
    let last = run("attack-oracle-manipulation.toml", 140, &[], |_| {});
    assert_eq!(last.bought_back, 0, "no buy-back: {last:?}");
    assert_no_edge("oracle manipulation", &last);
    assert!(last.attacker_reputation < 0, "the liars lost reputation: {}", last.attacker_reputation);
}
