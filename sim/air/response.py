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

from sim.air.background import GAS_COLUMNS, RegionalBackground, RegionParams, regional_background
from sim.air.chemistry import OzoneParams, SecondaryParams, ozone_no2_hourly, secondary_pm
from sim.air.dispersion import box_increment
from sim.scenario.vocabulary import AIR_POLLUTANTS, POLLUTANTS

__all__ = [
    "AIR_POLLUTANTS",
    "FORMATIONS",
    "SCALES",
    "AirParams",
    "AirResponse",
    "BoxGeometry",
    "MetArrays",
    "ScaleIncrements",
    "air_response",
    "background",
    "box",
    "increments",
    "respond",
    "total_concentrations",
]

F64 = NDArray[np.float64]

#: Scales, nested from the inside out.
SCALES: tuple[str, ...] = ("district", "city", "region")
#: How PM2.5 came to be.
FORMATIONS: tuple[str, ...] = ("primary", "secondary")

#: Column of each emitted pollutant (kg/h arrays, box increments) and of each ambient one (µg/m³).
EMITTED = {name: i for i, name in enumerate(POLLUTANTS)}
AMBIENT = {name: i for i, name in enumerate(AIR_POLLUTANTS)}


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
        """µg/m³, shape ``(n_hours, len(AIR_POLLUTANTS))``.

        The sequential O3/NO2 parts ``a + (b - a) + (c - b)`` sum to ``c >= 0`` only up to
        rounding; the ~1e-16 residue below 0 is set to 0.
        """
        return np.asarray(np.maximum(self.by_scale.sum(axis=2), 0.0))


@dataclass(frozen=True)
class ScaleIncrements:
    """What each scale adds before chemistry, µg/m³; leading axes (coalitions) are carried along.

    Attributes
    ----------
    district, city
        Box increments of the emitted pollutants, ``(..., n_hours, 7)``; the city's includes the
        receptor factor.
    region
        Regional gases in the same columns (PM columns 0), ``(..., n_hours, 7)``.
    region_pm25, o3_background
        Regional PM2.5 and O3, ``(..., n_hours)``.
    """

    district: F64
    city: F64
    region: F64
    region_pm25: F64
    o3_background: F64


def box(emission_kg_h: F64, met: MetArrays, geometry: BoxGeometry, params: AirParams) -> F64:
    """Increments of one box for the 7 emitted pollutants, µg/m³ ``(n_hours, ..., 7)``.

    Axes between time and pollutant (e.g. with and without measures) are carried along.
    """
    loss = np.zeros_like(emission_kg_h)
    wash = params.washout_per_h_per_mm_h / 3600.0 * np.maximum(met.rain_mm_h, 0.0)
    wash = wash.reshape(-1, *([1] * (emission_kg_h.ndim - 2)))
    loss[..., EMITTED["PM2.5"]] = wash
    loss[..., EMITTED["PM10"]] = wash
    return box_increment(
        emission_kg_h, met.wind_m_s, met.mixing_height_m, geometry.area_m2, geometry.length_m,
        np.asarray(params.deposition_m_s, dtype=np.float64), loss,
    )  # fmt: skip


def background(
    met: MetArrays, params: AirParams, relative_emissions: F64 | None = None
) -> RegionalBackground | None:
    """The regional background (None when the region is off); ``relative_emissions``: the
    region's emissions relative to its reference inventory, ``(n_hours, 7)``."""
    if params.region is None:
        return None
    return regional_background(
        met.day_of_year, met.wind_m_s, met.mixing_height_m, met.rain_mm_h, params.region,
        relative_humidity_pct=met.relative_humidity_pct, temperature_c=met.temperature_c,
        solar_w_m2=met.solar_w_m2, relative_emissions=relative_emissions,
    )  # fmt: skip


def increments(
    district: F64, city: F64 | None, bg: RegionalBackground | None, params: AirParams
) -> ScaleIncrements:
    """Gather the district and city box increments and the background into one record."""
    n = district.shape[0]
    city_inc = np.zeros((n, 7)) if city is None else city * params.city_receptor_factor
    reg = np.zeros((n, 7))
    if bg is None:
        return ScaleIncrements(district, city_inc, reg, np.zeros(n), np.zeros(n))
    reg[:, list(GAS_COLUMNS)] = bg.gases
    return ScaleIncrements(district, city_inc, reg, bg.pm25, bg.o3)


def _secondary(conc: F64, nh3_total: F64, met: MetArrays, tau_h: F64, p: SecondaryParams) -> F64:
    """Secondary PM2.5 formed from a box's precursors, µg/m³ ``(..., n_hours)``."""
    return secondary_pm(
        conc[..., EMITTED["SO2"]], conc[..., EMITTED["NOx"]], conc[..., EMITTED["VOC"]],
        nh3_total, met.temperature_c, met.relative_humidity_pct, met.solar_w_m2, tau_h, p,
    ).total  # fmt: skip


