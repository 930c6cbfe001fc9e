"""The search: differential evolution over mixed integer/continuous levers, with noisy constraints.

The optimiser is :func:`scipy.optimize.differential_evolution` (Storn & Price 1997): it needs no
gradient, takes integer levers (``integrality``), and hands a whole generation to a map-like
``workers`` callable, which here runs the generation's candidates x members through the sweep's
executors at once (local pool or Dask). With ``updating="deferred"`` and a fixed seed the sequence
of generations depends only on the energies, so a resumed search, whose runs are read back from the
store, retraces the same path and continues where it stopped.

Constraints are probabilities estimated from ``members`` runs. A candidate is feasible when, for
every constrained target, the Wilson lower bound of P(met) at ``search.confidence`` reaches the
required probability, and its median cost is within the budget. Energies follow the feasibility
rules of Deb (2000) as a static ordering: every feasible candidate ranks before every infeasible
one, feasible ones by the objective, infeasible ones by their total violation and, among equal
violations (the same counts of members meeting), by cost.

References
----------
Storn, R., Price, K. (1997). Differential evolution. J. Global Optim. 11, 341-359.
Deb, K. (2000). An efficient constraint handling method for genetic algorithms. Comput. Methods
Appl. Mech. Eng. 186, 311-338.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.ensemble import member_seed
from sim.optimise.evaluate import Evaluation, Evaluator, candidate_id
from sim.optimise.levers import decode, encode
from sim.optimise.spec import OptimiseSpec

__all__ = [
    "SearchResult",
    "decode",
    "encode",
    "feasible",
    "frontier",
    "rank_key",
    "run_search",
    "violation",
]

#: Energy offset of an infeasible candidate (above any feasible energy).
_INFEASIBLE = 1e18
#: Weight of an infeasible candidate's cost (mapped into [0, 1)) beside its shortfall: small
#: enough never to outweigh a shortfall of one member, large enough to be resolved at 1e18.
_TIE = 1e-3


def violation(spec: OptimiseSpec, ev: Evaluation, confidence: float) -> float:
    """Total shortfall of ``ev``: Wilson lower bounds below their constraint, cost over budget."""
    total = 0.0
    if spec.objective == "min_cost":
        for name, p in spec.constraints.items():
            total += max(0.0, p - ev.low(name, confidence))
    if spec.budget is not None:
        spent = ev.cost_cny() if spec.budget.on == "annualised_cost_cny" else ev.fiscal_cny()
        total += max(0.0, spent / spec.budget.max_cny - 1.0)
    if ev.failed:
        total += 1.0
    return total


def feasible(spec: OptimiseSpec, ev: Evaluation, confidence: float) -> bool:
    """Whether ``ev`` meets every constraint by its lower bounds and the budget."""
    return violation(spec, ev, confidence) <= 0.0


def _energy(spec: OptimiseSpec, ev: Evaluation) -> float:
    v = violation(spec, ev, spec.search.confidence)
    if v > 0:  # by the shortfall; among equal shortfalls (the same counts), the cheaper
        cost = ev.cost_cny()
        share = cost / (cost + 1.0) if math.isfinite(cost) else 1.0
        return _INFEASIBLE * (1.0 + v + _TIE * share)
    if spec.objective == "min_cost":
        return ev.cost_cny()
    budget = spec.budget.max_cny if spec.budget is not None else 1.0
    # Surest bundle; among equally sure ones, the cheaper (cost / budget < 1 breaks the tie).
    return -float(ev.k_all()) + 0.5 * ev.cost_cny() / budget


def frontier(evaluations: Iterable[Evaluation]) -> list[Evaluation]:
    """Non-dominated candidates: no other is as cheap and at least as sure (P(all met))."""
    ranked = sorted(evaluations, key=lambda e: (e.cost_cny(), -e.p_all()))
    out: list[Evaluation] = []
    best_p = -1.0
    for ev in ranked:
        if math.isfinite(ev.cost_cny()) and ev.p_all() > best_p:
            out.append(ev)
            best_p = ev.p_all()
    return out


@dataclass
class SearchResult:
    """What the search found."""

    archive: dict[str, Evaluation] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    points: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    best: Evaluation | None = None
    generations: int = 0

    @property
    def evaluations(self) -> int:
        """Distinct candidates evaluated."""
        return len(self.archive)


def search_seeds(spec: OptimiseSpec) -> list[int]:
    """The members' seeds of the search (shared by every candidate)."""
    return [member_seed(spec.search.seed, k) for k in range(spec.search.members)]


