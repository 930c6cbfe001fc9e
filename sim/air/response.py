"""The air-quality response: hourly emissions of district and city to concentrations by scale.

Three nested scales (docs/model.md, Air): the district's own well-mixed box, the rest of the city as
a larger box, and the regional background (:mod:`sim.air.background`). Primary pollutants add up
over the scales. Secondary PM2.5 is formed from each box's precursors over its residence time
(:func:`sim.air.chemistry.secondary_pm`; reaction time = mean age of the box's air, ``L/(2u)``,
capped for the city); the regional share is a fixed fraction of regional
PM2.5. O3 and NO2 are not additive: they are attributed sequentially — region alone, region +
city, all — so the city and district parts of O3 may be negative (NO titration).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sim.air.background import RegionalBackground, RegionParams, regional_background
from sim.air.chemistry import OzoneParams, SecondaryParams, ozone_no2_hourly, secondary_pm
from sim.air.dispersion import box_increment

__all__ = [
    "AIR_POLLUTANTS",
    "FORMATIONS",
    "SCALES",
    "AirParams",
    "AirResponse",
    "BoxGeometry",
    "MetArrays",
    "air_response",
]

F64 = NDArray[np.float64]

#: Pollutants of the response (µg/m³, CO included in µg/m³), in HJ 633 order.
AIR_POLLUTANTS: tuple[str, ...] = ("PM2.5", "PM10", "SO2", "NO2", "CO", "O3")
#: Scales, nested from the inside out.
SCALES: tuple[str, ...] = ("district", "city", "region")
#: How PM2.5 came to be.
FORMATIONS: tuple[str, ...] = ("primary", "secondary")

# Column indices of emission arrays (sim.sources.base.POLLUTANTS order).
_PM25, _PM10, _NOX, _SO2, _VOC, _CO, _NH3 = range(7)


@dataclass(frozen=True)
class BoxGeometry:
    """A box's area (m²) and along-wind length (m)."""

    area_m2: float
    length_m: float

    def __post_init__(self) -> None:
        if self.area_m2 <= 0 or self.length_m <= 0:
            raise ValueError(
                f"area_m2(={self.area_m2}) and length_m(={self.length_m}) must be > 0."
            )


@dataclass(frozen=True)
class MetArrays:
    """Hourly meteorology the response needs, each ``(n_hours,)``."""

    wind_m_s: F64
    mixing_height_m: F64
    temperature_c: F64
    relative_humidity_pct: F64
    solar_w_m2: F64
    rain_mm_h: F64
    day_of_year: F64


@dataclass(frozen=True)
class AirParams:
    """Everything :func:`air_response` needs besides emissions and weather.

    Attributes
    ----------
    district, city
        Box geometries; ``city`` None switches the city scale off.
    city_receptor_factor
        City increment at the receptor relative to the city-box mean.
    city_max_reaction_time_h
        Cap on ``L/u`` of the city box for secondary PM, h.
    deposition_m_s
        Dry deposition velocity per emitted pollutant (PM2.5, PM10, NOx, SO2, VOC, CO, NH3), m/s.
    washout_per_h_per_mm_h
        PM wet scavenging rate per mm/h of rain, 1/h.
    region
        :class:`RegionParams`, or None to switch the region off (no background at all).
    region_secondary_fraction, region_pm10_pm25_ratio
        Secondary share of regional PM2.5 and the regional PM10/PM2.5 ratio.
    secondary, ozone
        Chemistry parameters.
    """

    district: BoxGeometry
    city: BoxGeometry | None
    city_receptor_factor: float = 1.0
    city_max_reaction_time_h: float = 24.0
    deposition_m_s: tuple[float, ...] = (0.002, 0.01, 0.002, 0.005, 0.0, 0.0, 0.01)
    washout_per_h_per_mm_h: float = 0.15
    region: RegionParams | None = field(default_factory=RegionParams)
    region_secondary_fraction: float = 0.55
    region_pm10_pm25_ratio: float = 1.6
    secondary: SecondaryParams = field(default_factory=SecondaryParams)
    ozone: OzoneParams = field(default_factory=OzoneParams)


@dataclass(frozen=True)
class AirResponse:
    """Hourly concentrations by scale.

    Attributes
    ----------
    by_scale
        µg/m³, shape ``(n_hours, len(AIR_POLLUTANTS), len(SCALES))``; CO in µg/m³.
    pm25_by_origin
        µg/m³, shape ``(n_hours, len(SCALES), len(FORMATIONS))``; sums to the PM2.5 of
        ``by_scale``.
    """

    by_scale: F64
    pm25_by_origin: F64

    @property
    def total(self) -> F64:
        """µg/m³, shape ``(n_hours, len(AIR_POLLUTANTS))``."""
        return np.asarray(self.by_scale.sum(axis=2))


def _box(emission_kg_h: F64, met: MetArrays, box: BoxGeometry, params: AirParams) -> F64:
    """Increments of one box for the 7 emitted pollutants, µg/m³ ``(n_hours, 7)``."""
    loss = np.zeros_like(emission_kg_h)
    wash = params.washout_per_h_per_mm_h / 3600.0 * np.maximum(met.rain_mm_h, 0.0)
    loss[:, _PM25] = wash
    loss[:, _PM10] = wash
    return box_increment(
        emission_kg_h,
        met.wind_m_s,
        met.mixing_height_m,
        box.area_m2,
        box.length_m,
        np.asarray(params.deposition_m_s, dtype=np.float64),
        loss,
    )


