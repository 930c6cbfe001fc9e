"""Sweeps: thousands of runs of one scenario over sampled levers and uncertainties.

Locally on a process pool or on a Dask cluster, streamed to a folder run by run, resumable, and
analysed for sensitivity and for the probability of meeting targets::

    from sim.sweep import load_sweep, run_sweep, gather, analyse
    spec = load_sweep("sweeps/plan_uncertainty.yaml", ["design.n=64"])
    report = run_sweep(spec, "outputs/sweeps/plan_uncertainty", workers=2)
    analyse(report.folder)

Modules: ``spec`` (the sweep file), ``design`` (samplers, run seeds), ``worker`` (one run),
``executors`` (serial, local pool, Dask), ``store`` (manifest, run files, gather), ``runner``
(the driver), ``sensitivity`` (indices), ``analysis`` (targets, discovery, figures).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.sweep.spec import SweepSpec, load_sweep

if TYPE_CHECKING:
    from sim.sweep.runner import SweepReport

__all__ = ["SweepReport", "SweepSpec", "analyse", "gather", "load_sweep", "run_sweep"]


def run_sweep(spec: SweepSpec, output: str | Path, **options: Any) -> SweepReport:
    """Run a sweep; see :func:`sim.sweep.runner.run_sweep`."""
    from sim.sweep.runner import run_sweep as _run

    return _run(spec, output, **options)


def gather(folder: str | Path) -> Path:
    """Write ``folder/sweep.nc`` from the runs finished so far; return its path."""
    from sim.sweep.store import SweepStore

    return SweepStore(folder).gather()


def analyse(folder: str | Path, **options: Any) -> Path:
    """Analyse a gathered sweep into ``folder/analysis``; see :func:`sim.sweep.analysis.analyse`."""
    from sim.sweep.analysis import analyse as _analyse

    return _analyse(folder, **options)


def __getattr__(name: str) -> Any:
    if name == "SweepReport":
        from sim.sweep.runner import SweepReport

        return SweepReport
    raise AttributeError(f"module 'sim.sweep' has no attribute {name!r}")
