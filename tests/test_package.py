"""The package as a user meets it: its public names, listed and importable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_a_script_beside_a_folder_named_sim_imports_this_package(tmp_path: Path) -> None:
    """An empty ``sim/`` folder next to a script (a run folder, say) must not shadow the package
    as a namespace package; the README's strict editable install guarantees it."""
    (tmp_path / "sim").mkdir()
    code = "import sim; print(sim.__file__ is not None, callable(getattr(sim, 'run', None)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert out.stdout.strip() == "True True", (
        "`sim` resolved to the folder beside the script (a namespace package): install as the "
        "README says (pip install -e . --config-settings editable_mode=strict). " + out.stderr
    )
