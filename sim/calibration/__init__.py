"""Calibration: fit scenario parameters to observations over arbitrary periods, with scipy.

A calibration file (``calibration/air.yaml``) names a scenario, the free parameters (scenario
``--set`` paths with an initial value and bounds), the observation files and which *observable*
each column is compared with, the seeds and the method. An observable is a function
``f(dataset, start, end, **kwargs) -> float`` of a run's results Dataset over ``[start, end)``:
the built-ins of :data:`OBSERVABLES`, or any ``module:function`` import path.

Observations cover any period (a month, a quarter, Jan-Oct, a year). Observed years are mapped onto
the simulated year as a climatology: each observed period is compared with the same calendar
months of the simulated year (``years`` selects which observed years enter).

Modules: :mod:`~sim.calibration.observables` (what is compared), :mod:`~sim.calibration.spec`
(the file and its observations), :mod:`~sim.calibration.fit` (evaluations, optimiser, standard
errors), :mod:`~sim.calibration.output` (statistics, fitted file, figure). ``sim.calibrate``
is :func:`calibrate`: ``sim.calibrate("calibration/air.yaml")``.
"""

from __future__ import annotations

from sim.calibration.fit import Model, calibrate
from sim.calibration.observables import (
    HEAVY_AQI,
    OBSERVABLES,
    Observable,
    exceedance_ratio,
    good_days_ratio,
    heavy_days,
    no2_mean,
    o3_8h_p90,
    pm10_mean,
    pm25_mean,
    resolve_observable,
)
from sim.calibration.output import (
    BENCHMARKS,
    CalibrationResult,
    fit_statistics,
    plot_fit,
    write_fitted,
)
from sim.calibration.spec import (
    CalibrationSpec,
    ColumnSpec,
    Observation,
    ObservationFileSpec,
    ParameterSpec,
    load_spec,
    read_observations,
)

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
