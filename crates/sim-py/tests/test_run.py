"""atelier_sim.run: the same batch as the CLI, as a DataFrame."""

import os
import pathlib
import subprocess
import tomllib

import pandas as pd
import pytest

import atelier_sim
from conftest import PARITY, ROOT


def cli():
    """The `atelier` binary the workspace built (ATELIER_BIN, else target/debug, else release)."""
    for candidate in [os.environ.get("ATELIER_BIN"), ROOT / "target/debug/atelier", ROOT / "target/release/atelier"]:
        if candidate and pathlib.Path(candidate).is_file():
            return str(candidate)
    pytest.fail("no atelier binary: run `cargo build -p atelier-cli` first (or set ATELIER_BIN)")


def files(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_seed_twice_gives_identical_frames(parity):
    first = atelier_sim.run(parity(), runs=2, seed=7, threads=2, progress=False)
    second = atelier_sim.run(parity(), runs=2, seed=7, threads=1, progress=False)
    pd.testing.assert_frame_equal(first.frame, second.frame)
    assert first.summary == second.summary
    other = atelier_sim.run(parity(), runs=2, seed=8, progress=False)
    assert not other.frame.equals(first.frame), "another seed, another run"


def test_the_frame_is_long_with_point_run_swept_parameters_block_and_every_metric(parity):
    results = atelier_sim.run(
        parity(40), runs=2, seed=1, sweep={"genesis.cushion_bps": [2000, 500]}, progress=False
    )
    frame = results.frame
    assert list(frame.columns) == ["point", "run", "genesis.cushion_bps", "block", *atelier_sim.metrics()]
    assert len(frame) == 2 * 2 * 40
    assert (frame.dtypes == "int64").all(), frame.dtypes[frame.dtypes != "int64"]
    assert frame.groupby(["point", "run"]).size().eq(40).all()
    assert frame.drop_duplicates("point")["genesis.cushion_bps"].tolist() == [2000, 500]
    assert [p["overrides"] for p in results.summary["points"]] == [
        [["genesis.cushion_bps", "2000"]],
        [["genesis.cushion_bps", "500"]],
    ]
    assert results.out is None, "a temporary folder, removed"
    frame_, summary = results
    assert frame_ is frame and summary is results.summary


def test_zipped_sweeps_move_together_and_each_gets_a_column(parity):
    results = atelier_sim.run(
        parity(20),
        runs=1,
        sweep={"genesis.epoch_blocks": [10, 20]},
        zip={"genesis.cushion_bps": [500, 1000], "genesis.wall_bps": [1500, 2000]},
        progress=False,
    )
    firsts = results.frame.drop_duplicates("point")
    assert firsts[["genesis.cushion_bps", "genesis.wall_bps", "genesis.epoch_blocks"]].values.tolist() == [
        [500, 1500, 10],
        [500, 1500, 20],
        [1000, 2000, 10],
        [1000, 2000, 20],
    ]
    assert atelier_sim.points(sweep={"a": [1, 2]}, zip={"b": [True, False]}) == [
        {"b": "true", "a": "1"},
        {"b": "true", "a": "2"},
        {"b": "false", "a": "1"},
        {"b": "false", "a": "2"},
    ]


def test_a_scenario_reads_the_same_from_a_path_a_toml_string_or_a_dict(tmp_path, parity):
    text = PARITY.read_text().replace("blocks = 1000", "blocks = 30")
    path = tmp_path / "short.toml"
    path.write_text(text)
    frames = [
        atelier_sim.run(given, runs=1, progress=False).frame
        for given in [path, str(path), text, tomllib.loads(text)]
    ]
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frames[0], frame)


def test_the_frame_and_the_files_are_the_cli_s_for_the_same_arguments(tmp_path, parity):
    ours, theirs = tmp_path / "python", tmp_path / "cli"
    sweep = {"genesis.cushion_bps": [1000, 0]}
    short = tmp_path / "short.toml"
    short.write_text(PARITY.read_text().replace("blocks = 1000", "blocks = 50"))
    results = atelier_sim.run(short, runs=2, seed=3, sweep=sweep, out=ours, progress=False)
    subprocess.run(
        [cli(), "sim", "run", str(short), "--runs", "2", "--seed", "3", "--sweep", "genesis.cushion_bps=1000,0",
         "--out", str(theirs)],
        check=True,
        capture_output=True,
    )
    assert files(ours) == files(theirs), "every file, byte for byte"
    assert results.out == ours
    for point, cushion in enumerate([1000, 0]):
        for run in range(2):
            csv = pd.read_csv(theirs / f"point-{point}" / f"run-{run}.csv")
            rows = results.frame.query("point == @point and run == @run")
            assert (rows["genesis.cushion_bps"] == cushion).all()
            pd.testing.assert_frame_equal(
                rows.drop(columns=["point", "run", "genesis.cushion_bps"]).reset_index(drop=True), csv
            )


def test_an_invalid_scenario_sweep_or_point_is_refused_with_a_scenario_error(tmp_path, parity):
    with pytest.raises(atelier_sim.ScenarioError, match="blocks must be between"):
        atelier_sim.run({**parity(), "blocks": 0}, out=tmp_path / "never", progress=False)
    assert not (tmp_path / "never").exists(), "nothing written"
    with pytest.raises(atelier_sim.ScenarioError, match="no_such_key"):
        atelier_sim.run(parity(10), sweep={"no_such_key": [1]}, progress=False)
    with pytest.raises(atelier_sim.ScenarioError, match="as many values"):
        atelier_sim.run(parity(10), zip={"genesis.cushion_bps": [1, 2], "genesis.wall_bps": [3]}, progress=False)
    with pytest.raises(FileNotFoundError):
        atelier_sim.run("scenarios/no-such-scenario.toml", progress=False)
    with pytest.raises(TypeError):
        atelier_sim.run(42, progress=False)


def test_progress_is_reported_up_to_every_block_of_every_run(parity):
    calls = []
    atelier_sim.run(parity(50), runs=3, progress=lambda *counts: calls.append(counts))
    assert calls, "reported at least once"
    assert calls[-1] == (150, 150, 3, 3)
    blocks = [c[0] for c in calls]
    assert blocks == sorted(blocks)


def test_an_error_in_the_progress_callable_stops_the_batch_and_is_raised(parity):
    def fail(*_):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        atelier_sim.run(parity(2000), runs=4, threads=1, progress=fail)
