"""What a worker runs for one candidate and member: a scored run, reduced to a few numbers.

Each runner has the signature of the sweep's runners, ``(base, origin, overrides, seed)``, so the
sweep's executors (local pool, Dask) run it unchanged, and returns an object with ``summary``
(``met.<target>`` 1/0, NaN when not evaluated, and ``costs``) and ``dataset`` (None).

:func:`run_toy` is a model with closed-form costs and responses, for checking the search on
problems whose optimum is known (``tests/optimise/``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Scored", "run_toy", "scored", "scored_with_attribution"]


@dataclass(frozen=True)
class Scored:
    """A run reduced to what the search reads."""

    summary: dict[str, Any]
    dataset: Any = None


def _score(scenario: Any, summary: dict[str, Any]) -> Scored:
    from sim.targets import MET, evaluate, scenario_targets, target_value

    met: dict[str, float] = {}
    for t in scenario_targets(scenario):
        status, _ = evaluate(t, target_value(t, summary))
        met[t.name] = math.nan if status == "not evaluated" else float(status == MET)
    costs = summary.get("costs") or {}
    return Scored(
        {
            "met": met,
            "costs": {
                "annualised_cost_cny": float(costs.get("annualised_cost_cny", 0.0)),
                "fiscal_outlay_cny": float(costs.get("fiscal_outlay_cny", 0.0)),
            },
        }
    )


def scored(
    base: dict[str, Any],
    origin: str,
    overrides: dict[str, Any],
    seed: int,
    attribution: bool = False,
) -> Scored:
    """Validate the scenario with ``overrides``, run it with ``seed`` and score its targets."""
    from sim.api import run
    from sim.scenario import scenario_from_mapping

    scenario = scenario_from_mapping(base, origin=origin, overrides=overrides)
    result = run(scenario, seed=seed, attribution=attribution)
    return _score(scenario, result.summary)


def scored_with_attribution(
    base: dict[str, Any], origin: str, overrides: dict[str, Any], seed: int
) -> Scored:
    """As :func:`scored`, with the attribution by family (targets reading ``measures.*``)."""
    return scored(base, origin, overrides, seed, attribution=True)


def run_toy(base: dict[str, Any], origin: str, overrides: dict[str, Any], seed: int) -> Scored:
    """A toy bundle with closed-form cost and response, and a noisy outcome per member.

    ``base`` holds ``unit_cost`` (CNY per unit of each lever ``x<i>``), ``effect`` (response per
    unit), ``baseline`` (the outcome without measures), ``threshold`` (target: outcome <= it),
    ``noise_sd`` (member noise, normal), and optionally ``step``: ``{lever, at, effect}``, an extra
    effect once a lever reaches ``at`` (a threshold response). Lever values are ``overrides``
    ``x0, x1, ...``; ``on<i>`` (0/1) switches lever ``i`` and adds ``fixed_cost[i]``.
    """
    del origin
    n = len(base["unit_cost"])
    x = np.array([float(overrides.get(f"x{i}", 0.0)) for i in range(n)])
    on = np.array([float(overrides.get(f"on{i}", 1.0)) for i in range(n)])
    fixed = np.asarray(base.get("fixed_cost", [0.0] * n), dtype=float)
    cost = float(np.sum(on * (np.asarray(base["unit_cost"]) * x + fixed)))
    outcome = float(base["baseline"]) - float(np.sum(on * np.asarray(base["effect"]) * x))
    step = base.get("step")
    if step and on[step["lever"]] > 0 and x[step["lever"]] >= step["at"]:
        outcome -= float(step["effect"])
    noise = float(np.random.default_rng(seed).normal(0.0, float(base["noise_sd"])))
    met = float(outcome + noise <= float(base["threshold"]))
    return Scored(
        {"met": {"toy": met}, "costs": {"annualised_cost_cny": cost, "fiscal_outlay_cny": cost}}
    )
