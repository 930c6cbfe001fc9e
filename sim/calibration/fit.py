"""The fit: model evaluations, scipy optimisation, standard errors (see :mod:`sim.calibration`)."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.calibration.observables import resolve_observable
from sim.calibration.output import CalibrationResult, fit_statistics, plot_fit, write_fitted
from sim.calibration.spec import CalibrationSpec, Observation, load_spec, read_observations
from sim.calibration.validation import correlation, cross_validate, seed_noise
from sim.errors import CalibrationError, SimError

if TYPE_CHECKING:
    import xarray as xr

    from sim.engine import RunState
    from sim.scenario.schema import Scenario

__all__ = ["CalibrationResult", "Model", "calibrate"]

log = logging.getLogger(__name__)
F64 = NDArray[np.float64]


class Model:
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
        from sim.outcomes.air import forecast_daily_pm25

        scenario = self.scenario(x)
        key_blob = json.dumps(
            scenario.model_dump(mode="json", exclude={"air", "water", "name"}), sort_keys=True
        )
        out = []
        for seed in self.spec.seeds:
            key = (key_blob, seed)
            if key not in self.states:
                self.states[key] = simulate_state(
                    scenario, seed=seed, pm25_forecast=forecast_daily_pm25
                )
            state = dataclasses.replace(self.states[key], scenario=scenario)
            out.append(self._dataset(state))
        self.evaluations += 1
        return out

    def _dataset(self, state: RunState) -> xr.Dataset:
        """The results Dataset, or only the listed outcomes' variables (``spec.outcomes``)."""
        import importlib

        import xarray as xr

        from sim.outcomes import compute_outcomes
        from sim.outcomes.plan import plan_facts
        from sim.results import Result

        without = state.without_measures()  # the api's counterfactual, run once per state
        if self.spec.outcomes is None:
            outcomes = compute_outcomes(state, without)
            return Result.assemble(state, outcomes, plan_facts(state)).dataset
        parts = []
        for name in self.spec.outcomes:
            try:
                module = importlib.import_module(f"sim.outcomes.{name}")
            except ImportError:
                raise CalibrationError(f"outcomes: no outcome module sim.outcomes.{name}") from None
            kw = {"air": "counterfactual", "water": "without_measures"}.get(name)
            parts.append(module.compute(state, **({kw: without} if kw else {})).dataset)
        return xr.merge(parts, combine_attrs="override") if len(parts) > 1 else parts[0]

    def simulate(self, x: F64, observations: list[Observation], *, exact: bool = False) -> F64:
        """The observables at ``x``, mean over the seeds; ``exact``: ignore ``soft``."""
        return np.asarray(self.per_seed(x, observations, exact=exact).mean(axis=0))

    def per_seed(self, x: F64, observations: list[Observation], *, exact: bool = False) -> F64:
        """The observables at ``x`` seed by seed, ``(n_seeds, n_observations)``."""
        datasets = self.datasets(x)
        values = np.zeros((len(datasets), len(observations)))
        for i, obs in enumerate(observations):
            func = resolve_observable(obs.observable)
            kwargs = dict(obs.kwargs)
            if obs.soft > 0 and not exact:
                kwargs["soft"] = obs.soft
            values[:, i] = [func(ds, obs.start, obs.end, **kwargs) for ds in datasets]
        return values


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


def _covariance(jac: F64, residuals: F64, x: F64, lower: F64, upper: F64) -> F64:
    """Parameter covariance ``s²·(JᵀJ)⁻¹``, ``s² = Σr²/(m - n)`` (columns scaled first)."""
    m, n = jac.shape
    s2 = float(residuals @ residuals) / max(m - n, 1)
    scale = np.maximum(np.abs(x), 1e-3 * (upper - lower))
    js = jac * scale
    return np.asarray(np.linalg.pinv(js.T @ js) * s2 * np.outer(scale, scale))


def _standard_errors(jac: F64, residuals: F64, x: F64, lower: F64, upper: F64) -> F64:
    """Standard errors: the root of the diagonal of :func:`_covariance`."""
    cov = _covariance(jac, residuals, x, lower, upper)
    return np.asarray(np.sqrt(np.clip(np.diag(cov), 0.0, None)))


