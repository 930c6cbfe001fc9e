"""Benchmark the water part of one scenario-year in-process: `sim.outcomes.water.compute(state)`.

Usage::

    python benchmarks/bench_water.py [scenario] [--repeat N]
    python benchmarks/bench_water.py [scenario] --src /tmp/water_old --repeat 9 --rounds 3

Runs the engine once, then times the water outcome (sources, runoff with evaporation, wash-off,
network with in-pipe storage, rivers, classes, Dataset) ``--repeat`` times and prints the median
(and min) of wall and CPU time, with a breakdown by component and the time per simulated
water year (a scenario with water measures simulates two: the run and its counterfactual
without measures, handed over as the api does; only the run's Dataset is built, the
counterfactual gives its summary). Target: <= 50 ms per year (issue 13).

``--src DIR`` (repeatable) measures other checkouts side by side with this one: each version
runs in its own subprocess with its ``sim`` package first on ``sys.path``, in ``--rounds``
alternating rounds of ``--repeat`` repetitions, and the medians are printed in columns. An old
checkout is made with ``git archive <commit> | tar -x -C /tmp/water_old``. The machine is often
shared: compare numbers from one run only; the load average is printed at the start and end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: Components timed: name -> (module, attribute) pairs tried in order (the first that exists in
#: the version measured is wrapped; a version without any shows no figure).
COMPONENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "water year": (("sim.outcomes.water", "_water_year"),),
    "runoff": (("sim.outcomes.water_model", "areas_runoff"),),
    "wash-off": (("sim.outcomes.water_model", "washoff_g_s"),),
    "sources and outlets": (("sim.outcomes.water_model", "_drainage_inputs"),),
    "network": (("sim.outcomes.water_model", "route_drainage"),),
    "  in-pipe storage": (("sim.water.network", "pipe_storage"),),  # before the compiled pass
    "  compiled pass": (("sim.water.network", "network_hours"),),  # all paths and both stores
    "  plant": (("sim.water.network", "plant_hours"),),
    "  daily sums": (("sim.water.network", "_daily"),),
    "rivers": (("sim.outcomes.water_model", "_rivers"),),
    "dataset": (("sim.outcomes.water", "build_outcome"),),
}


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


def _timed(fn: Callable[..., Any], sink: list[tuple[float, float]]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn(*args, **kwargs)
        sink.append((time.perf_counter() - t0, time.process_time() - c0))
        return out

    return wrapper


def _present(name: str) -> tuple[str, str] | None:
    import importlib

    for mod, attr in COMPONENTS[name]:
        if hasattr(importlib.import_module(mod), attr):
            return mod, attr
    return None


def measure(scenario: str, repeat: int) -> dict[str, list[float]]:
    """Time ``repeat`` water outcomes of ``scenario`` in this process; seconds per sample."""
    import sim
    from sim.engine import simulate_state
    from sim.outcomes import water

    state = simulate_state(sim.load_scenario(scenario))
    base = state.without_measures()
    water.compute(state, without_measures=base)  # warm-up: imports, caches
    found = {name: _present(name) for name in COMPONENTS}
    out: dict[str, list[float]] = {"water outcome (wall)": [], "  (cpu time)": [],
                                   "per simulated water year": []}  # fmt: skip
    for name, where in found.items():
        if where is not None:
            out[f"  {name}"], out[f"  {name} (cpu)"] = [], []
    for _ in range(repeat):
        sinks: dict[str, list[tuple[float, float]]] = {name: [] for name in found}
        wrappers = {
            where: _timed(getattr(sys.modules[where[0]], where[1]), sinks[name])
            for name, where in found.items()
            if where is not None
        }
        with _patched(wrappers):
            t0, c0 = time.perf_counter(), time.process_time()
            water.compute(state, without_measures=base)
            wall = time.perf_counter() - t0
            cpu = time.process_time() - c0
        out["water outcome (wall)"].append(wall)
        out["  (cpu time)"].append(cpu)
        out["per simulated water year"].append(wall / max(len(sinks["water year"]), 1))
        for name, where in found.items():
            if where is not None:
                out[f"  {name}"].append(sum(w for w, _ in sinks[name]))
                out[f"  {name} (cpu)"].append(sum(c for _, c in sinks[name]))
    return out


def _worker(src: str, scenario: str, repeat: int) -> dict[str, list[float]]:
    """Run :func:`measure` in a subprocess with ``src``'s package first on the path."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]); "
        "import bench_water as b; print(json.dumps(b.measure(sys.argv[3], int(sys.argv[4]))))"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), src, scenario, str(repeat)],
        check=True, capture_output=True, text=True, env=env, cwd=src,
    )  # fmt: skip
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _print_columns(labels: list[str], results: list[dict[str, list[float]]]) -> None:
    names = list(dict.fromkeys(n for r in results for n in r))
    print(f"{'median ms (min)':<28}" + "".join(f"{lab[-24:]:>26}" for lab in labels))
    for name in names:
        cells = []
        for r in results:
            v = r.get(name)
            cells.append(
                f"{statistics.median(v) * 1e3:>14.1f} ({min(v) * 1e3:7.1f})" if v else " " * 24
            )
        print(f"{name:<28}" + "".join(f"{c:>26}" for c in cells))
    n = {len(v) for r in results for v in r.values()}
    print(f"(samples per cell: {sorted(n)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/baseline.yaml"))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--src", action="append", default=[], help="another checkout's root")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds with --src")
    args = parser.parse_args()
    scenario = str(Path(args.scenario).resolve())
    print(f"scenario: {scenario}; load average at start {os.getloadavg()}")
    if not args.src:
        _print_columns([str(ROOT)], [measure(scenario, args.repeat)])
    else:
        srcs = [str(Path(s).resolve()) for s in args.src] + [str(ROOT)]
        results: list[dict[str, list[float]]] = [{} for _ in srcs]
        for _ in range(args.rounds):
            for res, src in zip(results, srcs, strict=True):
                for name, values in _worker(src, scenario, args.repeat).items():
                    res.setdefault(name, []).extend(values)
        _print_columns(srcs, results)
    print(f"load average at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
