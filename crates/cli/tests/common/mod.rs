//! What the binary's end-to-end tests share: a node started as a user starts it.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

/// Starts `atelier --output json node ARGS` and waits for its start-up banner (the JSON it prints
/// once it serves), which it returns with the running process. Its log goes to `log`, if given.
pub(crate) fn start_node(args: &[&str], log: Option<&std::path::Path>) -> (Child, serde_json::Value) {
    let stderr = match log {
        Some(path) => Stdio::from(std::fs::File::create(path).unwrap()),
        None => Stdio::null(),
    };
    let mut node = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["--output", "json", "node"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut banner = String::new();
    for line in BufReader::new(node.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        banner.push_str(&line);
        if line == "}" {
            break;
        }
    }
    let banner = serde_json::from_str(&banner).unwrap_or_else(|e| panic!("no banner ({e}): {banner}"));
    (node, banner)
}

/// Stops a node as a user's Ctrl-C or service manager would (SIGTERM) and waits for it to exit.
#[allow(dead_code, reason = "each test binary compiles this module; some stop their nodes otherwise")]
pub(crate) fn stop_node(node: &mut Child) {
    let _ = Command::new("kill").args(["-TERM", &node.id().to_string()]).status();
    node.wait().unwrap();
}
