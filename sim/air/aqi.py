"""China's air quality index (HJ 633-2012) and the daily statistics behind it (HJ 663-2013).

Concentrations are µg/m³, except CO in mg/m³. Every function is vectorised over numpy arrays.

References
----------
HJ 633-2012, *Technical Regulation on Ambient Air Quality Index (on trial)*, Ministry of
Environmental Protection, 2012: Table 1 (breakpoints), formula (1) (IAQI), §4 (AQI, primary
pollutant), Table 2 (categories). HJ 663-2013, *Technical regulation for ambient air quality
assessment (on trial)*: daily maximum 8-h ozone and the percentile formula. GB 3095-2012 Table 4:
data-validity rules (20 hourly values for a 24-h mean, 6 for an 8-h mean).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BREAKPOINTS",
    "CATEGORY_NAMES",
    "IAQI_LEVELS",
    "AQIResult",
    "aqi",
    "category",
    "daily_max_8h",
    "daily_means",
    "good_day",
    "iaqi",
    "o3_8h_percentile",
    "primary_pollutants",
    "round_concentration",
]

log = logging.getLogger(__name__)

#: IAQI values at the breakpoints (HJ 633-2012 Table 1, first row).
IAQI_LEVELS: tuple[float, ...] = (0, 50, 100, 150, 200, 300, 400, 500)

#: Concentration breakpoints, HJ 633-2012 Table 1 (µg/m³; CO mg/m³). A table shorter than
#: :data:`IAQI_LEVELS` ends at its last IAQI (O3 8 h: 800 µg/m³ = 300; SO2 1 h: 800 = 200).
BREAKPOINTS: dict[str, tuple[float, ...]] = {
    "pm25_24h": (0, 35, 75, 115, 150, 250, 350, 500),
    "pm10_24h": (0, 50, 150, 250, 350, 420, 500, 600),
    "so2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "no2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
    "co_24h": (0, 2, 4, 14, 24, 36, 48, 60),
    "o3_8h": (0, 100, 160, 215, 265, 800),
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "so2_1h": (0, 150, 500, 650, 800),
    "no2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "co_1h": (0, 5, 10, 35, 60, 90, 120, 150),
}

#: Tables whose values above the top breakpoint get no IAQI of their own (HJ 633-2012 Table 1,
#: notes 2 and 3): SO2 1 h > 800 is reported from the 24-h value, O3 8 h > 800 from the 1-h value.
_NO_IAQI_ABOVE_TOP = frozenset({"so2_1h", "o3_8h"})

#: Categories of HJ 633-2012 Table 2, by index 0..5 (优, 良, 轻度, 中度, 重度, 严重污染).
CATEGORY_NAMES: tuple[str, ...] = (
    "excellent",
    "good",
    "lightly polluted",
    "moderately polluted",
    "heavily polluted",
    "severely polluted",
)
_CATEGORY_UPPER = np.array([50.0, 100.0, 150.0, 200.0, 300.0])

#: Pollutant names used for the primary pollutant, in HJ 633 order.
_DAILY_NAMES = ("PM2.5", "PM10", "SO2", "NO2", "CO", "O3")

#: The comma-joined names of every subset of :data:`_DAILY_NAMES`, indexed by its bit mask.
_PRIMARY_NAMES = np.array(
    [",".join(n for i, n in enumerate(_DAILY_NAMES) if code >> i & 1)
     for code in range(1 << len(_DAILY_NAMES))],
    dtype=np.str_,
)  # fmt: skip

#: Decimal places of reported concentrations (HJ 663-2013 data rules as read: µg/m³ values as
#: integers, CO in mg/m³ to one decimal).
_DECIMALS = {key: (1 if key.startswith("co_") else 0) for key in BREAKPOINTS}

#: Tolerance before rounding up, so that 35 µg/m³ PM2.5 gives 50 and not 51 in floating point.
_CEIL_TOL = 1e-9


def _as_float(values: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


def round_concentration(pollutant: str, concentration: ArrayLike) -> NDArray[np.float64]:
    """Round concentrations as reported: integers in µg/m³, CO to 0.1 mg/m³.

    Rounding is half-to-even (GB/T 8170 "四舍六入五成双", which HJ 663-2013 cites); numpy's
    :func:`numpy.round` rounds the same way.
    """
    if pollutant not in BREAKPOINTS:
        raise ValueError(f"pollutant(={pollutant!r}) must be one of {sorted(BREAKPOINTS)}.")
    return np.round(_as_float(concentration), _DECIMALS[pollutant])


def iaqi(pollutant: str, concentration: ArrayLike) -> NDArray[np.float64]:
    """Individual air quality index of one pollutant, HJ 633-2012 formula (1).

    ``IAQI = (IAQI_hi - IAQI_lo)/(BP_hi - BP_lo)·(C - BP_lo) + IAQI_lo``, rounded up to an
    integer. Concentrations above the top breakpoint give 500, except ``so2_1h`` and ``o3_8h``
    above 800 µg/m³, which give NaN (the standard computes no IAQI there: see :func:`aqi`).

    Parameters
    ----------
    pollutant
        A key of :data:`BREAKPOINTS` (``pm25_24h``, ``o3_8h``, ``co_1h`` ...).
    concentration
        µg/m³ (CO: mg/m³), any shape; NaN means missing and stays NaN.

    Returns
    -------
    numpy.ndarray
        IAQI as float (integers, or NaN), same shape as ``concentration``.

    Notes
    -----
    Rounding up ("向上进位") follows the national publication practice and common
    implementations (e.g. caiyunapp/aqi-hub); the clause itself was not found in the text
    available here (confidence M, see docs/model.md (Air)).
    """
    if pollutant not in BREAKPOINTS:
        raise ValueError(f"pollutant(={pollutant!r}) must be one of {sorted(BREAKPOINTS)}.")
    c = _as_float(concentration)
    if np.any(c < 0):
        raise ValueError(f"concentration of {pollutant} must be >= 0 (got min {np.nanmin(c)}).")
    bp = np.asarray(BREAKPOINTS[pollutant], dtype=np.float64)
    levels = np.asarray(IAQI_LEVELS[: bp.size], dtype=np.float64)
    raw = np.interp(c, bp, levels)
    out = np.ceil(raw - _CEIL_TOL)
    above = c > bp[-1]
    out = np.where(above, np.nan if pollutant in _NO_IAQI_ABOVE_TOP else 500.0, out)
    return np.where(np.isnan(c), np.nan, out)


def category(aqi_value: ArrayLike) -> NDArray[np.int64]:
    """Category index 0..5 of :data:`CATEGORY_NAMES` (HJ 633-2012 Table 2); -1 where NaN."""
    a = _as_float(aqi_value)
    idx = np.searchsorted(_CATEGORY_UPPER, np.where(np.isnan(a), 0.0, a), side="left")
    return np.where(np.isnan(a), -1, idx).astype(np.int64)


def good_day(aqi_value: ArrayLike) -> NDArray[np.bool_]:
    """True where AQI <= 100 (excellent or good, the plan's "good days"); False where NaN."""
    a = _as_float(aqi_value)
    return np.asarray(np.where(np.isnan(a), False, a <= 100.0), dtype=np.bool_)


@dataclass(frozen=True)
class AQIResult:
    """Daily AQI and what it is made of, every array of one shape (the days).

    Attributes
    ----------
    aqi
        AQI (integer-valued float; NaN when every pollutant is missing).
    iaqi
        IAQI of each pollutant, keyed by ``PM2.5, PM10, SO2, NO2, CO, O3``.
    primary
        Primary pollutant(s), comma-joined when tied; ``""`` when AQI <= 50 or missing.
    category
        Category index 0..5 (:data:`CATEGORY_NAMES`), -1 when missing.
    """

    aqi: NDArray[np.float64]
    iaqi: dict[str, NDArray[np.float64]]
    primary: NDArray[np.str_]
    category: NDArray[np.int64]

    @property
    def category_name(self) -> NDArray[np.str_]:
        """Category names; ``""`` where missing."""
        names = np.array([*CATEGORY_NAMES, ""])
        return names[self.category]

    @property
    def good(self) -> NDArray[np.bool_]:
        """AQI <= 100."""
        return good_day(self.aqi)


def _o3_iaqi(o3_8h: NDArray[np.float64], o3_1h: NDArray[np.float64] | None) -> NDArray[np.float64]:
    """O3 IAQI of a day: 8-h table, the 1-h table where the 8-h value exceeds 800 µg/m³.

    With ``o3_1h`` given, its IAQI also enters (HJ 633-2012 §5: the daily report includes the
    day's maximum 1-h and maximum 8-h O3). Without it, an 8-h value above 800 is scored on the
    1-h table itself: a lower bound, since the day's maximum hour is at least its maximum 8-h mean.
    """
    i8 = iaqi("o3_8h", o3_8h)
    over = o3_8h > 800.0
    if o3_1h is None:
        if np.any(over):
            log.debug("O3 8-h above 800 µg/m³ without a 1-h value: 1-h table applied to it.")
        return np.where(over, iaqi("o3_1h", o3_8h), i8)
    i1 = iaqi("o3_1h", o3_1h)
    i1 = np.where(over & np.isnan(i1), iaqi("o3_1h", o3_8h), i1)
    return np.fmax(np.where(over, np.nan, i8), i1)


def aqi(
    pm25_24h: ArrayLike,
    pm10_24h: ArrayLike,
    so2_24h: ArrayLike,
    no2_24h: ArrayLike,
    co_24h: ArrayLike,
    o3_8h: ArrayLike,
    o3_1h: ArrayLike | None = None,
    *,
    round_inputs: bool = False,
    with_primary: bool = True,
) -> AQIResult:
    """Daily AQI from the day's statistics, HJ 633-2012 §4-5.

    AQI is the maximum IAQI; a missing (NaN) pollutant is skipped, all missing gives NaN. The
    primary pollutant is the one(s) with the largest IAQI when AQI > 50.

    Parameters
    ----------
    pm25_24h, pm10_24h, so2_24h, no2_24h
        24-h means, µg/m³.
    co_24h
        24-h mean, mg/m³.
    o3_8h
        The day's maximum 8-h running mean (:func:`daily_max_8h`), µg/m³.
    o3_1h
        The day's maximum 1-h value, µg/m³, optional; used where ``o3_8h`` > 800 and, when given,
        as an IAQI of its own.
    round_inputs
        Round concentrations as reported (:func:`round_concentration`) before scoring. Off by
        default: model concentrations are continuous and rounding would add a staircase.
    with_primary
        Name the primary pollutant(s) of each day (the slow part: strings); False leaves
        ``primary`` empty strings (many runs at once, when only the AQI is wanted).
    """
    raw = {
        "pm25_24h": pm25_24h,
        "pm10_24h": pm10_24h,
        "so2_24h": so2_24h,
        "no2_24h": no2_24h,
        "co_24h": co_24h,
        "o3_8h": o3_8h,
    }
    conc = {k: _as_float(v) for k, v in raw.items()}
    o3_1 = None if o3_1h is None else _as_float(o3_1h)
    if round_inputs:
        conc = {k: round_concentration(k, v) for k, v in conc.items()}
        o3_1 = None if o3_1 is None else round_concentration("o3_1h", o3_1)
    shape = np.broadcast_shapes(*(v.shape for v in conc.values()))
    parts = [iaqi(key, conc[key]) for key in ("pm25_24h", "pm10_24h", "so2_24h", "no2_24h")]
    parts += [iaqi("co_24h", conc["co_24h"]), _o3_iaqi(conc["o3_8h"], o3_1)]
    stack = np.stack([np.broadcast_to(p, shape) for p in parts])
    missing = np.all(np.isnan(stack), axis=0)
    filled = np.where(np.isnan(stack), -1.0, stack)
    total = np.where(missing, np.nan, filled.max(axis=0))
    iaqis = {name: stack[i] for i, name in enumerate(_DAILY_NAMES)}
    primary = (
        primary_pollutants(iaqis, total) if with_primary else np.full(shape, "", dtype=np.str_)
    )
    return AQIResult(
        aqi=total,
        iaqi=iaqis,
        primary=primary,
        category=category(total),
    )


def primary_pollutants(
    iaqi_values: dict[str, NDArray[np.float64]], aqi_value: NDArray[np.float64]
) -> NDArray[np.str_]:
    """The pollutant(s) whose IAQI is the AQI where AQI > 50, comma-joined in HJ 633 order.

    ``iaqi_values``: the IAQI of each of ``PM2.5, PM10, SO2, NO2, CO, O3`` (NaN: missing), of
    the shape of ``aqi_value``; ``""`` where AQI <= 50 or missing.
    """
    is_max = np.stack([np.where(np.isnan(iaqi_values[name]), -1.0, iaqi_values[name]) == aqi_value
                       for name in _DAILY_NAMES]) & (aqi_value > 50.0)  # fmt: skip
    code = np.tensordot(1 << np.arange(len(_DAILY_NAMES)), is_max, axes=1)
    width = max([1, *(len(_PRIMARY_NAMES[c]) for c in np.unique(code))])
    return _PRIMARY_NAMES[code].astype(f"<U{width}")  # as wide as the longest name present


def daily_means(
    hourly: ArrayLike, hours_per_day: int = 24, min_valid_hours: int = 20
) -> NDArray[np.float64]:
    """24-h means of consecutive whole days along the first axis.

    Parameters
    ----------
    hourly
        Shape ``(n_days * hours_per_day, ...)``; NaN marks a missing hour.
    hours_per_day
        Hours in a day.
    min_valid_hours
        A day with fewer valid hours is NaN (GB 3095-2012 Table 4: at least 20 hourly values).

    Returns
    -------
    numpy.ndarray
        Shape ``(n_days, ...)``.
    """
    h = _as_float(hourly)
    if h.shape[0] % hours_per_day:
        raise ValueError(f"hourly length (={h.shape[0]}) must be a multiple of {hours_per_day}.")
    days = h.reshape(h.shape[0] // hours_per_day, hours_per_day, *h.shape[1:])
    valid = np.sum(~np.isnan(days), axis=1)
    total = np.nansum(days, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / valid
    return np.where(valid >= min_valid_hours, mean, np.nan)


def daily_max_8h(
    o3_hourly: ArrayLike, min_valid_hours: int = 6, min_valid_windows: int = 14
) -> NDArray[np.float64]:
    """The day's maximum 8-h running mean of ozone (MDA8), HJ 663-2013.

    The day's windows are the 8-h means ending at 08:00 ... 24:00 local time, i.e. hours
    ``[0, 8), [1, 9) ... [16, 24)`` of the day: 17 windows, all inside the day.

    Parameters
    ----------
    o3_hourly
        Hourly O3, µg/m³, shape ``(n_days * 24, ...)``; NaN marks a missing hour.
    min_valid_hours
        A window with fewer valid hours is invalid (GB 3095-2012 Table 4: 6 of 8).
    min_valid_windows
        A day with fewer valid windows is NaN (HJ 663-2013: 14 of the 17).
    """
    h = _as_float(o3_hourly)
    if h.shape[0] % 24:
        raise ValueError(f"o3_hourly length (={h.shape[0]}) must be a multiple of 24.")
    days = h.reshape(h.shape[0] // 24, 24, *h.shape[1:])
    ok = ~np.isnan(days)
    csum = np.concatenate([np.zeros_like(days[:, :1]), np.cumsum(np.where(ok, days, 0.0), 1)], 1)
    ccount = np.concatenate([np.zeros_like(days[:, :1]), np.cumsum(ok, axis=1)], axis=1)
    sums = csum[:, 8:] - csum[:, :-8]
    counts = ccount[:, 8:] - ccount[:, :-8]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts >= min_valid_hours, sums / counts, np.nan)
    n_valid = np.sum(~np.isnan(means), axis=1)
    best = np.max(np.where(np.isnan(means), -np.inf, means), axis=1)
    return np.where(n_valid >= min_valid_windows, best, np.nan)


def o3_8h_percentile(daily_max8h: ArrayLike, q: float = 90.0) -> NDArray[np.float64] | float:
    """Percentile of daily MDA8 values over a period, HJ 663-2013 percentile method.

    Sort the n valid values ascending, ``X(1) <= ... <= X(n)``; with ``k = 1 + (n - 1)·q/100``
    and ``s`` its integer part, ``m_q = X(s) + (X(s+1) - X(s))·(k - s)``: linear interpolation
    between order statistics (numpy's default ``"linear"`` method). NaN days are left out.

    Parameters
    ----------
    daily_max8h
        MDA8 values along the first axis, µg/m³.
    q
        Percentile, 0-100 (90 for the annual O3 assessment).
    """
    if not 0.0 <= q <= 100.0:
        raise ValueError(f"q(={q}) must be within [0, 100].")
    x = _as_float(daily_max8h)
    quantile = np.nanpercentile if np.isnan(x).any() else np.percentile  # same numbers
    result = quantile(x, q, axis=0, method="linear")
    return float(result) if np.ndim(result) == 0 else np.asarray(result, dtype=np.float64)
