"""Hourly meteorology for a run: a seeded synthetic generator for Tianjin, or observed series.

The generator builds each variable as a smooth, mean-preserving seasonal curve times (or plus) a
fixed diurnal cycle and a persistent hourly AR(1) anomaly, then overlays two kinds of discrete
events: stagnation episodes (low wind, shallow mixing) and rain events. Observed series are read
from CSV or NetCDF and checked hour by hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.signal import lfilter

from sim.errors import ScenarioError

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

F64 = NDArray[np.float64]

#: Tianjin city centre (Hongqiao District lies 2 km NW of it), degrees; local standard time UTC+8.
LATITUDE_DEG, LONGITUDE_DEG, UTC_OFFSET_H = 39.1, 117.2, 8.0
#: Physical floors and bounds of the synthetic series.
MIN_WIND_M_S, MIN_MIXING_HEIGHT_M, RH_BOUNDS_PCT = 0.3, 50.0, (5.0, 100.0)
#: Hour-centre (local time) of the daily maxima of temperature (and RH minimum) and of wind.
T_PEAK_H, WIND_PEAK_H = 14.5, 14.5
#: Window (hour centres) of the convective mixing-height hump; its sine peaks at 14:30.
MIXING_RISE_H, MIXING_FALL_H = 8.0, 21.0
#: In rain hours RH is at least this (assumed: near-saturated air under rain).
RAIN_RH_MIN_PCT = 90.0
#: Cloud-cover change per standard deviation of the humidity anomaly (assumed).
CLOUD_PER_RH_SD = 0.25
#: Rain events last 1 to this many hours.
MAX_RAIN_DURATION_H = 48
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


# -- time helpers --------------------------------------------------------------------------------
def _hour_axis(calendar: Calendar, prefix_h: int = 0) -> NDArray[np.datetime64]:
    """Starts of the run's hours, preceded by ``prefix_h`` spin-up hours."""
    t0 = np.datetime64(calendar.start, "h")
    return t0 + np.arange(-prefix_h, calendar.n_hours).astype("timedelta64[h]")


def _month_position(hours: NDArray[np.datetime64]) -> tuple[NDArray[np.int64], F64, F64]:
    """Month 0-11, position in month units (hour centres) and hours in the month, per hour."""
    month_start = hours.astype("datetime64[M]")
    t0 = month_start.astype("datetime64[h]")
    length_h = ((month_start + 1).astype("datetime64[h]") - t0).astype(np.float64)
    month = month_start.astype(np.int64) % 12
    frac = ((hours - t0).astype(np.float64) + 0.5) / length_h
    return month, month + frac, length_h


def mean_preserving_curve(monthly: ArrayLike, position: F64) -> F64:
    """Periodic piecewise-linear curve through mid-month nodes whose monthly means are ``monthly``.

    The mean over month ``m`` of the linear interpolation between nodes ``v`` at mid-months is
    ``v[m-1]/8 + 3 v[m]/4 + v[m+1]/8``; the nodes solve that cyclic system, so the curve is
    continuous across month boundaries and keeps every monthly mean exactly.

    Parameters
    ----------
    monthly
        12 monthly means (Jan..Dec), or an array ``(k, 12)`` of k variables.
    position
        Time in month units: ``m + f`` for fraction ``f`` of month ``m`` (0 = January).

    Returns
    -------
    Array of shape ``position.shape`` (or ``(k, *position.shape)``).
    """
    nodes = np.asarray(monthly, dtype=np.float64) @ _NODES_FROM_MEANS.T
    x = position - 0.5
    k = np.floor(x).astype(np.int64)
    w = x - k
    return np.asarray((1.0 - w) * nodes[..., k % 12] + w * nodes[..., (k + 1) % 12])


_EYE = np.eye(12)
#: Inverse of the cyclic averaging matrix (1/8, 3/4, 1/8) of :func:`mean_preserving_curve`.
_NODES_FROM_MEANS = np.linalg.inv(
    0.75 * _EYE + 0.125 * (np.roll(_EYE, 1, axis=1) + np.roll(_EYE, -1, axis=1))
)


