"""Constant weather for tests that need a closed form."""

from __future__ import annotations

import numpy as np

from sim.weather import Weather


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
