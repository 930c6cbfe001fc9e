"""Hourly meteorology for a run: a seeded synthetic generator for Tianjin, or observed series."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Weather"]


@dataclass(frozen=True)
class Weather:
    """Hourly meteorology, every array of shape ``(n_hours,)``.

    Attributes
    ----------
    wind_m_s
        Wind speed at 10 m, m/s (> 0).
    mixing_height_m
        Mixing-layer height, m (> 0).
    temperature_c
        Air temperature at 2 m, °C.
    relative_humidity_pct
        Relative humidity, % (0-100).
    solar_w_m2
        Global horizontal irradiance, W/m² (>= 0).
    rain_mm_h
        Precipitation, mm/h (>= 0).
    stagnant
        True in hours that belong to a stagnation episode (low wind, shallow mixing).
    """

    wind_m_s: NDArray[np.float64]
    mixing_height_m: NDArray[np.float64]
    temperature_c: NDArray[np.float64]
    relative_humidity_pct: NDArray[np.float64]
    solar_w_m2: NDArray[np.float64]
    rain_mm_h: NDArray[np.float64]
    stagnant: NDArray[np.bool_]

    @property
    def n_hours(self) -> int:
        """Number of hours."""
        return int(self.wind_m_s.shape[0])

    @property
    def raining(self) -> NDArray[np.bool_]:
        """Hours with measurable rain (>= 0.1 mm/h)."""
        return np.asarray(self.rain_mm_h >= 0.1)
