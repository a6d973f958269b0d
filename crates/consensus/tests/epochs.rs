//! Validators across epochs, in Commonware's deterministic runtime with the real node and
//! protocol: the set each epoch is the one the chain chose, a validator outside it follows and
//! starts signing in the epoch it is chosen for, one that leaves stops, an equivocator is left out,
//! a validator that stops voting is jailed, one restarted across boundaries catches up, one
//! whose state was synced from a peer follows without replaying the chain, and one faulty
//! validator in every epoch stops nothing. Honest validators never finalize
//! different blocks at any height. `ATELIER_SEEDS=N` widens the seed sweep.

mod support;

use std::time::Duration;

use atelier_primitives::Amount;
use atelier_protocol::{Msg, SignedTx, modules::staking::StakingMsg};
use atelier_testkit::{TestChain, dev_key};
use support::{EPOCH_BLOCKS, Net, OPERATORS, chain_key, genesis, link, operator, simulate, transfers};

const GENESIS: [usize; 4] = [0, 1, 2, 3];
const ALL: [usize; 5] = [0, 1, 2, 3, 4];

/// Waits for `height` at `which`, failing with the heights reached.
async fn reach(net: &Net, which: &[usize], height: u64, within_s: u64) {
    let reached = net.wait_for(which, height, Duration::from_secs(within_s)).await;
    assert!(reached, "validators {which:?} did not reach height {height}: {:?}", net.heights());
}

/// The last height of `epoch`.
fn last_of(epoch: u64) -> u64 {
    (epoch + 1) * EPOCH_BLOCKS - 1
}

/// A transaction of `msgs` from validator `index`'s operator at `nonce`.
fn from_operator(index: u64, nonce: u64, msgs: Vec<Msg>) -> SignedTx {
    TestChain::new(genesis()).factory().tx(&dev_key(OPERATORS + index), nonce, msgs)
}

/// Validator `index`'s operator stakes and registers its key.
fn join(index: u64) -> SignedTx {
    from_operator(
        index,
        0,
        vec![
            Msg::Staking(StakingMsg::Stake { amount: support::VALIDATOR_STAKE }),
            Msg::Staking(StakingMsg::RegisterValidator {
                consensus_key: chain_key(index),
                p2p_addr: format!("127.0.0.1:{}", 26_700 + index),
                min_self_stake: Amount::ZERO,
            }),
        ],
    )
}

#[test]
fn four_validators_cross_epoch_boundaries_with_the_set_the_chain_chose() {
    simulate(11, |context| async move {
        let mut net = Net::new(&context, 4, link(20)).await;
        for i in GENESIS {
            net.start(i).await;
        }
        for round in 0..4 {
            for i in GENESIS {
                net.submit(i, transfers(round));
            }
        }
        reach(&net, &GENESIS, last_of(3) + 2, 240).await;
        // The chain keeps the sets evidence may still name, and drops older ones.
        assert_eq!(net.set_of(0, 1), None, "older sets are dropped");
        for epoch in 2..=4 {
            assert_eq!(net.set_of(0, epoch), Some(GENESIS.to_vec()), "epoch {epoch}'s set");
            // The header before each epoch commits its set.
            let header = net
                .node(0)
                .unwrap()
                .storage()
                .block(atelier_primitives::Height(last_of(epoch - 1)))
                .unwrap()
                .unwrap()
                .header;
            let snapshot = net.node(0).unwrap().storage().snapshot().unwrap();
            let set =
                atelier_protocol::modules::staking::query::validator_set(&snapshot, epoch).unwrap().unwrap();
            assert_eq!(header.next_validators, set.hash());
        }
        for i in GENESIS {
            assert_eq!(net.nonce(i, 0), 4, "validator {i} has every transfer");
            // Each epoch's engine keeps a journal of its own; those of finished epochs are removed.
            use commonware_runtime::Storage as _;
            let journal = |epoch: u64| format!("validator-{i}-simplex-{epoch}");
            assert!(
                context.scan(&journal(1)).await.unwrap_or_default().is_empty(),
                "epoch 1's journal is left"
            );
            assert!(!context.scan(&journal(4)).await.unwrap().is_empty(), "epoch 4's journal is missing");
        }
        // Every validator leads blocks in the last epoch, under its operator's name.
        let proposers = net.proposers(0, last_of(2) + 1, last_of(3));
        for i in GENESIS {
            assert!(proposers.contains(&operator(i as u64)), "validator {i} proposed nothing in epoch 3");
        }
        net.assert_agreement();
    });
}

