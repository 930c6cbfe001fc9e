"""Scenario section: the emergency family of measures (fields of ``policies``).

Heavy-pollution weather response (the plan, measure 6): a forecast of next-day PM2.5 triggers
yellow, orange or red alerts; while an alert holds, the sources on the emergency reduction list
cut their emissions by the listed fractions.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.distributions import Uncertain
from sim.scenario.measure import MeasureConfig
from sim.scenario.quantity import Q

__all__ = [
    "AlertThresholds",
    "EmergencyAction",
    "EmergencyPolicies",
    "EmergencyResponse",
    "Forecast",
]

Fraction = Annotated[float, Q("1"), Field(ge=0, le=1)]
Concentration = Annotated[float, Q("ug/m3"), Field(gt=0)]


class Forecast(Section):
    """How next-day PM2.5 is forecast.

    ``stagnation_index`` (meteorology only, :mod:`sim.policies.forecast`):
    ``PM2.5 = reference_ug_m3 × (V_median / V_day)^exponent × (1 + rh_coefficient ×
    max(0, RH_day − 60) / 40) × ε``, with ``V`` the daily mean ventilation coefficient (wind ×
    mixing height, m²/s), ``V_median`` its median over the run, and ``ε`` a lognormal error of
    log-sd ``error_sigma``. A box model gives ``exponent = 1`` (concentration ∝ 1/(u·h)).
    ``air_model``: the air-quality model's own daily forecast (``sim.outcomes.air``).
    """

    method: Literal["stagnation_index", "air_model"] = "stagnation_index"
    reference_ug_m3: Concentration = Field(
        35.0,
        description="PM2.5 of a median-ventilation day. calibrated: with `exponent` 0.6, "
        "synthetic Tianjin weather (6 seeds) gives an annual mean of 44-47 µg/m³ and 2-6 days "
        ">= 150 µg/m³ before forecast error; observed 48 µg/m³ and 11 heavy days in 2020, 4 heavy "
        "days in Jan-Oct 2024 (DOMAIN.md §4, H).",
    )
    exponent: Annotated[float, Q("1")] = Field(
        0.6,
        ge=0,
        description="Power of the ventilation ratio. calibrated with `reference_ug_m3`; a pure "
        "box model gives 1 (C ∝ 1/(u·h)), which overstates the tails of daily means.",
    )
    rh_coefficient: Annotated[float, Q("1")] = Field(
        0.5,
        ge=0,
        description="Extra PM2.5 share from RH 60 % to 100 % (hygroscopic growth, secondary "
        "aerosol). assumed.",
    )
    error_sigma: Uncertain = Field(
        0.3,
        description="Log-sd of the multiplicative forecast error. assumed: next-day PM2.5 "
        "forecasts are typically within ±30-40 %.",
    )


class AlertThresholds(Section):
    """Forecast next-day PM2.5 at or above which each alert level is issued, µg/m³."""

    yellow: Concentration = Field(
        150.0, description="Source: HJ 633-2012, PM2.5 150 µg/m³ = IAQI 200 (heavy pollution)."
    )
    orange: Concentration = Field(
        200.0, description="assumed: between heavy (IAQI 200) and severe (IAQI 300)."
    )
    red: Concentration = Field(
        250.0, description="Source: HJ 633-2012, PM2.5 250 µg/m³ = IAQI 300 (severe)."
    )

    @model_validator(mode="after")
    def _ordered(self) -> AlertThresholds:
        if not self.yellow <= self.orange <= self.red:
            raise ValueError("thresholds must satisfy yellow <= orange <= red")
        return self


class EmergencyAction(Item):
    """One line of the emergency reduction list: a source and its cut at each alert level."""

    target: str = Field(
        pattern=r"^[a-z_]+\.[A-Za-z0-9_.\-]+$",
        description="Source key '<sector>.<source>' (e.g. 'dust.construction', "
        "'industrial.printing_packaging', 'mobile.on_road').",
    )
    yellow: Fraction = Field(description="Share of the source's emissions cut under yellow.")
    orange: Fraction = Field(description="Share cut under orange.")
    red: Fraction = Field(description="Share cut under red.")


class EmergencyResponse(MeasureConfig):
    """Forecast-triggered alerts and the emergency reduction list (重污染天气应急减排清单)."""

    forecast: Forecast = Forecast()
    thresholds_ug_m3: AlertThresholds = AlertThresholds()
    actions: list[EmergencyAction] = Field(default_factory=list)
    compliance: Uncertain = Field(
        1.0, description="Share of the listed cuts actually achieved (0-1)."
    )
    cost_cny_per_alert_day: Annotated[float, Q("CNY/d")] = Field(
        0.0, ge=0, description="Cost of one alert day (lost output, enforcement)."
    )


class EmergencyPolicies(Section):
    """Measures of the emergency family; each field is one measure (absent: not applied)."""

    emergency_response: EmergencyResponse | None = Field(
        None, description="Heavy-pollution weather response."
    )
