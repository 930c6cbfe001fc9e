"""Sweep files: which scenario, which inputs vary and how, which design, which outcomes to keep.

A sweep file (``sweeps/*.yaml``) is validated like a scenario: unknown keys are errors, every
problem is one line naming the file and the field, ``--set design.n=64`` works, and every
``key`` of a lever or an uncertainty is checked against the base scenario at load time.
See ``docs/sweep.md`` for the format.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, PrivateAttr, field_validator, model_validator

from sim.errors import ScenarioError
from sim.scenario.base import Item, Section
from sim.scenario.distributions import Distribution
from sim.scenario.loading import (
    apply_overrides,
    deep_merge,
    read_with_extends,
    validate_mapping,
)
from sim.sweep.quantiles import support

__all__ = [
    "Comparison",
    "DatasetOutcome",
    "Design",
    "Parameter",
    "SummaryOutcome",
    "SweepSpec",
    "load_sweep",
]

Method = Literal["lhs", "sobol", "morris", "grid", "mc"]
Reduction = Literal["sum", "mean", "max", "min", "median"]


class Parameter(Item):
    """One varied scenario input: a ``range`` (uniform), a list of ``values``, or a ``dist``."""

    name: str = Field(
        min_length=1,
        pattern=r"^[A-Za-z0-9_\-]+$",
        description="Short name: the coordinate name in sweep.nc and the label in figures.",
    )
    key: str = Field(
        min_length=1, description="Scenario path set for each run, as with --set (a.b[name].c)."
    )
    range: tuple[float, float] | None = Field(
        None, description="[low, high]: sampled uniformly (design in the unit cube, scaled)."
    )
    values: list[Any] | None = Field(
        None, min_length=1, description="Discrete values (numbers, dates or texts), equally likely."
    )
    dist: Distribution | None = Field(
        None, description="A distribution (sim.scenario.distributions); sampled by inverse CDF."
    )
    integer: bool = Field(False, description="Round sampled numbers to whole numbers.")
    levels: int = Field(5, ge=2, description="grid design: points across a range or dist.")

    @model_validator(mode="after")
    def _one_kind(self) -> Parameter:
        given = [k for k in ("range", "values", "dist") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of range, values, dist (got {given or 'none'})")
        if self.range is not None and not self.range[0] <= self.range[1]:
            raise ValueError(f"range low (={self.range[0]}) must be <= high (={self.range[1]})")
        if self.key.split(".")[0] == "run" and self.key.endswith("seed"):
            raise ValueError("run.seed is set by the sweep (one seed per run), not a parameter")
        return self

    @property
    def is_numeric(self) -> bool:
        """Whether sampled values are numbers (a ``values`` list may hold texts or dates)."""
        if self.values is None:
            return True
        return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in self.values)


class Design(Section):
    """How the parameters are sampled."""

    method: Method = Field(
        "lhs",
        description="lhs (Latin hypercube), sobol (Saltelli, n*(d+2) runs), morris (n "
        "trajectories, n*(d+1) runs), grid (full factorial), mc (plain Monte Carlo).",
    )
    n: int = Field(64, ge=1, description="Samples (lhs, mc), base size (sobol) or trajectories.")
    seed: int = Field(20240805, ge=0, description="Seed of the design and of every run's seed.")
    levels: int = Field(4, ge=2, description="morris: grid levels of each parameter.")
    second_order: bool = Field(False, description="sobol: also second-order indices (2d+2).")


class SummaryOutcome(Section):
    """A value at a path in a run's summary (``total_t.PM2.5``, ``air.pm25_annual_mean_ug_m3``)."""

    name: str = Field(min_length=1, description="Variable name in sweep.nc.")
    summary: str = Field(min_length=1, description="Dotted path into the run's summary.")
    units: str = Field("", description="Units, for sweep.nc attributes.")


