"""``sim.calibrate``: the calibration API (implemented in :mod:`sim.calibration`), callable.

``sim.calibrate("calibration/air.yaml")`` and ``from sim.calibrate import calibrate`` both run the
calibration described by a file; every public name of :mod:`sim.calibration` is re-exported here
(observables, spec, fit statistics), so ``sim.calibrate:no2_mean`` is a valid observable path.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

from sim.calibration import (
    BENCHMARKS,
    HEAVY_AQI,
    OBSERVABLES,
    CalibrationResult,
    CalibrationSpec,
    ColumnSpec,
    Model,
    Observable,
    Observation,
    ObservationFileSpec,
    ParameterSpec,
    calibrate,
    exceedance_ratio,
    fit_statistics,
    good_days_ratio,
    heavy_days,
    load_spec,
    no2_mean,
    o3_8h_p90,
    plot_fit,
    pm10_mean,
    pm25_mean,
    read_observations,
    resolve_observable,
    write_fitted,
)

#: Former private name of :class:`sim.calibration.fit.Model`.
_Model = Model

__all__ = [
    "BENCHMARKS",
    "HEAVY_AQI",
    "OBSERVABLES",
    "CalibrationResult",
    "CalibrationSpec",
    "ColumnSpec",
    "Model",
    "Observable",
    "Observation",
    "ObservationFileSpec",
    "ParameterSpec",
    "calibrate",
    "exceedance_ratio",
    "fit_statistics",
    "good_days_ratio",
    "heavy_days",
    "load_spec",
    "no2_mean",
    "o3_8h_p90",
    "plot_fit",
    "pm10_mean",
    "pm25_mean",
    "read_observations",
    "resolve_observable",
    "write_fitted",
]


class _CallableModule(types.ModuleType):
    """Lets ``sim.calibrate(path)`` work once this module has been imported as ``sim.calibrate``."""

    def __call__(self, path: str | Path, **kwargs: Any) -> CalibrationResult:
        return calibrate(path, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
