"""The local stage: walk the best feasible bundle down each lever to the constraint's edge.

Differential evolution finds the right region in a few generations but closes in on a constraint
boundary slowly. The least-cost bundle usually sits on that boundary (one more unit of a lever
would buy a probability that is not needed), so after the global stage each lever in turn is moved
towards its cheaper end: straight there if the bundle stays feasible, else by bisection between the
feasible value and the infeasible end. Each step runs one candidate with the search's members
(common random numbers, so two steps differ by the lever only). A lever with a list of values tries
each value. It stops when the evaluation budget is spent or a pass over the levers gains nothing.
When no bundle is feasible, "feasible" here reads "no further short of the constraints than the
start" (the caller's ``evaluate`` decides): the walk then finds the cheapest bundle of the least
shortfall.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from sim.optimise.evaluate import Evaluation
from sim.optimise.levers import encode
from sim.optimise.spec import OptimiseSpec

__all__ = ["refine"]

#: Bisection steps per continuous lever and pass.
_STEPS = 8


def refine(
    spec: OptimiseSpec,
    start: NDArray[np.float64],
    evaluate: Callable[[NDArray[np.float64]], tuple[Evaluation, bool]],
    budget: Callable[[], bool],
) -> NDArray[np.float64]:
    """Coordinate descent on cost along each lever, keeping the bundle feasible.

    Parameters
    ----------
    start
        An encoded feasible point (:func:`sim.optimise.search.encode` space).
    evaluate
        Runs a point: its evaluation and whether it is acceptable (feasible, or no further short
        than the start when the start is not feasible).
    budget
        True while evaluations remain.
    """
    bounds, integral = encode(spec.levers)
    x = np.asarray(start, dtype=float).copy()
    best, _ = evaluate(x)
    for _ in range(3):
        gained = False
        for i, (lo, hi) in enumerate(bounds):
            if not budget():
                return x
            x_new, ev = _lever(x, i, lo, hi, bool(integral[i]), best, evaluate, budget)
            if ev.cost_cny() < best.cost_cny():
                x, best, gained = x_new, ev, True
        if not gained:
            break
    return x


def _lever(
    x: NDArray[np.float64],
    i: int,
    lo: float,
    hi: float,
    integral: bool,
    best: Evaluation,
    evaluate: Callable[[NDArray[np.float64]], tuple[Evaluation, bool]],
    budget: Callable[[], bool],
) -> tuple[NDArray[np.float64], Evaluation]:
    """The cheapest feasible value of lever ``i`` found from ``x`` (others fixed)."""
    ends = []
    for end in (lo, hi):
        if end != x[i] and budget():
            y = x.copy()
            y[i] = end
            ev, ok = evaluate(y)
            ends.append((ev.cost_cny(), end, ev, ok))
    cheaper = [e for e in ends if e[0] < best.cost_cny()]
    if not cheaper:
        return x, best
    _, end, ev, ok = min(cheaper, key=lambda e: e[0])
    if ok:
        y = x.copy()
        y[i] = end
        return y, ev
    good, bad, found = float(x[i]), float(end), (x, best)
    for _ in range(_STEPS if not integral else 64):
        mid = (good + bad) / 2.0
        if integral:
            mid = float(np.floor(mid) if bad < good else np.ceil(mid))
            if mid in (good, bad):
                break
        if not budget():
            break
        y = x.copy()
        y[i] = mid
        ev, ok = evaluate(y)
        if ok and ev.cost_cny() < found[1].cost_cny():
            good, found = mid, (y, ev)
        else:
            bad = mid
    return found
