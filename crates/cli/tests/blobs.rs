//! `atelier blob put|get` through the binary against a dev node: a file goes in under its hash
//! and comes back checked; a wrong declared hash and an unknown blob are clear errors.

mod common;

use std::process::{Command, Output};

fn atelier(api: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["--node", api, "--output", "json"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_file_put_in_the_blob_store_comes_back_checked_under_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "0"], None);
    let api = banner["api_url"].as_str().unwrap().to_owned();
    let file = dir.path().join("prompt.txt");
    std::fs::write(&file, "a red fox in the snow").unwrap();

    let put = atelier(&api, &["blob", "put", file.to_str().unwrap()]);
    assert!(put.status.success(), "{}", String::from_utf8_lossy(&put.stderr));
    let stored: serde_json::Value = serde_json::from_slice(&put.stdout).unwrap();
    let hash = stored["hash"].as_str().unwrap().to_owned();
    assert_eq!(hash, atelier_primitives::Hash::blob(b"a red fox in the snow").to_hex());
    assert_eq!(stored["content_type"], "text/plain; charset=utf-8");

    let out = dir.path().join("back.txt");
    let get = atelier(&api, &["blob", "get", &hash, "--out", out.to_str().unwrap()]);
    assert!(get.status.success(), "{}", String::from_utf8_lossy(&get.stderr));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "a red fox in the snow");

    let wrong = atelier_primitives::Hash::blob(b"another prompt").to_hex();
    let refused = atelier(&api, &["blob", "put", file.to_str().unwrap(), "--hash", &wrong]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("hash_mismatch"));
    let missing = atelier(&api, &["blob", "get", &wrong, "--out", out.to_str().unwrap()]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("holds no blob"));
    common::stop_node(&mut node);
}