class DatasetOutcome(Section):
    """A reduction of a variable of a run's Dataset (e.g. monthly emissions of PM2.5)."""

    name: str = Field(min_length=1, description="Variable name in sweep.nc.")
    variable: str = Field(min_length=1, description="Variable of the results Dataset.")
    select: dict[str, Any] = Field(
        default_factory=dict, description="Coordinate labels to pick, e.g. {pollutant: PM2.5}."
    )
    reduce: Reduction = Field("sum", description="How the `over` dimensions are reduced.")
    over: list[str] | Literal["all"] = Field(
        "all", description="Dimensions reduced; 'all' leaves a number per run."
    )
    hourly: bool = Field(
        False, description="Allow keeping the hourly `time` dimension (large: opt in)."
    )


class Comparison(Section):
    """A threshold that an outcome must meet (one or two of le, lt, ge, gt)."""

    le: float | None = Field(None, description="Met when the outcome is <= this.")
    lt: float | None = Field(None, description="Met when the outcome is < this.")
    ge: float | None = Field(None, description="Met when the outcome is >= this.")
    gt: float | None = Field(None, description="Met when the outcome is > this.")
    source: str | None = Field(None, description="Where the threshold comes from.")

    @model_validator(mode="after")
    def _some(self) -> Comparison:
        if all(getattr(self, k) is None for k in ("le", "lt", "ge", "gt")):
            raise ValueError("give at least one of le, lt, ge, gt")
        return self


def _as_outcome(entry: Any) -> Any:
    if isinstance(entry, str):
        return {"name": entry, "summary": entry}
    if isinstance(entry, dict) and "summary" in entry and "name" not in entry:
        return {**entry, "name": entry["summary"]}
    return entry


class SweepSpec(Section):
    """A sweep: base scenario, levers, uncertainties, design, replications, outcomes, targets."""

    name: str = Field(
        min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$", description="Short name; default folder."
    )
    description: str = Field("", description="What the sweep explores.")
    scenario_file: str = Field(description="Base scenario, relative to the sweep file.")
    scenario_changes: dict[str, Any] = Field(
        default_factory=dict,
        description="Deep-merged over the base scenario for every run (e.g. {run: {end: ...}}).",
    )
    levers: list[Parameter] = Field(default_factory=list, description="What the bureau decides.")
    uncertainties: list[Parameter] = Field(
        default_factory=list, description="What nobody decides (factors, compliance, ...)."
    )
    design: Design = Field(default_factory=Design, description="Sampling design.")
    replications: int = Field(1, ge=1, description="Weather seeds (runs) per sample.")
    common_random_numbers: bool = Field(
        False,
        description="Replication r uses the same seed in every sample (default: a seed per "
        "sample and replication).",
    )
    outcomes: list[Annotated[SummaryOutcome | DatasetOutcome, Field(union_mode="left_to_right")]]
    targets: dict[str, Comparison] = Field(
        default_factory=dict, description="Outcome name -> threshold (until the scorecard)."
    )
    probability: float = Field(
        0.9, gt=0, le=1, description="Probability of meeting all targets sought by the analysis."
    )

    _origin: str = PrivateAttr(default="<memory>")
    _base: dict[str, Any] = PrivateAttr(default_factory=dict)

    @field_validator("outcomes", mode="before")
    @classmethod
    def _normalise_outcomes(cls, value: Any) -> Any:
        return [_as_outcome(v) for v in value] if isinstance(value, list) else value

    @model_validator(mode="after")
    def _consistent(self) -> SweepSpec:
        names = [p.name for p in self.parameters]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"parameter names must be unique: {dup}")
        keys = [p.key for p in self.parameters]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"a scenario key may be varied once only: {dup}")
        onames = [o.name for o in self.outcomes]
        dup = sorted({n for n in onames if onames.count(n) > 1})
        if dup:
            raise ValueError(f"outcome names must be unique: {dup}")
        if not self.outcomes:
            raise ValueError("outcomes: name at least one outcome")
        unknown = sorted(set(self.targets) - set(onames))
        if unknown:
            raise ValueError(f"targets name outcomes that are not listed in outcomes: {unknown}")
        if not self.parameters:
            raise ValueError("give at least one lever or uncertainty")
        return self

    @property
    def parameters(self) -> list[Parameter]:
        """Levers, then uncertainties (the columns of the design)."""
        return [*self.levers, *self.uncertainties]

    @property
    def origin(self) -> str:
        """The file the sweep was read from."""
        return self._origin

    @property
    def base(self) -> dict[str, Any]:
        """The resolved base scenario mapping (extends followed, scenario_changes merged)."""
        return self._base

    @property
    def spec_hash(self) -> str:
        """SHA-256 (16 hex digits) of the sweep and its base scenario: identifies a sweep folder."""
        return spec_digest(self.model_dump(mode="json"), self._base)


