"""Solar geometry and clear-sky irradiance at the district (for the synthetic weather)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = [
    "LATITUDE_DEG",
    "LONGITUDE_DEG",
    "UTC_OFFSET_H",
    "clear_sky_ghi_w_m2",
    "solar_elevation_deg",
]

F64 = NDArray[np.float64]

#: Tianjin city centre (Hongqiao District lies 2 km NW of it), degrees; local standard time UTC+8.
LATITUDE_DEG, LONGITUDE_DEG, UTC_OFFSET_H = 39.1, 117.2, 8.0


def solar_elevation_deg(
    hours: NDArray[np.datetime64] | pd.DatetimeIndex,
    latitude_deg: float = LATITUDE_DEG,
    longitude_deg: float = LONGITUDE_DEG,
    utc_offset_h: float = UTC_OFFSET_H,
) -> F64:
    """Solar elevation at the centre of each local-time hour, degrees.

    Declination and equation of time from Spencer (1971), Search 2(5):172, as used by NOAA.
    """
    t = np.asarray(hours, dtype="datetime64[h]")
    day = t.astype("datetime64[D]")
    first_day = day[0] if day.size else np.datetime64("2000-01-01")
    day_index = (day - first_day).astype(np.int64)
    days = first_day + np.arange(day_index.max() + 1 if day.size else 0)
    clock_h = (t - day).astype(np.float64) + 0.5
    # Spencer's series per day, at local noon (the within-day change is negligible)
    g = 2.0 * np.pi / 365.0 * (days - days.astype("datetime64[Y]")).astype(np.float64)
    decl = (
        0.006918 - 0.399912 * np.cos(g) + 0.070257 * np.sin(g) - 0.006758 * np.cos(2 * g)
        + 0.000907 * np.sin(2 * g) - 0.002697 * np.cos(3 * g) + 0.00148 * np.sin(3 * g)
    )[day_index]  # fmt: skip
    eot_min = 229.18 * (
        0.000075 + 0.001868 * np.cos(g) - 0.032077 * np.sin(g)
        - 0.014615 * np.cos(2 * g) - 0.040849 * np.sin(2 * g)
    )[day_index]  # fmt: skip
    solar_time_min = clock_h * 60.0 + eot_min + 4.0 * longitude_deg - 60.0 * utc_offset_h
    hour_angle = np.deg2rad(solar_time_min / 4.0 - 180.0)
    lat = np.deg2rad(latitude_deg)
    sin_el = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(hour_angle)
    return np.asarray(np.rad2deg(np.arcsin(np.clip(sin_el, -1.0, 1.0))))


def clear_sky_ghi_w_m2(elevation_deg: F64) -> F64:
    """Clear-sky global horizontal irradiance, W/m²: ``1098 cos z exp(-0.057 / cos z)``.

    Haurwitz (1945), J. Meteorol. 2:154; zero when the sun is below the horizon.
    """
    cos_z = np.sin(np.deg2rad(elevation_deg))
    safe = np.where(cos_z > 0.0, cos_z, 1.0)
    return np.asarray(np.where(cos_z > 0.0, 1098.0 * safe * np.exp(-0.057 / safe), 0.0))
