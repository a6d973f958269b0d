"""Atelier's economic simulator, from Python.

``atelier_sim.run`` runs a scenario's Monte Carlo runs and parameter sweeps through the protocol's
own block execution (the same code, files and bytes as ``atelier sim run``) and returns every
block of every run as one long pandas DataFrame — columns ``point``, ``run``, one per swept
parameter, ``block`` and every metric — with the batch's summary::

    import atelier_sim
    results = atelier_sim.run("scenarios/cadcad-parity.toml", runs=10, seed=7,
                              sweep={"genesis.cushion_bps": [500, 1000, 2000]})
    results.frame.groupby(["genesis.cushion_bps", "block"])["price"].mean()

A sweep's points can run on a Dask cluster (``cluster=client``), and a scenario's ``custom``
populations act by Python callables (``agents={name: callable}``); see ``run``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Union

import pandas as pd

from . import _native, msgs
from ._native import VERSION, ScenarioError

__all__ = ["Results", "ScenarioError", "VERSION", "run", "points", "metrics", "msgs"]
__version__ = VERSION

Scenario = Union[str, os.PathLike, Mapping[str, Any]]
Sweeps = Mapping[str, Union[Iterable[Any], Any]]
Agents = Mapping[str, Callable[[dict], Iterable[tuple[int, Union[dict, str]]]]]


@dataclasses.dataclass
class Results:
    """What a batch produced.

    ``frame``: one row per (point, run, block), in that order. ``summary``: ``summary.json``
    (per point: its overrides, runs completed and failed, and each metric's final value's mean,
    p5 and p95 across runs). ``out``: the folder holding the batch's files (the CLI's: per-run
    CSVs and manifests, ``runs.csv``, ``runs.parquet``, ``summary.json``, ``report.html``), or
    ``None`` when they were written to a temporary folder and removed.
    """

    frame: pd.DataFrame
    summary: dict
    out: pathlib.Path | None

    def __iter__(self):
        """``frame, summary = atelier_sim.run(...)``."""
        yield self.frame
        yield self.summary


def scenario_text(scenario: Scenario) -> str:
    """The TOML text of a scenario given as a path, a TOML string or a dict."""
    if isinstance(scenario, Mapping):
        return _native.toml_of_json(json.dumps(scenario))
    if isinstance(scenario, os.PathLike):
        return pathlib.Path(scenario).read_text()
    if isinstance(scenario, str):
        if "\n" not in scenario and "=" not in scenario:
            return pathlib.Path(scenario).read_text()
        return scenario
    raise TypeError(f"a scenario is a path, a TOML string or a dict, not {type(scenario).__name__}")


def _value(value: Any) -> str:
    """A swept value as the scenario's TOML spells it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _sweeps(sweeps: Sweeps | None) -> list[tuple[str, list[str]]]:
    if not sweeps:
        return []
    pairs = []
    for key, values in sweeps.items():
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            values = [values]
        values = [_value(v) for v in values]
        if not values:
            raise ScenarioError(f"sweep {key}: no values")
        pairs.append((str(key), values))
    return pairs


def points(sweep: Sweeps | None = None, zip: Sweeps | None = None) -> list[dict[str, str]]:
    """Each sweep point's overrides, in the batch's order (zipped sweeps move together; the rest
    combine as a cartesian product)."""
    return [dict(p) for p in _native.points(_sweeps(sweep), _sweeps(zip))]


def metrics() -> list[str]:
    """The metric columns, in order (each is an integer; see the README's "Simulator")."""
    return list(_native.METRICS)


def _progress_bar(progress: bool | Callable[[int, int, int, int], None], unit: str = "block"):
    """A progress callable and what closes it: tqdm's (a widget in notebooks, a bar on a
    terminal) for ``True``, the caller's own, or none."""
    if progress is False or progress is None:
        return None, lambda: None
    if callable(progress):
        return progress, lambda: None
    from tqdm.auto import tqdm

    bar = tqdm(total=0, unit=unit, unit_scale=True, desc="atelier_sim")

    def update(blocks: int, blocks_total: int, runs: int, runs_total: int) -> None:
        if bar.total != blocks_total:
            bar.total = blocks_total
        bar.update(blocks - bar.n)
        bar.set_postfix_str(f"{runs}/{runs_total} runs", refresh=False)

    return update, bar.close