#: Share of the evaluations given to the global stage (the rest refines the best bundle).
GLOBAL_SHARE = 0.6


def _sizes(spec: OptimiseSpec) -> tuple[int, int]:
    """``popsize`` multiplier and ``maxiter`` of scipy's DE for the global stage's evaluations."""
    d = len(spec.levers)
    share = GLOBAL_SHARE if spec.objective == "min_cost" else 1.0
    evaluations = max(5, int(spec.search.evaluations * share))
    wanted = spec.search.population or max(5, min(10 * d, evaluations // 6))
    popsize = max(1, math.ceil(wanted / d))
    population = max(5, popsize * d)
    return popsize, max(0, evaluations // population - 1)


def run_search(
    spec: OptimiseSpec, evaluator: Evaluator, progress: Callable[[int, int], None] | None = None
) -> SearchResult:
    """Search the levers of ``spec``; every candidate runs with the search's members.

    A global stage (differential evolution) and, for ``min_cost``, a local stage
    (:func:`sim.optimise.refine.refine`) from the best bundle: the cheapest feasible one, or, if
    none is feasible, the cheapest of the least shortfall (which the local stage keeps).
    """
    from scipy.optimize import differential_evolution

    from sim.optimise.refine import refine

    seeds = search_seeds(spec)
    bounds, integral = encode(spec.levers)
    result = SearchResult()
    popsize, maxiter = _sizes(spec)

    def run(xs: list[NDArray[np.float64]]) -> list[Evaluation]:
        decoded = [decode(spec.levers, np.asarray(x, dtype=float)) for x in xs]
        evs = evaluator.evaluate([o for o, _ in decoded], seeds, "s", [v for _, v in decoded])
        for x, ev in zip(xs, evs, strict=True):
            cid = candidate_id(ev.overrides)
            if cid not in result.archive:
                result.archive[cid] = ev
                result.order.append(cid)
                result.points[cid] = np.asarray(x, dtype=float)
        if progress is not None:
            progress(len(result.archive), spec.search.evaluations)
        return evs

    def batch(func: Any, xs: Iterable[NDArray[np.float64]]) -> list[float]:
        del func
        result.generations += 1
        return [_energy(spec, ev) for ev in run(list(xs))]

    differential_evolution(
        _unused,
        bounds,
        popsize=popsize,
        maxiter=maxiter,
        tol=0.0,
        atol=0.0,
        polish=False,
        updating="deferred",
        workers=batch,
        integrality=integral,
        init="latinhypercube",
        rng=np.random.default_rng(spec.search.seed),
    )
    best = _ranked(spec, result)
    if spec.objective == "min_cost" and best is not None:
        # Feasible: stay feasible. None feasible: fall no further short than the best did, so
        # the remaining evaluations find the cheapest bundle of the least shortfall.
        floor = violation(spec, best, spec.search.confidence)

        def one(x: NDArray[np.float64]) -> tuple[Evaluation, bool]:
            (ev,) = run([x])
            return ev, violation(spec, ev, spec.search.confidence) <= floor

        refine(
            spec,
            result.points[candidate_id(best.overrides)],
            one,
            lambda: len(result.archive) < spec.search.evaluations,
        )
    result.best = _ranked(spec, result)
    return result


def _ranked(spec: OptimiseSpec, result: SearchResult) -> Evaluation | None:
    return min(result.archive.values(), key=lambda e: rank_key(spec, e), default=None)


def rank_key(spec: OptimiseSpec, ev: Evaluation) -> tuple[float, float, str]:
    """Deb's order as a sort key: the shortfall (0 when feasible), then the objective (the cost
    of an infeasible candidate), then the candidate's id (a stable tie-break)."""
    v = violation(spec, ev, spec.search.confidence)
    return v, _energy(spec, ev) if v <= 0 else ev.cost_cny(), candidate_id(ev.overrides)


def _unused(x: NDArray[np.float64]) -> float:  # pragma: no cover - batch() evaluates
    raise AssertionError("evaluated in batches")