def _ar1(rng: np.random.Generator, n_series: int, n: int, phi: float) -> F64:
    """Stationary standard-normal AR(1) series of shape ``(n_series, n)``, coefficient ``phi``."""
    eps = rng.standard_normal((n_series, n))
    eps[:, 1:] *= np.sqrt(1.0 - phi * phi)
    return np.asarray(lfilter([1.0], [1.0, -phi], eps, axis=1))


# -- solar geometry ------------------------------------------------------------------------------
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


# -- discrete events -----------------------------------------------------------------------------
def _starts(rng: np.random.Generator, rate_per_h: F64, prefix_h: int) -> NDArray[np.int64]:
    """Start hours of a Poisson process with hourly rates (relative to the run's first hour)."""
    counts = rng.poisson(rate_per_h)
    return np.repeat(np.arange(rate_per_h.size) - prefix_h, counts)


def _stagnation(
    rng: np.random.Generator,
    month: NDArray[np.int64],
    n: int,
    prefix_h: int,
    cfg: MeteorologyConfig,
) -> NDArray[np.bool_]:
    """Stagnation mask: episodes start as a Poisson process, last U[min, max] days.

    The rate ``-ln(1 - f) / E[length]`` makes a stationary process cover a fraction ``f`` of the
    hours (overlapping episodes merge).
    """
    lo, hi = round(cfg.stagnation_min_days * 24), round(cfg.stagnation_max_days * 24)
    frac = np.asarray(cfg.stagnation_fraction)[month]
    starts = _starts(rng, -np.log1p(-frac) / (0.5 * (lo + hi)), prefix_h)
    ends = starts + rng.integers(lo, hi + 1, size=starts.size)
    diff = np.zeros(n + 1, dtype=np.int64)
    np.add.at(diff, np.clip(starts, 0, n), 1)
    np.add.at(diff, np.clip(ends, 0, n), -1)
    return np.asarray(np.cumsum(diff)[:n] > 0)


def _rain(
    rng: np.random.Generator,
    month: NDArray[np.int64],
    length_h: F64,
    n: int,
    prefix_h: int,
    cfg: MeteorologyConfig,
) -> F64:
    """Hourly rain from Poisson events with gamma depths and lognormal durations.

    Events per month = monthly total / mean event depth, so the expected monthly total equals
    the configured one. Each event's depth is split over its hours by exponential weights.
    """
    depth_mean = np.asarray(cfg.rain_event_depth_mm)[month]
    rate = np.asarray(cfg.rain_mm)[month] / depth_mean / length_h
    starts = _starts(rng, rate, prefix_h)
    if starts.size == 0:
        return np.zeros(n)
    shape = cfg.rain_depth_shape
    depths = rng.gamma(shape, depth_mean[starts + prefix_h] / shape)
    median, log_sd = np.log(cfg.rain_duration_median_h), cfg.rain_duration_log_sd
    durations = np.clip(np.rint(rng.lognormal(median, log_sd, starts.size)), 1, MAX_RAIN_DURATION_H)
    durations = durations.astype(np.int64)
    first = np.cumsum(durations) - durations
    offsets = np.arange(durations.sum()) - np.repeat(first, durations)
    weights = rng.exponential(size=offsets.size)
    share = weights / np.repeat(np.add.reduceat(weights, first), durations)
    hour = np.repeat(starts, durations) + offsets
    inside = (hour >= 0) & (hour < n)
    amount = (np.repeat(depths, durations) * share)[inside]
    return np.bincount(hour[inside], weights=amount, minlength=n).astype(np.float64)


