//! Custom populations: a policy given by name decides what its agents send, sees the last block's
//! metrics and its agents' balances, acts only through transactions, and a missing or failing
//! policy is refused with its name.

use std::{
    fs,
    path::Path,
    sync::{Arc, Mutex},
};

use atelier_primitives::Amount;
use atelier_protocol::{
    Msg,
    modules::amm::{AmmMsg, Side},
};
use atelier_sim::{
    Batch, BatchError, Outcome, Scenario,
    policy::{Policies, Policy, View},
    simulate,
};

/// The parity economy, 60 blocks long, with five custom agents run by the policy `seller`.
fn scenario_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/cadcad-parity.toml");
    let text = fs::read_to_string(path).unwrap().replace("blocks = 1000", "blocks = 60");
    format!("{text}\n[[agents]]\nkind = \"custom\"\ncount = 5\npolicy = \"seller\"\n")
}

/// Sells `amount` ugdc per agent per block (none if 0), and remembers what it saw.
struct Seller {
    amount: u128,
    seen: Mutex<Vec<View>>,
}

impl Policy for Seller {
    fn decide(&self, view: &View) -> Result<Vec<(u64, Msg)>, String> {
        self.seen.lock().unwrap().push(view.clone());
        if self.amount == 0 {
            return Ok(Vec::new());
        }
        let sell = Msg::Amm(AmmMsg::Swap {
            side: Side::SellGdc,
            amount_in: Amount::new(self.amount),
            min_out: Amount::ZERO,
        });
        Ok(view.agents.iter().map(|agent| (agent.rank, sell.clone())).collect())
    }
}

fn run(amount: u128) -> (Outcome, Vec<View>) {
    let seller = Arc::new(Seller { amount, seen: Mutex::new(Vec::new()) });
    let mut policies = Policies::default();
    policies.insert("seller", seller.clone());
    let scenario = Scenario::parse(&scenario_text(), &[]).unwrap();
    let outcome = simulate(&scenario, 0, 0, &policies, |_| Ok(())).unwrap();
    let seen = seller.seen.lock().unwrap().clone();
    (outcome, seen)
}

#[test]
fn a_policy_that_sells_every_block_lowers_the_price_and_sees_its_agents_balances_fall() {
    let (idle, idle_views) = run(0);
    let (selling, views) = run(10_000_000_000);
    let (idle, selling) = (idle.last.unwrap(), selling.last.unwrap());
    assert!(
        selling.price < idle.price,
        "selling moves the pool's price down: {} vs {}",
        selling.price,
        idle.price
    );
    assert!(selling.swaps > idle.swaps);
    assert_eq!(views.len(), 60 - 3, "asked every block after the three setup blocks");
    assert_eq!(idle_views.len(), views.len());
    let (first, last) = (&views[0], &views[views.len() - 1]);
    assert_eq!(first.agents.len(), 5);
    assert_eq!(first.last.block, 3, "the view holds the last block's metrics");
    assert_eq!(last.last.block, 59);
    assert!(last.agents.iter().all(|a| a.ugdc < first.agents[0].ugdc), "what they sold left their accounts");
    assert!(last.agents.iter().all(|a| a.uusd > first.agents[0].uusd), "and was paid in uusd");
    assert_ne!(views[0].seed, views[1].seed, "a seed per block");
    assert_eq!(run(10_000_000_000).1, views, "the same views in a rerun");
}

struct Naming(u64);

impl Policy for Naming {
    fn decide(&self, _: &View) -> Result<Vec<(u64, Msg)>, String> {
        Ok(vec![(
            self.0,
            Msg::Amm(AmmMsg::Swap { side: Side::SellUsd, amount_in: Amount::new(1), min_out: Amount::ZERO }),
        )])
    }
}

#[test]
fn a_policy_naming_an_agent_it_does_not_have_stops_the_run_with_its_name() {
    let mut policies = Policies::default();
    policies.insert("seller", Arc::new(Naming(5)));
    let scenario = Scenario::parse(&scenario_text(), &[]).unwrap();
    let outcome = simulate(&scenario, 0, 0, &policies, |_| Ok(())).unwrap();
    let error = outcome.last.unwrap_err();
    assert!(error.contains("policy \"seller\": agent 5 named, but the population has 5"), "{error}");
    assert_eq!(outcome.blocks, 3, "stopped at the first block it decided");
}

#[test]
fn a_batch_whose_custom_population_has_no_policy_is_refused_before_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    let batch = Batch { progress_on_stderr: false, ..Batch::new(scenario_text(), dir.path().join("out")) };
    let error = atelier_sim::run(&batch).unwrap_err();
    assert!(matches!(error, BatchError::Scenario(_)), "{error}");
    assert!(error.to_string().contains("names the policy \"seller\", which was not given"), "{error}");
    assert!(!dir.path().join("out").exists(), "nothing written");
}
