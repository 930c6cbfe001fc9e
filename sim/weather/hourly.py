"""The hourly meteorology of a run and the rain events found in it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["COLUMNS", "RainEvent", "Weather", "rain_events"]

#: Columns of a weather file (besides ``time`` and the optional ``stagnant``).
COLUMNS: tuple[str, ...] = (
    "wind_m_s", "mixing_height_m", "temperature_c",
    "relative_humidity_pct", "solar_w_m2", "rain_mm_h",
)  # fmt: skip


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


@dataclass(frozen=True)
class RainEvent:
    """One rain event: a wet spell whose internal dry gaps are shorter than the inter-event time.

    Attributes
    ----------
    start_h
        Index of its first wet hour.
    duration_h
        Hours from its first to its last wet hour, inclusive.
    depth_mm
        Total rain, mm.
    peak_mm_h
        Largest hourly rain, mm/h.
    antecedent_dry_h
        Dry hours since the previous event ended; for the first event, hours since the start of
        the series (a lower bound).
    """

    start_h: int
    duration_h: int
    depth_mm: float
    peak_mm_h: float
    antecedent_dry_h: int


def rain_events(weather: Weather, min_dry_h: int = 6) -> list[RainEvent]:
    """The rain events of a series: wet hours (> 0 mm) joined across dry gaps < ``min_dry_h``.

    ``min_dry_h`` is the minimum inter-event time (MIT); 6 h is the usual urban-drainage
    convention (Dunkerley 2008, Hydrol. Process. 22:5024).
    """
    if min_dry_h < 1:
        raise ValueError(f"min_dry_h(={min_dry_h}) must be >= 1.")
    rain = weather.rain_mm_h
    wet = np.flatnonzero(rain > 0.0)
    if wet.size == 0:
        return []
    gap = np.diff(wet) - 1
    split = np.flatnonzero(gap >= min_dry_h)
    first = wet[np.r_[0, split + 1]]
    last = wet[np.r_[split, wet.size - 1]]
    cum = np.r_[0.0, np.cumsum(rain)]
    depth = cum[last + 1] - cum[first]
    peak = np.maximum.reduceat(rain, first)  # hours between events are dry (0 mm)
    dry = np.r_[first[0], first[1:] - last[:-1] - 1]
    return [
        RainEvent(int(a), int(b - a + 1), float(d), float(p), int(g))
        for a, b, d, p, g in zip(first, last, depth, peak, dry, strict=True)
    ]
