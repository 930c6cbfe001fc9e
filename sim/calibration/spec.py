"""The calibration file and its observations (see :mod:`sim.calibration`).

A calibration file (YAML, validated by :class:`CalibrationSpec`) names a scenario, the free
parameters (scenario ``--set`` paths with an initial value and bounds), the seeds, the method and
the observation files with, per column, the observable it is compared with and its uncertainty.
Observed periods are mapped onto the simulated year as a climatology (same calendar months).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import yaml
from pydantic import Field, ValidationError

from sim.errors import CalibrationError
from sim.scenario.base import Section
from sim.scenario.loading import format_validation_error

__all__ = [
    "CalibrationSpec",
    "ColumnSpec",
    "Observation",
    "ObservationFileSpec",
    "ParameterSpec",
    "load_spec",
    "read_observations",
]


# -- the calibration file ------------------------------------------------------------------------
class ParameterSpec(Section):
    """A free parameter: a scenario ``--set`` path, its start value and bounds."""

    path: str = Field(min_length=1, description="Scenario path, e.g. air.region.pm25_ug_m3.")
    initial: float = Field(description="Start value.")
    lower: float = Field(description="Lower bound.")
    upper: float = Field(description="Upper bound.")


class ColumnSpec(Section):
    """How one observation column is compared with the model."""

    observable: str = Field(description="Built-in name or module:function.")
    scale: float = Field(1.0, description="Multiply observed values (e.g. 0.01 for %).")
    sigma: float = Field(0.0, ge=0, description="Absolute observation uncertainty.")
    sigma_rel: float = Field(0.0, ge=0, description="Relative observation uncertainty.")
    weight: float = Field(1.0, ge=0, description="Weight of these residuals.")
    kwargs: dict[str, Any] = Field(default_factory=dict, description="Passed to the observable.")
    soft: float = Field(
        0.0,
        ge=0,
        description=(
            "Passed as soft= to a day-count observable while fitting (a smooth count the "
            "optimiser can differentiate; sim.calibration.observables); the reported simulated "
            "values and statistics are exact. 0: exact throughout."
        ),
    )


class ObservationFileSpec(Section):
    """One CSV file of observations."""

    file: str = Field(description="CSV path, relative to the calibration file.")
    period: Literal["month", "range", "year"] = Field(
        description="month: columns year, month; range: start, end (YYYY-MM, inclusive); year."
    )
    where: dict[str, str] = Field(default_factory=dict, description="Keep rows with these values.")
    years: tuple[int, int] | None = Field(None, description="Observed years kept, inclusive.")
    columns: dict[str, ColumnSpec] = Field(description="Observed column -> comparison.")
    year_weights: dict[int, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict,
        description=(
            "Weight multiplier by observed year (missing years: 1), e.g. to let recent years "
            "count more when the observed series still trends."
        ),
    )


class CalibrationSpec(Section):
    """A calibration file."""

    scenario: str = Field(description="Scenario file, relative to the calibration file.")
    seeds: tuple[int, ...] = Field(
        (20240805,), min_length=1, description="Model = mean over these."
    )
    outcomes: tuple[str, ...] | None = Field(
        None,
        description=(
            "Outcomes the observables read (e.g. [air]): only these are computed and merged, "
            "which makes an evaluation several times cheaper; None: the whole Result."
        ),
    )
    method: Literal["least_squares", "differential_evolution"] = "least_squares"
    max_evaluations: int = Field(200, ge=1, description="Budget of model evaluations.")
    diff_step: float = Field(
        0.02, gt=0, description="Relative finite-difference step (good days are a step function)."
    )
    cross_validation: bool = Field(
        False,
        description=(
            "Leave each observed year out in turn, refit to the rest and predict it "
            "(sim.calibration.validation); written as cross_validation in the fitted file."
        ),
    )
    cv_max_evaluations: int = Field(
        40, ge=1, description="Budget of each cross-validation refit (it starts at the full fit)."
    )
    parameters: tuple[ParameterSpec, ...] = Field(min_length=1)
    observations: tuple[ObservationFileSpec, ...] = Field(min_length=1)
    output: str = Field("fitted/air.yaml", description="Fitted file, relative to this file.")
    figure: str | None = Field(
        "fitted/air_fit.png", description="Figure, relative; none: no figure."
    )


def load_spec(path: str | Path) -> CalibrationSpec:
    """Read and validate a calibration file."""
    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise CalibrationError(f"{p}: file not found") from None
    except yaml.YAMLError as exc:
        raise CalibrationError(f"{p}: YAML syntax error: {exc}") from None
    try:
        spec = CalibrationSpec.model_validate(raw)
    except ValidationError as exc:
        raise CalibrationError(*format_validation_error(exc, str(p), raw)) from None
    for prm in spec.parameters:
        if not prm.lower <= prm.initial <= prm.upper:
            raise CalibrationError(f"{p}: parameter {prm.path}: initial must lie within bounds")
    return spec


# -- observations --------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Observation:
    """One observed value, mapped onto the simulated year."""

    column: str
    observable: str
    label: str
    start: date
    end: date
    observed: float
    sigma: float
    weight: float
    kwargs: Mapping[str, Any]
    file: str
    soft: float = 0.0
    year: int = 0


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def read_observations(spec: CalibrationSpec, base: Path, sim_year: int) -> list[Observation]:
    """Every observation of ``spec`` mapped onto ``sim_year`` (same calendar months)."""
    out: list[Observation] = []
    for fspec in spec.observations:
        path = base / fspec.file
        try:
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
        except FileNotFoundError:
            raise CalibrationError(f"{path}: observation file not found") from None
        for key, value in fspec.where.items():
            table = table[table[key] == value]
        for _, row in table.iterrows():
            if fspec.period == "month":
                year, month = int(row["year"]), int(row["month"])
                start, end = _month_start(sim_year, month), _month_start(sim_year, month + 1)
                label = f"{year}-{month:02d}"
            elif fspec.period == "range":
                y0, m0 = (int(x) for x in row["start"].split("-"))
                y1, m1 = (int(x) for x in row["end"].split("-"))
                year = y0
                start = _month_start(sim_year, m0)
                end = _month_start(sim_year + (y1 - y0), m1 + 1)
                label = str(row.get("period") or f"{row['start']}..{row['end']}")
            else:
                year = int(row["year"])
                start, end, label = date(sim_year, 1, 1), date(sim_year + 1, 1, 1), str(year)
            if fspec.years is not None and not fspec.years[0] <= year <= fspec.years[1]:
                continue
            for column, cspec in fspec.columns.items():
                text = str(row.get(column, "")).strip()
                if not text:
                    continue
                observed = float(text) * cspec.scale
                sigma = max(cspec.sigma, cspec.sigma_rel * abs(observed)) or 1.0
                out.append(
                    Observation(
                        column, cspec.observable, label, start, end, observed, sigma,
                        cspec.weight * fspec.year_weights.get(year, 1.0), dict(cspec.kwargs),
                        fspec.file, cspec.soft, year,
                    )
                )  # fmt: skip
    if not out:
        raise CalibrationError("no observation selected (check where/years/columns)")
    return out
