//! The AMM: outputs on cases derived by hand from the integer formula, the first mint's locked
//! units, each failure code with state unchanged, a block's swaps filled alike whatever their
//! order, a sandwich inside one block earning nothing, refunds of missed minimums, the TWAP
//! accumulator, and conservation over random flows.

use atelier_primitives::{Amount, Denom};
use atelier_protocol::{
    Event, ExecutedBlock, Msg, TxOutcome,
    modules::amm::{self, AmmEvent, AmmMsg, Side, math},
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address};
use proptest::prelude::*;

const FUNDS: u128 = 1_000_000_000_000_000;

fn chain() -> TestChain {
    let builder = (0..10).fold(GenesisBuilder::new().fund_dev_accounts(10, Amount::new(FUNDS)), |b, i| {
        b.fund(dev_address(i), Denom::USD, Amount::new(FUNDS))
    });
    TestChain::new(builder.build())
}

fn add(max_gdc: u128, max_usd: u128) -> Msg {
    Msg::Amm(AmmMsg::AddLiquidity { max_gdc: Amount::new(max_gdc), max_usd: Amount::new(max_usd), min_lp: 0 })
}

fn swap(side: Side, amount_in: u128, min_out: u128) -> Msg {
    Msg::Amm(AmmMsg::Swap { side, amount_in: Amount::new(amount_in), min_out: Amount::new(min_out) })
}

fn ok(chain: &mut TestChain, sender: u64, msg: Msg) -> ExecutedBlock {
    let executed = chain.block_of(vec![(sender, msg.clone())]);
    assert_eq!(executed.receipts[0].outcome, TxOutcome::Applied, "{msg:?}");
    executed
}

/// A chain whose pool holds 1 000 000 000 ugdc and 2 000 000 000 uusd, deposited by dev 0.
fn seeded() -> TestChain {
    let mut chain = chain();
    ok(&mut chain, 0, add(1_000_000_000, 2_000_000_000));
    chain
}

fn pool(chain: &TestChain) -> amm::Pool {
    amm::query::pool(&chain.store).unwrap()
}