def _secondary(conc: F64, nh3_total: F64, met: MetArrays, tau_h: F64, p: SecondaryParams) -> F64:
    """Secondary PM2.5 formed from a box's precursors, µg/m³ ``(n_hours,)``."""
    return secondary_pm(
        conc[:, _SO2],
        conc[:, _NOX],
        conc[:, _VOC],
        nh3_total,
        met.temperature_c,
        met.relative_humidity_pct,
        met.solar_w_m2,
        tau_h,
        p,
    ).total


def air_response(
    district_kg_h: F64,
    city_kg_h: F64 | None,
    met: MetArrays,
    params: AirParams,
    background: RegionalBackground | None = None,
) -> AirResponse:
    """Hourly concentrations by scale from hourly emissions and weather.

    Parameters
    ----------
    district_kg_h
        The district's emissions, kg/h, ``(n_hours, 7)`` in :data:`sim.sources.base.POLLUTANTS`
        order.
    city_kg_h
        The rest of the city's emissions, same shape; None (or ``params.city`` None) for none.
    met
        :class:`MetArrays`.
    params
        :class:`AirParams`.
    background
        A precomputed regional background (it depends on the weather only); computed when None.

    Returns
    -------
    AirResponse
    """
    n = district_kg_h.shape[0]
    zeros = np.zeros((n, 7))
    dist = _box(district_kg_h, met, params.district, params)
    if params.city is not None and city_kg_h is not None:
        city = _box(city_kg_h, met, params.city, params) * params.city_receptor_factor
        tau_city = np.minimum(0.5 * params.city.length_m / met.wind_m_s / 3600.0,
                              params.city_max_reaction_time_h)  # fmt: skip
    else:
        city, tau_city = zeros, np.zeros(n)
    if params.region is not None:
        bg = background or regional_background(
            met.day_of_year, met.wind_m_s, met.mixing_height_m, met.rain_mm_h, params.region,
            relative_humidity_pct=met.relative_humidity_pct, temperature_c=met.temperature_c,
            solar_w_m2=met.solar_w_m2,
        )  # fmt: skip
        reg_pm25, o3_bg = bg.pm25, bg.o3
        reg = np.zeros((n, 7))
        reg[:, [_NOX, _SO2, _CO, _VOC, _NH3]] = bg.gases
    else:
        reg_pm25, o3_bg, reg = np.zeros(n), np.zeros(n), zeros

    nh3_total = dist[:, _NH3] + city[:, _NH3] + reg[:, _NH3]
    # mean age of what a uniformly emitting box holds: half its transit time L/u
    tau_dist = 0.5 * params.district.length_m / met.wind_m_s / 3600.0
    sec_dist = _secondary(dist, nh3_total, met, tau_dist, params.secondary)
    sec_city = _secondary(city, nh3_total, met, tau_city, params.secondary)
    f_sec = params.region_secondary_fraction

    origin = np.empty((n, 3, 2))
    origin[:, 0, 0], origin[:, 0, 1] = dist[:, _PM25], sec_dist
    origin[:, 1, 0], origin[:, 1, 1] = city[:, _PM25], sec_city
    origin[:, 2, 0], origin[:, 2, 1] = (1.0 - f_sec) * reg_pm25, f_sec * reg_pm25

    out = np.empty((n, len(AIR_POLLUTANTS), 3))
    out[:, 0, :] = origin.sum(axis=2)
    out[:, 1, 0] = dist[:, _PM10] + sec_dist
    out[:, 1, 1] = city[:, _PM10] + sec_city
    out[:, 1, 2] = params.region_pm10_pm25_ratio * reg_pm25
    out[:, 2, :] = np.stack([dist[:, _SO2], city[:, _SO2], reg[:, _SO2]], axis=1)
    out[:, 4, :] = np.stack([dist[:, _CO], city[:, _CO], reg[:, _CO]], axis=1)

    # O3 and NO2: region alone, region + city, all (sequential attribution)
    t, s = met.temperature_c, met.solar_w_m2
    cumulative = (reg, reg + city, reg + city + dist)
    o3_no2 = [
        ozone_no2_hourly(o3_bg, c[:, _NOX], c[:, _VOC], s, t, params.ozone) for c in cumulative
    ]
    o3 = np.stack([x[0] for x in o3_no2], axis=1)
    no2 = np.stack([x[1] for x in o3_no2], axis=1)
    out[:, 5, 2], out[:, 5, 1], out[:, 5, 0] = o3[:, 0], o3[:, 1] - o3[:, 0], o3[:, 2] - o3[:, 1]
    out[:, 3, 2], out[:, 3, 1], out[:, 3, 0] = (
        no2[:, 0], no2[:, 1] - no2[:, 0], no2[:, 2] - no2[:, 1],
    )  # fmt: skip
    return AirResponse(by_scale=out, pm25_by_origin=origin)
