//! Proof-of-Creation validators on a running chain: candidates register, update and leave; the
//! next epoch's set is chosen at a fixed height before each epoch ends and committed by the
//! epoch's last header; equivocators are slashed, jailed and left out; validators missing from
//! most of an epoch's participation records are jailed at its end; a failed message and a block
//! with a record the chain cannot count change nothing.

use atelier_primitives::{Amount, Hash, Height, PublicKey};
use atelier_protocol::{
    BlockError, BlockEvidence, EquivocationKind, Event, Genesis, Misbehavior, Msg, Participation, TxOutcome,
    modules::staking::{self, JailReason, Liveness, StakingEvent, StakingMsg, ValidatorSet},
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};

const EPOCH: u64 = 20;
const LEAD: u64 = 3;
const STAKE: u128 = 10_000_000;
/// Backs the whole stake at the default backing (one unit of reputation backs ten).
const REPUTATION: u128 = STAKE / 10;
const FUNDS: u128 = 1_000_000_000_000;

/// Four genesis validators, dev0–dev3, each signing with its account key.
fn genesis(max_validators: u32) -> Genesis {
    let mut builder = GenesisBuilder::new().fund_dev_accounts(10, Amount::new(FUNDS));
    for i in 0..4 {
        builder = builder.validator(dev_address(i), dev_key(i).public_key(), Amount::new(STAKE), REPUTATION);
    }
    let mut genesis = builder.build();
    let params = &mut genesis.staking.params;
    params.epoch_blocks = EPOCH;
    params.unbonding_blocks = 2 * EPOCH + 1;
    params.min_stake = Amount::new(100);
    params.validators.selection_lead_blocks = LEAD;
    params.validators.min_self_stake = Amount::new(1_000_000);
    params.validators.max_validators = max_validators;
    params.validators.max_candidates = max_validators.max(5);
    params.validators.min_recorded_views = 5;
    genesis
}

/// A consensus key no dev account uses.
fn fresh_key(n: u64) -> PublicKey {
    dev_key(100 + n).public_key()
}

fn register(key: PublicKey) -> Msg {
    Msg::Staking(StakingMsg::RegisterValidator {
        consensus_key: key,
        p2p_addr: "127.0.0.1:26799".into(),
        min_self_stake: Amount::ZERO,
    })
}

fn stake(amount: u128) -> Msg {
    Msg::Staking(StakingMsg::Stake { amount: Amount::new(amount) })
}

fn ok(chain: &mut TestChain, sender: u64, msg: Msg) {
    let executed = chain.block_of(vec![(sender, msg.clone())]);
    assert_eq!(executed.receipts[0].outcome, TxOutcome::Applied, "{msg:?}");
}

fn set(chain: &TestChain, epoch: u64) -> Option<ValidatorSet> {
    staking::query::validator_set(&chain.store, epoch).unwrap()
}

fn operators(set: &ValidatorSet) -> Vec<u64> {
    let mut all: Vec<u64> = set
        .validators
        .iter()
        .map(|v| (0..10).find(|i| dev_address(*i) == v.operator).expect("a dev account"))
        .collect();
    all.sort();
    all
}

/// Produces empty blocks until the head is at `height`.
fn idle_to(chain: &mut TestChain, height: u64) {
    assert!(chain.head.height.0 <= height, "the chain is past {height}");
    chain.idle(height - chain.head.height.0);
}

/// The height at which the set of `epoch + 1` is chosen.
fn selection_height(epoch: u64) -> u64 {
    (epoch + 1) * EPOCH - 1 - LEAD
}

fn equivocation(validator: u64, epoch: u64, view: u64) -> Misbehavior {
    Misbehavior {
        validator: dev_key(validator).public_key(),
        epoch,
        view,
        kind: EquivocationKind::ConflictingNotarize,
        proof: vec![7; 64],
    }
}