fn filled(executed: &ExecutedBlock) -> Vec<u128> {
    executed
        .end_block_events
        .iter()
        .filter_map(|e| match e {
            Event::Amm(AmmEvent::SwapFilled { amount_out, .. }) => Some(amount_out.get()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_first_mint_locks_a_thousand_units() {
    let mut chain = chain();
    ok(&mut chain, 1, add(4_000_000, 1_000_000));
    // sqrt(4 000 000 × 1 000 000) = 2 000 000, of which 1 000 are locked.
    assert_eq!(pool(&chain).lp_supply, 2_000_000);
    assert_eq!(amm::query::lp_units(&chain.store, &dev_address(1)).unwrap(), 1_999_000);
    // Withdrawing everything one holds leaves the locked part's reserves in the pool.
    let out =
        Msg::Amm(AmmMsg::RemoveLiquidity { lp: 1_999_000, min_gdc: Amount::ZERO, min_usd: Amount::ZERO });
    ok(&mut chain, 1, out);
    assert_eq!((pool(&chain).reserve_gdc.get(), pool(&chain).reserve_usd.get()), (2_000, 500));
}

#[test]
fn a_lone_swap_gets_exactly_the_integer_formula() {
    let mut chain = seeded();
    // 1 000 000 in against 1 000 000 000 / 2 000 000 000:
    // 1 000 000 × 997 × 2 000 000 000 / (1 000 000 000 × 1000 + 1 000 000 × 997) = 1 992 013.
    let executed = ok(&mut chain, 1, swap(Side::SellGdc, 1_000_000, 0));
    assert_eq!(filled(&executed), vec![1_992_013]);
    assert_eq!(math::amount_out(1_000_000, 1_000_000_000, 2_000_000_000), Ok(1_992_013));
    let after = pool(&chain);
    assert_eq!(
        (after.reserve_gdc.get(), after.reserve_usd.get()),
        (1_001_000_000, 2_000_000_000 - 1_992_013)
    );
    // The other way: 2 000 000 uusd × 997 × 1 001 000 000 / (1 998 007 987 × 1000 + 1 994 000 000).
    let expected = 2_000_000u128 * 997 * 1_001_000_000 / (1_998_007_987 * 1000 + 2_000_000 * 997);
    let executed = ok(&mut chain, 2, swap(Side::SellUsd, 2_000_000, 0));
    assert_eq!(filled(&executed), vec![expected]);
}

#[test]
fn each_amm_failure_leaves_state_unchanged() {
    let mut chain = seeded();
    let codes: [(u64, Msg, u32); 6] = [
        (1, add(0, 5), 1001),
        (1, swap(Side::SellGdc, 0, 0), 1001),
        (1, add(1, 1), 1003),
        (1, Msg::Amm(AmmMsg::RemoveLiquidity { lp: 1, min_gdc: Amount::ZERO, min_usd: Amount::ZERO }), 1004),
        (
            0,
            Msg::Amm(AmmMsg::RemoveLiquidity {
                lp: 1_000,
                min_gdc: Amount::new(u128::MAX),
                min_usd: Amount::ZERO,
            }),
            1005,
        ),
        (1, swap(Side::SellGdc, FUNDS * 2, 0), 101), // the bank's insufficient balance, kept through the wrapper
    ];
    for (sender, msg, code) in codes {
        let before = pool(&chain);
        let executed = chain.block_of(vec![(sender, msg.clone())]);
        match &executed.receipts[0].outcome {
            TxOutcome::Failed { code: got, reason, .. } => assert_eq!(*got, code, "{msg:?}: {reason}"),
            TxOutcome::Applied => panic!("{msg:?} applied"),
        }
        assert_eq!(pool(&chain).lp_supply, before.lp_supply);
        assert_eq!(
            (pool(&chain).reserve_gdc, pool(&chain).reserve_usd),
            (before.reserve_gdc, before.reserve_usd)
        );
    }
    let mut fresh = self::chain();
    let executed = fresh.block_of(vec![(1, add(1_000, 1_000))]);
    assert!(matches!(executed.receipts[0].outcome, TxOutcome::Failed { code: 1002, .. }));
    let mut genesis = GenesisBuilder::new().fund_dev_accounts(3, Amount::new(FUNDS)).build();
    genesis.amm.params.max_orders_per_block = 1;
    let mut small = TestChain::new(genesis);
    let executed = small.block_of(vec![(1, swap(Side::SellGdc, 10, 0)), (2, swap(Side::SellGdc, 10, 0))]);
    assert!(matches!(executed.receipts[1].outcome, TxOutcome::Failed { code: 1006, .. }));
    assert_eq!(executed.receipts[0].outcome, TxOutcome::Applied, "refunded at the block's end: no liquidity");
}

#[test]
fn a_swap_whose_minimum_the_price_misses_is_refunded_and_the_others_fill() {
    let mut chain = seeded();
    let before = chain.balance(&dev_address(2), Denom::GDC);
    let executed = chain.block_of(vec![
        (1, swap(Side::SellGdc, 1_000_000, 0)),
        (2, swap(Side::SellGdc, 1_000_000, 10_000_000)),
    ]);
    assert_eq!(filled(&executed), vec![1_992_013], "dev 1 alone, as if dev 2 had not come");
    let fee = executed.receipts[1].fee.get();
    assert_eq!(chain.balance(&dev_address(2), Denom::GDC).get(), before.get() - fee);
}

#[test]
fn a_swap_that_would_pay_nothing_is_refunded_and_the_pool_keeps_nothing() {
    let mut chain = seeded();
    let before = pool(&chain);
    let usd = chain.balance(&dev_address(1), Denom::USD);
    // 1 uusd at 2 uusd per ugdc buys half a unit: rounded down, nothing.
    assert_eq!(math::amount_out(1, 2_000_000_000, 1_000_000_000), Ok(0));
    let executed = chain.block_of(vec![(1, swap(Side::SellUsd, 1, 0))]);
    assert_eq!(executed.receipts[0].outcome, TxOutcome::Applied);
    assert!(filled(&executed).is_empty());
    assert!(
        executed.end_block_events.iter().any(|e| matches!(e, Event::Amm(AmmEvent::SwapRefunded { .. }))),
        "{:?}",
        executed.end_block_events
    );
    assert_eq!(chain.balance(&dev_address(1), Denom::USD), usd);
    let after = pool(&chain);
    assert_eq!((after.reserve_gdc, after.reserve_usd), (before.reserve_gdc, before.reserve_usd));
}

#[test]
fn the_price_accumulator_adds_the_closing_price_every_block() {
    let mut chain = seeded();
    let start = pool(&chain);
    assert_eq!(start.last_price, 2 * math::PRICE_SCALE);
    chain.idle(10);
    assert_eq!(pool(&chain).price_cumulative, start.price_cumulative + 10 * start.last_price);
}

/// The swaps of one block, as `(trader, side, amount, min_out)`.
type Swaps = Vec<(u64, Side, u128, u128)>;

/// Every trader's balances after one block of `swaps`, and the pool after it.
fn run_block(swaps: &Swaps) -> (Vec<(Amount, Amount)>, amm::Pool) {
    let mut chain = seeded();
    chain.block_of(swaps.iter().map(|(t, side, amount, min)| (*t, swap(*side, *amount, *min))).collect());
    // Every transaction has the same gas, so fees cannot tell two orders apart.
    let balances = (1..10)
        .map(|i| (chain.balance(&dev_address(i), Denom::GDC), chain.balance(&dev_address(i), Denom::USD)))
        .collect();
    (balances, pool(&chain))
}

fn swaps() -> impl Strategy<Value = Swaps> {
    prop::collection::vec(
        (1u64..10, prop_oneof![Just(Side::SellGdc), Just(Side::SellUsd)], 1_000u128..200_000_000, 0u128..2)
            .prop_map(|(t, s, a, m)| (t, s, a, if m == 1 { a / 3 } else { 0 })),
        1..12,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any permutation of the same swaps in a block gives every trader the same fills.
    #[test]
    fn the_order_of_swaps_inside_a_block_changes_no_fill(swaps in swaps(), seed in any::<u64>()) {
        let mut shuffled = swaps.clone();
        let mut rng = atelier_testkit::seeded_rng(seed);
        use rand_core::RngCore;
        for i in (1..shuffled.len()).rev() {
            let j = (rng.next_u64() % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        prop_assert_eq!(run_block(&swaps), run_block(&shuffled));
    }

    /// Random liquidity and swaps keep the AMM's books and conservation after every block
    /// (TestChain checks them), and the pool's invariant `x × y` never falls.
    #[test]
    fn random_amm_flows_conserve_funds_and_never_lower_the_product(blocks in prop::collection::vec(swaps(), 1..6)) {
        let mut chain = seeded();
        for (n, block) in blocks.iter().enumerate() {
            let before = pool(&chain);
            let mut msgs: Vec<(u64, Msg)> = block.iter().map(|(t, s, a, m)| (*t, swap(*s, *a, *m))).collect();
            if n % 2 == 1 {
                msgs.push((0, add(5_000_000, 10_000_000)));
            }
            chain.block_of(msgs);
            let after = pool(&chain);
            let k = |p: &amm::Pool| atelier_primitives::math::mul_wide(p.reserve_gdc.get(), p.reserve_usd.get());
            prop_assert!(k(&after) >= k(&before));
        }
    }
}

#[test]
fn a_sandwich_around_a_buy_back_in_one_block_earns_nothing() {
    let mut chain = seeded();
    let value = |chain: &TestChain| {
        (chain.balance(&dev_address(7), Denom::GDC), chain.balance(&dev_address(7), Denom::USD))
    };
    let (gdc_before, usd_before) = value(&chain);
    // Dev 7 buys GDC and sells as much GDC in the same block as a large buy-back by dev 8.
    let executed = chain.block_of(vec![
        (7, swap(Side::SellUsd, 20_000_000, 0)),
        (8, swap(Side::SellUsd, 300_000_000, 0)),
        (7, swap(Side::SellGdc, 10_000_000, 0)),
    ]);
    let fees: u128 =
        executed.receipts.iter().filter(|r| r.sender == dev_address(7)).map(|r| r.fee.get()).sum();
    let (gdc_after, usd_after) = value(&chain);
    let cleared = executed
        .end_block_events
        .iter()
        .find_map(|e| match e {
            Event::Amm(AmmEvent::BatchCleared { gdc_in, usd_in, pool_usd_in, pool_usd_out, .. }) => {
                Some((gdc_in.get(), usd_in.get() - pool_usd_in.get() + pool_usd_out.get()))
            }
            _ => None,
        })
        .unwrap();
    // Valued at the block's one price (uusd per ugdc = to GDC sellers / GDC sold), the sandwich
    // changed nothing but rounding, and the fees came on top.
    let (gdc_sold, usd_to_gdc_sellers) = cleared;
    let d_gdc = gdc_after.get() as i128 - gdc_before.get() as i128 + fees as i128;
    let d_usd = usd_after.get() as i128 - usd_before.get() as i128;
    let value_change = d_gdc * usd_to_gdc_sellers as i128 + d_usd * gdc_sold as i128;
    assert!(value_change <= 0, "the sandwich earned {value_change} (scaled)");
    assert!(fees > 0);
}
