"""Typical time profiles of emissions by sub-sector: month, day of the week, hour of the day.

An actor's (the rest of Tianjin's, the region's) annual inventory by sub-sector is spread over the
hours with the product of three factors, each with mean 1 over its cycle:

    E_s(t) = I_s / 8766 h · m_s(month(t)) · w_s(weekday(t)) · d_s(hour(t)),

so the year's total is the inventory (to within the calendar's weekday count).

Sources
-------
Hour-of-day and day-of-week weights are those of MEIC's own processing tool (repository
meicmodel/meic2ctm, ``factor/hour.csv`` and ``factor/day.csv``; DOMAIN.md §8, H for the values).
The hourly file's time zone is not stated; its shape (transport lowest at 15-21 h, highest at
0-10 h) fits UTC, so it is shifted here by +8 h to Beijing time (L, declared). Day-of-week
columns are Monday to Sunday. MEIC publishes no monthly weights in that tool: the monthly factors
below are ASSUMED (reasons by profile in :data:`MONTHLY`).

Each sub-sector takes the MEIC profile of its sector (:data:`SUBSECTOR_PROFILE`): industrial
combustion, process and solvents take ``industry``; on-road, non-road and road dust take
``transportation`` (road dust is resuspended by traffic, assumed); construction dust takes
``industry`` (daytime working hours, assumed); other (cooking, small sources) takes ``residential``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "DAILY_UTC",
    "MONTHLY",
    "SUBSECTORS",
    "SUBSECTOR_PROFILE",
    "WEEKLY",
    "daily_weights",
    "hourly_weights",
]

F64 = NDArray[np.float64]

#: Sub-sectors of an actor's inventory, at the resolution of published city inventories.
SUBSECTORS: tuple[str, ...] = (
    "power",
    "industrial_combustion",
    "industrial_process",
    "solvents",
    "residential",
    "on_road",
    "non_road",
    "road_dust",
    "construction_dust",
    "agriculture",
    "other",
)

#: The MEIC profile each sub-sector takes (module docstring).
SUBSECTOR_PROFILE: dict[str, str] = {
    "power": "power",
    "industrial_combustion": "industry",
    "industrial_process": "industry",
    "solvents": "industry",
    "residential": "residential",
    "on_road": "transportation",
    "non_road": "transportation",
    "road_dust": "transportation",
    "construction_dust": "industry",
    "agriculture": "agriculture",
    "other": "residential",
}

#: Hour-of-day weights, hours 0..23 UTC (meic2ctm factor/hour.csv, sums to 1).
DAILY_UTC: dict[str, tuple[float, ...]] = {
    "agriculture": (
        0.047344586, 0.057636888, 0.069987649, 0.07822149, 0.088513792, 0.082338411,
        0.080279951, 0.069987649, 0.059695348, 0.045286126, 0.030876904, 0.026759984,
        0.022643063, 0.020584603, 0.020584603, 0.020584603, 0.020584603, 0.019349527,
        0.019349527, 0.017702758, 0.018937834, 0.020996295, 0.028818444, 0.032935364,
    ),
    "industry": (
        0.045, 0.068, 0.068, 0.068, 0.068, 0.068, 0.068, 0.068, 0.068, 0.066, 0.063, 0.037,
        0.037, 0.037, 0.037, 0.037, 0.026, 0.007, 0.007, 0.007, 0.007, 0.007, 0.007, 0.029,
    ),
    "power": (
        0.043308662, 0.045709142, 0.047809562, 0.048609722, 0.049409882, 0.049709942,
        0.050110022, 0.050010002, 0.049709942, 0.048909782, 0.047709542, 0.047309462,
        0.046609322, 0.044008802, 0.039707942, 0.035207041, 0.032406481, 0.030006001,
        0.028805761, 0.028405681, 0.029205841, 0.031606321, 0.035407081, 0.040308062,
    ),
    "residential": (
        0.038, 0.038, 0.03, 0.045, 0.045, 0.038, 0.03, 0.03, 0.038, 0.075, 0.075, 0.075,
        0.075, 0.054, 0.018, 0.018, 0.018, 0.018, 0.018, 0.018, 0.018, 0.038, 0.075, 0.075,
    ),
    "transportation": (
        0.059913919, 0.058951217, 0.059417271, 0.053973297, 0.050105587, 0.058741691,
        0.060048034, 0.061959877, 0.059366207, 0.057388808, 0.055680067, 0.049027628,
        0.045426384, 0.041667392, 0.030830955, 0.021573887, 0.017221058, 0.013226732,
        0.013800055, 0.015030489, 0.015526895, 0.015687039, 0.029029551, 0.056405959,
    ),
}  # fmt: skip

#: Day-of-week weights, Monday..Sunday (meic2ctm factor/day.csv, sums to 1).
WEEKLY: dict[str, tuple[float, ...]] = {
    "agriculture": (1 / 7,) * 7,
    "industry": (0.162, 0.162, 0.162, 0.162, 0.162, 0.112, 0.078),
    "power": (0.147, 0.147, 0.147, 0.147, 0.147, 0.135, 0.13),
    "residential": (1 / 7,) * 7,
    "transportation": (0.155324459,) * 5 + (0.116472545, 0.106905158),
}

#: Monthly factors, January..December, ASSUMED (normalised to mean 1 on use):
#: power: winter heating and summer cooling peaks of northern-China coal power, ±15 %;
#: industry: a February dip for the Spring Festival, otherwise flat;
#: residential: Tianjin's heating season (15 Nov - 15 Mar) about 3× the non-heating months;
#: transportation: flat; agriculture: NH3 from fertiliser and manure peaks April-August
#: (temperature-driven volatilisation; the seasonal shape of Chinese NH3 inventories, L).
MONTHLY: dict[str, tuple[float, ...]] = {
    "agriculture": (0.5, 0.5, 0.9, 1.2, 1.3, 1.5, 1.6, 1.5, 1.1, 0.8, 0.6, 0.5),
    "industry": (1.0, 0.8, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.05),
    "power": (1.15, 1.05, 0.95, 0.9, 0.9, 1.0, 1.1, 1.1, 0.95, 0.9, 0.95, 1.05),
    "residential": (1.9, 1.7, 1.1, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 1.2, 1.9),
    "transportation": (1.0,) * 12,
}


def _unit_mean(values: tuple[float, ...]) -> F64:
    arr = np.asarray(values, dtype=np.float64)
    return np.asarray(arr / arr.mean())


def hourly_weights(
    month: ArrayLike, weekday: ArrayLike, hour_local: ArrayLike, utc_offset_h: int = 8
) -> F64:
    """Weights ``m·w·d`` of every sub-sector at every hour, mean 1 per cycle, ``(n_hours, 11)``.

    Parameters
    ----------
    month
        Month of each hour, 1-12.
    weekday
        Day of the week of each hour, 0 = Monday ... 6 = Sunday.
    hour_local
        Local hour of the day, 0-23.
    utc_offset_h
        Local time minus UTC, h (Beijing: 8); the MEIC hourly weights are read in UTC.
    """
    m = np.asarray(month, dtype=np.int64) - 1
    w = np.asarray(weekday, dtype=np.int64)
    h = (np.asarray(hour_local, dtype=np.int64) - utc_offset_h) % 24
    monthly, weekly, daily = _tables()
    return np.asarray(monthly[m] * weekly[w] * daily[h])


def daily_weights(month: ArrayLike, weekday: ArrayLike, utc_offset_h: int = 8) -> F64:
    """:func:`hourly_weights` of whole days from midnight, ``(n_days * 24, 11)``.

    ``month`` (1-12) and ``weekday`` (0 = Monday) are given once per day; the hours of each day
    are 0-23 local time. The same numbers as :func:`hourly_weights` of those hours (the month and
    weekday factors are multiplied first there too), made by broadcasting a day's ``m·w`` over
    its 24 hours instead of looking each hour up.
    """
    m = np.asarray(month, dtype=np.int64) - 1
    w = np.asarray(weekday, dtype=np.int64)
    monthly, weekly, daily = _tables()
    local = daily[(np.arange(24) - utc_offset_h) % 24]  # (24, 11), local hours 0-23
    out = (monthly[m] * weekly[w])[:, None, :] * local[None, :, :]
    return np.asarray(out.reshape(-1, local.shape[1]))


def _table(table: dict[str, tuple[float, ...]]) -> F64:
    """One factor table ``(n_steps, n_sub_sectors)`` in SUBSECTORS order, read-only."""
    out = np.stack([_unit_mean(table[SUBSECTOR_PROFILE[s]]) for s in SUBSECTORS], axis=1)
    out.flags.writeable = False
    return out


#: The monthly, weekly and hourly (UTC) factors by sub-sector, made once from the tables above.
_TABLES: tuple[F64, F64, F64] = (_table(MONTHLY), _table(WEEKLY), _table(DAILY_UTC))


def _tables() -> tuple[F64, F64, F64]:
    """The monthly, weekly and hourly tables ``(n_steps, n_sub_sectors)`` in SUBSECTORS order."""
    return _TABLES
