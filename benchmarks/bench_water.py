"""Benchmark the water part of one scenario-year in-process: `sim.outcomes.water.compute(state)`.

Usage: python benchmarks/bench_water.py [scenario] [--repeat N]

Runs the engine once, then times the water outcome (sources, runoff with evaporation, wash-off,
network with in-pipe storage, rivers, classes, Dataset) ``--repeat`` times and prints the median
(and min/max) of wall and CPU time, with a breakdown by component and the time per simulated
water year (a scenario with water measures simulates two: the run and its counterfactual
without measures). Target: <= 50 ms per year (issue 13). The machine is often shared: compare
numbers from one run only. (The step-by-step reference kernels in ``tests/water/_*_reference.py``
no longer carry in-pipe storage, degradable COD or sediment oxygen demand, so the former
``--reference`` comparison is gone.)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: (module, attribute) pairs timed as components.
COMPONENTS = {
    "water year": ("sim.outcomes.water", "_water_year"),
    "runoff": ("sim.outcomes.water_model", "areas_runoff"),
    "wash-off": ("sim.outcomes.water_model", "washoff_g_s"),
    "network": ("sim.outcomes.water_model", "route_drainage"),
    "  in-pipe storage": ("sim.water.network", "pipe_storage"),
    "rivers": ("sim.outcomes.water_model", "_rivers"),
    "dataset": ("sim.outcomes.water", "build_outcome"),
}


def _fmt(name: str, values: list[float]) -> str:
    med = statistics.median(values) * 1e3
    return (f"{name:<28} median {med:8.1f} ms   min {min(values) * 1e3:8.1f}   "
            f"max {max(values) * 1e3:8.1f}   (n={len(values)})")  # fmt: skip


@contextmanager
def _patched(pairs: dict[tuple[str, str], Any]) -> Iterator[None]:
    """Temporarily replace module attributes (benchmark only)."""
    saved = {}
    for (mod_name, attr), value in pairs.items():
        mod = sys.modules[mod_name]
        saved[(mod_name, attr)] = getattr(mod, attr)
        setattr(mod, attr, value)
    try:
        yield
    finally:
        for (mod_name, attr), value in saved.items():
            setattr(sys.modules[mod_name], attr, value)


def _timed(fn: Callable[..., Any], sink: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        sink.append(time.perf_counter() - t0)
        return out

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/baseline.yaml"))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    import sim
    from sim.engine import simulate_state
    from sim.outcomes import water

    state = simulate_state(sim.load_scenario(args.scenario))
    water.compute(state)  # warm-up: imports, caches, the counterfactual run (memoised)
    wall: list[float] = []
    cpu: list[float] = []
    per_year: list[float] = []
    parts: dict[str, list[float]] = {name: [] for name in COMPONENTS}
    for _ in range(args.repeat):
        sinks: dict[str, list[float]] = {name: [] for name in COMPONENTS}
        wrappers = {
            (mod, attr): _timed(getattr(sys.modules[mod], attr), sinks[name])
            for name, (mod, attr) in COMPONENTS.items()
        }
        with _patched(wrappers):
            t0, c0 = time.perf_counter(), time.process_time()
            water.compute(state)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        for name, sink in sinks.items():
            parts[name].append(sum(sink))
        per_year.append(wall[-1] / max(len(sinks["water year"]), 1))
    print(f"scenario: {args.scenario}")
    print(_fmt("water outcome (wall)", wall))
    print(_fmt("  (cpu time)", cpu))
    print(_fmt("per simulated water year", per_year))
    for name, values in parts.items():
        print(_fmt(f"  {name}", values))


if __name__ == "__main__":
    main()
