"""Parallel efficiency of ensembles: the same members on 1 and on 2 local processes.

Usage: python benchmarks/bench_ensemble.py [scenario] [--members N] [--repeat R]

Efficiency at -j 2 is T(1 job) / (2 x T(2 jobs)), medians of R repetitions measured alternately
in one process. On a shared machine the second worker competes with other users: the figure is
then a lower bound, so the load average is printed with it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?", default=str(REPO / "scenarios/plan2024.yaml"))
    parser.add_argument("--members", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import sim
    from sim.ensemble import run_ensemble

    scenario = sim.load_scenario(args.scenario)
    run_ensemble(scenario, 2, jobs=2, progress=False)  # warm-up: imports, pool start-up
    times: dict[int, list[float]] = {1: [], 2: []}
    load0 = os.getloadavg()[0]
    for _ in range(args.repeat):
        for jobs in (1, 2):
            t0 = time.perf_counter()
            run_ensemble(scenario, args.members, jobs=jobs, progress=False)
            times[jobs].append(time.perf_counter() - t0)
    t1, t2 = statistics.median(times[1]), statistics.median(times[2])
    print(f"load average {load0:.2f} -> {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{args.members} members: -j 1 {t1:.2f} s, -j 2 {t2:.2f} s (medians of {args.repeat})")
    print(f"parallel efficiency at -j 2: {t1 / (2 * t2):.0%}")


if __name__ == "__main__":
    main()