def _optimise(
    spec: CalibrationSpec, fun: Callable[[F64], F64], x0: F64, lower: F64, upper: F64
) -> tuple[F64, F64, bool, str]:
    """Minimise ``0.5 |fun(x)|²`` by ``spec.method``: (x, Jacobian at x, success, message)."""
    from scipy.optimize import differential_evolution, least_squares

    if spec.method == "least_squares":
        res = least_squares(
            fun, x0, bounds=(lower, upper), x_scale="jac", diff_step=spec.diff_step,
            max_nfev=spec.max_evaluations, method="trf",
        )  # fmt: skip
        return res.x, res.jac, bool(res.success), str(res.message)
    n_par = len(x0)
    popsize = max(2, spec.max_evaluations // (n_par * 10) or 1)
    de = differential_evolution(
        lambda x: float(np.sum(fun(x) ** 2)), list(zip(lower, upper, strict=True)),
        x0=x0, seed=0, maxiter=max(1, spec.max_evaluations // (popsize * n_par) - 1),
        popsize=popsize, polish=False, tol=1e-6,
    )  # fmt: skip
    return (
        de.x,
        _jacobian(fun, de.x, lower, upper, spec.diff_step),
        bool(de.success),
        str(de.message),
    )


def _judge(
    spec: CalibrationSpec,
    model: Model,
    observations: list[Observation],
    x: F64,
    jac: F64,
    residuals: F64,
    bounds: tuple[F64, F64],
) -> dict[str, object]:
    """Covariance and correlation, seed noise and (if asked) leave-one-year-out validation."""
    lower, upper = bounds
    names = [p.path for p in spec.parameters]
    cov = _covariance(jac, residuals, x, lower, upper)
    out: dict[str, object] = {
        "covariance": {
            n: [float(f"{v:.6g}") for v in row] for n, row in zip(names, cov, strict=True)
        },
        "correlation": {
            n: [round(float(v), 3) for v in row]
            for n, row in zip(names, correlation(cov), strict=True)
        },
        "seed_noise": seed_noise(
            model.per_seed(x, observations),
            np.array([o.observed for o in observations]),
            np.array([o.sigma for o in observations]),
        ),
    }
    if not spec.cross_validation:
        return out
    from scipy.optimize import least_squares

    def refit(train: list[Observation]) -> F64:
        res = least_squares(
            lambda p: _residuals(model.simulate(p, train), train), x, bounds=(lower, upper),
            x_scale="jac", diff_step=spec.diff_step, max_nfev=spec.cv_max_evaluations,
        )  # fmt: skip
        return np.asarray(res.x)

    stats, records = cross_validate(
        observations, refit, lambda p, test: model.simulate(p, test, exact=True)
    )
    out["cross_validation"] = {"method": "leave one observed year out", **stats}
    out["cross_validation_predictions"] = records
    return out


def _fit_table(observations: list[Observation], simulated: F64) -> pd.DataFrame:
    """Observed beside simulated, one row per observation (the fitted file's ``data_used``)."""
    return pd.DataFrame(
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


def calibrate(path: str | Path, *, write: bool = True, figure: bool = True) -> CalibrationResult:
    """Run the calibration described by the file ``path`` (module docstring).

    Writes the fitted file (parameters, bounds, objective, data used, statistics, date) and the
    observed-vs-simulated figure next to it, unless ``write``/``figure`` are False.

    Raises
    ------
    CalibrationError
        On a bad calibration file, missing data, or a failed fit.
    """
    t0 = time.perf_counter()
    path = Path(path)
    spec = load_spec(path)
    base = path.parent
    model = Model(spec, base)
    sim_year = model.scenario(np.array([p.initial for p in spec.parameters])).run.start.year
    observations = read_observations(spec, base, sim_year)
    for obs in observations:
        resolve_observable(obs.observable)
    x0 = np.array([p.initial for p in spec.parameters], dtype=np.float64)
    lower = np.array([p.lower for p in spec.parameters], dtype=np.float64)
    upper = np.array([p.upper for p in spec.parameters], dtype=np.float64)

    def fun(x: F64) -> F64:
        r = _residuals(model.simulate(x, observations), observations)
        log.info("evaluation %d: cost %.4g", model.evaluations, 0.5 * float(r @ r))
        return r

    x, jac, success, message = _optimise(spec, fun, x0, lower, upper)
    # the objective and standard errors as fitted (soft counts); the table and statistics exact
    residuals = _residuals(model.simulate(x, observations), observations)
    se = _standard_errors(np.asarray(jac), residuals, x, lower, upper)
    extras = _judge(spec, model, observations, x, np.asarray(jac), residuals, (lower, upper))
    simulated = model.simulate(x, observations, exact=True)

    table = _fit_table(observations, simulated)
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
        extras=extras,
    )
    if write:
        write_fitted(result, spec, path, x0, time.perf_counter() - t0)
        if result.figure is not None:
            plot_fit(table, result.figure)
    return result
