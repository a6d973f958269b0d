//! Registry messages: each success and each failure code. A failed transaction pays its fee and
//! uses its nonce; nothing it asked of the registry happens.

use atelier_primitives::{Amount, Bps, Hash};
use atelier_protocol::{
    Msg, TxOutcome,
    modules::registry::{
        ContributorShares, DatasetId, DatasetWeight, ModelId, RegistryMsg, RegistryParams, query,
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};

fn chain() -> TestChain {
    TestChain::new(GenesisBuilder::new().fund_dev_accounts(6, Amount::new(1_000_000_000_000)).build())
}

fn run(chain: &mut TestChain, sender: u64, msg: RegistryMsg) -> TxOutcome {
    let nonce = chain.nonce(&dev_address(sender));
    let tx = chain.factory().tx(&dev_key(sender), nonce, vec![Msg::Registry(msg)]);
    let executed = chain.produce(vec![tx]);
    assert_eq!(executed.receipts.len(), 1, "skipped: {:?}", executed.skipped);
    executed.receipts[0].outcome.clone()
}

/// Runs `msg`, expects it to fail with `code`, and checks the registry did not change.
fn assert_fails(chain: &mut TestChain, sender: u64, msg: RegistryMsg, code: u32) {
    let before = registry_state(chain);
    match run(chain, sender, msg) {
        TxOutcome::Failed { code: got, reason, .. } => assert_eq!(got, code, "{reason}"),
        TxOutcome::Applied => panic!("expected failure {code}"),
    }
    assert_eq!(registry_state(chain), before, "a failed message changed the registry");
}

fn registry_state(chain: &TestChain) -> atelier_protocol::modules::registry::RegistryGenesis {
    atelier_protocol::genesis::export(&chain.store, &chain.head).unwrap().registry
}

fn shares(list: &[(u64, u128)]) -> Vec<ContributorShares> {
    list.iter().map(|&(i, shares)| ContributorShares { contributor: dev_address(i), shares }).collect()
}

fn bps(n: u32) -> Bps {
    Bps::new(n).unwrap()
}

fn weights(list: &[(u64, u32)]) -> Vec<DatasetWeight> {
    list.iter().map(|&(id, w)| DatasetWeight { dataset: DatasetId(id), weight: bps(w) }).collect()
}

fn dataset(contributors: &[(u64, u128)]) -> RegistryMsg {
    RegistryMsg::RegisterDataset {
        content_hash: Hash::digest("test", &[b"data"]),
        license: "CC-BY-4.0".into(),
        contributors: shares(contributors),
    }
}

fn model(parent: Option<u64>, datasets: &[(u64, u32)], fee: u32) -> RegistryMsg {
    RegistryMsg::RegisterModel {
        class: "image-xl".into(),
        weights_hash: atelier_primitives::Hash::blob(b"a style file"),
        parent: parent.map(ModelId),
        datasets: weights(datasets),
        performance_fee: bps(fee),
        style: String::new(),
    }
}

#[test]
fn a_dataset_is_registered_with_its_contributors_and_more_can_join_later() {
    let mut chain = chain();
    assert_eq!(run(&mut chain, 1, dataset(&[(2, 3), (3, 1)])), TxOutcome::Applied);
    let registered = query::dataset(&chain.store, DatasetId(1)).unwrap().unwrap();
    assert_eq!((registered.owner, registered.total_shares, registered.contributors), (dev_address(1), 4, 2));
    let more = RegistryMsg::AddContributors { dataset: DatasetId(1), contributors: shares(&[(4, 6)]) };
    assert_eq!(run(&mut chain, 1, more), TxOutcome::Applied);
    let grown = query::dataset(&chain.store, DatasetId(1)).unwrap().unwrap();
    assert_eq!((grown.total_shares, grown.contributors), (10, 3));
    assert_eq!(query::stake(&chain.store, DatasetId(1), &dev_address(4)).unwrap().unwrap().shares, 6);
}

#[test]
fn an_invalid_dataset_is_refused_with_its_code() {
    let mut chain = chain();
    assert_fails(&mut chain, 1, dataset(&[]), 204);
    assert_fails(&mut chain, 1, dataset(&[(2, 1), (2, 1)]), 204);
    assert_fails(&mut chain, 1, dataset(&[(2, 0)]), 204);
    assert_fails(&mut chain, 1, dataset(&[(2, u128::MAX), (3, 1)]), 213);
    let too_many: Vec<(u64, u128)> =
        (0..RegistryParams::default().max_contributors_per_msg as u64 + 1).map(|i| (100 + i, 1)).collect();
    assert_fails(&mut chain, 1, dataset(&too_many), 204);
    let no_license = RegistryMsg::RegisterDataset {
        content_hash: Hash::ZERO,
        license: String::new(),
        contributors: shares(&[(2, 1)]),
    };
    assert_fails(&mut chain, 1, no_license, 206);
}

#[test]
fn only_the_owner_adds_contributors_and_nobody_joins_twice() {
    let mut chain = chain();
    run(&mut chain, 1, dataset(&[(2, 1)]));
    let add = |list: &[(u64, u128)], dataset: u64| RegistryMsg::AddContributors {
        dataset: DatasetId(dataset),
        contributors: shares(list),
    };
    assert_fails(&mut chain, 2, add(&[(3, 1)], 1), 203);
    assert_fails(&mut chain, 1, add(&[(3, 1)], 9), 201);
    assert_fails(&mut chain, 1, add(&[(2, 1)], 1), 204);
    let huge =
        RegistryMsg::AddContributors { dataset: DatasetId(1), contributors: shares(&[(3, u128::MAX)]) };
    assert_fails(&mut chain, 1, huge, 205);
}

#[test]
fn a_fine_tune_inherits_its_parents_datasets_in_what_its_own_weights_leave() {
    let mut chain = chain();
    for _ in 0..3 {
        run(&mut chain, 1, dataset(&[(2, 1)]));
    }
    assert_eq!(run(&mut chain, 1, model(None, &[(1, 6_000), (2, 4_000)], 500)), TxOutcome::Applied);
    // Half its weight on dataset 3, the other half on its parent's 60/40.
    assert_eq!(run(&mut chain, 2, model(Some(1), &[(3, 5_000)], 300)), TxOutcome::Applied);
    let tuned = query::model(&chain.store, ModelId(2)).unwrap().unwrap();
    assert_eq!(tuned.lineage_datasets, weights(&[(1, 3_000), (2, 2_000), (3, 5_000)]));
    assert_eq!(tuned.depth, 1);
    let fees: Vec<(u64, u16)> = tuned
        .lineage_fees
        .iter()
        .map(|f| (if f.owner == dev_address(2) { 2 } else { 1 }, f.fee.get()))
        .collect();
    assert_eq!(fees, vec![(2, 300), (1, 500)]);
    // A fine-tune that names no datasets keeps all of its parent's.
    assert_eq!(run(&mut chain, 3, model(Some(2), &[], 0)), TxOutcome::Applied);
    let again = query::model(&chain.store, ModelId(3)).unwrap().unwrap();
    assert_eq!(again.lineage_datasets, tuned.lineage_datasets);
}

#[test]
fn an_invalid_model_is_refused_with_its_code() {
    let mut chain = chain();
    run(&mut chain, 1, dataset(&[(2, 1)]));
    run(&mut chain, 1, dataset(&[(2, 1)]));
    assert_fails(&mut chain, 1, model(Some(7), &[], 0), 202);
    assert_fails(&mut chain, 1, model(None, &[(9, 10_000)], 0), 201);
    assert_fails(&mut chain, 1, model(None, &[(1, 6_000)], 0), 207);
    assert_fails(&mut chain, 1, model(None, &[(1, 5_000), (1, 5_000)], 0), 207);
    assert_fails(&mut chain, 1, model(None, &[(1, 10_000), (2, 0)], 0), 207);
    let cap = RegistryParams::default().max_performance_fee.get() as u32;
    assert_fails(&mut chain, 1, model(None, &[(1, 10_000)], cap + 1), 210);
    let bad_class = RegistryMsg::RegisterModel {
        class: "Image XL".into(),
        weights_hash: atelier_primitives::Hash::blob(b"a style file"),
        parent: None,
        datasets: Vec::new(),
        performance_fee: Bps::ZERO,
        style: String::new(),
    };
    assert_fails(&mut chain, 1, bad_class, 206);
    for style in ["Ink", "ink wash", &"a".repeat(33)] {
        let bad_style = RegistryMsg::RegisterModel {
            class: "image-xl".into(),
            weights_hash: atelier_primitives::Hash::blob(b"a style file"),
            parent: None,
            datasets: Vec::new(),
            performance_fee: Bps::ZERO,
            style: style.to_owned(),
        };
        assert_fails(&mut chain, 1, bad_style, 206);
    }
    let unserved = RegistryMsg::RegisterModel {
        class: "video-4k".into(),
        weights_hash: atelier_primitives::Hash::blob(b"a style file"),
        parent: None,
        datasets: Vec::new(),
        performance_fee: Bps::ZERO,
        style: String::new(),
    };
    assert_fails(&mut chain, 1, unserved, 217);
    run(&mut chain, 1, model(None, &[(1, 10_000)], cap));
    let other_class = RegistryMsg::RegisterModel {
        class: "text-small".into(),
        weights_hash: atelier_primitives::Hash::blob(b"a style file"),
        parent: Some(ModelId(1)),
        datasets: Vec::new(),
        performance_fee: Bps::ZERO,
        style: String::new(),
    };
    assert_fails(&mut chain, 1, other_class, 211);
    // The lineage's fees are capped too: 1 000 + 1 000 reach the 2 000 cap, one more fails.
    run(&mut chain, 2, model(Some(1), &[], cap));
    assert_fails(&mut chain, 3, model(Some(2), &[], 1), 210);
}

#[test]
fn a_lineage_deeper_than_the_maximum_is_refused() {
    let mut chain = chain();
    run(&mut chain, 1, model(None, &[], 0));
    let max = RegistryParams::default().max_lineage_depth as u64;
    for depth in 1..=max {
        assert_eq!(run(&mut chain, 1, model(Some(depth), &[], 0)), TxOutcome::Applied, "depth {depth}");
    }
    assert_fails(&mut chain, 1, model(Some(max + 1), &[], 0), 208);
}

#[test]
fn claiming_with_nothing_earned_or_from_an_unknown_dataset_is_refused() {
    let mut chain = chain();
    run(&mut chain, 1, dataset(&[(2, 1)]));
    assert_fails(&mut chain, 2, RegistryMsg::ClaimRoyalties { dataset: DatasetId(1) }, 212);
    assert_fails(&mut chain, 3, RegistryMsg::ClaimRoyalties { dataset: DatasetId(1) }, 212);
    assert_fails(&mut chain, 2, RegistryMsg::ClaimRoyalties { dataset: DatasetId(5) }, 201);
}

#[test]
fn the_registry_survives_export_and_init() {
    let mut chain = chain();
    run(&mut chain, 1, dataset(&[(2, 3), (3, 1)]));
    run(&mut chain, 1, model(None, &[(1, 10_000)], 100));
    let exported = atelier_protocol::genesis::export(&chain.store, &chain.head).unwrap();
    let restarted = TestChain::new(exported.clone());
    let again = atelier_protocol::genesis::export(&restarted.store, &restarted.head).unwrap();
    assert_eq!(again.registry, exported.registry);
}
