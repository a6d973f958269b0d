//! The README's walkthrough runs verbatim: every `sh` block from `## Walkthrough` to
//! `## Simulator`, in order, in one bash session with `set -e`, against a dev node that mines a
//! block every 100 ms, with the dev economy (models, provider and verifier daemons). Lines that build or start a node
//! (`cargo …`, `atelier node …`) are the reader's: the harness runs the node itself.

mod common;

use std::{path::Path, process::Command};

/// The shell blocks of the walkthrough sections, in order.
fn walkthrough(readme: &str) -> Vec<String> {
    let start = readme.find("\n## Walkthrough").expect("a walkthrough section");
    let end = readme[start..].find("\n## Simulator").map_or(readme.len(), |end| start + end);
    let mut blocks = Vec::new();
    let mut lines = readme[start..end].lines();
    while let Some(line) = lines.next() {
        if line.trim() == "```sh" {
            let block: Vec<&str> = lines.by_ref().take_while(|line| line.trim() != "```").collect();
            blocks.push(block.join("\n"));
        }
    }
    blocks
}

#[test]
fn the_readme_walkthrough_runs_verbatim_against_a_dev_node() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    let blocks = walkthrough(&readme);
    assert!(blocks.len() >= 7, "the walkthrough's blocks: {}", blocks.len());

    let work = tempfile::tempdir().unwrap();
    // The reader works in a clone: paths into the repository resolve as there.
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::os::unix::fs::symlink(&crates, work.path().join("crates")).unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_atelier"));
    let (mut node, banner) =
        common::start_node(&["--dev", "--api-addr", "127.0.0.1:0", "--block-time-ms", "100"], None);
    let api = banner["api_url"].as_str().unwrap().to_string();

    // The reader's lines that build or start a node do nothing here; everything else runs as written.
    let prelude = r#"set -euo pipefail
cargo() { :; }
atelier() { if [ "$1" = node ]; then return 0; fi; command atelier "$@"; }
"#;
    let mut script = String::from(prelude);
    for (index, block) in blocks.iter().enumerate() {
        script.push_str(&format!("echo '--- block {index}' >&2\n{block}\n"));
    }
    let path =
        format!("{}:{}", binary.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let run = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(work.path())
        .env("PATH", path)
        .env("HOME", work.path())
        .env("ATELIER_NODE", &api)
        .env("ATELIER_KEYRING", work.path().join("keys"))
        .env("ATELIER_PASSWORD", "walkthrough password")
        .output()
        .unwrap();
    common::stop_node(&mut node);
    let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "the walkthrough failed:\n{stderr}\n--- stdout:\n{stdout}");

    // Alice got 5 GDC and sent 0.5 GDC plus fees: shown in GDC with its decimals.
    assert!(
        stdout.lines().any(|line| line.trim().starts_with("4.49") && line.trim().ends_with(" GDC")),
        "alice's balance in GDC:\n{stdout}"
    );
    // A transaction that fails stops the script (the CLI exits non-zero); what the walkthrough
    // says the queries show, they show.
    assert!(stdout.contains("a valid genesis for gallery-1"), "no valid genesis in:\n{stdout}");
    assert!(stdout.contains("the same bytes"), "the prompt's PNG is what the model renders:\n{stdout}");
    assert!(stdout.contains("asset 1 is yours"), "the prompt names its asset:\n{stdout}");
    for (field, value) in
        [("status", "settled"), ("status", "executed"), ("value", "1000000000000"), ("status", "upheld")]
    {
        let shown = stdout.lines().any(|line| line.split_whitespace().eq([field, value]));
        assert!(shown, "no field {field} showing {value} in:\n{stdout}");
    }
}
