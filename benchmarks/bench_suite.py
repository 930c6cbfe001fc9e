"""The speed suite of issue #17: every figure side by side with a naive hourly SimPy model.

Usage::

    python benchmarks/bench_suite.py [--repeat N] [--ensemble 50] [--src PATH] [--skip-compare]

``--src PATH`` measures another checkout of ``sim`` (its ``sim`` package is put first on the
path, in this process and in the whole-process runs), so that before and after can be measured
with the same script. Prints medians, and each median's ratio to the naive model's median
measured in the same run (in-process rows against the in-process naive model, whole-process rows
against the naive model run as a whole process). The machine's load average is printed too:
on a shared machine compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def naive_model(n_sources: int = 100, hours: int = 8784) -> float:
    """The reference: ``n_sources`` SimPy processes ticking every hour for a (leap) year."""
    import simpy

    env = simpy.Environment()
    total = [0.0]

    def source(k: int):  # type: ignore[no-untyped-def]
        rate = 1.0 + k / n_sources
        while True:
            hour = int(env.now) % 24
            total[0] += rate * (1.5 if 7 <= hour <= 9 or 17 <= hour <= 19 else 1.0)
            yield env.timeout(1)

    for k in range(n_sources):
        env.process(source(k))
    env.run(until=hours)
    return total[0]


def _times(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _cmd(args: list[str], repeat: int, env: dict[str, str]) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=env, cwd=REPO)
        out.append(time.perf_counter() - t0)
    return out


def _row(name: str, values: list[float], ref: float) -> str:
    med = statistics.median(values)
    return f"| {name} | {med * 1e3:,.0f} | {med / ref:.2f}x | {len(values)} |"


def in_process(repeat: int) -> list[tuple[str, list[float]]]:
    """The in-process rows (the first is the naive model)."""
    import sim
    from sim.engine import simulate_state
    from sim.outcomes import air, water
    from sim.outcomes.air import forecast_daily_pm25

    base = sim.load_scenario(REPO / "scenarios/baseline.yaml")
    plan = sim.load_scenario(REPO / "scenarios/plan2024.yaml")
    sim.run(plan)  # warm-up: imports and caches
    state = simulate_state(plan, pm25_forecast=forecast_daily_pm25)
    cf = state.without_measures()
    rows = [
        ("naive hourly SimPy model (100 sources, 1 year)", _times(naive_model, repeat)),
        ("engine, baseline (simulate_state)", _times(lambda: simulate_state(base), repeat)),
        (
            "engine, plan2024 (simulate_state)",
            _times(lambda: simulate_state(plan, pm25_forecast=forecast_daily_pm25), repeat),
        ),
        ("sim.run(baseline)", _times(lambda: sim.run(base), repeat)),
        ("sim.run(plan2024), attribution", _times(lambda: sim.run(plan), repeat)),
        (
            "sim.run(plan2024), no attribution",
            _times(lambda: sim.run(plan, attribution=False), repeat),
        ),
        ("air outcome, plan2024", _times(lambda: air.compute(state, counterfactual=cf), repeat)),
        (
            "water outcome, plan2024",
            _times(lambda: water.compute(state, without_measures=cf), repeat),
        ),
    ]
    from sim.attribution import attribute

    try:
        attribute(state, per_measure=False, without_measures=cf)
        kw = {"without_measures": cf}
    except TypeError:  # a checkout from before the one run without measures was handed over
        kw = {}
    rows += [
        (
            "attribution by family only",
            _times(lambda: attribute(state, per_measure=False, **kw), repeat),  # type: ignore[arg-type]
        ),
        (
            "attribution by family and by measure",
            _times(lambda: attribute(state, **kw), repeat),  # type: ignore[arg-type]
        ),
    ]
    return rows


def whole_process(repeat: int, ensemble: int, skip_compare: bool, env: dict[str, str]):  # type: ignore[no-untyped-def]
    """The whole-process rows (the first is the naive model)."""
    py = sys.executable
    naive = [py, "-c", f"import sys; sys.path.insert(0, {str(REPO / 'benchmarks')!r}); "
             "import bench_suite; bench_suite.naive_model()"]  # fmt: skip
    rows = [("naive model, whole process", _cmd(naive, repeat, env))]
    rows.append(("sim --help", _cmd([py, "-m", "sim", "--help"], repeat, env)))
    with tempfile.TemporaryDirectory() as tmp:
        for label, extra in (("with figures", []), ("--no-figures", ["--no-figures"])):
            runs = []
            for i in range(repeat):
                out = f"{tmp}/{label[:2]}{i}"
                args = [py, "-m", "sim", "run", "scenarios/baseline.yaml", "-o", out, "-q", *extra]
                runs += _cmd(args, 1, env)
            rows.append((f"sim run baseline, {label}", runs))
    if not skip_compare:
        args = [py, "-m", "sim", "compare", "scenarios/baseline.yaml", "scenarios/plan2024.yaml",
                "--ensemble", str(ensemble), "-j", "2"]  # fmt: skip
        rows.append((f"sim compare baseline plan2024 --ensemble {ensemble} -j 2",
                     _cmd(args, 1, env)))  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--ensemble", type=int, default=50)
    parser.add_argument("--src", type=Path, default=None, help="another checkout to measure")
    parser.add_argument("--skip-compare", action="store_true")
    parser.add_argument("--only", choices=("in", "whole"), default=None)
    args = parser.parse_args()
    env = dict(os.environ)
    if args.src is not None:
        sys.path.insert(0, str(args.src.resolve()))
        env["PYTHONPATH"] = str(args.src.resolve())
    load0 = os.getloadavg()
    print(f"load average at start: {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}; cores "
          f"{os.cpu_count()}")  # fmt: skip
    print("| what | median ms | x naive | n |\n|---|---:|---:|---:|")
    if args.only in (None, "in"):
        rows = in_process(args.repeat)
        ref = statistics.median(rows[0][1])
        for name, values in rows:
            print(_row(name, values, ref), flush=True)
    if args.only in (None, "whole"):
        rows = whole_process(max(3, args.repeat // 2), args.ensemble, args.skip_compare, env)
        ref = statistics.median(rows[0][1])
        for name, values in rows:
            print(_row(name, values, ref), flush=True)
    load1 = os.getloadavg()
    print(f"load average at end: {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")


if __name__ == "__main__":
    main()
