//! Reproducibility: the same seed twice gives identical CSVs and state roots; one thread and two
//! give identical results; a manifest replays to its root; every block keeps the protocol's
//! invariants (the scenarios check them after each block).

use std::{fs, path::Path};

use atelier_sim::{Batch, Sweep, replay, run};

fn scenario(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name);
    fs::read_to_string(path).unwrap()
}

fn batch(out: &Path, threads: usize, sweeps: Vec<Sweep>) -> Batch {
    Batch {
        scenario: scenario("demand-spike.toml"),
        runs: Some(2),
        seed: Some(42),
        sweeps,
        zipped: Vec::new(),
        out: out.to_path_buf(),
        threads,
    }
}

fn short() -> Vec<Sweep> {
    vec!["blocks=40".parse().unwrap(), "shocks.0.at=20,30".parse().unwrap()]
}

/// Every file of a batch folder, by relative path.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            for (name, bytes) in files(&path) {
                all.push((format!("{}/{name}", path.file_name().unwrap().to_string_lossy()), bytes));
            }
        } else {
            all.push((path.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&path).unwrap()));
        }
    }
    all.sort();
    all
}

#[test]
fn the_same_seed_gives_identical_csvs_and_roots_on_one_thread_or_two() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = run(&batch(a.path(), 1, short())).unwrap();
    let second = run(&batch(b.path(), 2, short())).unwrap();
    assert_eq!(first, second);
    let (files_a, files_b) = (files(a.path()), files(b.path()));
    assert_eq!(files_a.len(), 3 + 2 * 2 * 2, "scenario, summary, report, and a CSV and a manifest per run");
    assert_eq!(files_a, files_b, "the report too, whatever order the runs finished in");
    assert!(first.points.iter().all(|p| p.failed == 0 && p.completed == 2), "{first:?}");
    let csv =
        String::from_utf8(files_a.iter().find(|(n, _)| n == "point-0/run-0.csv").unwrap().1.clone()).unwrap();
    assert_eq!(csv.lines().count(), 1 + 40, "a header and a row per block");
    let settled: u64 = csv.lines().last().unwrap().split(',').nth(8).unwrap().parse().unwrap();
    assert!(settled > 10, "jobs were served: {settled}");
}

#[test]
fn a_different_seed_gives_a_different_run_and_a_manifest_replays_to_its_root() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run(&batch(a.path(), 2, short())).unwrap();
    let mut other = batch(b.path(), 2, short());
    other.seed = Some(43);
    run(&other).unwrap();
    let manifest = |dir: &Path| fs::read_to_string(dir.join("point-1/run-1.json")).unwrap();
    assert_ne!(manifest(a.path()), manifest(b.path()));
    let (recorded, root) = replay(&a.path().join("point-1/run-1.json")).unwrap();
    assert_eq!(root, recorded.final_state_root);
    assert_eq!(recorded.overrides, vec![("blocks".into(), "40".into()), ("shocks.0.at".into(), "30".into())]);
    assert!(recorded.error.is_none());
}

#[test]
fn the_report_draws_every_section_as_svg_without_fonts() {
    let dir = tempfile::tempdir().unwrap();
    run(&batch(dir.path(), 2, short())).unwrap();
    let report = fs::read_to_string(dir.path().join("report.html")).unwrap();
    for section in [
        "Fees",
        "Utilisation",
        "Treasury, reserve and runway",
        "Market price against the floor bands",
        "Buy-backs",
        "Reputation",
        "Royalty and fee flows by role",
        "Attacker PnL",
    ] {
        assert!(report.contains(&format!("<h2>{section}</h2>")), "{section}");
    }
    let svgs = report.matches("<svg").count();
    assert!(svgs >= 18, "{svgs} charts");
    assert_eq!(svgs, report.matches("</svg>").count());
    let charts: String = report.split("<svg").skip(1).collect();
    assert!(!charts.contains("<text") && !charts.contains("font"), "labels are strokes");
}
