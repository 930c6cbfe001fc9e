"""``sim optimise``: search, verify, write; resumable through the sweep's store.

The output folder holds ``runs/`` (the sweep store: ``sweep.json`` with the question's hash, a
manifest line and a small file per run), so ``--resume`` after a kill reads every finished run back
and the search, seeded and deferred, retraces its path to where it stopped.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sim.errors import SweepError
from sim.optimise.evaluate import Evaluator
from sim.optimise.outputs import summary_lines, write_outputs
from sim.optimise.runners import scoring_base
from sim.optimise.search import SearchResult, run_search
from sim.optimise.spec import OptimiseSpec
from sim.optimise.verify import Verified, verify
from sim.sweep.executors import (
    DaskExecutor,
    Executor,
    LocalPoolExecutor,
    SerialExecutor,
    default_workers,
)
from sim.sweep.store import SweepStore

__all__ = ["OptimiseReport", "make_executor", "optimise"]


@dataclass
class OptimiseReport:
    """What a finished optimisation found and where it wrote it."""

    found: SearchResult
    verified: list[Verified]
    paths: dict[str, Path] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    runs_now: int = 0
    runs_reused: int = 0
    wall_s: float = 0.0


def make_executor(
    workers: int | None, scheduler: str | None, scheduler_file: str | None, key_prefix: str
) -> Executor:
    """The sweep's executor: Dask if a scheduler is given, else a local pool (or this process)."""
    address = scheduler or (None if scheduler_file else os.environ.get("DASK_SCHEDULER_ADDRESS"))
    if address or scheduler_file:
        return DaskExecutor(address, scheduler_file, key_prefix=key_prefix)
    n = default_workers() if workers is None else workers
    if n < 1:
        raise SweepError(f"-j {n}: workers must be >= 1")
    return SerialExecutor() if n == 1 else LocalPoolExecutor(n, keep=True)  # one pool, all stages


def _prepare(folder: Path, resume: bool, overwrite: bool) -> None:
    if resume and overwrite:
        raise SweepError("--resume and --overwrite exclude each other")
    if folder.exists() and any(folder.iterdir()) and not resume:
        if not overwrite:
            raise SweepError(
                f"{folder}: folder exists; use --resume to continue it or --overwrite to start "
                "again"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)


def optimise(
    spec: OptimiseSpec,
    output: str | Path,
    *,
    workers: int | None = None,
    resume: bool = False,
    overwrite: bool = False,
    scheduler: str | None = None,
    scheduler_file: str | None = None,
    runner: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    lang: str = "en",
) -> OptimiseReport:
    """Search the question ``spec``, verify its best and frontier bundles, write ``output``.

    Returns
    -------
    OptimiseReport
        The search, the verified bundles, the files written (``report.html`` in ``lang``,
        ``en`` or ``zh``) and the summary lines.
    """
    t0 = time.perf_counter()
    folder = Path(output)
    _prepare(folder, resume, overwrite)
    store = SweepStore(folder / "runs")
    meta = {
        "kind": "optimise",
        "name": spec.name,
        "spec_hash": spec.spec_hash,
        "spec": spec.model_dump(mode="json"),
    }
    store.create(meta, resume=resume)
    executor = make_executor(workers, scheduler, scheduler_file, f"opt-{spec.spec_hash}")
    try:
        evaluator = Evaluator(
            scoring_base(spec.base, spec.constraints),
            spec.scenario_file,
            list(spec.constraints),
            executor,
            store,
            runner or "sim.optimise.runners:scored",
        )
        found = run_search(spec, evaluator, progress)
        verified = verify(spec, found, evaluator)
    finally:
        store.close()
        if isinstance(executor, (DaskExecutor, LocalPoolExecutor)):
            executor.close()
    paths = write_outputs(spec, found, verified, folder)
    from sim.report_optimise import write_report

    paths["report"] = write_report(spec, found, verified, folder, lang)
    report = OptimiseReport(
        found,
        verified,
        paths,
        summary_lines(spec, found, verified),
        evaluator.runs_now,
        evaluator.runs_reused,
    )
    report.wall_s = time.perf_counter() - t0
    timing = {
        "wall_s": round(report.wall_s, 1),
        "runs_now": report.runs_now,
        "runs_reused": report.runs_reused,
        "workers": executor.workers,
    }
    (folder / "optimise.json").write_text(json.dumps(timing, indent=1), encoding="utf-8")
    return report