def _secondary_by_scale(inc: ScaleIncrements, met: MetArrays, params: AirParams) -> tuple[F64, F64]:
    """Secondary PM2.5 of the district and city boxes (each box's mean age: half of ``L/u``)."""
    nh3 = EMITTED["NH3"]
    nh3_total = inc.district[..., nh3] + inc.city[..., nh3] + inc.region[..., nh3]
    tau_dist = 0.5 * params.district.length_m / met.wind_m_s / 3600.0
    sec_dist = _secondary(inc.district, nh3_total, met, tau_dist, params.secondary)
    if params.city is None:
        return sec_dist, np.zeros_like(sec_dist)
    tau_city = np.minimum(0.5 * params.city.length_m / met.wind_m_s / 3600.0,
                          params.city_max_reaction_time_h)  # fmt: skip
    return sec_dist, _secondary(inc.city, nh3_total, met, tau_city, params.secondary)


def _ozone_no2(gases: F64, o3_bg: F64, met: MetArrays, params: AirParams) -> tuple[F64, F64]:
    return ozone_no2_hourly(
        o3_bg, gases[..., EMITTED["NOx"]], gases[..., EMITTED["VOC"]], met.solar_w_m2,
        met.temperature_c, params.ozone,
    )  # fmt: skip


def total_concentrations(inc: ScaleIncrements, met: MetArrays, params: AirParams) -> F64:
    """Total hourly concentrations only, µg/m³ ``(..., n_hours, len(AIR_POLLUTANTS))``.

    The same numbers as ``respond(...).total`` without the attribution by scale (one ozone call
    instead of three), for many coalitions at once along leading axes.
    """
    sec_dist, sec_city = _secondary_by_scale(inc, met, params)
    secondary = sec_dist + sec_city
    gases = inc.district + inc.city + inc.region
    out = np.empty((*gases.shape[:-1], len(AIR_POLLUTANTS)))
    out[..., AMBIENT["PM2.5"]] = gases[..., EMITTED["PM2.5"]] + secondary + inc.region_pm25
    out[..., AMBIENT["PM10"]] = (
        gases[..., EMITTED["PM10"]] + secondary + params.region_pm10_pm25_ratio * inc.region_pm25
    )
    out[..., AMBIENT["SO2"]] = gases[..., EMITTED["SO2"]]
    out[..., AMBIENT["CO"]] = gases[..., EMITTED["CO"]]
    o3, no2 = _ozone_no2(gases, inc.o3_background, met, params)
    out[..., AMBIENT["O3"]], out[..., AMBIENT["NO2"]] = o3, no2
    return out


def respond(inc: ScaleIncrements, met: MetArrays, params: AirParams) -> AirResponse:
    """Concentrations by scale and PM2.5 by origin from the increments (module docstring)."""
    n = inc.district.shape[0]
    sec_dist, sec_city = _secondary_by_scale(inc, met, params)
    f_sec = params.region_secondary_fraction
    pm25, pm10 = EMITTED["PM2.5"], EMITTED["PM10"]
    origin = np.empty((n, 3, 2))
    origin[:, 0, 0], origin[:, 0, 1] = inc.district[:, pm25], sec_dist
    origin[:, 1, 0], origin[:, 1, 1] = inc.city[:, pm25], sec_city
    origin[:, 2, 0], origin[:, 2, 1] = (1.0 - f_sec) * inc.region_pm25, f_sec * inc.region_pm25

    out = np.empty((n, len(AIR_POLLUTANTS), 3))
    out[:, AMBIENT["PM2.5"], :] = origin.sum(axis=2)
    out[:, AMBIENT["PM10"], 0] = inc.district[:, pm10] + sec_dist
    out[:, AMBIENT["PM10"], 1] = inc.city[:, pm10] + sec_city
    out[:, AMBIENT["PM10"], 2] = params.region_pm10_pm25_ratio * inc.region_pm25
    for name in ("SO2", "CO"):
        col = EMITTED[name]
        out[:, AMBIENT[name], :] = np.stack(
            [inc.district[:, col], inc.city[:, col], inc.region[:, col]], axis=1
        )
    # O3 and NO2: region alone, region + city, all (sequential attribution)
    cumulative = np.stack([inc.region, inc.region + inc.city, inc.region + inc.city + inc.district])
    o3, no2 = _ozone_no2(cumulative, inc.o3_background, met, params)
    for col, series in ((AMBIENT["O3"], o3), (AMBIENT["NO2"], no2)):
        out[:, col, 2], out[:, col, 1] = series[0], series[1] - series[0]
        out[:, col, 0] = series[2] - series[1]
    return AirResponse(by_scale=out, pm25_by_origin=origin)


def air_response(
    district_kg_h: F64,
    city_kg_h: F64 | None,
    met: MetArrays,
    params: AirParams,
    bg: RegionalBackground | None = None,
) -> AirResponse:
    """Hourly concentrations by scale from hourly emissions and weather.

    Parameters
    ----------
    district_kg_h
        The district's emissions, kg/h, ``(n_hours, 7)`` in vocabulary POLLUTANTS order.
    city_kg_h
        The rest of the city's emissions, same shape; None (or ``params.city`` None) for none.
    met
        :class:`MetArrays`.
    params
        :class:`AirParams`.
    bg
        A precomputed regional background (:func:`background`); computed when None.
    """
    dist = box(district_kg_h, met, params.district, params)
    city = (
        box(city_kg_h, met, params.city, params)
        if params.city is not None and city_kg_h is not None
        else None
    )
    return respond(increments(dist, city, bg or background(met, params), params), met, params)