#[test]
fn the_genesis_candidates_are_the_first_set_and_each_epochs_last_header_commits_the_next() {
    let mut chain = TestChain::new(genesis(4));
    let first = set(&chain, 0).expect("genesis names the first set");
    assert_eq!(operators(&first), vec![0, 1, 2, 3]);
    assert!(first.validators.windows(2).all(|w| w[0].consensus_key < w[1].consensus_key));
    assert_eq!(chain.head.next_validators, first.hash(), "the genesis header commits the first set");

    idle_to(&mut chain, selection_height(0) - 1);
    assert_eq!(set(&chain, 1), None, "not chosen before the selection height");
    let chosen = chain.produce(Vec::new());
    let next = set(&chain, 1).expect("chosen at the selection height");
    assert_eq!(operators(&next), vec![0, 1, 2, 3]);
    assert!(next.validators.iter().all(|v| v.weight == Amount::new(STAKE)));
    assert!(chosen.end_block_events.contains(&Event::Staking(StakingEvent::ValidatorSetChosen {
        epoch: 1,
        validators: 4,
        total_weight: Amount::new(4 * STAKE),
        hash: next.hash(),
        carried_over: false,
    })));
    while chain.head.height.0 < EPOCH - 2 {
        assert_eq!(
            chain.produce(Vec::new()).block.header.next_validators,
            Hash::ZERO,
            "only the last header commits"
        );
    }
    let last = chain.produce(Vec::new()).block.header;
    assert_eq!(last.height, Height(EPOCH - 1));
    assert_eq!(last.next_validators, next.hash(), "the epoch's last header commits the next set");
    assert_eq!(chain.produce(Vec::new()).block.header.next_validators, Hash::ZERO);
}

#[test]
fn a_chain_without_candidates_keeps_no_set_and_its_headers_commit_nothing() {
    let mut chain = TestChain::new(GenesisBuilder::new().fund_dev_accounts(2, Amount::new(FUNDS)).build());
    assert_eq!(chain.head.next_validators, Hash::ZERO);
    let epoch_blocks = staking::query::params(&chain.store).unwrap().epoch_blocks;
    chain.idle(epoch_blocks);
    assert_eq!(set(&chain, 1), None);
}

#[test]
fn a_new_candidate_is_chosen_once_its_stake_has_earned_reputation_and_not_after_it_leaves() {
    let mut chain = TestChain::new(genesis(5));
    ok(&mut chain, 5, stake(STAKE));
    ok(&mut chain, 5, register(fresh_key(5)));
    idle_to(&mut chain, selection_height(0));
    assert_eq!(operators(&set(&chain, 1).unwrap()), vec![0, 1, 2, 3], "stake alone has no weight yet");
    let candidates = staking::query::candidates(&chain.store).unwrap();
    let newcomer = candidates.iter().find(|c| c.candidate.operator == dev_address(5)).unwrap();
    assert_eq!((newcomer.weight, newcomer.eligible), (Amount::ZERO, false));

    // Stake bonded in epoch 0 earns from epoch 1, the first it is held through.
    idle_to(&mut chain, selection_height(1));
    assert_eq!(operators(&set(&chain, 2).unwrap()), vec![0, 1, 2, 3], "epoch 1 has not closed yet");
    idle_to(&mut chain, selection_height(2));
    let third = set(&chain, 3).unwrap();
    assert_eq!(operators(&third), vec![0, 1, 2, 3, 5]);
    let joined = third.member(&fresh_key(5)).unwrap();
    assert_eq!(
        joined.weight,
        Amount::new(STAKE / 100 * 10),
        "1% of its stake as reputation backs ten times it"
    );

    ok(&mut chain, 5, Msg::Staking(StakingMsg::LeaveValidators {}));
    idle_to(&mut chain, selection_height(3));
    assert_eq!(operators(&set(&chain, 4).unwrap()), vec![0, 1, 2, 3], "a candidate that left is not chosen");
    assert_eq!(
        operators(&set(&chain, 3).unwrap()),
        vec![0, 1, 2, 3, 5],
        "the set it is in runs its epoch out"
    );
}

#[test]
fn a_seat_bought_with_stake_alone_loses_to_the_established_validators() {
    let mut chain = TestChain::new(genesis(4));
    ok(&mut chain, 5, stake(100 * STAKE));
    ok(&mut chain, 5, register(fresh_key(5)));
    idle_to(&mut chain, selection_height(0));
    assert_eq!(operators(&set(&chain, 1).unwrap()), vec![0, 1, 2, 3]);
}

