"""Calibration: fit scenario parameters to observations over arbitrary periods, with scipy.

A calibration file (``calibration/air.yaml``) names a scenario, the free parameters (scenario
``--set`` paths with an initial value and bounds), the observation files and which *observable*
each column is compared with, the seeds and the method. An observable is a function
``f(dataset, start, end, **kwargs) -> float`` of a run's results Dataset over ``[start, end)``:
the built-ins of :data:`OBSERVABLES`, or any ``module:function`` import path.

Observations cover any period (a month, a quarter, Jan-Oct, a year). Observed years are mapped onto
the simulated year as a climatology: each observed period is compared with the same calendar
months of the simulated year (``years`` selects which observed years enter).

Usage: ``sim calibrate calibration/air.yaml`` or ``sim.calibrate("calibration/air.yaml")``.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import logging
import sys
import time
import types
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import yaml
from numpy.typing import NDArray
from pydantic import Field, ValidationError

from sim.errors import CalibrationError, SimError
from sim.scenario.base import Section
from sim.scenario.loading import format_validation_error

if TYPE_CHECKING:
    import xarray as xr

    from sim.engine import RunState
    from sim.scenario.schema import Scenario

__all__ = [
    "BENCHMARKS",
    "OBSERVABLES",
    "CalibrationResult",
    "CalibrationSpec",
    "Observation",
    "calibrate",
    "fit_statistics",
    "load_spec",
    "read_observations",
    "resolve_observable",
]

log = logging.getLogger(__name__)
F64 = NDArray[np.float64]
Observable = Callable[..., float]


# -- observables ---------------------------------------------------------------------------------
def _hours(ds: xr.Dataset, start: date, end: date) -> Any:
    return ds["air_concentration"].sel(time=slice(str(start), str(end - pd.Timedelta(hours=1))))


def _days(ds: xr.Dataset, name: str, start: date, end: date) -> Any:
    return ds[name].sel(day=slice(str(start), str(end - pd.Timedelta(days=1))))


def pm25_mean(ds: xr.Dataset, start: date, end: date) -> float:
    """Mean PM2.5 over ``[start, end)``, µg/m³."""
    return float(_hours(ds, start, end).sel(air_pollutant="PM2.5").mean())


def pm10_mean(ds: xr.Dataset, start: date, end: date) -> float:
    """Mean PM10 over ``[start, end)``, µg/m³."""
    return float(_hours(ds, start, end).sel(air_pollutant="PM10").mean())


def no2_mean(ds: xr.Dataset, start: date, end: date) -> float:
    """Mean NO2 over ``[start, end)``, µg/m³."""
    return float(_hours(ds, start, end).sel(air_pollutant="NO2").mean())


def o3_8h_p90(ds: xr.Dataset, start: date, end: date) -> float:
    """90th percentile of the daily maximum 8-h O3 over the days of ``[start, end)``, µg/m³."""
    from sim.air.aqi import o3_8h_percentile

    return float(o3_8h_percentile(_days(ds, "o3_mda8", start, end).values))


def good_days_ratio(ds: xr.Dataset, start: date, end: date) -> float:
    """Share of days of ``[start, end)`` with AQI <= 100, as a fraction."""
    aqi = _days(ds, "aqi", start, end).values
    valid = ~np.isnan(aqi)
    return float(np.sum(aqi[valid] <= 100.0) / max(int(valid.sum()), 1))


#: Built-in observables by name.
OBSERVABLES: dict[str, Observable] = {
    "pm25_mean": pm25_mean,
    "pm10_mean": pm10_mean,
    "no2_mean": no2_mean,
    "o3_8h_p90": o3_8h_p90,
    "good_days_ratio": good_days_ratio,
}

#: Benchmarks per observable: (goal, criterion), each (|NMB| max, NME max, r min or None).
#: PM: Emery et al. 2017 (JAWMA 67:582); O3 MDA8: Emery et al. 2017 (DOMAIN.md §2).
BENCHMARKS: dict[str, tuple[tuple[float, float, float | None], ...]] = {
    "pm25_mean": ((0.10, 0.35, 0.70), (0.30, 0.50, 0.40)),
    "pm10_mean": ((0.10, 0.35, 0.70), (0.30, 0.50, 0.40)),
    "o3_8h_p90": ((0.05, 0.15, None), (0.15, 0.25, None)),
}


def resolve_observable(name: str) -> Observable:
    """A built-in observable, or ``module:function``."""
    if name in OBSERVABLES:
        return OBSERVABLES[name]
    if ":" not in name:
        raise CalibrationError(
            f"observable {name!r}: not built in ({', '.join(OBSERVABLES)}) and not module:function"
        )
    module_name, func_name = name.split(":", 1)
    try:
        func = getattr(importlib.import_module(module_name), func_name)
    except (ImportError, AttributeError) as exc:
        raise CalibrationError(f"observable {name!r}: cannot import ({exc})") from None
    if not callable(func):
        raise CalibrationError(f"observable {name!r} is not callable")
    return func


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


class ObservationFileSpec(Section):
    """One CSV file of observations."""

    file: str = Field(description="CSV path, relative to the calibration file.")
    period: Literal["month", "range", "year"] = Field(
        description="month: columns year, month; range: start, end (YYYY-MM, inclusive); year."
    )
    where: dict[str, str] = Field(default_factory=dict, description="Keep rows with these values.")
    years: tuple[int, int] | None = Field(None, description="Observed years kept, inclusive.")
    columns: dict[str, ColumnSpec] = Field(description="Observed column -> comparison.")


class CalibrationSpec(Section):
    """A calibration file."""

    scenario: str = Field(description="Scenario file, relative to the calibration file.")
    seeds: tuple[int, ...] = Field(
        (20240805,), min_length=1, description="Model = mean over these."
    )
    method: Literal["least_squares", "differential_evolution"] = "least_squares"
    max_evaluations: int = Field(200, ge=1, description="Budget of model evaluations.")
    diff_step: float = Field(
        0.02, gt=0, description="Relative finite-difference step (good days are a step function)."
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
                        cspec.weight, dict(cspec.kwargs), fspec.file,
                    )
                )  # fmt: skip
    if not out:
        raise CalibrationError("no observation selected (check where/years/columns)")
    return out


# -- statistics ----------------------------------------------------------------------------------
def fit_statistics(observed: F64, simulated: F64, observable: str = "") -> dict[str, Any]:
    """NMB, NME, Pearson r and the benchmark verdict (DOMAIN.md §2) of one variable.

    ``NMB = Σ(M - O)/ΣO``, ``NME = Σ|M - O|/ΣO`` (Emery et al. 2017); r needs >= 3 pairs.
    """
    o, m = np.asarray(observed, float), np.asarray(simulated, float)
    nmb = float(np.sum(m - o) / np.sum(o))
    nme = float(np.sum(np.abs(m - o)) / np.sum(o))
    r = float(np.corrcoef(o, m)[0, 1]) if o.size >= 3 and np.std(o) > 0 and np.std(m) > 0 else None
    verdict = "no benchmark"
    if observable in BENCHMARKS:
        verdict = "fails criterion"
        for name, (b_nmb, b_nme, b_r) in zip(
            ("goal", "criterion"), BENCHMARKS[observable], strict=True
        ):
            ok = abs(nmb) <= b_nmb and nme <= b_nme and (b_r is None or r is None or r >= b_r)
            if ok:
                verdict = f"meets {name}"
                break
    return {"n": int(o.size), "nmb": round(nmb, 4), "nme": round(nme, 4),
            "r": None if r is None else round(r, 3), "verdict": verdict}  # fmt: skip


# -- the model evaluation ------------------------------------------------------------------------
class _Model:
    """Evaluates observables for a parameter vector; reuses runs whose emissions cannot change."""

    def __init__(self, spec: CalibrationSpec, base: Path) -> None:
        from sim.scenario.loading import read_with_extends

        self.spec = spec
        path = base / spec.scenario
        self.origin = str(path)
        self.raw = read_with_extends(path)
        self.raw.setdefault("name", path.stem)
        self.states: dict[tuple[str, int], RunState] = {}
        self.evaluations = 0

    def scenario(self, x: F64) -> Scenario:
        from sim.scenario import scenario_from_mapping

        overrides = {p.path: float(v) for p, v in zip(self.spec.parameters, x, strict=True)}
        try:
            return scenario_from_mapping(self.raw, origin=self.origin, overrides=overrides)
        except SimError as exc:
            raise CalibrationError(*exc.problems) from None

    def datasets(self, x: F64) -> list[xr.Dataset]:
        from sim.engine import simulate_state
        from sim.results import Result

        scenario = self.scenario(x)
        key_blob = json.dumps(
            scenario.model_dump(mode="json", exclude={"air", "water", "name"}), sort_keys=True
        )
        out = []
        for seed in self.spec.seeds:
            key = (key_blob, seed)
            if key not in self.states:
                self.states[key] = simulate_state(scenario, seed=seed)
            state = dataclasses.replace(self.states[key], scenario=scenario)
            out.append(Result.from_state(state).dataset)
        self.evaluations += 1
        return out

    def simulate(self, x: F64, observations: list[Observation]) -> F64:
        datasets = self.datasets(x)
        values = np.zeros(len(observations))
        for i, obs in enumerate(observations):
            func = resolve_observable(obs.observable)
            values[i] = np.mean([func(ds, obs.start, obs.end, **obs.kwargs) for ds in datasets])
        return values


@dataclasses.dataclass
class CalibrationResult:
    """What a calibration found."""

    parameters: dict[str, float]
    standard_errors: dict[str, float | None]
    statistics: dict[str, dict[str, Any]]
    table: pd.DataFrame
    cost: float
    evaluations: int
    success: bool
    message: str
    output: Path
    figure: Path | None


def _residuals(sim: F64, observations: list[Observation]) -> F64:
    obs = np.array([o.observed for o in observations])
    sigma = np.array([o.sigma for o in observations])
    weight = np.sqrt(np.array([o.weight for o in observations]))
    return np.asarray(weight * (sim - obs) / sigma)


def _jacobian(fun: Callable[[F64], F64], x: F64, lower: F64, upper: F64, step: float) -> F64:
    f0 = fun(x)
    jac = np.zeros((f0.size, x.size))
    for j in range(x.size):
        h = step * max(abs(x[j]), 1e-3 * (upper[j] - lower[j]))
        xj = x.copy()
        xj[j] = x[j] + h if x[j] + h <= upper[j] else x[j] - h
        jac[:, j] = (fun(xj) - f0) / (xj[j] - x[j])
    return jac


def _standard_errors(jac: F64, residuals: F64, x: F64, lower: F64, upper: F64) -> F64:
    """Standard errors from ``cov = s²·(JᵀJ)⁻¹``, ``s² = Σr²/(m - n)`` (columns scaled first)."""
    m, n = jac.shape
    s2 = float(residuals @ residuals) / max(m - n, 1)
    scale = np.maximum(np.abs(x), 1e-3 * (upper - lower))
    js = jac * scale
    cov = np.linalg.pinv(js.T @ js) * s2
    return np.asarray(np.sqrt(np.clip(np.diag(cov), 0.0, None)) * scale)


def calibrate(path: str | Path, *, write: bool = True, figure: bool = True) -> CalibrationResult:
    """Run the calibration described by the file ``path`` (module docstring).

    Writes the fitted file (parameters, bounds, objective, data used, statistics, date) and the
    observed-vs-simulated figure next to it, unless ``write``/``figure`` are False.

    Raises
    ------
    CalibrationError
        On a bad calibration file, missing data, or a failed fit.
    """
    from scipy.optimize import differential_evolution, least_squares

    t0 = time.perf_counter()
    path = Path(path)
    spec = load_spec(path)
    base = path.parent
    model = _Model(spec, base)
    sim_year = model.scenario(np.array([p.initial for p in spec.parameters])).run.start.year
    observations = read_observations(spec, base, sim_year)
    for obs in observations:
        resolve_observable(obs.observable)
    x0 = np.array([p.initial for p in spec.parameters], dtype=np.float64)
    lower = np.array([p.lower for p in spec.parameters], dtype=np.float64)
    upper = np.array([p.upper for p in spec.parameters], dtype=np.float64)

    def fun(x: F64) -> F64:
        return _residuals(model.simulate(x, observations), observations)

    if spec.method == "least_squares":
        res = least_squares(
            fun, x0, bounds=(lower, upper), x_scale="jac", diff_step=spec.diff_step,
            max_nfev=spec.max_evaluations, method="trf",
        )  # fmt: skip
        x, jac, success, message = res.x, res.jac, bool(res.success), str(res.message)
    else:
        n_par = len(x0)
        popsize = max(2, spec.max_evaluations // (n_par * 10) or 1)
        de = differential_evolution(
            lambda x: float(np.sum(fun(x) ** 2)), list(zip(lower, upper, strict=True)),
            x0=x0, seed=0, maxiter=max(1, spec.max_evaluations // (popsize * n_par) - 1),
            popsize=popsize, polish=False, tol=1e-6,
        )  # fmt: skip
        x, success, message = de.x, bool(de.success), str(de.message)
        jac = _jacobian(fun, x, lower, upper, spec.diff_step)
    simulated = model.simulate(x, observations)
    residuals = _residuals(simulated, observations)
    se = _standard_errors(np.asarray(jac), residuals, x, lower, upper)

    table = pd.DataFrame(
        {
            "file": [o.file for o in observations],
            "column": [o.column for o in observations],
            "observable": [o.observable for o in observations],
            "period": [o.label for o in observations],
            "start": [o.start.isoformat() for o in observations],
            "end": [o.end.isoformat() for o in observations],
            "observed": [o.observed for o in observations],
            "simulated": np.round(simulated, 4),
        }
    )
    stats = {
        name: fit_statistics(group["observed"].to_numpy(), group["simulated"].to_numpy(), name)
        for name, group in table.groupby("observable", sort=False)
    }
    names = [p.path for p in spec.parameters]
    result = CalibrationResult(
        parameters={n: float(v) for n, v in zip(names, x, strict=True)},
        standard_errors={
            n: (None if not np.isfinite(s) else float(s)) for n, s in zip(names, se, strict=True)
        },
        statistics=stats,
        table=table,
        cost=float(0.5 * residuals @ residuals),
        evaluations=model.evaluations,
        success=success,
        message=message,
        output=base / spec.output,
        figure=(base / spec.figure) if (spec.figure and figure) else None,
    )
    if write:
        _write_fitted(result, spec, path, x0, time.perf_counter() - t0)
        if result.figure is not None:
            _plot(table, result.figure)
    return result


def _write_fitted(
    result: CalibrationResult, spec: CalibrationSpec, path: Path, x0: F64, elapsed_s: float
) -> None:
    doc = {
        "calibration_file": str(path),
        "scenario": spec.scenario,
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "method": spec.method,
        "seeds": list(spec.seeds),
        "assumption": (
            "climatology: each observed period is compared with the same calendar months of the "
            "simulated year; only the observed years listed under data_used enter"
        ),
        "parameters": {
            p.path: {
                "value": round(result.parameters[p.path], 6),
                "standard_error": (
                    None if result.standard_errors[p.path] is None
                    else round(float(result.standard_errors[p.path] or 0.0), 6)
                ),
                "initial": float(x0[i]),
                "lower": p.lower,
                "upper": p.upper,
            }
            for i, p in enumerate(spec.parameters)
        },
        "objective": {
            "definition": "0.5 * sum(weight * ((simulated - observed) / sigma)^2)",
            "value": round(result.cost, 6),
            "evaluations": result.evaluations,
            "success": result.success,
            "message": result.message,
            "run_time_s": round(elapsed_s, 2),
        },
        "statistics": result.statistics,
        "data_used": result.table.to_dict(orient="records"),
    }  # fmt: skip
    result.output.parent.mkdir(parents=True, exist_ok=True)
    result.output.write_text(
        "# Written by `sim calibrate`; do not edit by hand.\n"
        + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )


def _plot(table: pd.DataFrame, target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = list(table.groupby("observable", sort=False))
    fig, axes = plt.subplots(len(groups), 1, figsize=(10, 2.8 * len(groups)), squeeze=False)
    for ax, (name, group) in zip(axes[:, 0], groups, strict=True):
        labels = [
            f"{p} ({c})" if c != name else p
            for p, c in zip(group["period"], group["column"], strict=True)
        ]
        idx = np.arange(len(group))
        ax.plot(idx, group["observed"], "o", color="k", label="observed")
        ax.plot(idx, group["simulated"], "s", color="tab:red", mfc="none", label="simulated")
        ax.set_xticks(idx, labels, rotation=60, ha="right", fontsize=7)
        ax.set_title(name, fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=110)
    plt.close(fig)


class _CallableModule(types.ModuleType):
    """Lets ``sim.calibrate(path)`` work once this module has been imported as ``sim.calibrate``."""

    def __call__(self, path: str | Path, **kwargs: Any) -> CalibrationResult:
        return calibrate(path, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
