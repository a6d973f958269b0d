//! Provenance: derivatives registered with their parents, license fees into the parents' vaults,
//! royalty stacks fixed at mint, and each failure code with state unchanged.

use atelier_primitives::{Amount, Bps, Hash};
use atelier_protocol::{
    Genesis, Msg, TxOutcome,
    modules::{
        provenance::{self, Asset, AssetId, DigitalSourceType, ProvenanceMsg, RoyaltyPolicy},
        revenue::{self, VaultId},
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};

const FUNDS: u128 = 1_000_000_000;

fn policy(share: u32, license_fee: u128) -> RoyaltyPolicy {
    RoyaltyPolicy { share: Bps::new(share).unwrap(), license_fee: Amount::new(license_fee) }
}

/// Two root assets: 1 (dev 1, 5%, license fee 1 000) and 2 (dev 2, 10%, free), and `more`.
fn chain(
    more: impl FnOnce(GenesisBuilder) -> GenesisBuilder,
    change: impl FnOnce(&mut Genesis),
) -> TestChain {
    let builder = GenesisBuilder::new()
        .fund_dev_accounts(10, Amount::new(FUNDS))
        .root_asset(dev_address(1), policy(500, 1_000))
        .root_asset(dev_address(2), policy(1_000, 0));
    let mut genesis = more(builder).build();
    change(&mut genesis);
    TestChain::new(genesis)
}

fn derivative(parents: &[u64], policy: RoyaltyPolicy) -> ProvenanceMsg {
    ProvenanceMsg::RegisterDerivative {
        parents: parents.iter().copied().map(AssetId).collect(),
        output_hash: Hash::digest("remix", &[&[parents.len() as u8]]),
        prompt_hash: Hash::ZERO,
        source_type: DigitalSourceType::Composite,
        policy,
    }
}

fn run(chain: &mut TestChain, sender: u64, msg: ProvenanceMsg) -> TxOutcome {
    let nonce = chain.nonce(&dev_address(sender));
    let tx = chain.factory().tx(&dev_key(sender), nonce, vec![Msg::Provenance(msg)]);
    chain.produce(vec![tx]).receipts[0].outcome.clone()
}

fn sections(chain: &TestChain) -> String {
    let genesis = atelier_protocol::genesis::export(&chain.store, &chain.head).unwrap();
    serde_json::to_string(&(genesis.provenance, genesis.revenue)).unwrap()
}

fn fails(chain: &mut TestChain, sender: u64, msg: ProvenanceMsg, code: u32) {
    let before = sections(chain);
    match run(chain, sender, msg.clone()) {
        TxOutcome::Failed { code: got, reason, .. } => assert_eq!(got, code, "{msg:?}: {reason}"),
        TxOutcome::Applied => panic!("{msg:?} applied; expected {code}"),
    }
    assert_eq!(sections(chain), before, "a failed {msg:?} changed state");
}

fn asset(chain: &TestChain, id: u64) -> Asset {
    provenance::query::asset(&chain.store, AssetId(id)).unwrap().unwrap()
}

#[test]
fn a_derivative_pays_its_parents_license_fees_and_takes_on_their_stacks() {
    let mut chain = chain(|b| b, |_| {});
    assert_eq!(run(&mut chain, 3, derivative(&[1, 2], policy(700, 50))), TxOutcome::Applied);
    let remix = asset(&chain, 3);
    assert_eq!((remix.owner, remix.ancestors.clone()), (dev_address(3), vec![AssetId(1), AssetId(2)]));
    let stack: Vec<(u64, u16)> = remix.royalty_stack.iter().map(|e| (e.ancestor.0, e.share.get())).collect();
    assert_eq!(stack, vec![(1, 500), (2, 1_000)]);
    let position =
        revenue::query::position(&chain.store, &VaultId::Asset(AssetId(1)), &dev_address(1)).unwrap();
    assert_eq!(position.unwrap().claimable_gdc, Amount::new(1_000), "asset 1's license fee");
    // A remix of the remix pays asset 3's fee and inherits the whole lineage.
    assert_eq!(run(&mut chain, 4, derivative(&[3], policy(0, 0))), TxOutcome::Applied);
    let stack: Vec<(u64, u16)> =
        asset(&chain, 4).royalty_stack.iter().map(|e| (e.ancestor.0, e.share.get())).collect();
    assert_eq!(stack, vec![(1, 500), (2, 1_000), (3, 700)]);
    let lineage = provenance::query::lineage(&chain.store, AssetId(1), None, 10).unwrap().unwrap();
    assert_eq!(lineage.children, vec![AssetId(3)]);
}

#[test]
fn each_derivative_failure_has_its_code_and_changes_nothing() {
    let mut chain = chain(
        |b| b,
        |g| {
            g.provenance.params.max_parents = 2;
            g.provenance.params.max_ancestors = 3;
            g.provenance.params.max_royalty_stack = Bps::new(2_000).unwrap();
        },
    );
    fails(&mut chain, 3, derivative(&[9], policy(0, 0)), 401);
    fails(&mut chain, 3, derivative(&[], policy(0, 0)), 402);
    fails(&mut chain, 3, derivative(&[1, 1], policy(0, 0)), 402);
    fails(&mut chain, 3, derivative(&[1, 2, 1], policy(0, 0)), 402);
    fails(&mut chain, 3, derivative(&[1], policy(2_001, 0)), 404);
    // Chains that would take more than 20% in all, or reach a fourth ancestor, cannot be minted.
    assert_eq!(run(&mut chain, 3, derivative(&[1, 2], policy(1_000, 0))), TxOutcome::Applied);
    fails(&mut chain, 4, derivative(&[3], policy(0, 0)), 404);
    let mut deep = chain.clone();
    assert_eq!(run(&mut deep, 4, derivative(&[1], policy(0, 0))), TxOutcome::Applied);
    assert_eq!(run(&mut deep, 4, derivative(&[4], policy(0, 0))), TxOutcome::Applied);
    assert_eq!(run(&mut deep, 4, derivative(&[5], policy(0, 0))), TxOutcome::Applied);
    fails(&mut deep, 4, derivative(&[6, 2], policy(0, 0)), 403);
    // A license fee the sender cannot pay.
    let mut expensive = self::chain(|b| b.root_asset(dev_address(1), policy(0, 2 * FUNDS)), |_| {});
    fails(&mut expensive, 5, derivative(&[3], policy(0, 0)), 101);
}