#[test]
fn an_updated_candidacy_is_chosen_with_its_new_key_and_the_old_key_still_answers_for_it() {
    let mut chain = TestChain::new(genesis(4));
    let update = StakingMsg::UpdateValidator {
        consensus_key: Some(fresh_key(1)),
        p2p_addr: "validator-1.example.org:26700".into(),
        min_self_stake: Some(Amount::new(2_000_000)),
    };
    ok(&mut chain, 1, Msg::Staking(update));
    idle_to(&mut chain, selection_height(0));
    let next = set(&chain, 1).unwrap();
    let member = next.member(&fresh_key(1)).expect("chosen with its new key");
    assert_eq!(
        (member.operator, member.p2p_addr.as_str()),
        (dev_address(1), "validator-1.example.org:26700")
    );
    assert!(next.member(&dev_key(1).public_key()).is_none());
    assert_eq!(
        staking::query::key_owner(&chain.store, &dev_key(1).public_key()).unwrap(),
        Some(dev_address(1))
    );
    // Evidence against the old key still slashes its operator.
    let bonded = staking::query::position(&chain.store, &dev_address(1)).unwrap().bonded;
    chain.produce_with_evidence(vec![equivocation(1, 0, 9)]);
    assert!(staking::query::position(&chain.store, &dev_address(1)).unwrap().bonded < bonded);
}

#[test]
fn an_equivocator_is_slashed_jailed_and_left_out_until_its_jail_ends() {
    let mut chain = TestChain::new(genesis(4));
    idle_to(&mut chain, selection_height(0));
    assert_eq!(operators(&set(&chain, 1).unwrap()), vec![0, 1, 2, 3]);
    let bonded = staking::query::position(&chain.store, &dev_address(2)).unwrap().bonded;
    let punished = chain.produce_with_evidence(vec![equivocation(2, 0, 5)]);
    let jail_epochs = staking::query::params(&chain.store).unwrap().validators.jail_epochs;
    assert!(punished.end_block_events.contains(&Event::Staking(StakingEvent::ValidatorJailed {
        operator: dev_address(2),
        until_epoch: 1 + jail_epochs,
        reason: JailReason::Equivocation,
    })));
    assert!(staking::query::position(&chain.store, &dev_address(2)).unwrap().bonded < bonded, "slashed");
    let next = set(&chain, 1).unwrap();
    assert_eq!(operators(&next), vec![0, 1, 3], "taken out of the set chosen already");
    idle_to(&mut chain, EPOCH - 1);
    assert_eq!(chain.head.next_validators, next.hash(), "the last header commits the set without it");

    idle_to(&mut chain, selection_height(1));
    assert_eq!(operators(&set(&chain, 2).unwrap()), vec![0, 1, 3], "jailed for epoch 2");
    idle_to(&mut chain, selection_height(2));
    assert_eq!(operators(&set(&chain, 3).unwrap()), vec![0, 1, 2, 3], "back once the jail is over");

    // Evidence older than the window changes nothing, new view or not.
    let before = staking::query::position(&chain.store, &dev_address(2)).unwrap().bonded;
    let stale = chain.produce_with_evidence(vec![equivocation(2, 0, 5), equivocation(2, 0, 6)]);
    assert!(
        !stale.end_block_events.iter().any(|e| matches!(e, Event::Staking(StakingEvent::Slashed { .. }))),
        "evidence from epoch 0 is past the window in epoch 2"
    );
    assert_eq!(staking::query::position(&chain.store, &dev_address(2)).unwrap().bonded, before);
}

/// A record of view `view` in `epoch` naming the dev validators `signers`, sorted by key.
fn record(epoch: u64, view: u64, signers: &[u64]) -> Participation {
    let mut signers: Vec<PublicKey> = signers.iter().map(|i| dev_key(*i).public_key()).collect();
    signers.sort();
    Participation { epoch, view, signers, proof: vec![9; 96] }
}

fn with_record(record: Participation) -> BlockEvidence {
    BlockEvidence { misbehavior: Vec::new(), participation: Some(record) }
}

fn liveness(chain: &TestChain, epoch: u64) -> Option<Liveness> {
    staking::query::liveness(&chain.store, epoch).unwrap()
}