# -- the generator -------------------------------------------------------------------------------
def synthetic_weather(
    calendar: Calendar, config: MeteorologyConfig, rng: np.random.Generator
) -> Weather:
    """A synthetic hourly year (or any span) of Tianjin-like weather.

    Parameters
    ----------
    calendar
        The run's hourly axis.
    config
        Monthly climate, diurnal cycles, persistence, rain and stagnation parameters.
    rng
        The weather stream (``sim.streams.rng_for(seed, "weather")``); the only source of draws.

    Notes
    -----
    Wind and mixing height are ``curve * diurnal * exp(s z - s²/2) * episode factor`` with an
    hourly AR(1) ``z`` whose 24-hour autocorrelation is ``persistence_day``; their seasonal
    curves are divided by the month's expected episode factor ``1 - f (1 - factor)``, so monthly
    means include episodes. Solar radiation: Haurwitz clear sky times ``1 - 0.75 N^3.4`` for cloud
    cover N (Kasten & Czeplak 1980, Solar Energy 24:177); N = 1 in rain hours.
    """
    cfg, n = config, calendar.n_hours
    prefix = max(round(cfg.stagnation_max_days * 24), MAX_RAIN_DURATION_H)
    hours_ext = _hour_axis(calendar, prefix)
    month_ext, position_ext, length_ext = _month_position(hours_ext)
    hours, position = hours_ext[prefix:], position_ext[prefix:]
    centre = (hours - hours.astype("datetime64[D]")).astype(np.float64) + 0.5

    z = _ar1(rng, 4, n, cfg.persistence_day ** (1.0 / 24.0))
    stagnant = _stagnation(rng, month_ext, n, prefix, cfg)
    rain = _rain(rng, month_ext, length_ext, n, prefix, cfg)

    frac = np.asarray(cfg.stagnation_fraction)
    wind_seasonal = np.asarray(cfg.wind_m_s) / (1.0 - frac * (1.0 - cfg.stagnation_wind_factor))
    mix_seasonal = np.asarray(cfg.mixing_height_m) / (
        1.0 - frac * (1.0 - cfg.stagnation_mixing_height_factor)
    )
    s_w, s_m, rho = (
        cfg.wind_anomaly_log_sd,
        cfg.mixing_height_anomaly_log_sd,
        cfg.wind_mixing_correlation,
    )
    z_mix = rho * z[0] + np.sqrt(1.0 - rho * rho) * z[1]

    seasonal = mean_preserving_curve(
        np.stack([wind_seasonal, mix_seasonal, cfg.temperature_c, cfg.relative_humidity_pct,
                  cfg.cloud_cover_fraction]),
        position,
    )  # fmt: skip
    wind = (
        seasonal[0]
        * (1.0 + cfg.wind_diurnal_amplitude * np.cos(2 * np.pi * (centre - WIND_PEAK_H) / 24.0))
        * np.exp(s_w * z[0] - 0.5 * s_w * s_w)
        * np.where(stagnant, cfg.stagnation_wind_factor, 1.0)
    )
    mixing = (
        seasonal[1]
        * _mixing_profile(cfg.mixing_height_night_fraction)[hours.astype(np.int64) % 24]
        * np.exp(s_m * z_mix - 0.5 * s_m * s_m)
        * np.where(stagnant, cfg.stagnation_mixing_height_factor, 1.0)
    )
    daily = np.cos(2 * np.pi * (centre - T_PEAK_H) / 24.0)
    temperature = (
        seasonal[2]
        + cfg.temperature_diurnal_amplitude_c * daily
        + cfg.temperature_anomaly_sd_c * z[2]
    )
    wet = rain >= 0.1
    rh = (
        seasonal[3]
        - cfg.relative_humidity_diurnal_amplitude_pct * daily
        + cfg.relative_humidity_anomaly_sd_pct * z[3]
    )
    rh = np.clip(np.where(wet, np.maximum(rh, RAIN_RH_MIN_PCT), rh), *RH_BOUNDS_PCT)
    cloud = np.clip(seasonal[4] + CLOUD_PER_RH_SD * z[3], 0.0, 1.0)
    cloud = np.where(wet, 1.0, cloud)
    solar = clear_sky_ghi_w_m2(solar_elevation_deg(hours)) * (1.0 - 0.75 * cloud**3.4)
    return Weather(
        wind_m_s=np.maximum(wind, MIN_WIND_M_S),
        mixing_height_m=np.maximum(mixing, MIN_MIXING_HEIGHT_M),
        temperature_c=np.asarray(temperature, dtype=np.float64),
        relative_humidity_pct=np.asarray(rh, dtype=np.float64),
        solar_w_m2=np.asarray(solar, dtype=np.float64),
        rain_mm_h=rain,
        stagnant=stagnant,
    )


