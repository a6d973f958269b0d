//! The market: a sale pays the treasury, the royalty stack and the seller in that order; each
//! failure code with state unchanged; shares change hands with their revenue settled; wash trading
//! loses money; a sale's cost follows the stack, not the graph; conservation over random flows.

use atelier_primitives::{Amount, Bps, Denom, Hash};
use atelier_protocol::{
    ExecutedBlock, Genesis, Msg, TxOutcome,
    modules::{
        market::{Item, ListingId, MarketMsg, query},
        provenance::{self, AssetId, DigitalSourceType, ProvenanceMsg, RoyaltyPolicy},
        revenue::{self, SHARE_UNITS, VaultId},
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};
use proptest::prelude::*;

const FUNDS: u128 = 1_000_000_000;

fn policy(share: u32) -> RoyaltyPolicy {
    RoyaltyPolicy { share: Bps::new(share).unwrap(), license_fee: Amount::ZERO }
}

/// Asset 1 (dev 1, 5%), dev 4 holding uusd too, and the market's fee shares `fees` (protocol,
/// datasets).
fn chain(fees: (u32, u32), change: impl FnOnce(&mut Genesis)) -> TestChain {
    let mut genesis = GenesisBuilder::new()
        .fund_dev_accounts(10, Amount::new(FUNDS))
        .fund(dev_address(4), Denom::USD, Amount::new(FUNDS))
        .root_asset(dev_address(1), policy(500))
        .build();
    genesis.market.params.protocol_fee = Bps::new(fees.0).unwrap();
    genesis.market.params.dataset_royalty = Bps::new(fees.1).unwrap();
    change(&mut genesis);
    TestChain::new(genesis)
}

fn block(chain: &mut TestChain, msgs: Vec<(u64, Msg)>) -> ExecutedBlock {
    chain.block_of(msgs)
}

fn run(chain: &mut TestChain, sender: u64, msg: Msg) -> (TxOutcome, u128) {
    let executed = block(chain, vec![(sender, msg)]);
    (executed.receipts[0].outcome.clone(), executed.receipts[0].fee.get())
}

fn ok(chain: &mut TestChain, sender: u64, msg: Msg) -> u128 {
    let (outcome, fee) = run(chain, sender, msg.clone());
    assert_eq!(outcome, TxOutcome::Applied, "{msg:?}");
    fee
}

fn sections(chain: &TestChain) -> String {
    let genesis = atelier_protocol::genesis::export(&chain.store, &chain.head).unwrap();
    serde_json::to_string(&(genesis.market, genesis.provenance, genesis.revenue)).unwrap()
}

fn fails(chain: &mut TestChain, sender: u64, msg: MarketMsg, code: u32) {
    let before = sections(chain);
    match run(chain, sender, Msg::Market(msg.clone())).0 {
        TxOutcome::Failed { code: got, reason, .. } => assert_eq!(got, code, "{msg:?}: {reason}"),
        TxOutcome::Applied => panic!("{msg:?} applied; expected {code}"),
    }
    assert_eq!(sections(chain), before, "a failed {msg:?} changed state");
}

fn derivative(parents: &[u64], share: u32) -> Msg {
    Msg::Provenance(ProvenanceMsg::RegisterDerivative {
        parents: parents.iter().copied().map(AssetId).collect(),
        output_hash: Hash::digest("remix", &[&parents.iter().map(|p| *p as u8).collect::<Vec<_>>()]),
        prompt_hash: Hash::ZERO,
        source_type: DigitalSourceType::Composite,
        policy: policy(share),
    })
}

fn list_asset(asset: u64, price: u128) -> MarketMsg {
    MarketMsg::List {
        item: Item::Asset { asset: AssetId(asset) },
        price: Amount::new(price),
        denom: Denom::GDC,
        expires_in: 10,
    }
}

fn buy(listing: u64, max_price: u128) -> Msg {
    Msg::Market(MarketMsg::Buy { listing: ListingId(listing), max_price: Amount::new(max_price) })
}

fn balance(chain: &TestChain, who: u64) -> u128 {
    chain.balance(&dev_address(who), Denom::GDC).get()
}

fn vault_claimable(chain: &TestChain, asset: u64, holder: u64) -> u128 {
    revenue::query::position(&chain.store, &VaultId::Asset(AssetId(asset)), &dev_address(holder))
        .unwrap()
        .map_or(0, |p| p.claimable_gdc.get())
}

fn owner(chain: &TestChain, asset: u64) -> atelier_primitives::Address {
    provenance::query::asset(&chain.store, AssetId(asset)).unwrap().unwrap().owner
}

#[test]
fn a_sale_of_c_in_a_b_c_pays_a_5_b_10_and_the_seller_85() {
    let mut chain = chain((0, 0), |_| {});
    ok(&mut chain, 2, derivative(&[1], 1_000)); // B = asset 2, edge to A at 5%
    ok(&mut chain, 3, derivative(&[2], 0)); // C = asset 3, edge to B at 10%
    ok(&mut chain, 3, Msg::Market(list_asset(3, 100)));
    let seller_before = balance(&chain, 3);
    let buyer_before = balance(&chain, 4);
    let fee = ok(&mut chain, 4, buy(1, 100));
    assert_eq!((vault_claimable(&chain, 1, 1), vault_claimable(&chain, 2, 2)), (5, 10));
    assert_eq!(balance(&chain, 3) - seller_before, 85);
    assert_eq!(buyer_before - balance(&chain, 4), 100 + fee);
    assert_eq!(owner(&chain, 3), dev_address(4));
    assert_eq!(query::listing(&chain.store, ListingId(1)).unwrap(), None);
}

#[test]
fn the_treasury_is_paid_first_and_rounding_favours_it() {
    let mut chain = chain((250, 0), |_| {});
    ok(&mut chain, 2, derivative(&[1], 0));
    ok(&mut chain, 2, Msg::Market(list_asset(2, 1_001)));
    let treasury = atelier_protocol::modules::treasury::account();
    let before = chain.balance(&treasury, Denom::GDC).get();
    let seller_before = balance(&chain, 2);
    ok(&mut chain, 4, buy(1, 1_001));
    // 2.5% of 1 001 is 25.025: the fee rounds up to 26; A's 5% rounds down to 50.
    assert_eq!(chain.balance(&treasury, Denom::GDC).get() - before, 26);
    assert_eq!(vault_claimable(&chain, 1, 1), 50);
    assert_eq!(balance(&chain, 2) - seller_before, 1_001 - 26 - 50);
}

#[test]
fn each_market_failure_has_its_code_and_changes_nothing() {
    let mut chain = chain((250, 0), |g| g.market.params.min_price = Amount::new(10));
    ok(&mut chain, 2, derivative(&[1], 0));
    fails(&mut chain, 2, MarketMsg::Cancel { listing: ListingId(9) }, 601);
    fails(&mut chain, 2, list_asset(9, 100), 602);
    fails(&mut chain, 3, list_asset(2, 100), 603);
    fails(&mut chain, 2, list_asset(2, 9), 605);
    let foreign = MarketMsg::List {
        item: Item::Asset { asset: AssetId(2) },
        price: Amount::new(100),
        denom: "ufoo".parse().unwrap(),
        expires_in: 10,
    };
    fails(&mut chain, 2, foreign, 606);
    let forever = MarketMsg::List {
        item: Item::Asset { asset: AssetId(2) },
        price: Amount::new(100),
        denom: Denom::GDC,
        expires_in: 0,
    };
    fails(&mut chain, 2, forever, 607);
    let shares = |units| MarketMsg::List {
        item: Item::Shares { vault: VaultId::Asset(AssetId(2)), units },
        price: Amount::new(100),
        denom: Denom::GDC,
        expires_in: 10,
    };
    fails(&mut chain, 3, shares(1), 608);
    fails(&mut chain, 2, shares(SHARE_UNITS + 1), 608);
    ok(&mut chain, 2, Msg::Market(list_asset(2, 100)));
    fails(&mut chain, 2, list_asset(2, 200), 604);
    fails(&mut chain, 3, MarketMsg::Cancel { listing: ListingId(1) }, 609);
    fails(&mut chain, 2, MarketMsg::Buy { listing: ListingId(1), max_price: Amount::new(100) }, 611);
    fails(&mut chain, 3, MarketMsg::Buy { listing: ListingId(1), max_price: Amount::new(99) }, 612);
    let drain = chain.factory().transfer(&dev_key(5), 0, dev_address(6), Amount::new(FUNDS - 50_000));
    chain.produce(vec![drain]);
    ok(&mut chain, 2, Msg::Market(MarketMsg::Cancel { listing: ListingId(1) }));
    ok(&mut chain, 2, Msg::Market(list_asset(2, 49_000)));
    fails(&mut chain, 5, MarketMsg::Buy { listing: ListingId(2), max_price: Amount::new(49_000) }, 101);
    for _ in 0..10 {
        chain.produce(Vec::new());
    }
    fails(&mut chain, 3, MarketMsg::Buy { listing: ListingId(2), max_price: Amount::new(49_000) }, 610);
    // An expired listing gives way to a new one.
    ok(&mut chain, 2, Msg::Market(list_asset(2, 100)));
}

#[test]
fn shares_change_hands_in_uusd_with_the_revenue_before_the_sale_kept_by_the_seller() {
    let mut chain = chain((0, 0), |_| {});
    ok(&mut chain, 2, derivative(&[1], 0));
    ok(&mut chain, 2, Msg::Market(list_asset(2, 1_000)));
    ok(&mut chain, 4, buy(1, 1_000)); // pays asset 1's vault 50
    let quarter = SHARE_UNITS / 4;
    let listing = MarketMsg::List {
        item: Item::Shares { vault: VaultId::Asset(AssetId(1)), units: quarter },
        price: Amount::new(700),
        denom: Denom::USD,
        expires_in: 10,
    };
    ok(&mut chain, 1, Msg::Market(listing));
    let gdc_before = balance(&chain, 1);
    ok(&mut chain, 4, buy(2, 700));
    assert_eq!(chain.balance(&dev_address(1), Denom::USD), Amount::new(700));
    assert_eq!(balance(&chain, 1) - gdc_before, 50, "the revenue before the sale was paid to the seller");
    let bought = revenue::query::position(&chain.store, &VaultId::Asset(AssetId(1)), &dev_address(4))
        .unwrap()
        .unwrap();
    assert_eq!((bought.units, bought.claimable_gdc), (quarter, Amount::ZERO));
}

/// A vault's holders read a page at a time are every holder once, by address, each with the
/// position the point query gives; an unopened vault's one holder is its creator.
#[test]
fn a_vaults_holders_come_a_page_at_a_time_by_address() {
    let mut chain = chain((0, 0), |_| {});
    let vault = VaultId::Asset(AssetId(1));
    for (buyer, listing) in [(4, 1), (5, 2)] {
        let units = SHARE_UNITS / 4;
        let listing_msg = MarketMsg::List {
            item: Item::Shares { vault, units },
            price: Amount::new(10),
            denom: Denom::GDC,
            expires_in: 10,
        };
        ok(&mut chain, 1, Msg::Market(listing_msg));
        ok(&mut chain, buyer, buy(listing, 10));
    }
    let mut expected = vec![dev_address(1), dev_address(4), dev_address(5)];
    expected.sort();
    let mut read = Vec::new();
    let mut after = None;
    loop {
        let page = revenue::query::holders(&chain.store, &vault, after.as_ref(), 2).unwrap().unwrap();
        let Some((last, _)) = page.last() else { break };
        after = Some(*last);
        read.extend(page);
    }
    assert_eq!(read.iter().map(|(holder, _)| *holder).collect::<Vec<_>>(), expected);
    for (holder, position) in &read {
        assert_eq!(Some(*position), revenue::query::position(&chain.store, &vault, holder).unwrap());
    }
    ok(&mut chain, 2, derivative(&[1], 0));
    let unopened =
        revenue::query::holders(&chain.store, &VaultId::Asset(AssetId(2)), None, 10).unwrap().unwrap();
    assert_eq!(
        unopened.iter().map(|(holder, p)| (*holder, p.units)).collect::<Vec<_>>(),
        vec![(dev_address(2), SHARE_UNITS)]
    );
    assert_eq!(revenue::query::holders(&chain.store, &VaultId::Asset(AssetId(9)), None, 10).unwrap(), None);
}

#[test]
fn two_accounts_trading_one_asset_back_and_forth_end_with_less_than_they_started() {
    // Dev 2 owns the ancestor and trades its child with dev 3: the royalties come back to it, the
    // fees do not.
    let mut chain = chain((250, 0), |g| {
        g.provenance.assets[0].owner = dev_address(2);
        g.provenance.assets[0].creator = dev_address(2);
        g.revenue.vaults[0].holdings[0].holder = dev_address(2);
    });
    ok(&mut chain, 3, derivative(&[1], 0));
    let start = balance(&chain, 2) + balance(&chain, 3);
    let mut fees = 0;
    let (mut seller, mut buyer) = (3, 2);
    for listing in 1..=6 {
        fees += ok(&mut chain, seller, Msg::Market(list_asset(2, 100_000)));
        fees += ok(&mut chain, buyer, buy(listing, 100_000));
        std::mem::swap(&mut seller, &mut buyer);
    }
    fees += ok(
        &mut chain,
        2,
        Msg::Revenue(revenue::RevenueMsg::ClaimRevenue { vault: VaultId::Asset(AssetId(1)) }),
    );
    let end = balance(&chain, 2) + balance(&chain, 3);
    assert!(end < start, "{end} >= {start}");
    assert_eq!(start - end, fees + 6 * 2_500, "exactly the gas and the protocol fees are lost");
}

#[test]
fn a_sales_writes_follow_its_stack_not_the_size_of_its_graph() {
    let writes = |children: u64| {
        let mut chain = chain((250, 200), |_| {});
        ok(&mut chain, 2, derivative(&[1], 0));
        // Asset 1 gains `children` more descendants: the graph grows, the stack of asset 2 does not.
        block(&mut chain, (0..children).map(|_| (5, derivative(&[1], 0))).collect());
        ok(&mut chain, 2, Msg::Market(list_asset(2, 10_000)));
        let executed = block(&mut chain, vec![(4, buy(1, 10_000))]);
        assert_eq!(executed.receipts[0].outcome, TxOutcome::Applied);
        (executed.receipts[0].gas_used, executed.commit.changes.len())
    };
    assert_eq!(writes(0), writes(40));
}

#[derive(Debug, Clone)]
enum Step {
    List { who: u64, asset: u64, price: u128 },
    Buy { who: u64, listing: u64 },
    Cancel { who: u64, listing: u64 },
    Remix { who: u64, parent: u64 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1u64..5, 1u64..6, 10u128..100_000).prop_map(|(who, asset, price)| Step::List { who, asset, price }),
        (1u64..5, 1u64..8).prop_map(|(who, listing)| Step::Buy { who, listing }),
        (1u64..5, 1u64..8).prop_map(|(who, listing)| Step::Cancel { who, listing }),
        (1u64..5, 1u64..6).prop_map(|(who, parent)| Step::Remix { who, parent }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    /// The test chain checks conservation, every vault's books and the listings after each block.
    #[test]
    fn conservation_holds_over_random_market_flows(steps in prop::collection::vec(step(), 1..40)) {
        let mut chain = chain((250, 0), |_| {});
        for step in steps {
            let (who, msg) = match step {
                Step::List { who, asset, price } => (who, Msg::Market(list_asset(asset, price))),
                Step::Buy { who, listing } => (who, buy(listing, u128::MAX)),
                Step::Cancel { who, listing } => (who, Msg::Market(MarketMsg::Cancel { listing: ListingId(listing) })),
                Step::Remix { who, parent } => (who, derivative(&[parent], 300)),
            };
            block(&mut chain, vec![(who, msg)]);
        }
    }
}
