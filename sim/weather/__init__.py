"""Hourly meteorology for a run: a seeded synthetic generator for Tianjin, or observed series.

``make_weather`` chooses by ``meteorology.mode``; :class:`Weather` holds the hourly arrays and
:func:`rain_events` finds the wet spells in any series (the water model treats them as events).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sim.errors import ScenarioError
from sim.weather.hourly import COLUMNS, RainEvent, Weather, rain_events
from sim.weather.observed import derive_stagnant, read_weather, weather_frame
from sim.weather.solar import clear_sky_ghi_w_m2, solar_elevation_deg
from sim.weather.synthetic import mean_preserving_curve, synthetic_weather

if TYPE_CHECKING:
    from sim.calendar import Calendar
    from sim.scenario.sections.meteorology import MeteorologyConfig

__all__ = [
    "COLUMNS",
    "RainEvent",
    "Weather",
    "clear_sky_ghi_w_m2",
    "derive_stagnant",
    "make_weather",
    "mean_preserving_curve",
    "rain_events",
    "read_weather",
    "solar_elevation_deg",
    "synthetic_weather",
    "weather_frame",
]


def make_weather(
    calendar: Calendar,
    config: MeteorologyConfig,
    rng: np.random.Generator,
    base_dir: Path | None = None,
) -> Weather:
    """The run's weather: synthetic from ``rng``, or read from ``config.path``.

    A relative ``config.path`` is resolved against ``base_dir`` (the scenario file's folder).
    ``rng`` is not drawn from in file mode.
    """
    if config.mode == "synthetic":
        return synthetic_weather(calendar, config, rng)
    if config.path is None:
        raise ScenarioError("meteorology.path: mode 'file' needs a path")
    path = Path(config.path)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return read_weather(path, calendar, config)
