"""Benchmark of ``sim sweep``: harness overhead against a bare loop, and driver memory.

1. Bare loop: ``simulate`` (validate the scenario with a sample's overrides, ``sim.run``) on one
   core, in this process, warm: runs per second ``r1``.
2. The same runs as a sweep on the local pool with ``-j W``: runs per second ``rW``; efficiency
   ``rW / (r1 * W)`` (target >= 0.9). Optionally on a Dask cluster (``--scheduler``).
3. Driver memory: a sweep of ``--memory-runs`` runs with an instant runner (so that only the
   harness works); the driver's peak RSS (target < 500 MB for 10,000 runs).

Usage::

    python benchmarks/bench_sweep.py --runs 1000 --workers 2 --memory-runs 10000
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger("bench_sweep")


def instant_run(base: dict[str, Any], origin: str, overrides: dict[str, Any], seed: int) -> Any:
    """A runner that does no simulation: measures the harness alone."""
    return SimpleNamespace(summary={"total_t": {"PM2.5": float(seed % 1000)}}, dataset=None)


def _spec(n: int, overrides: list[str]) -> Any:
    from sim.sweep import load_sweep

    return load_sweep(
        ROOT / "sweeps" / "plan_uncertainty.yaml",
        [f"design.n={n}", "replications=1", *overrides],
    )


def bare_loop(n: int, overrides: list[str]) -> float:
    """Runs per second of a plain loop over the sweep's first ``n`` runs, in this process."""
    from sim.sweep.design import make_design
    from sim.sweep.worker import simulate

    spec = _spec(n, overrides)
    design = make_design(spec)
    simulate(spec.base, spec.scenario_file, design.run(0)[3], 1)  # warm up
    t0 = time.perf_counter()
    for i in range(n):
        _, _, seed, changes = design.run(i)
        simulate(spec.base, spec.scenario_file, changes, seed)
    return n / (time.perf_counter() - t0)


def parallel_bare(n: int, workers: int, overrides: list[str]) -> float:
    """Runs per second of ``workers`` independent bare loops at once (no harness): the capacity
    of this machine under its current load, against which the sweep is also compared."""
    import multiprocessing as mp

    per = max(1, n // workers)
    with mp.get_context("spawn").Pool(workers) as pool:
        rates = pool.starmap(bare_loop, [(per, overrides)] * workers)
    return float(sum(rates))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--bare-runs", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-runs", type=int, default=10000)
    parser.add_argument("--scheduler", default=None)
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        help="sweep-file override, e.g. scenario_changes.run.end=2024-02-01",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from sim.sweep.runner import run_sweep

    sys.path.insert(0, str(Path(__file__).parent))
    r1 = bare_loop(args.bare_runs, args.overrides)
    log.info("bare loop, 1 core: %.2f runs/s (%.0f ms/run)", r1, 1e3 / r1)
    with tempfile.TemporaryDirectory() as tmp:
        if args.runs:
            rep = run_sweep(
                _spec(args.runs, args.overrides), Path(tmp) / "pool", workers=args.workers
            )
            eff = rep.runs_per_s / (r1 * rep.workers)
            rp = parallel_bare(args.bare_runs * args.workers, args.workers, args.overrides)
            log.info("%d independent bare loops at once: %.2f runs/s", args.workers, rp)
            log.info("sweep / independent loops: %.0f %%", 100 * rep.runs_per_s / rp)
            log.info(
                "local pool, %d workers: %d runs in %.1f s = %.2f runs/s; efficiency %.0f %%",
                rep.workers,
                rep.n_run_now,
                rep.wall_s,
                rep.runs_per_s,
                100 * eff,
            )
        if args.scheduler:
            rep = run_sweep(
                _spec(args.runs, args.overrides), Path(tmp) / "dask", scheduler=args.scheduler
            )
            log.info(
                "dask, %d workers: %.2f runs/s; efficiency %.0f %%",
                rep.workers,
                rep.runs_per_s,
                100 * rep.runs_per_s / (r1 * rep.workers),
            )
        if args.memory_runs:
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            only_total = [*args.overrides, "outcomes=[total_t.PM2.5]", "targets={}"]
            rep = run_sweep(
                _spec(args.memory_runs, only_total),
                Path(tmp) / "mem",
                workers=args.workers,
                runner="bench_sweep:instant_run",
            )
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            log.info(
                "harness only, %d runs: %.0f runs/s; driver peak RSS %.0f MB (%.0f MB before)",
                rep.n_run_now,
                rep.runs_per_s,
                peak,
                before,
            )


if __name__ == "__main__":
    main()