/// A fifth validator follows from genesis, registers, is chosen once its stake has earned
/// reputation, and signs from the boundary of the epoch it was chosen for; then one of the
/// genesis validators leaves, and the chain goes on without it.
fn join_and_leave(seed: u64) -> Vec<(Option<u64>, Option<atelier_primitives::Hash>)> {
    simulate(seed, |context| async move {
        let mut net = Net::new(&context, 5, link(20)).await;
        for i in ALL {
            net.start(i).await;
        }
        net.submit(0, vec![join(4)]);
        reach(&net, &ALL, last_of(0), 120).await;
        assert_eq!(net.set_of(0, 1), Some(GENESIS.to_vec()), "stake alone does not buy a seat");
        // Stake bonded in epoch 0 earns reputation through epoch 1; the set of epoch 3 is chosen
        // in epoch 2.
        reach(&net, &ALL, last_of(2), 300).await;
        assert_eq!(net.set_of(0, 3), Some(ALL.to_vec()), "the fifth validator is chosen for epoch 3");
        reach(&net, &ALL, last_of(3), 300).await;
        let proposers = net.proposers(4, last_of(2) + 1, last_of(3));
        assert!(
            proposers.contains(&operator(4)),
            "the fifth validator signs and leads in epoch 3: {proposers:?}"
        );
        assert!(!net.proposers(4, 1, last_of(2)).contains(&operator(4)), "it led nothing before");

        // Validator 3 leaves: not chosen again; the set it is in runs its epoch out.
        net.submit(0, vec![from_operator(3, 0, vec![Msg::Staking(StakingMsg::LeaveValidators {})])]);
        reach(&net, &ALL, last_of(4) + 1, 300).await;
        let after = net.set_of(0, 5).expect("epoch 5's set is chosen");
        assert_eq!(after, vec![0, 1, 2, 4], "the validator that left is out");
        reach(&net, &[0, 1, 2, 4], last_of(5) + 3, 300).await;
        let last_epoch = net.proposers(0, last_of(4) + 1, last_of(5));
        assert!(!last_epoch.contains(&operator(3)), "the validator that left still led blocks");
        net.assert_agreement();
        net.fingerprint()
    })
}

#[test]
fn a_fifth_node_synced_from_a_peers_state_follows_agrees_on_every_later_block_and_restarts() {
    simulate(21, |context| async move {
        let mut net = Net::new(&context, 5, link(20)).await;
        for i in GENESIS {
            net.start(i).await;
        }
        // A candidate, so that the validators serve it blocks.
        net.submit(0, vec![join(4)]);
        reach(&net, &GENESIS, last_of(0) + 5, 120).await;
        let synced_at = net.start_synced(4, 0).await;
        assert!(synced_at > last_of(0), "synced past the first epoch, at {synced_at}");
        reach(&net, &ALL, last_of(2) + 3, 300).await;
        let node = net.node(4).unwrap();
        assert!(node.storage().block(atelier_primitives::Height(1)).unwrap().is_none(), "nothing replayed");
        for height in synced_at + 1..=last_of(2) + 3 {
            let roots = net.roots_at(height);
            assert!(
                roots[4].is_some() && roots.iter().flatten().all(|root| Some(*root) == roots[4]),
                "{height}: {roots:?}"
            );
        }
        // Restarted, it goes on from its own storage.
        net.start(4).await;
        reach(&net, &ALL, last_of(3) + 3, 300).await;
        net.assert_agreement();
    });
}

#[test]
fn a_fifth_validator_follows_joins_at_the_boundary_and_signs_and_one_that_leaves_stops() {
    join_and_leave(12);
}

