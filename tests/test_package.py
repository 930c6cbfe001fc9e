"""The package as a user meets it: its public names, listed and importable."""

from __future__ import annotations

import subprocess
import sys

import sim

PUBLIC = {"load_scenario", "run", "run_sweep", "calibrate", "Result", "SimError", "ScenarioError"}


def test_dir_lists_the_lazily_imported_public_names() -> None:
    assert set(dir(sim)) >= PUBLIC
    assert set(sim.__all__) >= PUBLIC
    assert not [n for n in dir(sim) if not n.startswith("__") and n not in sim.__all__]


def test_every_name_of_all_resolves() -> None:
    for name in sim.__all__:
        assert getattr(sim, name) is not None, name
    assert sim.run.__module__ == "sim.api"
    assert sim.Result.__module__ == "sim.results"


def test_star_import_gives_exactly_all() -> None:
    code = "from sim import *; import sim; print(sorted(set(sim.__all__) - set(dir())))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