#[test]
fn a_validator_missing_from_more_than_the_allowed_share_of_views_is_jailed_at_the_epochs_end() {
    let mut chain = TestChain::new(genesis(4));
    // Twelve views counted, each by a quorum of three: dev2 is missing from the first four,
    // dev3 from the last eight.
    for view in 1..=12 {
        let signers: &[u64] = if view <= 4 { &[0, 1, 3] } else { &[0, 1, 2] };
        chain.produce_with_evidence(with_record(record(0, view * 2, signers)));
    }
    let counted = liveness(&chain, 0).expect("the epoch's record");
    assert_eq!((counted.views, counted.last_view), (12, 24));
    let order: Vec<u64> = set(&chain, 0)
        .unwrap()
        .validators
        .iter()
        .map(|v| (0..4).find(|i| dev_address(*i) == v.operator).unwrap())
        .collect();
    let missed_by = |i: u64| counted.missed[order.iter().position(|o| *o == i).unwrap()];
    assert_eq!([missed_by(0), missed_by(1), missed_by(2), missed_by(3)], [0, 0, 4, 8]);

    idle_to(&mut chain, EPOCH - 2);
    assert_eq!(operators(&set(&chain, 1).unwrap()), vec![0, 1, 2, 3], "chosen before the epoch's end");
    let last = chain.produce(Vec::new());
    let jail_epochs = staking::query::params(&chain.store).unwrap().validators.jail_epochs;
    let jailed: Vec<&Event> = last
        .end_block_events
        .iter()
        .filter(|e| matches!(e, Event::Staking(StakingEvent::ValidatorJailed { .. })))
        .collect();
    assert_eq!(
        jailed,
        vec![&Event::Staking(StakingEvent::ValidatorJailed {
            operator: dev_address(3),
            until_epoch: 1 + jail_epochs,
            reason: JailReason::MissedVotes,
        })],
        "only the validator missing more than half"
    );
    let next = set(&chain, 1).unwrap();
    assert_eq!(operators(&next), vec![0, 1, 2], "taken out of the next set");
    assert_eq!(last.block.header.next_validators, next.hash(), "the last header commits the set without it");
    assert!(
        !staking::query::position(&chain.store, &dev_address(3)).unwrap().bonded.is_zero(),
        "not slashed"
    );

    // Too few views counted in epoch 1: nobody is jailed however many they missed.
    for view in 1..=4 {
        chain.produce_with_evidence(with_record(record(1, view, &[0, 1, 2])));
    }
    idle_to(&mut chain, 2 * EPOCH - 1);
    assert!(liveness(&chain, 0).is_none(), "the record before the last is dropped");
    assert_eq!(liveness(&chain, 1).unwrap().views, 4);
    assert_eq!(operators(&set(&chain, 2).unwrap()), vec![0, 1, 2], "dev3 still jailed, nobody else");
}

#[test]
fn a_participation_record_the_chain_cannot_count_invalidates_its_block_and_a_proposer_leaves_it_out() {
    let mut chain = TestChain::new(genesis(4));
    chain.produce_with_evidence(with_record(record(0, 5, &[0, 1, 2, 3])));
    let unsorted = Participation {
        signers: record(0, 9, &[0, 1, 2]).signers.into_iter().rev().collect(),
        ..record(0, 9, &[])
    };
    let cases = [
        (record(1, 9, &[0, 1, 2]), "it names another epoch than its block's"),
        (record(0, 5, &[0, 1, 2]), "its view was counted already, or a later one was"),
        (record(0, 4, &[0, 1, 2]), "its view was counted already, or a later one was"),
        (unsorted, "its signers are not sorted and distinct"),
        (record(0, 9, &[0, 1, 7]), "a signer is not in the epoch's set"),
        (record(0, 9, &[0, 1]), "it names fewer signers than a quorum"),
    ];
    for (bad, problem) in cases {
        let valid = chain.build_with_evidence(Vec::new(), BlockEvidence::default());
        let mut block = valid.block.clone();
        block.evidence.participation = Some(bad.clone());
        let head = chain.head.clone();
        assert_eq!(chain.apply(block).err(), Some(BlockError::InvalidParticipation(problem)), "{bad:?}");
        assert_eq!(chain.head, head, "nothing committed");
        let built = chain.build_with_evidence(Vec::new(), with_record(bad));
        assert_eq!(built.block.evidence.participation, None, "the proposer leaves out what would not count");
    }
    assert_eq!(liveness(&chain, 0).unwrap().views, 1);

    let mut no_validators = TestChain::new(GenesisBuilder::new().build());
    let built = no_validators.build_with_evidence(Vec::new(), with_record(record(0, 1, &[0, 1, 2])));
    assert_eq!(built.block.evidence.participation, None);
    let mut block = built.block.clone();
    block.evidence.participation = Some(record(0, 1, &[0, 1, 2]));
    assert_eq!(
        no_validators.apply(block).err(),
        Some(BlockError::InvalidParticipation("the chain keeps no validator set for the block's epoch"))
    );
}

