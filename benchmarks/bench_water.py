"""Benchmark the water part of one scenario-year in-process: `sim.outcomes.water.compute(state)`.

Usage: python benchmarks/bench_water.py [scenario] [--repeat N] [--reference]

Runs the engine once, then times the water outcome (sources, runoff, wash-off, network, rivers,
classes, Dataset) ``--repeat`` times and prints the median (and min/max) of wall and CPU time,
with a breakdown by component. ``--reference`` also times, interleaved in the same process, the
step-by-step kernels the vectorised ones replaced (kept in ``tests/water/_*_reference.py``:
river routing, runoff, network, wash-off) and reports how far the section concentrations of
the two differ. The machine is often shared: compare numbers from one run only.
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
    "runoff": ("sim.water.system", "areas_runoff"),
    "wash-off": ("sim.water.system", "_washoff"),
    "network": ("sim.water.system", "route_drainage"),
    "rivers": ("sim.water.system", "_rivers"),
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


def _reference_kernels() -> dict[tuple[str, str], Any]:
    sys.path.insert(0, str(ROOT))
    from tests.water._catchments_reference import areas_runoff_stepwise
    from tests.water._network_reference import route_drainage_direct
    from tests.water._river_reference import route_river_stepwise
    from tests.water._washoff_reference import washoff_stepwise

    return {
        ("sim.water.system", "areas_runoff"): areas_runoff_stepwise,
        ("sim.water.system", "route_drainage"): route_drainage_direct,
        ("sim.water.system", "route_river"): route_river_stepwise,
        ("sim.water.system", "_washoff"): washoff_stepwise,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/baseline.yaml"))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--reference", action="store_true")
    args = parser.parse_args()

    import numpy as np

    import sim
    from sim.engine import simulate_state
    from sim.outcomes import water

    state = simulate_state(sim.load_scenario(args.scenario))
    water.compute(state)  # warm-up: imports, caches
    reference = _reference_kernels() if args.reference else {}
    wall: dict[str, list[float]] = {"vectorised": [], "reference": []}
    cpu: dict[str, list[float]] = {"vectorised": [], "reference": []}
    parts: dict[str, list[float]] = {name: [] for name in COMPONENTS}
    max_rel = 0.0
    for _ in range(args.repeat):
        sinks: dict[str, list[float]] = {name: [] for name in COMPONENTS}
        wrappers = {
            (mod, attr): _timed(getattr(sys.modules[mod], attr), sinks[name])
            for name, (mod, attr) in COMPONENTS.items()
        }
        with _patched(wrappers):
            t0, c0 = time.perf_counter(), time.process_time()
            new = water.compute(state)
            wall["vectorised"].append(time.perf_counter() - t0)
            cpu["vectorised"].append(time.process_time() - c0)
        for name, sink in sinks.items():
            parts[name].append(sum(sink))
        if reference:
            with _patched(reference):
                t0, c0 = time.perf_counter(), time.process_time()
                old = water.compute(state)
                wall["reference"].append(time.perf_counter() - t0)
                cpu["reference"].append(time.process_time() - c0)
            a = old.dataset["section_concentration"].values
            b = new.dataset["section_concentration"].values
            max_rel = max(max_rel, float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-12))))
    print(f"scenario: {args.scenario}")
    for key in ("vectorised", "reference"):
        if wall[key]:
            print(_fmt(f"water outcome, {key}", wall[key]))
            print(_fmt(f"  (cpu time, {key})", cpu[key]))
    for name, values in parts.items():
        print(_fmt(f"  {name} (vectorised)", values))
    if wall["reference"]:
        ratio = statistics.median(wall["reference"]) / statistics.median(wall["vectorised"])
        print(
            f"speed-up (median wall): {ratio:.1f}x; section concentrations differ by at most "
            f"{max_rel:.1e} (relative; see docs/model.md (Water) on the runoff rounding residue)"
        )


if __name__ == "__main__":
    main()
