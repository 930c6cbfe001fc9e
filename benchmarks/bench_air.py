"""Benchmark the air outcome of one scenario-year in-process (medians, side by side).

Usage: python benchmarks/bench_air.py [scenario ...] [--repeat N] [--src DIR ...]
                                      [--alternatives K]

The engine run and its run without measures are made once beforehand (they are shared with the
water outcome); what is timed is ``sim.outcomes.air.compute(state, counterfactual=...)``: every
coalition of the acting actors, the Shapley split and the Dataset. Issue 12 asks for <= 50 ms.
Beside it, one air response and its daily AQI (what a run without the split costs), and with
``--alternatives K`` ``sim.outcomes.air.pm25_response`` for K alternative district emissions (what
the per-measure PM2.5 of ``sim.measure_effects`` calls, 35 alternatives for plan2024).

``--src DIR`` (repeatable) times the ``sim`` package of another checkout too (e.g. an older
commit: ``git archive <commit> | tar -x -C /tmp/old``), each source in a worker process of its
own; the workers take turns, one timed call each, so the machine's load falls on all alike.
Wall time (median, min) and the process CPU time of each call are reported, and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

_WORKER = r"""
import json, sys, time
sys.path.insert(0, {src!r})
import sim
from sim.engine import simulate_state
from sim.outcomes import air

state = simulate_state(sim.load_scenario({path!r}))
counterfactual = state.without_measures()
out = air.compute(state, counterfactual=counterfactual)  # warm-up
acting = out.summary["actors_with_measures"]
print(json.dumps({{"sim": sim.__file__, "acting": acting, "hours": state.calendar.n_hours,
                  "pm25": out.summary["pm25_annual_mean_ug_m3"]}}), flush=True)
for line in sys.stdin:
    t0, c0 = time.perf_counter(), time.process_time()
    if line.strip().startswith("alternatives"):  # per-measure PM2.5: sim.measure_effects' call
        import numpy as np
        k = int(line.split()[1])
        base = state.sector_emissions().sum(axis=1)
        factors = 1.0 - 0.02 * np.arange(1, k + 1)
        alternatives = base[None] * factors[:, None, None]
        t0, c0 = time.perf_counter(), time.process_time()
        air.pm25_response(state, alternatives)
    elif line.strip() == "single":
        from sim.air.response import air_response
        params = air.air_params(state.scenario)
        met = air.met_arrays(state.calendar, state.weather)
        city = air.actor_emissions(state.scenario.air.city, state.calendar)
        district = state.sector_emissions().sum(axis=1)
        t0, c0 = time.perf_counter(), time.process_time()
        air.daily_table(air_response(district, city, met, params).total, state.calendar)
    else:
        air.compute(state, counterfactual=counterfactual)
    print(json.dumps([time.perf_counter() - t0, time.process_time() - c0]), flush=True)
"""


def _worker(src: str, path: str) -> tuple[subprocess.Popen[str], dict[str, object]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _WORKER.format(src=src, path=path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    assert proc.stdout is not None
    return proc, json.loads(proc.stdout.readline())


def _call(proc: subprocess.Popen[str], what: str) -> tuple[float, float]:
    assert proc.stdin is not None
    assert proc.stdout is not None
    proc.stdin.write(what + "\n")
    proc.stdin.flush()
    wall, cpu = json.loads(proc.stdout.readline())
    return float(wall), float(cpu)


def _line(label: str, runs: list[tuple[float, float]]) -> str:
    wall = [w * 1e3 for w, _ in runs]
    cpu = [c * 1e3 for _, c in runs]
    return (f"{label:<44} median {statistics.median(wall):6.1f} ms  min {min(wall):6.1f}  "
            f"cpu median {statistics.median(cpu):6.1f}  min {min(cpu):6.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*",
                        default=["scenarios/baseline.yaml", "scenarios/plan2024.yaml"])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--alternatives", type=int, default=0,
                        help="also time pm25_response for this many district alternatives")
    parser.add_argument("--src", action="append", default=[],
                        help="another checkout's root to time beside this one (repeatable)")
    args = parser.parse_args()
    here = str(Path(__file__).resolve().parents[1])
    sources = [*args.src, here]
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for path in args.scenarios:
        workers = [_worker(src, path) for src in sources]
        outcome: dict[str, list[tuple[float, float]]] = {s: [] for s in sources}
        single: dict[str, list[tuple[float, float]]] = {s: [] for s in sources}
        per_measure: dict[str, list[tuple[float, float]]] = {s: [] for s in sources}
        for _ in range(args.repeat):  # interleaved: the machine's load falls on all alike
            for src, (proc, _info) in zip(sources, workers, strict=True):
                outcome[src].append(_call(proc, "compute"))
                single[src].append(_call(proc, "single"))
                if args.alternatives:
                    per_measure[src].append(_call(proc, f"alternatives {args.alternatives}"))
        info = workers[-1][1]
        acting = info["acting"]
        print(f"{path}: {info['hours']} h, {2 ** len(acting)} coalition(s) {acting}")  # type: ignore[arg-type]
        for src, (proc, meta) in zip(sources, workers, strict=True):
            name = "this checkout" if src == here else src
            print("  " + _line(f"air outcome   [{name}]", outcome[src]))
            print("  " + _line(f"one response + AQI [{name}]", single[src]))
            if args.alternatives:
                label = f"pm25_response x{args.alternatives} [{name}]"
                print("  " + _line(label, per_measure[src]))
            print(f"    PM2.5 {meta['pm25']} ug/m3 ({meta['sim']})")
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait()
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
