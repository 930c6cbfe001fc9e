"""What a measure's process registration may use: the live SimPy run and its parts.

Kept apart from :mod:`sim.engine` so that the policies, which the engine registers, can name these
types without importing the engine (no import cycle, even for type checking).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import simpy
from numpy.typing import NDArray

from sim.calendar import Calendar
from sim.ledger import Ledger
from sim.sources.base import SourceCategory
from sim.streams import rng_for
from sim.weather import Weather

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["Pm25Forecast", "ProcessContext", "ProcessHook"]


@dataclass(frozen=True)
class ProcessContext:
    """What a process registration (a measure) may use: the live SimPy run and its parts."""

    scenario: Scenario
    env: simpy.Environment
    ledger: Ledger
    sources: dict[str, SourceCategory]
    calendar: Calendar
    weather: Weather
    seed: int
    #: The air-quality model's daily PM2.5 forecast, when the caller (the api) passed one in.
    pm25_forecast: Pm25Forecast | None = None

    def rng(self, name: str) -> np.random.Generator:
        """The named random stream of this run (see :func:`sim.streams.rng_for`)."""
        return rng_for(self.seed, name)


#: Registers further processes (measures) once the sources have started.
ProcessHook = Callable[[ProcessContext], None]
#: A deterministic daily PM2.5 forecast, µg/m³, one value per day of the run, computed before
#: the SimPy run from the scenario, calendar and weather of a ProcessContext (the engine never
#: imports the outcomes; the api passes :func:`sim.outcomes.air.forecast_daily_pm25` in).
Pm25Forecast = Callable[["ProcessContext"], NDArray[np.float64]]
