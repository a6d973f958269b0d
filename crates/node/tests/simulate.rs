//! `POST /txs/simulate` predicts what including a transaction next does: over random transactions
//! (transfers and stake moves of any size, some refused by admission, some failing in the block),
//! the simulation's outcome, code, gas, fee and events equal those of submitting it.

use std::path::Path;

use atelier_api::SimulatedOutcome;
use atelier_client::{Client, ClientError};
use atelier_node::{Node, NodeConfig};
use atelier_primitives::{Amount, Denom, Encode};
use atelier_protocol::{Msg, modules::staking::StakingMsg};
use atelier_storage::Storage;
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key, factory::transfer};
use proptest::prelude::*;

const FUNDS: Amount = Amount::new(1_000_000_000_000);

/// One random transaction: who sends it and what it asks.
#[derive(Debug, Clone)]
enum Ask {
    Transfer { to: u64, amount: u128 },
    Stake(u128),
    Unstake(u128),
}

fn ask() -> impl Strategy<Value = (u64, Ask)> {
    let amount = (0u32..14).prop_map(|exponent| 10u128.pow(exponent) - u128::from(exponent == 0));
    let ask = prop_oneof![
        (1u64..4, amount.clone()).prop_map(|(to, amount)| Ask::Transfer { to, amount }),
        amount.clone().prop_map(Ask::Stake),
        amount.prop_map(Ask::Unstake),
    ];
    (1u64..4, ask)
}

fn msg(ask: &Ask) -> Msg {
    match ask {
        Ask::Transfer { to, amount } => transfer(dev_address(*to), Denom::GDC, Amount::new(*amount)),
        Ask::Stake(amount) => Msg::Staking(StakingMsg::Stake { amount: Amount::new(*amount) }),
        Ask::Unstake(amount) => Msg::Staking(StakingMsg::Unstake { amount: Amount::new(*amount) }),
    }
}

async fn check(dir: &Path, asks: Vec<(u64, Ask)>) {
    let genesis = GenesisBuilder::new().fund_dev_accounts(4, FUNDS).build();
    let storage = Storage::open(&dir.join("chain.redb")).unwrap();
    let state = atelier_protocol::init_chain(&storage.snapshot().unwrap(), genesis.clone()).unwrap();
    storage.init(&state).unwrap();
    let mut config = NodeConfig::new("127.0.0.1:0".parse().unwrap(), dev_address(3));
    config.block_interval = None;
    let node = Node::new(storage, config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = Client::new(format!("http://{}", listener.local_addr().unwrap()));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(node.clone().run(listener, async move {
        let _ = stopped.await;
    }));
    let factory = TestChain::new(genesis).factory();
    for (sender, ask) in asks {
        let key = dev_key(sender);
        let nonce = client.account(&dev_address(sender).to_string()).await.unwrap().next_nonce;
        let tx = factory.tx(&key, nonce, vec![msg(&ask)]).to_bytes();
        let simulated = client.simulate(&tx).await.unwrap();
        match client.submit(&tx, true).await {
            Err(ClientError::Api { status: 422, body }) => {
                assert_eq!(simulated.outcome, SimulatedOutcome::Rejected, "{ask:?}: {body:?}");
                assert_eq!(simulated.code, body.code, "{ask:?}");
            }
            Ok(submitted) => {
                let receipt = client.tx(&submitted.hash).await.unwrap().receipt.unwrap();
                let outcome = &receipt["outcome"];
                let expected = if outcome["status"] == "applied" {
                    SimulatedOutcome::Applied
                } else {
                    SimulatedOutcome::Failed
                };
                assert_eq!(simulated.outcome, expected, "{ask:?}");
                assert_eq!(simulated.code, outcome["code"].as_u64().map(|code| code as u32), "{ask:?}");
                assert_eq!(simulated.gas_used, receipt["gas_used"].as_u64(), "{ask:?}");
                assert_eq!(Some(simulated.gas_needed), simulated.gas_used, "{ask:?}: gas is the schedule's");
                assert_eq!(simulated.fee.as_deref(), receipt["fee"].as_str(), "{ask:?}");
                assert_eq!(serde_json::Value::from(simulated.events), receipt["events"], "{ask:?}");
            }
            Err(other) => panic!("{ask:?}: {other}"),
        }
    }
    let _ = stop.send(());
    task.await.unwrap().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn simulation_predicts_the_outcome_gas_fee_and_events_of_inclusion(asks in prop::collection::vec(ask(), 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(check(dir.path(), asks));
    }
}