def _batch(
    text: str, out: pathlib.Path | None, *, progress=None, **batch
) -> tuple[pd.DataFrame, dict, pathlib.Path | None]:
    """Runs the batch into `out` (a temporary folder, removed, if None): its rows, its summary
    and the folder kept."""
    folder = out if out is not None else pathlib.Path(tempfile.mkdtemp(prefix="atelier-sim-"))
    callback, close = _progress_bar(progress)
    try:
        summary = _native.run(text, str(folder), progress=callback, **batch)
        return pd.read_parquet(folder / "runs.parquet"), json.loads(summary), out
    finally:
        close()
        if out is None:
            shutil.rmtree(folder, ignore_errors=True)


def run(
    scenario: Scenario,
    *,
    runs: int | None = None,
    seed: int | None = None,
    sweep: Sweeps | None = None,
    zip: Sweeps | None = None,
    threads: int | None = None,
    out: str | os.PathLike | None = None,
    progress: bool | Callable[[int, int, int, int], None] = True,
    cluster: Any = None,
    agents: Agents | None = None,
) -> Results:
    """Runs a scenario's Monte Carlo runs over its sweep points; returns every block of every run.

    scenario: a path to a TOML scenario (``scenarios/baseline.toml``), the TOML text, or a dict.
    runs, seed: override the scenario's. sweep: ``{dotted path: values}``, combined as a
    cartesian product; zip: ``{dotted path: values}`` that move together (as many values each).
    threads: worker threads (every core by default). out: a folder to keep the batch's files in
    (the same bytes ``atelier sim run`` writes for the same arguments); a temporary one otherwise.
    progress: a bar (``True``), none, or ``callable(blocks, blocks_total, runs, runs_total)``.
    cluster: a ``dask.distributed.Client``: each sweep point runs as one task on a worker (which
    needs this package installed) and the result equals the local run's.
    agents: the policies of the scenario's ``custom`` populations (``kind = "custom"``, ``count``,
    ``policy = "name"``), ``{name: callable}``. Each block after the three setup blocks, the
    callable gets a dict — ``block``, ``point``, ``run``, ``seed`` (for its own randomness, so the
    run stays reproducible), ``metrics`` (the last block's row) and ``agents`` (each one's
    ``rank``, ``address``, ``ugdc`` and ``uusd``) — and returns ``(rank, message)`` pairs, each
    message a dict as ``atelier_sim.msgs`` builds them; they are sent as that agent's
    transactions, which the protocol accepts or refuses as anyone's. An exception in it stops the
    batch and is raised here.

    Raises ``ScenarioError`` for an invalid scenario, sweep or override, ``OSError`` when the
    files cannot be written, ``KeyboardInterrupt`` when interrupted (the runs stop after the
    block under way).
    """
    text = scenario_text(scenario)
    _native.check(text)
    sweeps, zipped = _sweeps(sweep), _sweeps(zip)
    policies = list(agents.items()) if agents else None
    threads = threads or os.cpu_count() or 1
    if cluster is not None:
        if out is not None:
            raise ValueError(
                "out= is not available with cluster=: each point's files stay on its worker; "
                "save results.frame (to_parquet) and results.summary instead"
            )
        return _run_on(cluster, text, runs, seed, sweeps, zipped, policies, progress)
    frame, summary, kept = _batch(
        text,
        pathlib.Path(out) if out is not None else None,
        progress=progress,
        runs=runs,
        seed=seed,
        sweeps=sweeps,
        zipped=zipped,
        threads=threads,
        agents=policies,
    )
    return Results(frame=frame, summary=summary, out=kept)


def run_point(
    text: str,
    point: int,
    runs: int | None,
    seed: int | None,
    sweeps: list[tuple[str, list[str]]],
    zipped: list[tuple[str, list[str]]],
    policies: list[tuple[str, Callable]] | None = None,
) -> tuple[pd.DataFrame, dict]:
    """One sweep point's runs, self-contained (a Dask task): its rows and its summary."""
    frame, summary, _ = _batch(
        text, None, runs=runs, seed=seed, sweeps=sweeps, zipped=zipped, threads=1, points=[point], agents=policies
    )
    return frame, summary


def _run_on(cluster, text, runs, seed, sweeps, zipped, policies, progress) -> Results:
    count = len(_native.points(sweeps, zipped))
    futures = [
        cluster.submit(run_point, text, point, runs, seed, sweeps, zipped, policies, pure=False)
        for point in range(count)
    ]
    callback, close = _progress_bar(progress, unit="point")
    try:
        results = []
        for done, future in enumerate(futures, start=1):
            results.append(future.result())
            if callback is not None:
                callback(done, count, done, count)
    except BaseException:
        cluster.cancel(futures)
        raise
    finally:
        close()
    frame = pd.concat([f for f, _ in results], ignore_index=True)
    first = results[0][1]
    summary = {**first, "points": [p for _, s in results for p in s["points"]]}
    return Results(frame=frame, summary=summary, out=None)
