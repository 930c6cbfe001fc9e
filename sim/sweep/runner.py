"""Drive a sweep: design, folder, pilot run, dispatch to an executor, stream results, gather.

The driver holds the design (a few numbers per run) and the ids of finished runs, never their
results: each finished run goes straight to its own file and a manifest line.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import SweepError
from sim.sweep.design import SweepDesign, make_design
from sim.sweep.executors import (
    DaskExecutor,
    Executor,
    LocalPoolExecutor,
    SerialExecutor,
    default_workers,
)
from sim.sweep.spec import SummaryOutcome, SweepSpec
from sim.sweep.store import SweepStore
from sim.sweep.worker import Payload, RunTask, extract_outcomes

__all__ = ["SweepReport", "run_sweep", "sweep_meta"]

log = logging.getLogger(__name__)

DEFAULT_RUNNER = "sim.sweep.worker:simulate"


@dataclass(frozen=True)
class SweepReport:
    """What a sweep did: runs planned, run now, skipped (done before), failed; timing."""

    folder: Path
    n_runs: int
    n_run_now: int
    n_skipped: int
    n_failed: int
    wall_s: float
    workers: int
    gathered: Path | None

    @property
    def runs_per_s(self) -> float:
        """Runs finished per second of wall time in this invocation."""
        return self.n_run_now / self.wall_s if self.wall_s > 0 else 0.0


def _kind(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "text"
    if all(isinstance(v, int) for v in values):
        return "int"
    if all(isinstance(v, (int, float)) for v in values):
        return "float"
    return "text"


def sweep_meta(spec: SweepSpec, design: SweepDesign) -> dict[str, Any]:
    """The contents of ``sweep.json``: the sweep, its base scenario and its design."""
    from sim.results import sim_version

    return {
        "name": spec.name,
        "spec_hash": spec.spec_hash,
        "origin": spec.origin,
        "spec": spec.model_dump(mode="json"),
        "base": spec.base,
        "levers": [p.name for p in spec.levers],
        "uncertainties": [p.name for p in spec.uncertainties],
        "sim_version": sim_version(),
        "design": {
            "method": design.method,
            "seed": design.seed,
            "replications": design.replications,
            "common_random_numbers": design.common_random_numbers,
            "names": design.names,
            "keys": design.keys,
            "kinds": [_kind(design.values[n]) for n in design.names],
            "values": {
                n: [v if isinstance(v, (int, float)) else str(v) for v in vals]
                for n, vals in design.values.items()
            },
            "unit": design.unit.tolist(),
        },
        "seeds": [design.run(i)[2] for i in range(design.n_runs)],
    }


def _outcome_schema(spec: SweepSpec, payload: Payload, design: SweepDesign) -> dict[str, Any]:
    """Dimensions, coordinates and units of every outcome, from one pilot run in this process."""
    from sim.sweep.worker import _runner

    _, _, seed, overrides = design.run(0)
    run = _runner(payload.runner)
    try:
        result = run(payload.base, payload.origin, overrides, seed)
    except Exception as exc:  # the first sample may be a bad combination: try the base
        log.info("pilot run of sample 0 failed (%s); piloting the base scenario", exc)
        result = run(payload.base, payload.origin, {}, seed)
    try:
        values, _ = extract_outcomes(result.summary, result.dataset, payload.outcomes, strict=True)
    except KeyError as exc:
        raise SweepError(f"{spec.origin}: outcomes: {exc.args[0]}") from None
    units = result.summary.get("units", {}) if isinstance(result.summary, dict) else {}
    schema: dict[str, Any] = {}
    for o in spec.outcomes:
        _, dims, coords = values[o.name]
        if isinstance(o, SummaryOutcome):
            unit = o.units or str(units.get(o.summary.split(".")[0], ""))
            long_name = f"summary {o.summary}"
        else:
            attrs = result.dataset[o.variable].attrs
            unit = str(attrs.get("units", ""))
            long_name = f"{o.reduce} of {attrs.get('long_name', o.variable)}"
            if o.select:
                long_name += " for " + ", ".join(f"{k}={v}" for k, v in o.select.items())
        schema[o.name] = {
            "dims": list(dims),
            "coords": coords,
            "units": unit,
            "long_name": long_name,
        }
    return schema


def _tasks(design: SweepDesign, done: set[str]) -> Iterator[RunTask]:
    for i in range(design.n_runs):
        rid = design.run_id(i)
        if rid in done:
            continue
        _, _, seed, overrides = design.run(i)
        yield RunTask(index=i, run_id=rid, seed=seed, overrides=overrides)


def _executor(
    workers: int | None, scheduler: str | None, scheduler_file: str | None, key_prefix: str
) -> Executor:
    import os

    address = scheduler or (None if scheduler_file else os.environ.get("DASK_SCHEDULER_ADDRESS"))
    if address or scheduler_file:
        return DaskExecutor(address, scheduler_file, key_prefix=key_prefix)
    if workers is not None and workers < 1:
        raise SweepError(f"-j {workers}: workers must be >= 1")
    from sim.ensemble import cap_jobs

    n = cap_jobs(workers if workers is not None else default_workers(), 1 << 30)
    return SerialExecutor() if n == 1 else LocalPoolExecutor(n)


def run_sweep(
    spec: SweepSpec,
    output: str | Path,
    *,
    workers: int | None = None,
    resume: bool = False,
    overwrite: bool = False,
    retries: int = 0,
    scheduler: str | None = None,
    scheduler_file: str | None = None,
    progress: bool = False,
    gather: bool = True,
    runner: str = DEFAULT_RUNNER,
) -> SweepReport:
    """Run every run of ``spec`` not yet done in ``output``; write each as it finishes.

    Everything that can reject the sweep (the options, the scheduler, the pilot run) is checked
    before the folder is touched, so a rejected sweep writes nothing; the folder is locked while
    the sweep runs (a second driver on it fails at once).

    Parameters
    ----------
    spec
        A loaded sweep (:func:`sim.sweep.load_sweep`).
    output
        The sweep folder.
    workers
        Local worker processes (default: the CPUs this process may use); 1 runs in-process.
    resume, overwrite
        Continue the sweep in ``output``, or replace it.
    retries
        Further attempts of a failed run before it is recorded as failed.
    scheduler, scheduler_file
        A Dask scheduler (else ``DASK_SCHEDULER_ADDRESS``, else the local pool).
    progress
        Show a progress bar with the time left on stderr.
    gather
        Write ``sweep.nc`` at the end.
    runner
        ``module:function`` that runs one scenario (tests and benchmarks replace it).
    """
    from sim.outfolder import target_lock

    t0 = time.perf_counter()
    if retries < 0:
        raise SweepError(f"--retries {retries}: must be >= 0")
    if resume and overwrite:
        raise SweepError("--resume and --overwrite exclude each other")
    design = make_design(spec)
    store = SweepStore(output)
    _check_folder(store, resume, overwrite)
    payload = _payload(spec, runner)
    executor = _executor(workers, scheduler, scheduler_file, f"sweep-{spec.spec_hash}")
    try:
        with target_lock(store.folder):
            pilot = None
            if not (store.folder / "outcomes.json").exists():
                pilot = _outcome_schema(spec, payload, design)
            done = store.create(sweep_meta(spec, design), resume=resume, overwrite=overwrite)
            if pilot is not None:
                store.write_outcome_schema(pilot)
            todo = design.n_runs - len(done)
            log.info("%s: %d runs, %d done, %d to run", spec.name, design.n_runs, len(done), todo)
            failed = _stream(executor, design, done, payload, retries, store, progress)
            gathered = store.gather() if gather else None
    finally:
        if isinstance(executor, DaskExecutor):
            executor.close()
    return SweepReport(
        folder=store.folder,
        n_runs=design.n_runs,
        n_run_now=todo,
        n_skipped=len(done),
        n_failed=failed,
        wall_s=time.perf_counter() - t0,
        workers=executor.workers,
        gathered=gathered,
    )


def _check_folder(store: SweepStore, resume: bool, overwrite: bool) -> None:
    """Refuse early (nothing written) a folder that exists without --resume or --overwrite."""
    folder = store.folder
    if folder.exists() and not folder.is_dir():
        raise SweepError(f"{folder}: exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (resume or overwrite):
        raise SweepError(
            f"{folder}: sweep folder exists; use --resume to continue it or --overwrite to "
            "start again"
        )
    if resume and folder.is_dir() and any(folder.iterdir()):
        store.meta()  # a corrupt sweep.json is reported before anything runs


def _payload(spec: SweepSpec, runner: str) -> Payload:
    needs_attribution = any(
        getattr(o, "summary", "").startswith("measures.") for o in spec.outcomes
    )
    if runner == DEFAULT_RUNNER and needs_attribution:
        runner = "sim.sweep.worker:simulate_with_attribution"
    return Payload(spec.base, spec.scenario_file, tuple(spec.outcomes), runner)


def _stream(
    executor: Executor,
    design: SweepDesign,
    done: set[str],
    payload: Payload,
    retries: int,
    store: SweepStore,
    progress: bool,
) -> int:
    """Run the runs not done, writing each as it finishes; return the number that failed."""
    from tqdm import tqdm

    failed = 0
    bar = tqdm(
        total=design.n_runs,
        initial=len(done),
        unit="run",
        file=sys.stderr,
        disable=not (progress and sys.stderr.isatty()),
        dynamic_ncols=True,
    )
    try:
        for item in executor.map(_tasks(design, done), payload, retries):
            record = _record(design, item.task.index, item.task.run_id, item.attempts)
            if item.output is not None:
                record["elapsed_s"] = round(item.output.elapsed_s, 4)
                record["worker"] = item.output.worker
                if item.output.missing:
                    record["missing"] = list(item.output.missing)
                store.write_run(record, item.output.outcomes)
            else:
                failed += 1
                log.warning("%s failed: %s", item.task.run_id, item.error)
                store.write_failure(record, item.error or "unknown error")
            bar.update(1)
    finally:
        bar.close()
        store.close()
    return failed


def _record(design: SweepDesign, index: int, run_id: str, attempts: int) -> dict[str, Any]:
    sample, rep, seed, _ = design.run(index)
    return {
        "run": run_id,
        "index": index,
        "sample": sample,
        "replication": rep,
        "seed": seed,
        "params": design.params(index),
        "attempts": attempts,
    }
