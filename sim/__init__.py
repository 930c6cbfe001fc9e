"""sim: a discrete-event emissions and policy simulator for a district's air and water targets.

The Python API mirrors the command line::

    import sim
    scenario = sim.load_scenario("scenarios/baseline.yaml", overrides=["run.seed=7"])
    result = sim.run(scenario)
    result.dataset            # xarray Dataset (CF-1.8)
    result.save("outputs/baseline")
    sim.Result.load("outputs/baseline")

Heavy libraries are imported on first use, so ``sim --help`` stays fast; ``dir(sim)`` and
``__all__`` list every public name all the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.errors import CalibrationError, ScenarioError, SimError, SweepError

if TYPE_CHECKING:
    from sim.api import load_scenario, run
    from sim.calibration import calibrate
    from sim.forecasting import forecast
    from sim.optimise import optimise
    from sim.results import Result
    from sim.sweep import run_sweep

__all__ = [
    "CalibrationError",
    "Result",
    "ScenarioError",
    "SimError",
    "SweepError",
    "calibrate",
    "forecast",
    "load_scenario",
    "optimise",
    "run",
    "run_sweep",
]


def __getattr__(name: str) -> Any:
    if name in {"load_scenario", "run"}:
        from sim import api

        return getattr(api, name)
    if name == "calibrate":
        from sim.calibration import calibrate

        return calibrate
    if name == "forecast":
        from sim.forecasting import forecast

        return forecast
    if name == "optimise":
        from sim.optimise import optimise

        return optimise
    if name == "run_sweep":
        from sim.sweep import run_sweep

        return run_sweep
    if name == "Result":
        from sim.results import Result

        return Result
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names (:data:`__all__`), including those imported on first use."""
    return sorted({*__all__, *(k for k in globals() if k.startswith("__"))})
