"""Optimisation files: base scenario, levers, probability constraints, budget, objective, search.

An optimisation file (``optimise/*.yaml``) is validated like a scenario or a sweep file: unknown
keys are errors, every problem is one line naming the file and the field,
``--set search.members=16`` works, every lever key is tried against the base scenario at both
ends of its range, and every constrained target must be a target of the base scenario (named as
in the scorecard).
See ``docs/optimise.md`` for the format.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from sim.errors import ScenarioError
from sim.scenario.base import Section
from sim.sweep.spec import Parameter, check_keys, read_spec, spec_digest

__all__ = [
    "Budget",
    "OptimiseSpec",
    "SearchSettings",
    "VerifySettings",
    "load_optimisation",
    "z_value",
]

Objective = Literal["min_cost", "max_p_all_met"]
CostKind = Literal["annualised_cost_cny", "fiscal_outlay_cny"]


def z_value(confidence: float) -> float:
    """Two-sided standard-normal quantile of a ``confidence`` interval (0.9 -> 1.645)."""
    from scipy.stats import norm

    return float(norm.ppf(0.5 + confidence / 2.0))


class Budget(Section):
    """An upper bound on one cost figure of the candidate (CNY a year)."""

    on: CostKind = Field("annualised_cost_cny", description="Which cost the budget bounds.")
    max_cny: float = Field(gt=0, description="The budget, CNY (median over the members).")


class SearchSettings(Section):
    """How the search spends its runs."""

    evaluations: int = Field(150, ge=4, description="Candidate bundles evaluated in total.")
    members: int = Field(12, ge=1, description="Ensemble members per candidate (shared by all).")
    seed: int = Field(20240805, ge=0, description="Seed of the optimiser and of the members.")
    confidence: float = Field(
        0.9,
        gt=0,
        lt=1,
        description="Two-sided confidence of the Wilson interval; its lower bound must meet p.",
    )
    population: int = Field(
        0, ge=0, description="Candidates per generation (0: about evaluations / 6, at least 5)."
    )


class VerifySettings(Section):
    """How the best bundle and the frontier are checked with fresh members."""

    ensemble: int = Field(64, ge=1, description="Fresh members (seeds not used by the search).")
    confidence: float = Field(0.9, gt=0, lt=1, description="Two-sided confidence of P(met).")
    frontier_points: int = Field(5, ge=0, description="Frontier bundles verified besides the best.")


class OptimiseSpec(Section):
    """A question: which lever values meet the constraints at the least cost (or surest)."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$", description="Short name.")
    description: str = Field("", description="The question in words.")
    scenario_file: str = Field(description="Base scenario, relative to this file.")
    scenario_changes: dict[str, Any] = Field(
        default_factory=dict, description="Deep-merged over the base scenario for every run."
    )
    levers: list[Parameter] = Field(
        description="Lever syntax of sweeps: key and range (integer: true) or values."
    )
    constraints: dict[str, float] = Field(
        description="Target name (as in the scorecard) -> least probability of meeting it."
    )
    budget: Budget | None = Field(None, description="Optional bound on a cost figure.")
    objective: Objective = Field(
        "min_cost",
        description="min_cost: least annualised cost subject to the constraints; max_p_all_met: "
        "surest bundle (P(all constrained targets met)) within the budget.",
    )
    search: SearchSettings = Field(default_factory=SearchSettings, description="The search.")
    verify: VerifySettings = Field(default_factory=VerifySettings, description="Verification.")

    _origin: str = PrivateAttr(default="<memory>")
    _base: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> OptimiseSpec:
        if not self.levers:
            raise ValueError("levers: give at least one lever")
        names = [p.name for p in self.levers]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"lever names must be unique: {dup}")
        for p in self.levers:
            if p.dist is not None:
                raise ValueError(f"levers[{p.name}]: a lever takes range or values, not dist")
        if not self.constraints:
            raise ValueError("constraints: name at least one target with its probability")
        for name, prob in self.constraints.items():
            if not 0 < prob < 1:
                raise ValueError(f"constraints.{name} (={prob}) must be a probability in (0, 1)")
        if self.objective == "max_p_all_met" and self.budget is None:
            raise ValueError("objective max_p_all_met needs a budget")
        self._check_members()
        return self

    def _check_members(self) -> None:
        # With k = n members all meeting a target, the Wilson lower bound is n / (n + z^2):
        # fewer members than z^2 p / (1 - p) can never show P >= p.
        if self.objective != "min_cost":
            return
        z2 = z_value(self.search.confidence) ** 2
        hardest = max(self.constraints.values())
        need = math.ceil(z2 * hardest / (1 - hardest) + 1e-9)
        if self.search.members < need:
            raise ValueError(
                f"search.members (={self.search.members}) cannot show P >= {hardest} at "
                f"{self.search.confidence:.0%} confidence; use at least {need}"
            )
        need_v = math.ceil(z_value(self.verify.confidence) ** 2 * hardest / (1 - hardest) + 1e-9)
        if self.verify.ensemble < need_v:
            raise ValueError(
                f"verify.ensemble (={self.verify.ensemble}) cannot show P >= {hardest}; "
                f"use at least {need_v}"
            )

    @property
    def uncertainties(self) -> list[Parameter]:
        """None: the search shares the members' draws (read by the sweep's key check)."""
        return []

    @property
    def origin(self) -> str:
        """The file the question was read from."""
        return self._origin

    @property
    def base(self) -> dict[str, Any]:
        """The resolved base scenario mapping (extends followed, scenario_changes merged)."""
        return self._base

    @property
    def spec_hash(self) -> str:
        """SHA-256 (16 hex digits) of the question and its base: identifies an output folder."""
        return spec_digest(self.model_dump(mode="json"), self._base)


def _check_targets(spec: OptimiseSpec) -> list[str]:
    items = (spec.base.get("targets") or {}).get("items") or []
    known = [str(t.get("name")) for t in items if isinstance(t, dict)]
    return [
        f"constraints.{name}: not a target of the base scenario (targets: {', '.join(known)})"
        for name in spec.constraints
        if name not in known
    ]


def load_optimisation(
    path: str | Path, overrides: list[str] | tuple[str, ...] = ()
) -> OptimiseSpec:
    """Read, override (``--set``) and validate an optimisation file against its base scenario.

    Raises
    ------
    sim.errors.ScenarioError
        One line per problem, naming the file and the field.
    """
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: no such optimisation file")
    spec = read_spec(OptimiseSpec, path, overrides)
    problems = _check_targets(spec) + check_keys(spec)  # type: ignore[arg-type]  # levers and uncertainties, as a sweep
    if problems:
        raise ScenarioError(*(f"{path}: {p}" for p in problems))
    return spec
