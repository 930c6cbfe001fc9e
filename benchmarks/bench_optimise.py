"""Benchmark of ``sim optimise``: the time per candidate-member, before and after the lean run.

1. **Per member, in this process** (one core, warm): the same candidates and members of an
   optimisation file evaluated

   - *before*: the runner of the first version — validate the scenario with the candidate's
     levers, ``sim.api.run(attribution=False)`` (every outcome: air, water, soil; the results
     Dataset, events table, emission tables), score every target of the scenario;
   - *after*: :func:`sim.optimise.runners.scored` on :func:`~sim.optimise.runners.scoring_base`
     — only the outcome modules the constrained targets read, no Dataset
     (:func:`sim.api.run_summary`).

   Both must give the same P(met) counts and costs (checked here). Medians over the members.
2. **Per batch on the local pool** (``--workers``): the wall time of mapping one candidate x
   ``members`` runs through a pool started for the batch (the first version: a pool per
   generation and per refinement step) and through a kept pool (``LocalPoolExecutor(keep=True)``),
   medians over ``--batches``.

Usage::

    python benchmarks/bench_optimise.py --candidates 3 --members 4 --workers 2 --batches 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def before(base: dict[str, Any], origin: str, overrides: dict[str, Any], seed: int) -> Any:
    """The first version's runner: a full ``sim.api.run`` (no attribution), every target scored."""
    from sim.api import run
    from sim.optimise.runners import _score
    from sim.scenario import scenario_from_mapping

    scenario = scenario_from_mapping(base, origin=origin, overrides=overrides)
    return _score(scenario, run(scenario, seed=seed, attribution=False).summary)


def candidates(spec: Any, n: int) -> list[dict[str, Any]]:
    """``n`` spread candidates: all measures on at the top of their ranges, all off, and mixes."""
    import numpy as np

    from sim.optimise.levers import decode, encode

    bounds, _ = encode(spec.levers)
    lo, hi = np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
    points = [hi, lo] + [lo + (hi - lo) * f for f in np.linspace(0.3, 0.7, max(0, n - 2))]
    return [decode(spec.levers, x)[0] for x in points[:n]]


def per_member(spec: Any, cands: list[dict[str, Any]], members: int) -> dict[str, list[float]]:
    """Seconds per candidate-member of each runner, and a check that they agree."""
    from sim.optimise.runners import scored, scoring_base
    from sim.optimise.search import search_seeds

    seeds = search_seeds(spec)[:members]
    lean_base = scoring_base(spec.base, spec.constraints)
    before(spec.base, spec.scenario_file, cands[0], seeds[0])  # warm both paths
    scored(lean_base, spec.scenario_file, cands[0], seeds[0])
    times: dict[str, list[float]] = {"before": [], "after": []}
    for overrides in cands:
        for seed in seeds:
            t0 = time.perf_counter()
            old = before(spec.base, spec.scenario_file, overrides, seed)
            times["before"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            new = scored(lean_base, spec.scenario_file, overrides, seed)
            times["after"].append(time.perf_counter() - t0)
            for t in spec.constraints:
                assert old.summary["met"][t] == new.summary["met"][t], (t, seed)
            assert old.summary["costs"] == new.summary["costs"], seed
    return times


def per_batch(spec: Any, cands: list[dict[str, Any]], members: int, workers: int, batches: int):  # type: ignore[no-untyped-def]
    """Wall seconds of one candidate x ``members`` on a pool per batch and on a kept pool."""
    from sim.optimise.evaluate import Evaluator
    from sim.optimise.runners import scoring_base
    from sim.optimise.search import search_seeds
    from sim.sweep.executors import LocalPoolExecutor

    seeds = search_seeds(spec)[:members]
    out: dict[str, list[float]] = {}
    for label, keep in (("pool per batch", False), ("kept pool", True)):
        executor = LocalPoolExecutor(workers, keep=keep)
        base = scoring_base(spec.base, spec.constraints)
        evaluator = Evaluator(base, spec.scenario_file, list(spec.constraints), executor, None)
        evaluator.evaluate([cands[0]], seeds, "warm")
        out[label] = []
        for b in range(batches):
            t0 = time.perf_counter()
            evaluator.evaluate([cands[(b + 1) % len(cands)]], seeds, f"b{b}")
            out[label].append(time.perf_counter() - t0)
        executor.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default=str(ROOT / "optimise" / "pm25_goodays_80.yaml"))
    parser.add_argument("--candidates", type=int, default=3)
    parser.add_argument("--members", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batches", type=int, default=3)
    args = parser.parse_args()
    from sim.optimise import load_optimisation

    spec = load_optimisation(args.file)
    cands = candidates(spec, args.candidates)
    print(f"load average {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} CPUs")
    times = per_member(spec, cands, args.members)
    b, a = statistics.median(times["before"]), statistics.median(times["after"])
    n = len(times["before"])
    print(f"per candidate-member, one core ({n} runs each, same P(met) and costs):")
    print(f"  before (full run)    median {b:.3f} s")
    print(f"  after  (lean run)    median {a:.3f} s   ratio {b / a:.2f}")
    if args.workers > 1 and args.batches > 0:
        batch = per_batch(spec, cands, args.members, args.workers, args.batches)
        print(f"one candidate x {args.members} members on {args.workers} workers (lean runner):")
        for label, vals in batch.items():
            med = statistics.median(vals)
            print(f"  {label:<15} median {med:.2f} s  ({med / args.members:.3f} s a member)")
    print(f"load average {os.getloadavg()[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
