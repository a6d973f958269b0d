//! `atelier sim run` and `atelier sim replay` as the README runs them: a scenario with a sweep and
//! a zipped pair writes its folder and reports in JSON, and a run's manifest replays to the same
//! state root; a bad sweep is refused with a clear error.

use std::{path::Path, process::Command};

fn atelier() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_atelier"));
    command.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."));
    command
}

#[test]
fn a_swept_run_writes_its_folder_and_a_manifest_replays_to_its_root() {
    let out = tempfile::tempdir().unwrap();
    let run = atelier()
        .args(["--output", "json", "sim", "run", "scenarios/baseline.toml", "--runs", "1", "--threads", "2"])
        .args(["--sweep", "blocks=12", "--zip", "seed=3,4", "--zip", "agents.0.demand=0.1,0.3", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["points"], 2, "two zipped steps: {report}");
    assert_eq!(report["failed"], 0);
    assert!(report["time_split"]["protocol"].as_f64().unwrap() > 0.0);
    for file in ["scenario.toml", "summary.json", "report.html", "point-1/run-0.csv"] {
        assert!(out.path().join(file).exists(), "{file}");
    }
    let replay = atelier()
        .args(["--output", "json", "sim", "replay"])
        .arg(out.path().join("point-1/run-0.json"))
        .output()
        .unwrap();
    assert!(replay.status.success(), "{}", String::from_utf8_lossy(&replay.stderr));
    let replayed: serde_json::Value = serde_json::from_slice(&replay.stdout).unwrap();
    assert_eq!(replayed["identical"], true, "{replayed}");
}

#[test]
fn zipped_sweeps_of_different_lengths_are_refused_with_the_reason() {
    let out = tempfile::tempdir().unwrap();
    let run = atelier()
        .args(["sim", "run", "scenarios/baseline.toml", "--zip", "seed=1,2", "--zip", "blocks=5", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("as many values"), "{stderr}");
}
