//! Four validators running the real node and protocol, ordered by simplex, in Commonware's
//! deterministic runtime: all online, one crashed and restarted, a 2|2 partition healed, one
//! byzantine. After each, every validator at the same height has the same state root; the same
//! seed twice gives the same run.

mod support;

use std::time::Duration;

use support::{Net, link, simulate, transfers};

#[test]
fn four_validators_finalize_the_same_blocks_with_the_same_roots() {
    let fingerprint = simulate(1, |context| async move {
        let mut net = Net::new(&context, 4, link(20)).await;
        for i in 0..4 {
            net.start(i).await;
        }
        for round in 0..3 {
            for i in 0..4 {
                net.submit(i, transfers(round));
            }
            assert!(
                net.wait_for(&[0, 1, 2, 3], 5 * (round + 1), Duration::from_secs(60)).await,
                "{:?}",
                net.heights()
            );
        }
        let height = net.assert_agreement();
        assert!(height >= 15);
        // Every round of transfers was included: each dev account sent three.
        for i in 0..4 {
            for account in 0..support::ACCOUNTS {
                assert_eq!(net.nonce(i, account), 3, "validator {i}, account {account}");
            }
        }
        net.fingerprint()
    });
    println!("{fingerprint:?}");
}
