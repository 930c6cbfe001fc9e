"""Fitted-parameter uncertainty for ensembles: each member draws the calibrated parameters.

The calibration (:mod:`sim.calibration.fit`) writes the parameters' covariance ``Σ = s²·(JᵀJ)⁻¹``
(linearised least squares: the Jacobian ``J`` of the weighted residuals). A member draws
``θ = θ̂ + L·z`` with ``z`` standard normal, ``L`` a square root of ``Σ`` and ``θ̂`` the scenario's
own value of each parameter (so a scenario that overrides one keeps its centre), clipped to the
calibration bounds. The draw uses the member's own random stream, so a member is reproducible and
two bundles' members draw the same parameters (common random numbers).

:func:`variance_split` splits the members' annual PM2.5 variance: the part a linear regression on
the drawn parameters explains (adjusted R², Wherry's correction) is ``parameters``; ``inputs``,
the scenario's uncertain inputs (drawn from the same member seed as the weather), is 0 when none
of them can reach the air outcome and otherwise an upper bound: the variance, over members, of
the one part of PM2.5 the inputs act through (:func:`sim.ensemble.inputs_variance_bound`) over
the variance of PM2.5; ``weather`` is the rest.

References
----------
Bates, D.M. and Watts, D.G. (1988), *Nonlinear Regression Analysis and Its Applications*, Wiley,
§2.3 (the linear approximation to the parameters' joint distribution).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml
from numpy.typing import NDArray

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = [
    "FITTED_AIR",
    "ParameterDistribution",
    "draw_parameters",
    "load_distribution",
    "variance_split",
]

F64 = NDArray[np.float64]
#: The air calibration's fitted file (repository layout).
FITTED_AIR = Path(__file__).resolve().parents[2] / "calibration" / "fitted" / "air.yaml"


@dataclass(frozen=True)
class ParameterDistribution:
    """Joint normal of fitted parameters: names (scenario paths), covariance, bounds."""

    names: tuple[str, ...]
    covariance: F64
    lower: F64
    upper: F64

    def root(self) -> F64:
        """``L`` with ``L·Lᵀ = Σ`` (eigen-decomposition: robust to a singular ``Σ``)."""
        values, vectors = np.linalg.eigh(self.covariance)
        return np.asarray(vectors * np.sqrt(np.clip(values, 0.0, None)))


def load_distribution(path: str | Path = FITTED_AIR) -> ParameterDistribution | None:
    """The distribution in a fitted file; None without the file or without a covariance."""
    p = Path(path)
    if not p.is_file():
        return None
    doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    cov = doc.get("covariance")
    params = doc.get("parameters") or {}
    if not cov or not params:
        return None
    names = tuple(params)
    return ParameterDistribution(
        names=names,
        covariance=np.asarray([cov[n] for n in names], dtype=np.float64),
        lower=np.asarray([params[n]["lower"] for n in names], dtype=np.float64),
        upper=np.asarray([params[n]["upper"] for n in names], dtype=np.float64),
    )


def _value(scenario: Scenario, path: str) -> float | None:
    """The scenario's value at a dotted path; None where a section is off (e.g. no air)."""
    obj: Any = scenario
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return float(obj)


def draw_parameters(
    scenario: Scenario, rng: np.random.Generator, dist: ParameterDistribution | None
) -> tuple[Scenario, dict[str, float]]:
    """The scenario with the fitted parameters drawn once (module docstring), and the draws."""
    if dist is None:
        return scenario, {}
    from sim.scenario import scenario_from_mapping

    values = [_value(scenario, n) for n in dist.names]
    if any(v is None for v in values):
        return scenario, {}
    centre = np.array(values, dtype=np.float64)
    theta = np.clip(centre + dist.root() @ rng.standard_normal(len(dist.names)), dist.lower,
                    dist.upper)  # fmt: skip
    drawn = {n: float(v) for n, v in zip(dist.names, theta, strict=True)}
    new = scenario_from_mapping(scenario.raw, origin=scenario.origin, overrides=drawn)
    return new, drawn


def variance_split(
    pm25: Sequence[float], draws: Sequence[dict[str, float]], has_uncertain_inputs: bool,
    inputs_variance: float | None = None,
) -> dict[str, float | None]:
    """Fractions of the variance of annual PM2.5 over members (module docstring).

    ``inputs_variance``: an upper bound on the variance the uncertain inputs add (µg²/m⁶), 0 when
    they cannot reach the air outcome; None leaves ``inputs`` None when there are uncertain
    inputs (not separated).
    """
    y = np.asarray(pm25, dtype=np.float64)
    names = sorted(draws[0]) if draws and draws[0] else []
    parameters = 0.0
    if names and y.size > len(names) + 2 and np.var(y) > 0:
        x = np.column_stack([np.ones(y.size)] + [[d[n] for d in draws] for n in names])
        coef, *_ = np.linalg.lstsq(x, y, rcond=None)
        r2 = np.var(x @ coef) / np.var(y)
        # adjusted R²: a few members and several parameters explain some variance by chance
        adjusted = 1.0 - (1.0 - r2) * (y.size - 1) / (y.size - len(names) - 1)
        parameters = float(np.clip(adjusted, 0.0, 1.0))
    inputs: float | None = 0.0
    if has_uncertain_inputs:
        inputs = None
        if inputs_variance is not None and np.isfinite(inputs_variance):
            total = float(np.var(y))
            share = inputs_variance / total if total > 0 else 0.0
            inputs = float(np.clip(share, 0.0, 1.0 - parameters))
    rest = 1.0 - parameters - (inputs or 0.0)
    return {
        "weather": round(rest, 4),
        "inputs": None if inputs is None else round(inputs, 4),
        "parameters": round(parameters, 4),
    }
