"""Toy optimisation problems with closed-form costs and responses, and their known optima."""

from __future__ import annotations

from typing import Any

from sim.optimise.evaluate import Evaluator
from sim.optimise.spec import OptimiseSpec
from sim.sweep.executors import SerialExecutor

TOY_RUNNER = "sim.optimise.runners:run_toy"

#: Linear: outcome = 20 - x0 - 3 x1 (+ noise), met when <= 8; cost = x0 + 2 x1.
#: x1 buys 1.5 units of response per CNY, x0 one: the optimum spends on x1 only.
LINEAR: dict[str, Any] = {
    "unit_cost": [1.0, 2.0],
    "effect": [1.0, 3.0],
    "baseline": 20.0,
    "threshold": 8.0,
    "noise_sd": 0.0,
}

#: Threshold: outcome = 20 - x0 - 3 x1 - 3 [x1 >= 3], met when <= 8; cost = on0 (0.3 + x0) + 2 x1,
#: x0 an integer switched by on0. The step makes x1 = 3 just enough (20 - 9 - 3 = 8): cost 6,
#: against 8 for x1 = 4 without it; x0 buys less per CNY than x1, so on0 = 0. Optimum: 6.
THRESHOLD: dict[str, Any] = {
    "unit_cost": [1.0, 2.0],
    "effect": [1.0, 3.0],
    "fixed_cost": [0.3, 0.0],
    "baseline": 20.0,
    "threshold": 8.0,
    "noise_sd": 0.0,
    "step": {"lever": 1, "at": 3.0, "effect": 3.0},
}


def toy_spec(base: dict[str, Any], levers: list[dict[str, Any]], **changes: Any) -> OptimiseSpec:
    """An optimisation question over a toy model (no scenario file)."""
    data: dict[str, Any] = {
        "name": "toy",
        "scenario_file": "toy",
        "levers": levers,
        "constraints": {"toy": 0.8},
        "search": {"evaluations": 200, "members": 12, "seed": 1},
        "verify": {"ensemble": 64, "frontier_points": 2},
    }
    for key, value in changes.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    spec = OptimiseSpec.model_validate(data)
    spec._base = base
    return spec


def toy_evaluator(spec: OptimiseSpec) -> Evaluator:
    """An evaluator running the toy model in this process, writing nothing."""
    return Evaluator(spec.base, "toy", list(spec.constraints), SerialExecutor(), None, TOY_RUNNER)
