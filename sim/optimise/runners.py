"""What a worker runs for one candidate and member: a scored run, reduced to a few numbers.

Each runner has the signature of the sweep's runners, ``(base, origin, overrides, seed)``, so the
sweep's executors (local pool, Dask) run it unchanged, and returns an object with ``summary``
(``met.<target>`` 1/0, NaN when not evaluated, and ``costs``) and ``dataset`` (None).

:func:`run_toy` is a model with closed-form costs and responses, for checking the search on
problems whose optimum is known (``tests/optimise/``).
"""

from __future__ import annotations

import functools
import math
import pickle
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Scored", "needs", "run_toy", "scored", "scoring_base"]


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


def needs(scenario: Any) -> tuple[frozenset[str], bool]:
    """What scoring ``scenario``'s targets needs: the outcome modules their metrics read, and
    whether one reads the attribution by family (``measures.*``). Costs are always there."""
    from sim.outcomes import OUTCOMES
    from sim.targets import scenario_targets

    heads = {t.metric.split(".", 1)[0] for t in scenario_targets(scenario)}
    return frozenset(heads & set(OUTCOMES)), "measures" in heads


def scored(base: dict[str, Any], origin: str, overrides: dict[str, Any], seed: int) -> Scored:
    """Validate the scenario with ``overrides``, run it with ``seed`` and score its targets.

    A lean run (:func:`sim.api.run_summary`): only the outcome modules the scenario's targets read
    (the optimiser hands a base whose targets are the constrained ones, see
    :func:`scoring_base`), the attribution by family only if a target reads it, no Dataset.
    Like an ensemble member, the run draws the fitted parameters with its seed
    (:func:`sim.ensemble.member_scenario`), so the probabilities carry the fitted parameters'
    uncertainty beside the weather's and the inputs'.
    """
    from sim.api import run_summary
    from sim.ensemble import member_scenario

    scenario = _validated(pickle.dumps((base, origin, overrides), protocol=5))
    outcomes, attribution = needs(scenario)
    drawn, _ = member_scenario(scenario, seed)
    summary = run_summary(drawn, seed=seed, outcomes=outcomes, attribution=attribution)
    return _score(scenario, summary)


@functools.lru_cache(maxsize=4)
def _validated(blob: bytes) -> Any:
    """The scenario of a pickled ``(base, origin, overrides)``, validated once per process for
    the last few candidates: every member of a candidate has the same scenario (only the seed
    differs), and the validation costs a tenth of a lean run. A bounded memo of a pure function
    (the scenario is frozen), as :func:`sim.calendar`'s."""
    from sim.scenario import scenario_from_mapping

    base, origin, overrides = pickle.loads(blob)
    return scenario_from_mapping(base, origin=origin, overrides=overrides)


def scoring_base(base: dict[str, Any], targets: Collection[str]) -> dict[str, Any]:
    """``base`` with only the ``targets`` named kept in its ``targets.items`` (a toy model's
    parameters, with no targets, are returned as they are): a worker then computes only what
    those targets read."""
    section = base.get("targets")
    if not isinstance(section, dict) or not isinstance(section.get("items"), list):
        return base
    items = [t for t in section["items"] if isinstance(t, dict) and t.get("name") in targets]
    return {**base, "targets": {**section, "items": items}}


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
