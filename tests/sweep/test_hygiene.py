"""A sweep leaves its caller's process as it found it: environment and matplotlib backend."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def test_starting_the_pool_leaves_os_environ_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.forkserver_guard import THREAD_VARS
    from sim.sweep import executors

    for var in THREAD_VARS:
        monkeypatch.delenv(var, raising=False)
    before = dict(os.environ)
    executors._context()
    assert dict(os.environ) == before


def test_workers_run_one_numeric_thread_each_set_by_the_forkserver_itself() -> None:
    """The limits are the forkserver's own (it sets them before numpy loads), inherited by its
    workers; a value the caller had set when the forkserver started is kept."""
    from concurrent.futures import ProcessPoolExecutor

    from sim.forkserver_guard import THREAD_VARS
    from sim.sweep import executors

    expected = [os.environ.get(var, "1") for var in THREAD_VARS]
    with ProcessPoolExecutor(1, mp_context=executors._context()) as pool:
        seen = [pool.submit(os.getenv, var).result() for var in THREAD_VARS]
    assert seen == expected


def test_the_forkserver_guard_does_nothing_when_imported_elsewhere() -> None:
    import threading

    import sim.forkserver_guard as guard

    assert not guard.in_forkserver()
    assert not any(t.name == "sim-watchdog" for t in threading.enumerate())


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
