"""What every emission source category shares: pollutants, sectors and the source protocol.

A source category (``mobile``, ``industrial``, ``coal``, ``dust``, ``household``) does two things:

1. :meth:`SourceCategory.start` declares its state streams in the :class:`~sim.ledger.Ledger`
   and schedules its own discrete SimPy processes (a site opening, a re-burning episode). It never
   ticks hourly.
2. :meth:`SourceCategory.emissions` computes, after the SimPy run, the hourly emissions of each of
   its sources from the ledger's hourly state, the calendar and the weather, vectorised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

import numpy as np
from numpy.typing import NDArray

from sim.scenario.vocabulary import POLLUTANTS, SECTORS

if TYPE_CHECKING:
    import simpy

    from sim.calendar import Calendar
    from sim.ledger import Ledger
    from sim.weather import Weather

__all__ = [
    "POLLUTANTS",
    "SECTORS",
    "EmissionContext",
    "SourceCategory",
    "activity_factor_stream",
    "pollutant_row",
]

# POLLUTANTS and SECTORS are defined once, in sim.scenario.vocabulary; re-exported here for the
# sources that import them from their own layer.


def pollutant_row(**kg: float) -> NDArray[np.float64]:
    """A vector over :data:`POLLUTANTS` from keyword values (``PM2_5``, ``PM10``, ``NOx`` ...).

    ``PM2_5`` stands for ``PM2.5``; pollutants not named are 0.
    """
    out = np.zeros(len(POLLUTANTS))
    for key, value in kg.items():
        name = "PM2.5" if key == "PM2_5" else key
        if name not in POLLUTANTS:
            raise ValueError(f"pollutant(={key!r}) must be one of {POLLUTANTS}.")
        out[POLLUTANTS.index(name)] = value
    return out


def activity_factor_stream(source_key: str) -> str:
    """Name of the optional ledger stream that scales source ``source_key`` hour by hour.

    A measure (an emergency curtailment, a stoppage during works) declares and sets this stream;
    the engine multiplies the source's hourly emissions by its hourly mean. Absent means 1.
    """
    return f"activity_factor.{source_key}"


@dataclass(frozen=True)
class EmissionContext:
    """What the vectorised emission pass may read."""

    calendar: Calendar
    weather: Weather
    ledger: Ledger


class SourceCategory(Protocol):
    """One of the five source categories."""

    sector: ClassVar[str]

    def start(self, env: simpy.Environment, ledger: Ledger, rng: np.random.Generator) -> None:
        """Declare state streams at t = 0 and register this category's SimPy processes."""

    def emissions(self, ctx: EmissionContext) -> Mapping[str, NDArray[np.float64]]:
        """Hourly emissions of each source, kg/h, shape ``(n_hours, len(POLLUTANTS))``.

        Keys are source names within the sector (``"on_road"``); the engine prefixes the sector.
        """
