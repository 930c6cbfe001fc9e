"""Benchmark one scenario-year: in-process `sim.run`, `sim --help`, and the whole `sim run` command.

Usage: python benchmarks/bench_run.py [scenario] [--repeat N]
Prints medians (and min/max) measured side by side in one process; run on a quiet machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _time_cmd(args: list[str], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        out.append(time.perf_counter() - t0)
    return out


def _fmt(name: str, values: list[float], unit: str = "ms", scale: float = 1e3) -> str:
    med = statistics.median(values) * scale
    return (f"{name:<34} median {med:8.1f} {unit}   min {min(values) * scale:8.1f}   "
            f"max {max(values) * scale:8.1f}   (n={len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?", default="scenarios/baseline.yaml")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    import sim
    from sim.engine import simulate_state

    scenario = sim.load_scenario(args.scenario)
    sim.run(scenario)  # warm-up: imports, caches
    engine, full = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        simulate_state(scenario)
        engine.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        sim.run(scenario)
        full.append(time.perf_counter() - t0)
    exe = str(Path(sys.executable).with_name("sim"))
    helps = _time_cmd([exe, "--help"], max(5, args.repeat // 3))
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for i in range(max(3, args.repeat // 5)):
            t0 = time.perf_counter()
            subprocess.run([exe, "run", args.scenario, "-o", f"{tmp}/r{i}", "-q"], check=True)
            runs.append(time.perf_counter() - t0)
    print(f"scenario: {args.scenario}")
    print(_fmt("engine + sources (simulate_state)", engine))
    print(_fmt("sim.run (with Dataset, summary)", full))
    print(_fmt("sim --help (whole process)", helps))
    print(_fmt("sim run (whole process, writes)", runs, "s", 1.0))


if __name__ == "__main__":
    main()