#[test]
fn when_no_candidate_is_eligible_the_current_set_carries_on() {
    let mut chain = TestChain::new(genesis(4));
    for i in 0..4 {
        ok(&mut chain, i, Msg::Staking(StakingMsg::Unstake { amount: Amount::new(STAKE) }));
    }
    let chosen = {
        idle_to(&mut chain, selection_height(0) - 1);
        chain.produce(Vec::new())
    };
    let next = set(&chain, 1).unwrap();
    assert_eq!(operators(&next), vec![0, 1, 2, 3]);
    assert!(chosen.end_block_events.iter().any(|e| matches!(
        e,
        Event::Staking(StakingEvent::ValidatorSetChosen { epoch: 1, carried_over: true, .. })
    )));
}

/// Sends `msg` from `sender`, expects failure `code`, and checks the staking section is as it was.
fn fails(chain: &mut TestChain, sender: u64, msg: StakingMsg, code: u32) {
    let section = |chain: &TestChain| {
        let genesis = atelier_protocol::genesis::export(&chain.store, &chain.head).unwrap().staking;
        serde_json::to_string(&(genesis.candidates, genesis.consensus_keys, genesis.accounts)).unwrap()
    };
    let before = section(chain);
    let executed = chain.block_of(vec![(sender, Msg::Staking(msg.clone()))]);
    match &executed.receipts[0].outcome {
        TxOutcome::Failed { code: got, reason, .. } => assert_eq!(*got, code, "{msg:?}: {reason}"),
        TxOutcome::Applied => panic!("{msg:?} applied; expected {code}"),
    }
    assert_eq!(section(chain), before, "a failed {msg:?} changed state");
}

#[test]
fn each_validator_message_fails_with_its_code_and_changes_nothing() {
    let mut chain = TestChain::new(genesis(4));
    let register = |key: PublicKey, p2p_addr: &str, min: u128| StakingMsg::RegisterValidator {
        consensus_key: key,
        p2p_addr: p2p_addr.into(),
        min_self_stake: Amount::new(min),
    };
    let addr = "127.0.0.1:26799";
    fails(&mut chain, 0, register(fresh_key(0), addr, 0), 708);
    fails(&mut chain, 6, register(fresh_key(6), addr, 0), 714);
    ok(&mut chain, 6, stake(STAKE));
    fails(&mut chain, 6, register(dev_key(0).public_key(), addr, 0), 709);
    let not_a_point =
        (0u8..=255).map(|b| PublicKey::from_array([b; 32])).find(|k| k.check().is_err()).unwrap();
    fails(&mut chain, 6, register(not_a_point, addr, 0), 710);
    fails(&mut chain, 6, register(fresh_key(6), "no-port", 0), 711);
    fails(&mut chain, 6, register(fresh_key(6), addr, STAKE + 1), 714);
    ok(&mut chain, 6, Msg::Staking(register(fresh_key(6), addr, 0)));
    ok(&mut chain, 7, stake(STAKE));
    fails(&mut chain, 7, register(fresh_key(7), addr, 0), 712);
    let update = |consensus_key: Option<PublicKey>, p2p_addr: &str, min_self_stake: Option<u128>| {
        StakingMsg::UpdateValidator {
            consensus_key,
            p2p_addr: p2p_addr.into(),
            min_self_stake: min_self_stake.map(Amount::new),
        }
    };
    fails(&mut chain, 7, update(None, "", None), 713);
    fails(&mut chain, 7, StakingMsg::LeaveValidators {}, 713);
    fails(&mut chain, 6, update(Some(dev_key(1).public_key()), "", None), 709);
    fails(&mut chain, 6, update(Some(not_a_point), "", None), 710);
    fails(&mut chain, 6, update(None, "bad address:1", None), 711);
    fails(&mut chain, 6, update(None, "", Some(STAKE + 1)), 714);
}

#[test]
fn a_validator_chain_exports_and_restarts_with_the_same_candidates_sets_jails_and_liveness() {
    let mut chain = TestChain::new(genesis(4));
    idle_to(&mut chain, selection_height(0));
    chain.produce_with_evidence(vec![equivocation(3, 0, 1)]);
    chain.produce_with_evidence(with_record(record(0, 3, &[0, 1, 2])));
    let exported = atelier_protocol::genesis::export(&chain.store, &chain.head).unwrap();
    assert_eq!(exported.staking.jailed.len(), 1);
    assert_eq!(exported.staking.liveness.len(), 1, "the epoch's participation so far");
    assert_eq!(exported.staking.validator_sets.len(), 2, "the current and the next epoch's");
    let restarted = TestChain::new(exported.clone());
    let again = atelier_protocol::genesis::export(&restarted.store, &restarted.head).unwrap();
    assert_eq!(again.staking, exported.staking);
    assert_eq!(restarted.head.height, Height(chain.head.height.0));
}
