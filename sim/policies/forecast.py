"""Next-day PM2.5 forecasts that trigger heavy-pollution alerts.

Two methods (``policies.emergency_response.forecast.method``):

``stagnation_index``
    Meteorology only. Box-model reasoning: a day's mean concentration scales with the inverse of
    its ventilation coefficient ``V = u × h`` (wind speed × mixing height, m²/s), and humid air
    adds secondary and hygroscopic aerosol. With ``V_med`` the run's median daily ``V``::

        PM2.5_d = ref × (V_med / V_d)^a × (1 + b × max(0, RH_d − 60) / 40)

    The index needs no emissions, so a measure never changes the alerts it triggers.
    Reference: Cai et al. 2018 (DOMAIN.md §6): daily mean mixing height below 200 m gives a 52 %
    chance of heavy pollution in Tianjin.
``air_model``
    The air-quality model's own forecast, :func:`sim.outcomes.air.forecast_daily_pm25`, which the
    api passes in (``ProcessContext.pm25_forecast``): a policy never imports an outcome.

Both are "perfect meteorology" forecasts; the imperfection is a multiplicative lognormal error
``exp(σ·z)`` per day, drawn from the measure's own stream.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.errors import ScenarioError
from sim.scenario.distributions import draw

if TYPE_CHECKING:
    from sim.calendar import Calendar
    from sim.context import ProcessContext
    from sim.scenario.sections.policies_emergency import Forecast
    from sim.weather import Weather

__all__ = ["RH_ONSET_PCT", "forecast_pm25", "stagnation_index_pm25"]

#: Relative humidity above which the index adds humid-air aerosol, % (assumed).
RH_ONSET_PCT = 60.0


def stagnation_index_pm25(
    weather: Weather, calendar: Calendar, cfg: Forecast
) -> NDArray[np.float64]:
    """Meteorology-only PM2.5 index, µg/m³, one value per day of ``calendar.days``.

    Parameters
    ----------
    weather
        Hourly meteorology: ``wind_m_s`` (m/s), ``mixing_height_m`` (m),
        ``relative_humidity_pct`` (%).
    calendar
        The run's hourly axis.
    cfg
        Reference level ``reference_ug_m3`` (µg/m³ on a median-ventilation day), ``exponent``
        and ``rh_coefficient``.
    """
    ventilation_m2_s = calendar.daily_mean(weather.wind_m_s * weather.mixing_height_m)
    rh_pct = calendar.daily_mean(weather.relative_humidity_pct)
    ratio = float(np.median(ventilation_m2_s)) / ventilation_m2_s
    humid = 1.0 + cfg.rh_coefficient * np.clip(rh_pct - RH_ONSET_PCT, 0.0, None) / 40.0
    return np.asarray(cfg.reference_ug_m3 * ratio**cfg.exponent * humid, dtype=np.float64)


def _air_model(ctx: ProcessContext) -> NDArray[np.float64]:
    if getattr(ctx.scenario, "air", None) is None:
        raise ScenarioError(
            "policies.emergency_response.forecast.method = 'air_model': the scenario has no "
            "`air:` section; add one or use 'stagnation_index'"
        )
    if ctx.pm25_forecast is None:
        raise ScenarioError(
            "policies.emergency_response.forecast.method = 'air_model': this run was started "
            "without the air model's forecast (simulate_state(..., pm25_forecast=...)); use "
            "sim.run or 'stagnation_index'"
        )
    out = np.asarray(ctx.pm25_forecast(ctx), dtype=np.float64)
    if out.shape != (len(ctx.calendar.days),):
        raise ValueError(f"forecast_daily_pm25 returned shape {out.shape}, expected one per day.")
    return out


def forecast_pm25(
    ctx: ProcessContext, cfg: Forecast, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Forecast next-day PM2.5, µg/m³, for every day of the run (perfect meteorology × error).

    ``out[d]`` is the forecast for day ``d``, issued the day before. The error's log-sd is drawn
    once from ``cfg.error_sigma``; then one standard normal per day, from ``rng``.
    """
    perfect = (
        _air_model(ctx)
        if cfg.method == "air_model"
        else stagnation_index_pm25(ctx.weather, ctx.calendar, cfg)
    )
    sigma = max(0.0, float(draw(cfg.error_sigma, rng)))
    z = rng.standard_normal(perfect.shape[0])
    return np.asarray(perfect * np.exp(sigma * z), dtype=np.float64)
