"""Shared fixtures: small calendars, constant weather, seeded generators."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from sim.calendar import Calendar
from sim.weather import Weather


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


@pytest.fixture
def year_2024() -> Calendar:
    return Calendar(datetime(2024, 1, 1), datetime(2025, 1, 1))


def constant_weather(n_hours: int, **overrides: float) -> Weather:
    """Weather with every variable constant (overridable), no rain, no stagnation."""
    values = {
        "wind_m_s": 2.5,
        "mixing_height_m": 600.0,
        "temperature_c": 15.0,
        "relative_humidity_pct": 55.0,
        "solar_w_m2": 0.0,
        "rain_mm_h": 0.0,
    }
    values.update(overrides)
    return Weather(
        **{k: np.full(n_hours, float(v)) for k, v in values.items()},
        stagnant=np.zeros(n_hours, dtype=bool),
    )
