//! SIGTERM and SIGINT stop a dev node cleanly: it exits successfully, and its temporary home with
//! the database in it is gone.

mod common;

use std::{
    process::Command,
    time::{Duration, Instant},
};

fn stops_cleanly_on(signal: &str) {
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "50"], None);
    let home = std::path::PathBuf::from(banner["home"].as_str().unwrap());
    assert!(home.join("data").exists(), "the temporary home holds the database");
    // Let a few blocks go by, so that one may be in progress when the signal comes.
    std::thread::sleep(Duration::from_millis(300));
    let kill = Command::new("kill").args([signal, &node.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the node did not stop on {signal}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{signal}: {status:?}");
    assert!(!home.exists(), "{signal}: the temporary home {} was removed", home.display());
}

#[test]
fn sigterm_stops_a_dev_node_cleanly_and_removes_its_temporary_home() {
    stops_cleanly_on("-TERM");
}

#[test]
fn sigint_stops_a_dev_node_cleanly_and_removes_its_temporary_home() {
    stops_cleanly_on("-INT");
}
