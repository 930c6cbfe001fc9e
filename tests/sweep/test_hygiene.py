"""A sweep leaves its caller's process as it found it: environment and matplotlib backend."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def test_starting_the_pool_leaves_os_environ_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.sweep import executors

    for var in executors._THREAD_VARS:
        monkeypatch.delenv(var, raising=False)
    before = dict(os.environ)
    executors._context()
    assert dict(os.environ) == before


def test_analyse_does_not_switch_the_matplotlib_backend(
    reference_sweep: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib
    import matplotlib.pyplot as plt

    from sim.sweep import analyse

    calls: list[object] = []
    monkeypatch.setattr(matplotlib, "use", lambda *a, **k: calls.append(a))
    figures_before = plt.get_fignums()
    analyse(reference_sweep.parent, figures=True)
    assert calls == []
    assert plt.get_fignums() == figures_before  # no pyplot figure left open
    assert (reference_sweep.parent / "analysis" / "figures").is_dir()
    assert any((reference_sweep.parent / "analysis" / "figures").glob("tornado_*.png"))