#[test]
fn a_validator_that_stops_voting_is_jailed_and_once_restarted_catches_up_and_is_chosen_again() {
    simulate(13, |context| async move {
        let mut net = Net::new(&context, 4, link(20)).await;
        for i in GENESIS {
            net.start(i).await;
        }
        reach(&net, &GENESIS, EPOCH_BLOCKS - 6, 120).await;
        net.crash(3);
        net.submit(0, transfers(0));
        // Missing from every view of epoch 1, it is jailed at its end and taken out of epoch 2's
        // set, without being slashed; the three others go on.
        reach(&net, &[0, 1, 2], last_of(2) + 2, 300).await;
        assert_eq!(net.set_of(0, 2), Some(vec![0, 1, 2]), "the silent validator is out of epoch 2");
        assert_eq!(net.bonded(0, 3), support::VALIDATOR_STAKE, "jailed, not slashed");
        // Restarted, it catches up through the boundaries it missed, and is chosen again once its
        // jail is over.
        net.start(3).await;
        reach(&net, &GENESIS, last_of(4) + 3, 300).await;
        assert_eq!(net.set_of(0, 4), Some(GENESIS.to_vec()), "back in the set after its jail");
        let proposers = net.proposers(0, last_of(3) + 1, last_of(4));
        assert!(proposers.contains(&operator(3)), "it leads again in epoch 4: {proposers:?}");
        net.assert_agreement();
        assert_eq!(net.nonce(3, 0), 1, "the restarted validator has the transfer it missed");
    });
}

#[test]
fn an_equivocator_is_left_out_of_the_next_sets_and_the_honest_three_go_on() {
    simulate(14, |context| async move {
        let mut net = Net::new(&context, 4, link(20)).await;
        for i in 0..3 {
            net.start(i).await;
        }
        net.start_byzantine(3).await;
        reach(&net, &[0, 1, 2], last_of(2) + 2, 300).await;
        net.assert_agreement();
        let jailed_from = (1..=3).find(|epoch| net.set_of(0, *epoch).is_some_and(|set| !set.contains(&3)));
        let jailed_from = jailed_from.expect("the equivocator was left out of a set");
        assert_eq!(net.set_of(0, jailed_from), Some(vec![0, 1, 2]));
        assert!(net.bonded(0, 3) < support::VALIDATOR_STAKE, "and slashed");
    });
}

/// In each of five epochs one validator (a different one each time) is faulty for about a third
/// of the epoch: crashed and restarted from its storage in even epochs, cut off from the others and
/// reconnected in odd ones. The other three keep finalizing; all four end on the same blocks.
fn one_faulty_validator_in_every_epoch(seed: u64) -> Vec<(Option<u64>, Option<atelier_primitives::Hash>)> {
    simulate(seed, |context| async move {
        let mut net = Net::new(&context, 4, link(20)).await;
        for i in GENESIS {
            net.start(i).await;
        }
        for epoch in 0..5u64 {
            let faulty = (epoch % 4) as usize;
            let others: Vec<usize> = GENESIS.iter().copied().filter(|i| *i != faulty).collect();
            let first = epoch * EPOCH_BLOCKS;
            reach(&net, &GENESIS, first + 3, 120).await;
            net.submit(others[0], transfers(epoch));
            if epoch % 2 == 0 {
                net.crash(faulty);
            } else {
                net.partition(&[&[faulty], &others]).await;
            }
            reach(&net, &others, first + 10, 120).await;
            if epoch % 2 == 0 {
                net.start(faulty).await;
            } else {
                net.heal().await;
            }
            reach(&net, &GENESIS, first + EPOCH_BLOCKS + 1, 240).await;
        }
        net.assert_agreement();
        for i in GENESIS {
            assert_eq!(net.nonce(i, 0), 5, "validator {i} has every epoch's transfer");
        }
        net.fingerprint()
    })
}

#[test]
fn every_seed_of_the_faulty_validator_sweep_keeps_the_chain_live_in_every_epoch() {
    support::sweep("one_faulty_validator_in_every_epoch", 400, 2, one_faulty_validator_in_every_epoch);
}

#[test]
fn the_same_seed_gives_the_same_run_across_joins_and_leaves() {
    assert_eq!(join_and_leave(21), join_and_leave(21));
}

#[test]
fn every_seed_of_the_epoch_sweep_keeps_agreement_through_joins_and_leaves() {
    support::sweep("join_and_leave", 300, 2, join_and_leave);
}
