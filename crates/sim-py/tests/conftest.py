"""Shared by the suite: the repository's root and the parity economy, shortened."""

import pathlib
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
PARITY = ROOT / "scenarios" / "cadcad-parity.toml"


@pytest.fixture
def parity():
    """`parity(blocks)`: the cadcad-parity scenario as a dict, `blocks` long."""

    def shortened(blocks=60):
        scenario = tomllib.loads(PARITY.read_text())
        scenario["blocks"] = blocks
        return scenario

    return shortened
