"""Synthetic hourly weather for Tianjin from a seeded generator.

Each variable is a smooth, mean-preserving seasonal curve times (or plus) a fixed diurnal cycle
and a persistent AR(1) anomaly, overlaid with two kinds of discrete events: stagnation episodes
(low wind, shallow mixing) and rain events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.weather.hourly import Weather
from sim.weather.solar import clear_sky_ghi_w_m2, solar_elevation_deg

if TYPE_CHECKING:
    from sim.calendar import Calendar
    from sim.scenario.sections.meteorology import MeteorologyConfig

__all__ = ["mean_preserving_curve", "synthetic_weather"]

F64 = NDArray[np.float64]

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
#: RH added in stagnation hours, % points; the month's expected share ``f·ΔRH`` is taken off the
#: other hours, so monthly means stay. Source: Zheng, G.J. et al. (2015), ACP 15:2969, Fig. 2
#: (Beijing, Jan 2013: RH 60-80 % in polluted stagnant periods against 30-45 % in clean ones,
#: M); the lower end of the +20-40 points, since not every stagnant hour is a haze hour.
STAGNATION_RH_INCREASE_PCT = 15.0
#: Gamma shape of the intervals between stagnation-episode starts (in units of the expected
#: interval; 1 would be a Poisson process). North China haze builds and clears with the passage
#: of cold fronts in quasi-periodic 4-7 day cycles (Guo, S. et al. 2014, PNAS 111:17373; Jia et
#: al. 2008, GRL 35:L23807), so episodes come more regularly than at random: the count in a year
#: varies by about sqrt(mean/k), not sqrt(mean). Assumed: k = 4, set so that the weather-only
#: coefficient of variation of the baseline's annual PM2.5 matches Tianjin's detrended
#: year-to-year scatter of about 5 % (issue 14; validation/weather_spread.py, docs/model.md).
STAGNATION_INTERVAL_SHAPE = 4.0
#: Rain events last 1 to this many hours.
MAX_RAIN_DURATION_H = 48


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
    """Stationary standard-normal AR(1) series of shape ``(n_series, n)``, coefficient ``phi``.

    ``y[t] = phi y[t-1] + e[t]``, solved in blocks of ``B`` steps: inside a block,
    ``y[b+j] = phi^j (y[b] + sum_{k<=j} phi^-k e[b+k])`` (vectorised; ``phi^-B`` stays small),
    then the block ends are carried forward in a short loop. Avoids scipy.signal's import cost.
    """
    eps = rng.standard_normal((n_series, n))
    eps[:, 1:] *= np.sqrt(1.0 - phi * phi)
    if phi == 0.0:
        return eps
    block = max(1, min(256, int(np.log(1e6) / max(-np.log(abs(phi)), 1e-12))))
    n_blocks = -(-n // block)
    padded = np.zeros((n_series, n_blocks * block))
    padded[:, :n] = eps
    e = padded.reshape(n_series, n_blocks, block)
    powers = phi ** np.arange(block)
    local = np.cumsum(e / powers, axis=2) * powers  # each block started from y = 0
    ends = local[:, :, -1].copy()
    carry = np.zeros((n_series, n_blocks))  # y just before each block
    for k in range(1, n_blocks):
        carry[:, k] = phi**block * carry[:, k - 1] + ends[:, k - 1]
    y = local + carry[:, :, None] * (phi * powers)[None, None, :]
    return np.asarray(y.reshape(n_series, -1)[:, :n])


# -- discrete events -----------------------------------------------------------------------------
def _starts(rng: np.random.Generator, rate_per_h: F64, prefix_h: int) -> NDArray[np.int64]:
    """Start hours of a Poisson process with hourly rates (relative to the run's first hour)."""
    counts = rng.poisson(rate_per_h)
    return np.repeat(np.arange(rate_per_h.size) - prefix_h, counts)


def _renewal_starts(
    rng: np.random.Generator, rate_per_h: F64, prefix_h: int, shape: float
) -> NDArray[np.int64]:
    """Start hours of a renewal process with hourly rates and Gamma(``shape``) intervals.

    Time is changed to the expected count ``Λ`` (cumulative rate), where the intervals have mean
    1 and variance ``1/shape``; the first arrival is a uniform fraction of an interval.
    """
    lam = np.cumsum(rate_per_h)
    total = float(lam[-1]) if lam.size else 0.0
    n_draw = int(total + 6.0 * np.sqrt(total / shape + 1.0) + 4.0)
    gaps = rng.gamma(shape, 1.0 / shape, size=n_draw)
    gaps[0] *= rng.uniform()
    arrivals = np.cumsum(gaps)
    arrivals = arrivals[arrivals < total]
    return np.asarray(np.searchsorted(lam, arrivals, side="right") - prefix_h, dtype=np.int64)


def _stagnation(
    rng: np.random.Generator,
    month: NDArray[np.int64],
    n: int,
    prefix_h: int,
    cfg: MeteorologyConfig,
) -> NDArray[np.bool_]:
    """Stagnation mask: episodes start as a quasi-periodic renewal process, last U[min, max] days.

    Starts have the hourly rate ``f / E[length]`` (episodes then cover a fraction ``f`` of the
    hours; overlaps, rare with regular starts, merge); the intervals between them, measured in
    expected-count units ``Λ(t) = Σ rate``, are Gamma(``k``, 1/``k``) with ``k`` =
    :data:`STAGNATION_INTERVAL_SHAPE` (``k = 1``: Poisson). The spin-up prefix lets the renewal
    process forget its random first phase.
    """
    lo, hi = round(cfg.stagnation_min_days * 24), round(cfg.stagnation_max_days * 24)
    frac = np.asarray(cfg.stagnation_fraction)[month]
    starts = _renewal_starts(rng, frac / (0.5 * (lo + hi)), prefix_h, STAGNATION_INTERVAL_SHAPE)
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
    # drawn last, so that the rain (all the water side sees) keeps its draws
    z_day = rng.standard_normal((2, len(calendar.days)))[:, calendar.day_index]

    seasonal = _seasonal_curves(cfg, position)
    wind, mixing = _wind_and_mixing(cfg, seasonal, (z, z_day), stagnant, hours, centre)
    daily = np.cos(2 * np.pi * (centre - T_PEAK_H) / 24.0)
    temperature = (
        seasonal[2]
        + cfg.temperature_diurnal_amplitude_c * daily
        + cfg.temperature_anomaly_sd_c * z[2]
    )
    wet = rain >= 0.1
    frac = np.asarray(cfg.stagnation_fraction)[month_ext[prefix:]]
    rh = (
        seasonal[3]
        - cfg.relative_humidity_diurnal_amplitude_pct * daily
        + cfg.relative_humidity_anomaly_sd_pct * z[3]
        + STAGNATION_RH_INCREASE_PCT * (stagnant - frac)
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


def _seasonal_curves(cfg: MeteorologyConfig, position: F64) -> F64:
    """Hourly seasonal curves (wind, mixing height, temperature, RH, cloud), rows in that order.

    Wind and mixing height are divided by the month's expected episode factor so that monthly
    means include the stagnation episodes.
    """
    frac = np.asarray(cfg.stagnation_fraction)
    wind_seasonal = np.asarray(cfg.wind_m_s) / (1.0 - frac * (1.0 - cfg.stagnation_wind_factor))
    mix_seasonal = np.asarray(cfg.mixing_height_m) / (
        1.0 - frac * (1.0 - cfg.stagnation_mixing_height_factor)
    )
    return mean_preserving_curve(
        np.stack([wind_seasonal, mix_seasonal, cfg.temperature_c, cfg.relative_humidity_pct,
                  cfg.cloud_cover_fraction]),
        position,
    )  # fmt: skip


def _wind_and_mixing(
    cfg: MeteorologyConfig,
    seasonal: F64,
    anomalies: tuple[F64, F64],
    stagnant: NDArray[np.bool_],
    hours: NDArray[np.datetime64],
    centre: F64,
) -> tuple[F64, F64]:
    """Hourly wind speed (m/s) and mixing height (m): curve × diurnal × (lognormal or episode).

    Inside a stagnation episode the episode factors *replace* the synoptic anomaly instead of
    multiplying it: they already set the episode's synoptic state at the observed haze-episode
    means (0.97 m/s, 210 m; DOMAIN.md §6), and stacking a low anomaly on them made episodes of
    a daily ventilation near 50 m²/s, a quarter of the worst observed (issue 14: one January
    of 300 µg/m³ in 50 weather-only years). The days of an episode still differ as days do:
    each calendar day draws its own factors (``anomalies[1]``, ``(2, n)``, constant within a
    day, independent from day to day) with the synoptic anomaly's log-sds and correlation, so
    inside an episode the persistent part is the episode and the day-to-day part is the
    weather's own. Every factor has mean 1, so the monthly means are kept.
    """
    z, z_day = anomalies
    s_w, s_m = cfg.wind_anomaly_log_sd, cfg.mixing_height_anomaly_log_sd
    wind_z = np.where(stagnant, z_day[0], z[0])
    mix_z = _correlated(cfg.wind_mixing_correlation, wind_z, np.where(stagnant, z_day[1], z[1]))
    wind = (
        seasonal[0]
        * (1.0 + cfg.wind_diurnal_amplitude * np.cos(2 * np.pi * (centre - WIND_PEAK_H) / 24.0))
        * np.where(stagnant, cfg.stagnation_wind_factor, 1.0)
        * np.exp(s_w * wind_z - 0.5 * s_w * s_w)
    )
    mixing = (
        seasonal[1]
        * _mixing_profile(cfg.mixing_height_night_fraction)[hours.astype(np.int64) % 24]
        * np.where(stagnant, cfg.stagnation_mixing_height_factor, 1.0)
        * np.exp(s_m * mix_z - 0.5 * s_m * s_m)
    )
    return wind, mixing


def _correlated(rho: float, z0: F64, z1: F64) -> F64:
    """A standard normal correlated ``rho`` with ``z0``, from the independent ``z1``."""
    return np.asarray(rho * z0 + np.sqrt(1.0 - rho * rho) * z1)


def _mixing_profile(night_fraction: float) -> F64:
    """Hour-of-day factors of the mixing height, mean 1: flat at night, a sine hump by day."""
    centre = np.arange(24) + 0.5
    hump = np.clip(
        np.sin(np.pi * (centre - MIXING_RISE_H) / (MIXING_FALL_H - MIXING_RISE_H)), 0, None
    )
    hump[(centre < MIXING_RISE_H) | (centre > MIXING_FALL_H)] = 0.0
    return np.asarray(night_fraction + (1.0 - night_fraction) * hump / hump.mean())
