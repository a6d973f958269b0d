//! Reproducibility: the same seed twice gives identical CSVs and state roots; one thread and two
//! give identical results; a manifest replays to its root; every block keeps the protocol's
//! invariants (the scenarios check them after each block).

use std::{fs, path::Path};

use atelier_sim::{Batch, BatchError, Sweep, replay, run};
use parquet::file::reader::{FileReader, SerializedFileReader};

fn scenario(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name);
    fs::read_to_string(path).unwrap()
}

fn batch(out: &Path, threads: usize, sweeps: Vec<Sweep>) -> Batch {
    Batch {
        runs: Some(2),
        seed: Some(42),
        sweeps,
        threads,
        progress_on_stderr: false,
        ..Batch::new(scenario("demand-spike.toml"), out.to_path_buf())
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
    assert_eq!(
        files_a.len(),
        5 + 2 * 2 * 2,
        "scenario, summary, report, the tidy CSV and Parquet, and a CSV and a manifest per run"
    );
    assert_eq!(files_a, files_b, "the report too, whatever order the runs finished in");
    assert!(first.points.iter().all(|p| p.failed == 0 && p.completed == 2), "{first:?}");
    let metric = |name: &str| first.points[0].metrics.iter().find(|m| m.metric == name).unwrap().clone();
    let (gas, burned, price) = (metric("gas_used"), metric("burned"), metric("price"));
    assert_eq!((gas.unit.as_str(), gas.statistic.as_str()), ("gas", "mean per block"));
    assert_eq!(serde_json::to_value(gas.basis).unwrap(), "in_block");
    assert_eq!(
        (burned.unit.as_str(), serde_json::to_value(burned.basis).unwrap()),
        ("ugdc", "since_genesis".into())
    );
    assert_eq!(
        (price.statistic.as_str(), serde_json::to_value(price.basis).unwrap()),
        ("final value", "at_block".into())
    );
    assert!(first.points[0].metrics.iter().all(|m| !m.unit.is_empty()), "every metric says its unit");
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
fn the_report_is_one_file_of_real_text_with_its_charts_data_and_only_the_sections_with_something_to_show() {
    let dir = tempfile::tempdir().unwrap();
    run(&batch(dir.path(), 2, short())).unwrap();
    let report = fs::read_to_string(dir.path().join("report.html")).unwrap();
    for section in [
        "What to see first",
        "Fees",
        "Utilisation",
        "Treasury, reserve and runway",
        "Market price against the floor bands",
        "Royalty and fee flows by role",
    ] {
        assert!(report.contains(&format!("<h2>{section}</h2>")), "{section}");
    }
    assert!(!report.contains("<h2>Attacker PnL</h2>"), "no attacker section without attackers");
    assert!(!report.contains("<h2>Governance</h2>"), "no governance section without voters");
    assert!(report.contains("class=\"left-out\""), "what was left out is said");
    for check in
        ["treasury GDC does not drain", "every invariant held in every block", "stake is not concentrated"]
    {
        assert!(report.contains(check), "{check}");
    }
    assert!(!report.contains("the attack does not pay"), "no attack bound without attackers");
    let figures = report.matches("<figure class=\"chart\"").count();
    let data = report.split("id=\"report-data\">").nth(1).unwrap().split("</script>").next().unwrap();
    let charts: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(charts.as_array().unwrap().len(), figures, "a chart's data per figure");
    assert!(figures >= 10, "{figures} charts");
    assert!(report.contains("uPlot"), "the charting library is inlined");
    assert!(!report.contains("<script src") && !report.contains("<link"), "one self-contained file");
    assert!(report.contains("shocks.0.at=20") && !report.contains("blocks=40</"), "legends name what varies");
}

#[test]
fn the_tidy_table_holds_every_run_s_rows_with_its_point_and_swept_values_in_csv_and_parquet() {
    let dir = tempfile::tempdir().unwrap();
    run(&batch(dir.path(), 2, short())).unwrap();
    let tidy = fs::read_to_string(dir.path().join("runs.csv")).unwrap();
    let mut lines = tidy.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("point,run,blocks,shocks.0.at,block,gas_used,"), "{header}");
    let mut expected = Vec::new();
    for (point, at) in [(0, 20), (1, 30)] {
        for run in 0..2 {
            let csv = fs::read_to_string(dir.path().join(format!("point-{point}/run-{run}.csv"))).unwrap();
            expected.extend(csv.lines().skip(1).map(|line| format!("{point},{run},40,{at},{line}")));
        }
    }
    assert_eq!(
        lines.map(str::to_string).collect::<Vec<_>>(),
        expected,
        "every row, in (point, run, block) order"
    );

    let reader = SerializedFileReader::new(fs::File::open(dir.path().join("runs.parquet")).unwrap()).unwrap();
    let metadata = reader.metadata();
    assert_eq!(metadata.file_metadata().num_rows(), 2 * 2 * 40);
    let columns: Vec<String> =
        metadata.file_metadata().schema_descr().columns().iter().map(|c| c.name().to_string()).collect();
    assert_eq!(columns.join(","), header, "the same columns as the CSV");
    let rows: Vec<String> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap().get_column_iter().map(|(_, field)| field.to_string()).collect::<Vec<_>>().join(",")
        })
        .collect();
    assert_eq!(rows, expected, "the same values, as 64-bit integers");
}

#[test]
fn a_batch_of_one_point_runs_it_exactly_as_the_whole_batch_does() {
    let (whole, one) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let all = run(&batch(whole.path(), 2, short())).unwrap();
    let only = run(&Batch { only_points: Some(vec![1]), ..batch(one.path(), 2, short()) }).unwrap();
    assert_eq!(only.points, vec![all.points[1].clone()]);
    for file in ["point-1/run-0.csv", "point-1/run-1.csv", "point-1/run-1.json"] {
        assert_eq!(
            fs::read(whole.path().join(file)).unwrap(),
            fs::read(one.path().join(file)).unwrap(),
            "{file}"
        );
    }
    assert!(!one.path().join("point-0").exists());

    let error = run(&Batch { only_points: Some(vec![2]), ..batch(one.path(), 2, short()) }).unwrap_err();
    assert!(matches!(error, BatchError::NoSuchPoint { point: 2, points: 2 }), "{error}");
}

#[test]
fn a_batch_asked_to_stop_stops_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let stopped = batch(dir.path(), 2, short());
    stopped.monitor.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(matches!(run(&stopped), Err(BatchError::Stopped)));
    assert!(!dir.path().join("summary.json").exists(), "no summary of runs that did not run");
}