def _mixing_profile(night_fraction: float) -> F64:
    """Hour-of-day factors of the mixing height, mean 1: flat at night, a sine hump by day."""
    centre = np.arange(24) + 0.5
    hump = np.clip(
        np.sin(np.pi * (centre - MIXING_RISE_H) / (MIXING_FALL_H - MIXING_RISE_H)), 0, None
    )
    hump[(centre < MIXING_RISE_H) | (centre > MIXING_FALL_H)] = 0.0
    return np.asarray(night_fraction + (1.0 - night_fraction) * hump / hump.mean())


# -- rain events in any series -------------------------------------------------------------------
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


# -- observed series -----------------------------------------------------------------------------
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
_STAGNANT_TEXT = {"0": 0.0, "1": 1.0, "0.0": 0.0, "1.0": 1.0, "false": 0.0, "true": 1.0}
#: What each column must hold: (test of valid values, description for messages).
_VALID: dict[str, tuple[Any, str]] = {
    "wind_m_s": (lambda x: x >= 0, "wind speed in m/s, >= 0"),
    "mixing_height_m": (lambda x: x > 0, "mixing height in m, > 0"),
    "temperature_c": (lambda x: (x > -60) & (x < 60), "temperature in degC, between -60 and 60"),
    "relative_humidity_pct": (lambda x: (x >= 0) & (x <= 100), "relative humidity in %, 0-100"),
    "solar_w_m2": (lambda x: (x >= 0) & (x < 1500), "irradiance in W/m2, 0-1500"),
    "rain_mm_h": (lambda x: x >= 0, "rain in mm/h, >= 0"),
}


def weather_frame(weather: Weather, calendar: Calendar) -> pd.DataFrame:
    """The weather as a table in the file layout that :func:`read_weather` reads."""
    table = {"time": calendar.times.strftime("%Y-%m-%dT%H:%M")}
    table.update({c: getattr(weather, c) for c in COLUMNS})
    table["stagnant"] = weather.stagnant.astype(np.int64)
    return pd.DataFrame(table)


def derive_stagnant(
    calendar: Calendar, wind_m_s: F64, mixing_height_m: F64, config: MeteorologyConfig
) -> NDArray[np.bool_]:
    """Stagnant hours of an observed series, by a daily rule.

    Every hour of a day is stagnant when the day's mean wind is below
    ``config.stagnation_rule_wind_m_s`` and its mean mixing height below
    ``config.stagnation_rule_mixing_height_m`` (1.5 m/s and 300 m by default, bracketing the
    DOMAIN §6 haze episode of 0.97 m/s and 210 m).
    """
    day = (calendar.daily_mean(wind_m_s) < config.stagnation_rule_wind_m_s) & (
        calendar.daily_mean(mixing_height_m) < config.stagnation_rule_mixing_height_m
    )
    return np.asarray(day[calendar.day_index])


def _load_table(path: Path) -> pd.DataFrame:
    """The file as a raw table (CSV cells as text; NetCDF variables on the ``time`` dimension)."""
    if not path.is_file():
        raise ScenarioError(f"{path}: weather file not found")
    if path.suffix.lower() in {".nc", ".nc4", ".netcdf", ".cdf"}:
        import xarray as xr

        try:
            with xr.open_dataset(path) as ds:
                if "time" not in ds.dims:
                    raise ScenarioError(f"{path}: column 'time': no 'time' dimension")
                names = [v for v in (*COLUMNS, "stagnant") if v in ds.data_vars]
                wrong = [f"{path}: column '{v}': expected dimension ('time',), got {ds[v].dims}"
                         for v in names if ds[v].dims != ("time",)]  # fmt: skip
                if wrong:
                    raise ScenarioError(*wrong)
                return pd.DataFrame({"time": ds["time"].values, **{v: ds[v].values for v in names}})
        except (OSError, ValueError) as exc:
            raise ScenarioError(f"{path}: cannot read as NetCDF: {exc}") from exc
    try:
        return pd.read_csv(path, dtype=str, skipinitialspace=True, comment="#")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ScenarioError(f"{path}: cannot read as CSV: {exc}") from exc