def spec_digest(spec: dict[str, Any], base: dict[str, Any]) -> str:
    """SHA-256 (16 hex digits) of a spec file's content and its resolved base scenario.

    Shared by sweeps and optimisations: it names the output folder a resumed run must match.
    """
    blob = json.dumps(
        {"spec": spec, "base": base}, sort_keys=True, default=str, separators=(",", ":")
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _probe_values(p: Parameter) -> list[Any]:
    """Values of ``p`` that must each give a valid scenario: the ends of its support."""
    if p.values is not None:
        return list(p.values)
    if p.range is not None:
        lo, hi = p.range
    else:
        assert p.dist is not None
        lo, hi = support(p.dist)
    if p.integer:
        lo, hi = round(lo), round(hi)
    return [lo, hi]


def check_keys(spec: SweepSpec) -> list[str]:
    """Problems with the parameters' scenario keys: each is tried at the ends of its support."""
    from sim.scenario import scenario_from_mapping

    problems: list[str] = []
    for group in ("levers", "uncertainties"):
        for p in getattr(spec, group):
            for value in _probe_values(p):
                try:
                    scenario_from_mapping(spec.base, origin="scenario", overrides={p.key: value})
                except ScenarioError as exc:
                    detail = "; ".join(line.split(": ", 1)[-1] for line in exc.problems)
                    problems.append(f"{group}[{p.name}].key = {p.key!r} with {value!r}: {detail}")
                    break
    return problems


_Spec = TypeVar("_Spec", bound=Section)


def read_spec(model: type[_Spec], path: Path, overrides: list[str] | tuple[str, ...]) -> _Spec:
    """Read a sweep-like file (a sweep or an optimisation): ``extends:``, ``--set`` overrides
    and validation as ``model``, then its base scenario with ``scenario_changes`` merged in
    (``_base``) and checked as a scenario. ``model`` has ``scenario_file``,
    ``scenario_changes`` and the private ``_origin`` and ``_base``. One-line errors name the
    file and the field (:class:`sim.errors.ScenarioError`)."""
    from sim.scenario import scenario_from_mapping

    data = read_with_extends(path)
    data.setdefault("name", path.stem)
    origins: dict[tuple[str | int, ...], str] = {}
    if overrides:
        data, origins = apply_overrides(data, list(overrides))
    spec = validate_mapping(model, data, str(path), origins)
    found: Any = spec
    found._origin = str(path)
    base = read_with_extends(Path(found.scenario_file))
    base.setdefault("name", Path(found.scenario_file).stem)
    found._base = deep_merge(base, found.scenario_changes)
    try:
        scenario_from_mapping(found._base, origin=found.scenario_file)
    except ScenarioError as exc:
        raise ScenarioError(*(f"{path}: scenario_changes: {p}" for p in exc.problems)) from None
    return spec


def load_sweep(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> SweepSpec:
    """Read, override (``--set``) and validate a sweep file, and check it against its scenario.

    Raises
    ------
    sim.errors.ScenarioError
        One line per problem, naming the file and the field.
    """
    path = Path(path)
    spec = read_spec(SweepSpec, path, overrides)
    problems = check_keys(spec)
    if problems:
        raise ScenarioError(*(f"{path}: {p}" for p in problems))
    return spec
