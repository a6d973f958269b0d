//! Staking and reputation: the unbonding queue and each failure code with state unchanged;
//! reputation earned by stake held through epochs and by value unrelated parties paid, decaying when
//! nothing happens, checkpointed so that past heights answer what they were; splitting never pays;
//! self-dealing earns nothing; conservation and a reference model over random flows.

use std::collections::BTreeMap;

use atelier_primitives::{Amount, Bps, Denom, Height};
use atelier_protocol::{
    BlockError, EquivocationKind, Genesis, Misbehavior, Msg, TxOutcome,
    block::MAX_EVIDENCE_PER_BLOCK,
    modules::{
        bank::BankMsg,
        market::{Item, ListingId, MarketMsg},
        provenance::{AssetId, RoyaltyPolicy},
        staking::{self, ReputationRates, StakingMsg, Standing, reputation::ratio_of},
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address};
use proptest::prelude::*;

const FUNDS: u128 = 1_000_000_000_000;
const EPOCH: u64 = 10;
const RATES: ReputationRates = ReputationRates {
    stake: 100,
    creation_ugdc: 1_000,
    creation_uusd: 1_000,
    creation_cap: 10_000,
    decay: 500,
};

fn genesis(accounts: u64, change: impl FnOnce(&mut Genesis)) -> Genesis {
    let mut genesis = GenesisBuilder::new()
        .fund_dev_accounts(accounts, Amount::new(FUNDS))
        .root_asset(dev_address(1), RoyaltyPolicy { share: Bps::ZERO, license_fee: Amount::ZERO })
        .build();
    genesis.staking.params.epoch_blocks = EPOCH;
    // Longer than an epoch plus the evidence window, as the params require.
    genesis.staking.params.unbonding_blocks = 2 * EPOCH + 1;
    genesis.staking.params.max_unbonding_entries = 3;
    genesis.staking.params.min_stake = Amount::new(100);
    genesis.staking.params.rates = RATES;
    change(&mut genesis);
    genesis
}

fn chain(accounts: u64) -> TestChain {
    TestChain::new(genesis(accounts, |_| {}))
}

fn stake(amount: u128) -> Msg {
    Msg::Staking(StakingMsg::Stake { amount: Amount::new(amount) })
}

fn unstake(amount: u128) -> Msg {
    Msg::Staking(StakingMsg::Unstake { amount: Amount::new(amount) })
}

fn withdraw() -> Msg {
    Msg::Staking(StakingMsg::Withdraw {})
}

fn ok(chain: &mut TestChain, sender: u64, msg: Msg) {
    let executed = chain.block_of(vec![(sender, msg.clone())]);
    assert_eq!(executed.receipts[0].outcome, TxOutcome::Applied, "{msg:?}");
}

fn staking_section(chain: &TestChain) -> String {
    let genesis = atelier_protocol::genesis::export(&chain.store, &chain.head).unwrap();
    serde_json::to_string(&genesis.staking.accounts).unwrap()
        + &serde_json::to_string(&genesis.staking.unbonding).unwrap()
}

fn fails(chain: &mut TestChain, sender: u64, msg: Msg, code: u32) {
    let before = staking_section(chain);
    let executed = chain.block_of(vec![(sender, msg.clone())]);
    match &executed.receipts[0].outcome {
        TxOutcome::Failed { code: got, reason, .. } => assert_eq!(*got, code, "{msg:?}: {reason}"),
        TxOutcome::Applied => panic!("{msg:?} applied; expected {code}"),
    }
    assert_eq!(staking_section(chain), before, "a failed {msg:?} changed state");
}

fn position(chain: &TestChain, account: u64) -> staking::query::Position {
    staking::query::position(&chain.store, &dev_address(account)).unwrap()
}

fn reputation(chain: &TestChain, account: u64) -> u128 {
    position(chain, account).reputation
}

/// Produces empty blocks until the next block is the first of an epoch.
fn to_next_epoch(chain: &mut TestChain) {
    chain.idle(EPOCH - (chain.head.height.0 + 1) % EPOCH);
}

#[test]
fn stake_unstake_and_withdraw_after_exactly_the_unbonding_period() {
    let mut chain = chain(3);
    let start = chain.balance(&dev_address(1), Denom::GDC);
    ok(&mut chain, 1, stake(10_000));
    ok(&mut chain, 1, unstake(4_000));
    let released_at = chain.head.height.0 + 2 * EPOCH + 1;
    assert_eq!(position(&chain, 1).bonded, Amount::new(6_000));
    assert_eq!(position(&chain, 1).unbonding[0].release_at, Height(released_at));
    while chain.head.height.0 + 1 < released_at {
        fails(&mut chain, 1, withdraw(), 704);
    }
    ok(&mut chain, 1, withdraw());
    assert!(position(&chain, 1).unbonding.is_empty());
    let fees = start.get() - 10_000 - chain.balance(&dev_address(1), Denom::GDC).get() + 4_000;
    assert!(fees > 0 && fees < 1_000_000, "only gas was spent: {fees}");
    assert_eq!(staking::query::totals(&chain.store).unwrap().bonded, Amount::new(6_000));
}

#[test]
fn each_staking_failure_leaves_state_unchanged() {
    let mut chain = chain(3);
    fails(&mut chain, 1, stake(99), 701);
    fails(&mut chain, 1, unstake(1), 702);
    ok(&mut chain, 1, stake(1_000));
    fails(&mut chain, 1, unstake(1_001), 702);
    fails(&mut chain, 1, unstake(0), 702);
    for _ in 0..3 {
        ok(&mut chain, 1, unstake(10));
    }
    fails(&mut chain, 1, unstake(10), 703);
    fails(&mut chain, 1, withdraw(), 704);
    fails(&mut chain, 2, stake(FUNDS * 2), 101);
}

#[test]
fn stake_earns_from_the_first_whole_epoch_it_is_held_and_decays_once_gone() {
    let mut chain = chain(3);
    ok(&mut chain, 1, stake(1_000_000));
    to_next_epoch(&mut chain);
    // Bonded in the middle of epoch 0: nothing for it.
    assert_eq!(reputation(&chain, 1), 0);
    to_next_epoch(&mut chain);
    assert_eq!(reputation(&chain, 1), 10_000);
    to_next_epoch(&mut chain);
    assert_eq!(reputation(&chain, 1), 9_500 + 10_000);
    ok(&mut chain, 1, unstake(1_000_000));
    to_next_epoch(&mut chain);
    // Unstaked during the epoch: its floor is zero, so only decay.
    let after = ratio_of(19_500, 9_500);
    assert_eq!(reputation(&chain, 1), after);
    to_next_epoch(&mut chain);
    assert_eq!(reputation(&chain, 1), ratio_of(after, 9_500), "nothing created: it decays");
}

#[test]
fn reputation_at_a_past_height_is_what_it_was_then() {
    let mut chain = chain(3);
    ok(&mut chain, 1, stake(1_000_000));
    chain.idle(3 * EPOCH);
    let snapshot = chain.head.height;
    let then = reputation(&chain, 1);
    assert!(then > 0);
    // Ten times the stake after the snapshot, and many epochs: the snapshot's answer stands.
    ok(&mut chain, 2, stake(10_000_000));
    ok(&mut chain, 1, stake(10_000_000));
    chain.idle(5 * EPOCH);
    let at = |account| staking::query::reputation_at(&chain.store, &dev_address(account), snapshot).unwrap();
    assert_eq!(at(1), then);
    assert_eq!(at(2), 0, "stake acquired after a snapshot gives nothing at it");
    assert!(reputation(&chain, 1) > then && reputation(&chain, 2) > 0);
}

#[test]
fn reputation_has_no_transfer_path() {
    let attempt = r#"{"staking":{"type":"transfer_reputation","to":"atelier1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqg0jvne","amount":"1"}}"#;
    assert!(serde_json::from_str::<Msg>(attempt).is_err());
    // Stake can leave an account only through unbonding back to it; its reputation stays behind.
    let mut chain = chain(3);
    ok(&mut chain, 1, stake(1_000_000));
    chain.idle(2 * EPOCH);
    let earned = reputation(&chain, 1);
    ok(&mut chain, 1, unstake(1_000_000));
    ok(&mut chain, 2, stake(1_000_000));
    assert_eq!(reputation(&chain, 1), earned);
    assert_eq!(reputation(&chain, 2), 0);
}

/// Creator dev 1 staked through an epoch, then sells asset 1 to `buyer` for `price`; returns the
/// creator's reputation once the epoch of the sale ended, and what the stake alone earned.
fn reputation_after_a_first_sale(buyer: u64, fund_buyer_first: bool, price: u128) -> (u128, u128) {
    let mut chain = chain(4);
    ok(&mut chain, 1, stake(1_000_000_000));
    if fund_buyer_first {
        ok(
            &mut chain,
            1,
            Msg::Bank(BankMsg::Transfer {
                to: dev_address(buyer),
                denom: Denom::GDC,
                amount: Amount::new(1),
            }),
        );
    }
    to_next_epoch(&mut chain);
    let listing = MarketMsg::List {
        item: Item::Asset { asset: AssetId(1) },
        price: Amount::new(price),
        denom: Denom::GDC,
        expires_in: 5,
    };
    ok(&mut chain, 1, Msg::Market(listing));
    ok(
        &mut chain,
        buyer,
        Msg::Market(MarketMsg::Buy { listing: ListingId(1), max_price: Amount::new(price) }),
    );
    to_next_epoch(&mut chain);
    let stake_only = ratio_of(1_000_000_000, RATES.stake);
    (reputation(&chain, 1), stake_only)
}

#[test]
fn a_first_sale_to_an_unrelated_buyer_earns_creation_value() {
    let price = 1_000_000;
    let (earned, stake_only) = reputation_after_a_first_sale(2, false, price);
    let protocol_fee = price * 250 / 10_000;
    assert_eq!(earned, stake_only + ratio_of(price - protocol_fee, RATES.creation_ugdc));
}

#[test]
fn a_sale_to_an_account_the_seller_funded_earns_nothing() {
    let (earned, stake_only) = reputation_after_a_first_sale(2, true, 1_000_000);
    assert_eq!(earned, stake_only);
}

#[test]
fn a_self_dealing_loop_earns_no_reputation() {
    let setup = |chain: &mut TestChain| {
        ok(chain, 1, stake(1_000_000_000));
        let funding = BankMsg::Transfer { to: dev_address(2), denom: Denom::GDC, amount: Amount::new(1) };
        ok(chain, 1, Msg::Bank(funding));
        to_next_epoch(chain);
    };
    let (mut looping, mut idle) = (chain(4), chain(4));
    setup(&mut looping);
    setup(&mut idle);
    for round in 0..6u64 {
        let (seller, buyer) = if round % 2 == 0 { (1, 2) } else { (2, 1) };
        let price = Amount::new(5_000_000);
        let listing = MarketMsg::List {
            item: Item::Asset { asset: AssetId(1) },
            price,
            denom: Denom::GDC,
            expires_in: 5,
        };
        ok(&mut looping, seller, Msg::Market(listing));
        ok(
            &mut looping,
            buyer,
            Msg::Market(MarketMsg::Buy { listing: ListingId(round + 1), max_price: price }),
        );
        idle.idle(2);
    }
    to_next_epoch(&mut looping);
    to_next_epoch(&mut idle);
    assert_eq!(looping.head.height, idle.head.height);
    assert_eq!(reputation(&looping, 1), reputation(&idle, 1), "the loop added nothing to the stake's");
    assert_eq!(reputation(&looping, 2), 0);
}

#[test]
fn splitting_stake_across_accounts_never_earns_more_in_total() {
    for k in [2u64, 10, 100] {
        let total: u128 = 1_000_003;
        let mut whole = chain(k + 1);
        let mut split = chain(k + 1);
        whole.block_of(vec![(0, stake(total))]);
        let parts: Vec<(u64, Msg)> = (0..k)
            .map(|i| (i + 1, stake(total / u128::from(k) + u128::from(i == 0) * (total % u128::from(k)))))
            .collect();
        split.block_of(parts);
        whole.idle(4 * EPOCH);
        split.idle(4 * EPOCH);
        let split_total: u128 = (1..=k).map(|i| reputation(&split, i)).sum();
        assert!(split_total <= reputation(&whole, 0), "k = {k}: {split_total} > {}", reputation(&whole, 0));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The law behind every split: each account rounds down on its own and the creation cap follows
    /// the stake, so k accounts holding parts of one stake and one creation value never gain more
    /// than one account holding it all, over any number of epochs.
    #[test]
    fn splitting_stake_and_creation_value_never_yields_more_reputation(
        k in prop::sample::select(vec![2usize, 10, 100]),
        weights in prop::collection::vec(1u64..1_000, 100),
        stake in 0u128..1_000_000_000_000,
        created in 0u128..1_000_000_000_000,
        epochs in 1usize..40,
    ) {
        let weights = &weights[..k];
        let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
        let split_of = |total: u128| -> Vec<u128> {
            let mut parts: Vec<u128> = weights.iter().map(|w| total * u128::from(*w) / sum).collect();
            parts[0] += total - parts.iter().sum::<u128>();
            parts
        };
        let standing = |stake: u128, created: u128| Standing {
            bonded: Amount::new(stake),
            floor: Amount::new(stake),
            created_ugdc: Amount::new(created),
            ..Standing::default()
        };
        let run = |mut s: Standing| { for _ in 0..epochs { s = s.close_epoch(&RATES); } s.reputation };
        let whole = run(standing(stake, created));
        let parts: u128 = split_of(stake).into_iter().zip(split_of(created)).map(|(s, c)| run(standing(s, c))).sum();
        prop_assert!(parts <= whole, "{parts} > {whole}");
    }
}

/// A deliberately simple model of stake-only reputation: every epoch, decay then 1% of the least
/// stake held during it.
#[derive(Default, Clone)]
struct Model {
    bonded: BTreeMap<u64, u128>,
    floor: BTreeMap<u64, u128>,
    reputation: BTreeMap<u64, u128>,
}

impl Model {
    fn set_bonded(&mut self, account: u64, bonded: u128) {
        self.bonded.insert(account, bonded);
        let floor = self.floor.entry(account).or_default();
        *floor = (*floor).min(bonded);
    }

    fn close_epoch(&mut self) {
        for (account, bonded) in &self.bonded {
            let floor = self.floor.get(account).copied().unwrap_or(0);
            let r = self.reputation.entry(*account).or_default();
            *r = *r * 9_500 / 10_000 + floor / 100;
            self.floor.insert(*account, *bonded);
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Stake(u64, u128),
    Unstake(u64, u128),
    Withdraw(u64),
    Transfer(u64, u64),
    Idle,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u64..4, 100u128..1_000_000).prop_map(|(a, x)| Op::Stake(a, x)),
        (0u64..4, 1u128..1_000_000).prop_map(|(a, x)| Op::Unstake(a, x)),
        (0u64..4).prop_map(Op::Withdraw),
        (0u64..4, 0u64..4).prop_map(|(a, b)| Op::Transfer(a, b)),
        Just(Op::Idle),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random staking flows keep every invariant after every block (TestChain checks them), and
    /// every account's stake and reputation — now and at every past height — equal the model's.
    #[test]
    fn random_staking_flows_conserve_funds_and_match_the_model(ops in prop::collection::vec(op(), 1..80)) {
        let mut chain = chain(4);
        let mut model = Model::default();
        let mut history: Vec<(Height, BTreeMap<u64, u128>)> = Vec::new();
        for op in ops {
            let msg = match op {
                Op::Stake(a, x) => Some((a, stake(x))),
                Op::Unstake(a, x) => Some((a, unstake(x))),
                Op::Withdraw(a) => Some((a, withdraw())),
                Op::Transfer(a, b) => Some((a, Msg::Bank(BankMsg::Transfer { to: dev_address(b), denom: Denom::GDC, amount: Amount::new(7) }))),
                Op::Idle => None,
            };
            let executed = chain.block_of(msg.clone().into_iter().collect());
            if let (Some((account, _)), Some(receipt)) = (&msg, executed.receipts.first())
                && receipt.outcome == TxOutcome::Applied
            {
                model.set_bonded(*account, position(&chain, *account).bonded.get());
            }
            if (chain.head.height.0 + 1).is_multiple_of(EPOCH) {
                model.close_epoch();
            }
            for account in 0..4 {
                prop_assert_eq!(position(&chain, account).bonded.get(), model.bonded.get(&account).copied().unwrap_or(0));
                prop_assert_eq!(reputation(&chain, account), model.reputation.get(&account).copied().unwrap_or(0));
            }
            history.push((chain.head.height, model.reputation.clone()));
        }
        for (height, reputations) in history {
            for account in 0..4 {
                let at = staking::query::reputation_at(&chain.store, &dev_address(account), height).unwrap();
                prop_assert_eq!(at, reputations.get(&account).copied().unwrap_or(0), "account {} at {}", account, height);
            }
        }
    }
}

fn equivocation(validator: u64, view: u64) -> Misbehavior {
    Misbehavior {
        validator: atelier_testkit::dev_key(validator).public_key(),
        epoch: 0,
        view,
        kind: EquivocationKind::ConflictingNotarize,
        proof: vec![7; 64],
    }
}

#[test]
fn equivocation_evidence_slashes_the_validators_stake_once_per_view() {
    let stake = 1_000_000_001;
    let mut chain = TestChain::new(genesis(8, |g| {
        *g = GenesisBuilder::new()
            .fund_dev_accounts(8, Amount::new(FUNDS))
            .stake(dev_address(5), Amount::new(stake))
            .build();
    }));
    let share = staking::query::params(&chain.store).unwrap().equivocation_slash;
    let slashed = share.of_ceil(Amount::new(stake)).unwrap().get();
    chain.produce_with_evidence(vec![equivocation(5, 3)]);
    assert_eq!(position(&chain, 5).bonded.get(), stake - slashed);
    assert_eq!(
        staking::query::punished(&chain.store, &dev_address(5), 0, 3).unwrap(),
        Some(chain.head.height)
    );
    // The same equivocation carried again (by a later leader) slashes nothing more.
    chain.produce_with_evidence(vec![equivocation(5, 3), equivocation(5, 3)]);
    assert_eq!(position(&chain, 5).bonded.get(), stake - slashed);
    // Another view is another offence.
    chain.produce_with_evidence(vec![equivocation(5, 4)]);
    let left = stake - slashed;
    assert_eq!(position(&chain, 5).bonded.get(), left - share.of_ceil(Amount::new(left)).unwrap().get());
    // Evidence against an account without stake slashes nothing and stops nothing.
    chain.produce_with_evidence(vec![equivocation(6, 4)]);
    assert_eq!(position(&chain, 6).bonded, Amount::ZERO);
}

#[test]
fn a_block_with_more_evidence_than_allowed_or_altered_evidence_is_refused() {
    let mut chain = chain(3);
    let too_much: Vec<Misbehavior> =
        (0..MAX_EVIDENCE_PER_BLOCK as u64 + 1).map(|v| equivocation(1, v)).collect();
    let built = chain.build_with_evidence(Vec::new(), too_much.clone());
    assert_eq!(
        built.block.evidence.misbehavior.len(),
        MAX_EVIDENCE_PER_BLOCK,
        "the proposer keeps a block's worth"
    );
    let mut block = built.block.clone();
    block.evidence.misbehavior = too_much;
    assert!(matches!(chain.apply(block), Err(BlockError::TooMuchEvidence { count: 17, max: 16 })));
    let mut altered = built.block;
    altered.evidence.misbehavior[0].view = 99;
    assert!(matches!(chain.apply(altered), Err(BlockError::HeaderMismatch { .. })));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Whatever the prices and however many round trips, an asset sold back and forth between two
    /// related accounts earns neither any reputation beyond what its stake earns alone.
    #[test]
    fn payments_between_related_accounts_never_earn_reputation(
        prices in prop::collection::vec(1_000u128..50_000_000, 1..8),
        funder_is_seller in any::<bool>(),
    ) {
        let setup = |chain: &mut TestChain| {
            ok(chain, 1, stake(1_000_000_000));
            ok(chain, 2, stake(1_000_000_000));
            let (from, to) = if funder_is_seller { (1, 2) } else { (2, 1) };
            let funding = BankMsg::Transfer { to: dev_address(to), denom: Denom::GDC, amount: Amount::new(1) };
            ok(chain, from, Msg::Bank(funding));
            to_next_epoch(chain);
        };
        let (mut trading, mut idle) = (chain(4), chain(4));
        setup(&mut trading);
        setup(&mut idle);
        for (round, price) in prices.iter().enumerate() {
            let (seller, buyer) = if round % 2 == 0 { (1, 2) } else { (2, 1) };
            let price = Amount::new(*price);
            let item = Item::Asset { asset: AssetId(1) };
            ok(&mut trading, seller, Msg::Market(MarketMsg::List { item, price, denom: Denom::GDC, expires_in: 5 }));
            let buy = MarketMsg::Buy { listing: ListingId(round as u64 + 1), max_price: price };
            ok(&mut trading, buyer, Msg::Market(buy));
            idle.idle(2);
        }
        to_next_epoch(&mut trading);
        to_next_epoch(&mut idle);
        prop_assert_eq!(reputation(&trading, 1), reputation(&idle, 1));
        prop_assert_eq!(reputation(&trading, 2), reputation(&idle, 2));
    }
}