def _show(value: object) -> str:
    """A cell as written: numbers plainly, text quoted."""
    return f"{value:g}" if isinstance(value, float | np.floating) else repr(str(value))


def _first(labels: pd.Series | pd.Index, mask: NDArray[np.bool_], values: Any = None) -> str:
    """``N ..., first: a, b, c`` for the rows in ``mask``."""
    idx = np.flatnonzero(mask)[:3]
    shown = [
        str(labels[i]) if values is None else f"{_show(values[i])} at {labels[i]}" for i in idx
    ]
    return f"{int(mask.sum())} (first: " + "; ".join(shown) + ")"


def _parse_times(raw: pd.Series, where: str, timezone: str) -> tuple[pd.DatetimeIndex, list[str]]:
    """Local naive times of the ``time`` column and the problems found in it."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        times = pd.DatetimeIndex(raw)
    else:
        text = raw.astype(str).str.strip()
        has_offset = text.str.contains(_OFFSET, regex=True).to_numpy()
        if has_offset.any() and not has_offset.all():
            return pd.DatetimeIndex([]), [f"{where}: column 'time': mixes times with and "
                                          "without a UTC offset"]  # fmt: skip
        times = pd.DatetimeIndex(
            pd.to_datetime(text, format="ISO8601", errors="coerce", utc=bool(has_offset.any()))
        )
    if times.tz is not None:
        times = times.tz_convert(timezone).tz_localize(None)
    labels = raw.astype(str)
    problems = []
    bad = np.asarray(times.isna())
    if bad.any():
        problems.append(f"{where}: column 'time': expected local ISO times such as "
                        f"2024-01-01T00:00; unreadable: {_first(labels, bad, labels)}")  # fmt: skip
    ok = ~bad
    off_hour = ok & np.asarray(times != times.floor("h"))
    if off_hour.any():
        problems.append(f"{where}: column 'time': expected whole hours; {_first(labels, off_hour)}")
    dup = ok & np.asarray(times.duplicated())
    if dup.any():
        problems.append(f"{where}: column 'time': duplicated hours; {_first(labels, dup)}")
    return times, problems


def _parse_values(raw: pd.DataFrame, where: str) -> tuple[dict[str, F64], list[str]]:
    """Numeric columns (NaN where empty) and the problems found in them."""
    labels = raw["time"].astype(str)
    out: dict[str, F64] = {}
    problems: list[str] = []
    for col in COLUMNS:
        if col not in raw:
            problems.append(f"{where}: column '{col}': missing; expected {_VALID[col][1]}")
            continue
        cells = raw[col]
        values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=np.float64)
        text = np.isnan(values) & cells.notna().to_numpy()
        if text.any():
            problems.append(f"{where}: column '{col}': expected numbers ({_VALID[col][1]}); "
                            f"not a number: {_first(labels, text, cells.to_numpy())}")  # fmt: skip
        finite = ~np.isnan(values)
        bad = finite & ~np.asarray(_VALID[col][0](np.where(finite, values, 0.0)))
        if bad.any():
            problems.append(f"{where}: column '{col}': expected {_VALID[col][1]}; "
                            f"out of range: {_first(labels, bad, values)}")  # fmt: skip
        out[col] = values
    if "stagnant" in raw:
        cells = raw["stagnant"]
        flags = cells.astype(str).str.strip().str.lower().map(_STAGNANT_TEXT)
        values = pd.to_numeric(flags, errors="coerce").to_numpy(dtype=np.float64)
        bad = np.isnan(values) & cells.notna().to_numpy()
        if bad.any():
            problems.append(f"{where}: column 'stagnant': expected 0/1 or true/false; "
                            f"found {_first(labels, bad, cells.to_numpy())}")  # fmt: skip
        out["stagnant"] = values
    return out, problems


def _runs(mask: NDArray[np.bool_]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """First and last index of every run of True in ``mask``."""
    edges = np.diff(np.r_[0, mask.astype(np.int8), 0])
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1


def read_weather(path: Path, calendar: Calendar, config: MeteorologyConfig) -> Weather:
    """Read observed hourly weather for the run from CSV or NetCDF.

    A CSV has columns ``time`` (local ISO time of the hour's start; an explicit UTC offset is
    converted to ``calendar.timezone``) and :data:`COLUMNS`, optionally ``stagnant`` (0/1 or
    true/false); other columns are ignored. A NetCDF file has the same variables on a ``time``
    dimension. Every hour of the run must be present; with ``config.fill == "interpolate"``
    gaps (missing rows or empty cells) of at most ``config.max_gap_h`` hours are interpolated
    linearly from their neighbours (for ``stagnant``: the nearer neighbour's flag). Without a
    ``stagnant`` column, :func:`derive_stagnant` decides.

    Raises
    ------
    ScenarioError
        One line per problem, each naming the file and the column.
    """
    where = str(path)
    raw = _load_table(path)
    if "time" not in raw:
        raise ScenarioError(f"{where}: column 'time': missing; expected local ISO hour starts")
    times, problems = _parse_times(raw["time"], where, calendar.timezone)
    values, value_problems = _parse_values(raw, where)
    problems += value_problems
    if problems:
        raise ScenarioError(*problems)

    n = calendar.n_hours
    pad = config.max_gap_h if config.fill == "interpolate" else 0
    axis = pd.date_range(calendar.times[0] - pd.Timedelta(hours=pad), periods=n + 2 * pad, freq="h")
    table = pd.DataFrame(values, index=times).reindex(axis)
    present = np.asarray(axis.isin(times))
    inner = slice(pad, pad + n)
    labels = pd.Index(axis.strftime("%Y-%m-%dT%H:%M"))
    if config.fill == "error":
        missing = ~present[inner]
        if missing.any():
            problems.append(f"{where}: column 'time': hours of the run missing: "
                            f"{_first(labels[inner], missing)}")  # fmt: skip
        for col in table.columns:
            empty = np.isnan(table[col].to_numpy()[inner]) & present[inner]
            if empty.any():
                problems.append(f"{where}: column '{col}': empty cells in the run: "
                                f"{_first(labels[inner], empty)}")  # fmt: skip
    else:
        for col in table.columns:
            series = table[col].to_numpy(dtype=np.float64).copy()
            gap = np.isnan(series)
            for a, b in zip(*_runs(gap), strict=True):
                if b < pad or a >= pad + n:
                    continue  # outside the run
                if b - a + 1 <= config.max_gap_h and a > 0 and b < series.size - 1:
                    continue
                name = "time" if not present[a : b + 1].any() else col
                problems.append(f"{where}: column '{name}': {b - a + 1} hours without a value "
                                f"from {labels[a]}; fill='interpolate' bridges at most "
                                f"{config.max_gap_h} h between two values")  # fmt: skip
            ok = ~gap
            if ok.any():
                x = np.arange(series.size)
                series[gap] = np.interp(x[gap], x[ok], series[ok])
            table[col] = series
    if problems:
        raise ScenarioError(*dict.fromkeys(problems))
    arrays = {c: table[c].to_numpy(dtype=np.float64)[inner].copy() for c in table.columns}
    stagnant = (
        arrays["stagnant"] >= 0.5
        if "stagnant" in arrays
        else derive_stagnant(calendar, arrays["wind_m_s"], arrays["mixing_height_m"], config)
    )
    return Weather(**{c: arrays[c] for c in COLUMNS}, stagnant=np.asarray(stagnant))


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
