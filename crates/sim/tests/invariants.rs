//! The checks every block runs from what it changed catch each violation the full scan catches:
//! on a baseline world some blocks in, each test plants one broken record through raw writes no
//! protocol path makes (the hook a bug or a corrupted disk would be), and both checks must name the
//! module whose invariant broke.

use std::{collections::BTreeSet, path::Path};

use atelier_primitives::{Address, Amount, Encode};
use atelier_protocol::{
    invariants,
    modules::{
        compute::{self, JobId},
        market, provenance, registry,
        revenue::{self, VaultId},
    },
};
use atelier_sim::{Scenario, World, rng::Key};
use atelier_state::{ChangeSet, StateRead};

/// The baseline scenario's world after `blocks` blocks.
fn world(blocks: u64) -> World {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/baseline.toml");
    let scenario = Scenario::parse(&std::fs::read_to_string(path).unwrap(), &[]).unwrap();
    let mut world = World::new(&scenario, Key { seed: 7, point: 0, run: 0, block: 0, stream: 0 }).unwrap();
    for block in 1..=blocks {
        world.step(block).unwrap();
    }
    world
}

/// What the block check and the full scan find once `writes` are planted on `world`'s state.
fn caught(
    world: &World,
    writes: Vec<(Vec<u8>, Vec<u8>)>,
) -> (BTreeSet<&'static str>, BTreeSet<&'static str>) {
    let mut changes = ChangeSet::new();
    for (key, value) in writes {
        changes.put(key, value);
    }
    let mut after = world.store().clone();
    after.apply(changes.clone()).unwrap();
    let modules = |violations: Vec<invariants::Violation>| violations.into_iter().map(|v| v.module).collect();
    let by_block = modules(invariants::check_block(world.store(), &after, &changes).unwrap());
    (by_block, modules(invariants::check_all(&after).unwrap()))
}

fn both_catch(world: &World, module: &'static str, what: &str, writes: Vec<(Vec<u8>, Vec<u8>)>) {
    let (by_block, by_scan) = caught(world, writes);
    assert!(by_scan.contains(module), "the full scan misses {what}: {by_scan:?}");
    assert!(by_block.contains(module), "the block check misses {what}: {by_block:?}");
    assert!(by_block.is_subset(&by_scan), "{what}: the block check names {by_block:?}, the scan {by_scan:?}");
}

fn key(prefix: &str, parts: &[&[u8]]) -> Vec<u8> {
    [prefix.as_bytes()].iter().copied().chain(parts.iter().copied()).collect::<Vec<_>>().concat()
}

/// The first id from 1 whose record `find` returns and `pick` accepts.
fn first<T>(find: impl Fn(u64) -> Option<T>, pick: impl Fn(&T) -> bool) -> (u64, T) {
    (1..10_000).find_map(|id| find(id).filter(&pick).map(|found| (id, found))).expect("the world has one")
}

#[test]
fn every_planted_violation_the_full_scan_catches_the_block_check_catches_too() {
    let world = world(120);
    let state = world.store();
    let (by_block, by_scan) = caught(&world, Vec::new());
    assert!(by_block.is_empty() && by_scan.is_empty(), "the world itself is sound: {by_block:?} {by_scan:?}");

    // compute: a job that is over still holds funds.
    let (id, mut job) = first(|id| compute::query::job(state, JobId(id)).unwrap(), |j| j.status.is_final());
    job.held = Amount::new(1);
    both_catch(
        &world,
        "compute",
        "a settled job holding funds",
        vec![(key("compute/job/", &[&id.to_be_bytes()]), job.to_bytes())],
    );

    // compute: a class records more capacity than its members offer.
    let class = compute::query::classes(state).unwrap().into_iter().next().expect("a class");
    let class_key = key("compute/class/", &[class.name.as_bytes()]);
    let mut recorded: compute::ClassState =
        atelier_primitives::Decode::from_bytes(&state.get(&class_key).unwrap().expect("a used class"))
            .unwrap();
    recorded.capacity += 1;
    both_catch(&world, "compute", "a class's capacity", vec![(class_key, recorded.to_bytes())]);

    // provenance: an asset changes hands without the owner index.
    let (id, mut asset) =
        first(|id| provenance::query::asset(state, provenance::AssetId(id)).unwrap(), |_| true);
    asset.owner = Address([0xee; 20]);
    both_catch(
        &world,
        "provenance",
        "an asset outside its owner's index",
        vec![(key("provenance/asset/", &[&id.to_be_bytes()]), asset.to_bytes())],
    );

    // market: an asset listing no longer its seller's asset.
    let (id, mut listing) = first(
        |id| market::query::listing(state, market::ListingId(id)).unwrap(),
        |l| matches!(l.item, market::Item::Asset { .. }),
    );
    listing.seller = Address([0xee; 20]);
    both_catch(
        &world,
        "market",
        "a listing by someone else than the owner",
        vec![(key("market/listing/", &[&id.to_be_bytes()]), listing.to_bytes())],
    );

    // registry: a dataset claimed more than it was paid.
    let (id, mut dataset) =
        first(|id| registry::query::dataset(state, registry::DatasetId(id)).unwrap(), |_| true);
    dataset.gdc.claimed = dataset.gdc.paid_in.checked_add(Amount::new(1)).unwrap();
    both_catch(
        &world,
        "registry",
        "a dataset claiming more than paid",
        vec![(key("registry/dataset/", &[&id.to_be_bytes()]), dataset.to_bytes())],
    );

    // revenue: a vault's holdings no longer sum to all its units.
    let (id, _) = first(
        |id| revenue::query::vault(state, &VaultId::Model(registry::ModelId(id))).unwrap(),
        |v| v.holders > 0,
    );
    let holdings = state.scan_prefix(&key("revenue/holding/", &[&[0u8], &id.to_be_bytes()])).unwrap();
    let (holding_key, bytes) = holdings.into_iter().next().expect("a holder");
    let mut holding: revenue::Holding = atelier_primitives::Decode::from_bytes(&bytes).unwrap();
    holding.units += 1;
    both_catch(&world, "revenue", "a vault's units", vec![(holding_key, holding.to_bytes())]);

    // amm: LP units held beyond the supply.
    both_catch(
        &world,
        "amm",
        "LP units from nowhere",
        vec![(key("amm/lp/", &[&[0xee; 20]]), 5u128.to_bytes())],
    );

    // staking: a candidate count that counts a candidate nobody registered.
    let count: u32 = atelier_primitives::Decode::from_bytes(
        &state.get(b"staking/candidate_count").unwrap().unwrap_or(0u32.to_bytes()),
    )
    .unwrap();
    both_catch(
        &world,
        "staking",
        "a candidate count",
        vec![(b"staking/candidate_count".to_vec(), (count + 1).to_bytes())],
    );
}
