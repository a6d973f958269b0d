//! The oracle: a round's value is the median of its observations (upper median for an even count),
//! published on deviation or heartbeat; a round under its quorum expires; consumers refuse stale
//! values; outliers lose reputation and nobody else does; each failure code leaves state unchanged.

use atelier_primitives::{Amount, Bps, Height};
use atelier_protocol::{
    Event, ExecutedBlock, Genesis, Msg, TxOutcome,
    modules::{
        oracle::{self, FeedId, FeedSpec, OracleError, OracleEvent, OracleMsg},
        staking,
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address};

const FUNDS: u128 = 1_000_000_000_000;
const STAKE: u128 = 10_000_000_000;
/// Dev accounts 0–5 are staked and registered operators; 6 is staked, not registered; 7 has no stake.
const OPERATORS: u64 = 6;

fn feed(id: &str, quorum: u32) -> FeedSpec {
    FeedSpec {
        id: FeedId(id.into()),
        quorum,
        heartbeat_blocks: 50,
        deviation: Bps::new(100).unwrap(),
        staleness_blocks: 100,
        round_blocks: 5,
    }
}

fn genesis() -> Genesis {
    let builder = (0..=OPERATORS)
        .fold(GenesisBuilder::new().fund_dev_accounts(10, Amount::new(FUNDS)), |b, i| {
            b.stake(dev_address(i), Amount::new(STAKE))
        });
    let mut genesis = builder.build();
    genesis.staking.params.epoch_blocks = 10;
    genesis.oracle.params.feeds = vec![feed("gdc_usd", 3), feed("engagement", 4)];
    genesis.oracle.operators = (0..OPERATORS)
        .map(|i| oracle::Operator { address: dev_address(i), since: Height(0), observations: 0, outliers: 0 })
        .collect();
    genesis
}

fn observe(feed: &str, round: u64, value: u128) -> Msg {
    Msg::Oracle(OracleMsg::SubmitObservation { feed: FeedId(feed.into()), round, value })
}

fn closed(executed: &ExecutedBlock) -> Vec<(u128, u32, bool)> {
    executed
        .end_block_events
        .iter()
        .filter_map(|e| match e {
            Event::Oracle(OracleEvent::RoundClosed { median, observations, published, .. }) => {
                Some((*median, *observations, *published))
            }
            _ => None,
        })
        .collect()
}

fn reputation(chain: &TestChain, account: u64) -> u128 {
    staking::query::position(&chain.store, &dev_address(account)).unwrap().reputation
}

fn round_of(chain: &TestChain, id: &str) -> u64 {
    oracle::query::feed(&chain.store, &FeedId(id.into()), chain.head.height).unwrap().unwrap().round.number
}

/// One block in which operators `0..values.len()` observe `values` for `feed`'s open round.
fn round(chain: &mut TestChain, id: &str, values: &[u128]) -> ExecutedBlock {
    let number = round_of(chain, id);
    let msgs = values.iter().zip(0u64..).map(|(v, i)| (i, observe(id, number, *v))).collect();
    let executed = chain.block_of(msgs);
    assert!(executed.receipts.iter().all(|r| r.outcome == TxOutcome::Applied));
    executed
}

#[test]
fn the_median_of_100_101_102_150_99_is_101_and_only_the_outlier_pays() {
    let mut chain = TestChain::new(genesis());
    chain.idle(20);
    let before: Vec<u128> = (0..5).map(|i| reputation(&chain, i)).collect();
    assert!(before.iter().all(|r| *r > 0), "operators earned reputation from their stake");
    let executed = round(&mut chain, "gdc_usd", &[100, 101, 102, 150, 99]);
    assert_eq!(closed(&executed), vec![(101, 5, true)]);
    let published = oracle::fresh(&chain.store, &FeedId::gdc_usd(), chain.head.height).unwrap();
    assert_eq!(published.value, 101);
    let penalized: Vec<_> = executed
        .end_block_events
        .iter()
        .filter_map(|e| match e {
            Event::Oracle(OracleEvent::OperatorPenalized { operator, reputation_lost, .. }) => {
                Some((*operator, *reputation_lost))
            }
            _ => None,
        })
        .collect();
    // 1% of its reputation, rounded up.
    assert_eq!(penalized, vec![(dev_address(3), before[3].div_ceil(100))]);
    for i in [0, 1, 2, 4] {
        assert_eq!(reputation(&chain, i), before[i as usize], "operator {i} was within 5% of the median");
    }
    assert_eq!(reputation(&chain, 3), before[3] - before[3].div_ceil(100));
    assert_eq!(oracle::query::operator(&chain.store, &dev_address(3)).unwrap().unwrap().outliers, 1);
}

#[test]
fn an_even_count_takes_the_upper_median() {
    let mut chain = TestChain::new(genesis());
    let executed = round(&mut chain, "engagement", &[40, 10, 30, 20]);
    assert_eq!(closed(&executed), vec![(30, 4, true)]);
}

#[test]
fn a_round_closes_at_its_quorum_and_a_new_one_opens() {
    let mut chain = TestChain::new(genesis());
    let executed = round(&mut chain, "gdc_usd", &[7, 7]);
    assert!(closed(&executed).is_empty(), "two of three");
    assert_eq!(round_of(&chain, "gdc_usd"), 1);
    let executed = chain.block_of(vec![(2, observe("gdc_usd", 1, 8))]);
    assert_eq!(closed(&executed), vec![(7, 3, true)]);
    assert_eq!(round_of(&chain, "gdc_usd"), 2);
    // Round 1 is closed: observing it again is the wrong round.
    let failed = chain.block_of(vec![(0, observe("gdc_usd", 1, 7))]);
    assert!(matches!(failed.receipts[0].outcome, TxOutcome::Failed { code: 1106, .. }));
}

#[test]
fn a_round_under_its_quorum_expires_and_its_observations_are_dropped() {
    let mut chain = TestChain::new(genesis());
    round(&mut chain, "gdc_usd", &[7, 7]);
    let opened = chain.head.height.0;
    let mut expired_at = None;
    for _ in 0..6 {
        let executed = chain.produce(Vec::new());
        if executed
            .end_block_events
            .iter()
            .any(|e| matches!(e, Event::Oracle(OracleEvent::RoundExpired { .. })))
        {
            expired_at = Some(chain.head.height.0);
            break;
        }
    }
    assert_eq!(expired_at, Some(opened + 5), "round_blocks after its first observation");
    assert_eq!(round_of(&chain, "gdc_usd"), 2);
    // The dropped observations do not count towards round 2.
    let executed = round(&mut chain, "gdc_usd", &[9]);
    assert!(closed(&executed).is_empty());
    assert!(matches!(
        oracle::fresh(&chain.store, &FeedId::gdc_usd(), chain.head.height),
        Err(oracle::FreshError::Refused(OracleError::NoValue { .. }))
    ));
}

#[test]
fn a_median_is_published_on_deviation_or_heartbeat_only() {
    let mut chain = TestChain::new(genesis());
    assert_eq!(closed(&round(&mut chain, "gdc_usd", &[10_000, 10_000, 10_000])), vec![(10_000, 3, true)]);
    let first = chain.head.height;
    // 0.5% is under the 1% deviation: recorded, not published.
    assert_eq!(closed(&round(&mut chain, "gdc_usd", &[10_050, 10_050, 10_050])), vec![(10_050, 3, false)]);
    assert_eq!(oracle::fresh(&chain.store, &FeedId::gdc_usd(), chain.head.height).unwrap().height, first);
    // Exactly 1% is published.
    assert_eq!(closed(&round(&mut chain, "gdc_usd", &[10_100, 10_100, 10_100])), vec![(10_100, 3, true)]);
    let second = chain.head.height;
    chain.idle(48);
    assert_eq!(closed(&round(&mut chain, "gdc_usd", &[10_100, 10_100, 10_100])), vec![(10_100, 3, false)]);
    // 50 blocks after the last publication the heartbeat publishes an unchanged value.
    assert_eq!(closed(&round(&mut chain, "gdc_usd", &[10_100, 10_100, 10_100])), vec![(10_100, 3, true)]);
    assert_eq!(chain.head.height.0 - second.0, 50);
    let view = oracle::query::feed(&chain.store, &FeedId::gdc_usd(), chain.head.height).unwrap().unwrap();
    assert_eq!(
        view.history.iter().map(|r| r.published).collect::<Vec<_>>(),
        vec![true, false, true, false, true]
    );
}

#[test]
fn a_stale_feed_is_refused() {
    let mut chain = TestChain::new(genesis());
    round(&mut chain, "gdc_usd", &[5, 5, 5]);
    let published = chain.head.height;
    chain.idle(100);
    assert_eq!(oracle::fresh(&chain.store, &FeedId::gdc_usd(), chain.head.height).unwrap().value, 5);
    chain.idle(1);
    let refused = oracle::fresh(&chain.store, &FeedId::gdc_usd(), chain.head.height);
    match refused {
        Err(oracle::FreshError::Refused(error @ OracleError::Stale { .. })) => {
            assert_eq!(error.code(), 1108);
            assert_eq!(
                error,
                OracleError::Stale {
                    feed: FeedId::gdc_usd(),
                    published_at: published,
                    limit: 100,
                    height: chain.head.height,
                }
            );
        }
        other => panic!("expected a stale refusal, got {other:?}"),
    }
    let view = oracle::query::feed(&chain.store, &FeedId::gdc_usd(), chain.head.height).unwrap().unwrap();
    assert!(view.stale);
    assert!(matches!(
        oracle::fresh(&chain.store, &FeedId("nothing".into()), chain.head.height),
        Err(oracle::FreshError::Refused(OracleError::UnknownFeed { .. }))
    ));
}

#[test]
fn each_oracle_failure_leaves_state_unchanged() {
    let mut genesis = genesis();
    genesis.oracle.params.max_operators = 7;
    genesis.oracle.params.feeds[0].quorum = 7;
    genesis.oracle.params.feeds[0].round_blocks = 1_000;
    let mut chain = TestChain::new(genesis);
    chain.block_of(vec![(0, observe("gdc_usd", 1, 1))]);
    let cases: [(u64, Msg, u32); 7] = [
        (0, observe("nothing", 1, 1), 1101),
        (0, Msg::Oracle(OracleMsg::RegisterOperator), 1102),
        (7, observe("gdc_usd", 1, 1), 1103),
        (7, Msg::Oracle(OracleMsg::LeaveOracle), 1103),
        (7, Msg::Oracle(OracleMsg::RegisterOperator), 1104),
        (1, observe("gdc_usd", 2, 1), 1106),
        (0, observe("gdc_usd", 1, 2), 1107),
    ];
    for (sender, msg, code) in cases {
        let operators = oracle::query::operators(&chain.store).unwrap();
        let executed = chain.block_of(vec![(sender, msg.clone())]);
        match &executed.receipts[0].outcome {
            TxOutcome::Failed { code: got, reason, .. } => assert_eq!(*got, code, "{msg:?}: {reason}"),
            TxOutcome::Applied => panic!("{msg:?} applied"),
        }
        assert_eq!(oracle::query::operators(&chain.store).unwrap(), operators);
        let view = oracle::query::feed(&chain.store, &FeedId::gdc_usd(), chain.head.height).unwrap().unwrap();
        assert_eq!((view.round.number, view.round.observations), (1, 1), "{msg:?} added no observation");
    }
    // Registering the seventh fills the set; an eighth is refused.
    chain.block_of(vec![(6, Msg::Oracle(OracleMsg::RegisterOperator))]);
    let executed =
        chain.block_of(vec![(7, Msg::Staking(staking::StakingMsg::Stake { amount: Amount::new(STAKE) }))]);
    assert_eq!(executed.receipts[0].outcome, TxOutcome::Applied);
    let executed = chain.block_of(vec![(7, Msg::Oracle(OracleMsg::RegisterOperator))]);
    assert!(matches!(executed.receipts[0].outcome, TxOutcome::Failed { code: 1105, .. }));
}

#[test]
fn an_operator_that_unstakes_can_no_longer_observe() {
    let mut chain = TestChain::new(genesis());
    let unstake = Msg::Staking(staking::StakingMsg::Unstake { amount: Amount::new(STAKE) });
    assert_eq!(chain.block_of(vec![(0, unstake)]).receipts[0].outcome, TxOutcome::Applied);
    let executed = chain.block_of(vec![(0, observe("gdc_usd", 1, 1))]);
    assert!(matches!(executed.receipts[0].outcome, TxOutcome::Failed { code: 1104, .. }));
    let leave = chain.block_of(vec![(1, Msg::Oracle(OracleMsg::LeaveOracle))]);
    assert_eq!(leave.receipts[0].outcome, TxOutcome::Applied);
    assert!(oracle::query::operator(&chain.store, &dev_address(1)).unwrap().is_none());
}
