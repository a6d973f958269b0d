//! `atelier config set node URL` makes every command talk to that node, unless a flag or
//! `ATELIER_NODE` says otherwise.

use std::process::Command;

#[test]
fn the_configured_node_is_used_unless_a_flag_names_another() {
    let dir = tempfile::tempdir().unwrap();
    let atelier = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_atelier"));
        command.env("ATELIER_CONFIG", dir.path().join("client.toml")).env_remove("ATELIER_NODE");
        command
    };
    let set = atelier().args(["config", "set", "node", "http://127.0.0.1:9"]).output().unwrap();
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    let configured = atelier().args(["query", "status"]).output().unwrap();
    assert!(String::from_utf8_lossy(&configured.stderr).contains("http://127.0.0.1:9/status"));
    let flagged = atelier().args(["--node", "http://127.0.0.1:10", "query", "status"]).output().unwrap();
    assert!(String::from_utf8_lossy(&flagged.stderr).contains("http://127.0.0.1:10/status"));
    let shown = atelier().args(["--output", "json", "config", "show"]).output().unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["settings"]["node"], "http://127.0.0.1:9");
}
