"""The air-quality response: hourly emissions of district and city to concentrations by scale.

Three nested scales (docs/model.md, Air): the district's own well-mixed box, the rest of the city as
a larger box, and the regional background (:mod:`sim.air.background`). Primary pollutants add up
over the scales. Secondary PM2.5 is formed from each box's precursors over its residence time
(:func:`sim.air.secondary.secondary_pm`; reaction time = mean age of the box's air, ``L/(2u)``,
capped for the city); the regional share is a fixed fraction of regional
PM2.5. O3 and NO2 are not additive: they are attributed sequentially — region alone, region +
city, all — so the city and district parts of O3 may be negative (NO titration).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sim.air.background import (
    GAS_COLUMNS,
    RegionalBackground,
    RegionalWeather,
    RegionParams,
    regional_background,
)
from sim.air.dispersion import KG_H_TO_UG_S, box_increment
from sim.air.haze_feedback import HazeFeedbackParams
from sim.air.ozone import OzoneParams, ozone_no2_hourly, ozone_production_ug_m3_h
from sim.air.secondary import (
    M_NO2,
    M_NO3,
    M_SO2,
    M_SO4,
    SecondaryParams,
    conversion_rates_per_h,
    partition_inorganic,
    secondary_pm,
)
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
    "products",
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
    product_deposition_m_s
        Dry deposition velocity of the products, sulfate and total nitrate (HNO3 + NO3⁻), m/s.
    washout_per_h_per_mm_h
        PM wet scavenging rate per mm/h of rain, 1/h.
    region
        :class:`RegionParams`, or None to switch the region off (no background at all).
    region_secondary_fraction, region_pm10_pm25_ratio
        Secondary share of regional PM2.5 and the regional PM10/PM2.5 ratio.
    secondary, ozone
        Chemistry parameters.
    haze_feedback
        :class:`sim.air.haze_feedback.HazeFeedbackParams`, or None (off). It acts on the weather
        before the response (:func:`sim.outcomes.air_inputs.met_arrays`), not in it.
    """

    district: BoxGeometry
    city: BoxGeometry | None
    city_receptor_factor: float = 1.0
    city_max_reaction_time_h: float = 24.0
    deposition_m_s: tuple[float, ...] = (0.002, 0.01, 0.002, 0.005, 0.0, 0.0, 0.01)
    product_deposition_m_s: tuple[float, float] = (0.002, 0.01)
    washout_per_h_per_mm_h: float = 0.15
    region: RegionParams | None = field(default_factory=RegionParams)
    region_secondary_fraction: float = 0.55
    region_pm10_pm25_ratio: float = 1.6
    secondary: SecondaryParams = field(default_factory=SecondaryParams)
    ozone: OzoneParams = field(default_factory=OzoneParams)
    haze_feedback: HazeFeedbackParams | None = None


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
        b = self.by_scale
        return np.maximum(b[..., 0] + b[..., 1] + b[..., 2], 0.0)  # = sum(axis=2), in order


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
    region_secondary_share
        Secondary share of regional PM2.5 (after the region's own changes); None: the fixed
        ``AirParams.region_secondary_fraction``.
    """

    district: F64
    city: F64
    region: F64
    region_pm25: F64
    o3_background: F64
    region_secondary_share: F64 | float | None = None


def _per_hour(values: F64, ndim: int) -> F64:
    """An ``(n_hours,)`` series shaped to broadcast against ``(n_hours, ..., k)``."""
    return values.reshape(-1, *([1] * (ndim - 1)))


def box(emission_kg_h: F64, met: MetArrays, geometry: BoxGeometry, params: AirParams) -> F64:
    """Increments of one box for the 7 emitted pollutants, µg/m³ ``(n_hours, ..., 7)``.

    SO2 and NOx are lost to sulfate and nitrate at :func:`conversion_rates_per_h` (the mass
    :func:`products` gains); PM is washed out by rain. Axes between time and pollutant (e.g.
    with and without measures) are carried along.
    """
    loss = np.zeros_like(emission_kg_h)
    wash = params.washout_per_h_per_mm_h / 3600.0 * np.maximum(met.rain_mm_h, 0.0)
    loss[..., EMITTED["PM2.5"]] = _per_hour(wash, emission_kg_h.ndim - 1)
    loss[..., EMITTED["PM10"]] = loss[..., EMITTED["PM2.5"]]
    rates = conversion_rates_per_h(
        met.temperature_c, met.relative_humidity_pct, met.solar_w_m2, params.secondary
    )
    loss[..., EMITTED["SO2"]] = _per_hour(rates["SO2"] / 3600.0, emission_kg_h.ndim - 1)
    loss[..., EMITTED["NOx"]] = _per_hour(rates["NOx"] / 3600.0, emission_kg_h.ndim - 1)
    return box_increment(
        emission_kg_h, met.wind_m_s, met.mixing_height_m, geometry.area_m2, geometry.length_m,
        np.asarray(params.deposition_m_s, dtype=np.float64), loss,
    )  # fmt: skip


def products(inc: F64, met: MetArrays, geometry: BoxGeometry, params: AirParams) -> F64:
    """Sulfate (as SO4) and total nitrate (as NO3) a box holds, µg/m³ ``(..., n_hours, 2)``.

    Each is a box of its own (:func:`sim.air.dispersion.box_increment`) whose source is the
    precursor converted in the box, ``k·C_P·M_product/M_P`` with ``C_P`` the precursor's hourly
    mean increment ``inc`` (``(..., n_hours, 7)``, from :func:`box`), and whose losses are
    flushing, dry deposition (``product_deposition_m_s``) and washout. The mass converted in an
    hour is exactly ``k·Δ·mean(C_P)``, so S and N are conserved: what is emitted leaves the box
    as precursor or product, by wind or deposition, or is still in it.
    """
    rates = conversion_rates_per_h(
        met.temperature_c, met.relative_humidity_pct, met.solar_w_m2, params.secondary
    )
    conv = np.stack(
        [
            inc[..., EMITTED["SO2"]] * rates["SO2"] * (M_SO4 / M_SO2),
            inc[..., EMITTED["NOx"]] * rates["NOx"] * (M_NO3 / M_NO2),
        ],
        axis=-1,
    )  # µg/m³/h, (..., n, 2)
    conv = np.moveaxis(conv, -2, 0)  # (n, ..., 2)
    ah = geometry.area_m2 * _per_hour(met.mixing_height_m, conv.ndim)
    source_kg_h = conv / 3600.0 * ah / KG_H_TO_UG_S
    wash = params.washout_per_h_per_mm_h / 3600.0 * np.maximum(met.rain_mm_h, 0.0)
    out = box_increment(
        source_kg_h, met.wind_m_s, met.mixing_height_m, geometry.area_m2, geometry.length_m,
        np.asarray(params.product_deposition_m_s, dtype=np.float64),
        np.broadcast_to(_per_hour(wash, conv.ndim), conv.shape),
    )  # fmt: skip
    return np.moveaxis(out, 0, -2)


def background(
    met: MetArrays,
    params: AirParams,
    relative_emissions: F64 | None = None,
    weather: RegionalWeather | None = None,
) -> RegionalBackground | None:
    """The regional background (None when the region is off); ``relative_emissions``: the
    region's emissions relative to its reference inventory, ``(n_hours, 7)``; ``weather``: its
    :func:`sim.air.background.regional_weather` (computed when None)."""
    if params.region is None:
        return None
    return regional_background(
        met.day_of_year, met.wind_m_s, met.mixing_height_m, met.rain_mm_h, params.region,
        relative_humidity_pct=met.relative_humidity_pct, temperature_c=met.temperature_c,
        solar_w_m2=met.solar_w_m2, relative_emissions=relative_emissions, ozone=params.ozone,
        weather=weather,
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
    return ScaleIncrements(district, city_inc, reg, bg.pm25, bg.o3, bg.secondary_share)


def _secondary(
    conc: F64, nh3_total: F64, met: MetArrays, geometry: BoxGeometry, tau_h: F64, params: AirParams
) -> F64:
    """Secondary PM2.5 of one box, µg/m³ ``(..., n_hours)``: the inorganic products of
    :func:`products` partitioned with all the ammonia, plus SOA over the box's mean age."""
    made = products(conc, met, geometry, params)
    p = params.secondary
    inorganic = partition_inorganic(
        made[..., 0], made[..., 1], nh3_total, met.temperature_c, met.relative_humidity_pct, p
    )
    zero = np.zeros(())
    soa = secondary_pm(
        zero, zero, conc[..., EMITTED["VOC"]], zero, met.temperature_c,
        met.relative_humidity_pct, met.solar_w_m2, tau_h, p,
    ).soa  # fmt: skip
    return np.asarray(inorganic.sulfate + inorganic.nitrate + inorganic.ammonium + soa)


def _secondary_by_scale(inc: ScaleIncrements, met: MetArrays, params: AirParams) -> tuple[F64, F64]:
    """Secondary PM2.5 of the district and city boxes (SOA over each box's mean age, ``L/2u``)."""
    nh3 = EMITTED["NH3"]
    nh3_total = inc.district[..., nh3] + inc.city[..., nh3] + inc.region[..., nh3]
    tau_dist = 0.5 * params.district.length_m / met.wind_m_s / 3600.0
    sec_dist = _secondary(inc.district, nh3_total, met, params.district, tau_dist, params)
    if params.city is None:
        return sec_dist, np.zeros_like(sec_dist)
    tau_city = np.minimum(0.5 * params.city.length_m / met.wind_m_s / 3600.0,
                          params.city_max_reaction_time_h)  # fmt: skip
    return sec_dist, _secondary(inc.city, nh3_total, met, params.city, tau_city, params)


def _production(gases: F64, met: MetArrays, params: AirParams) -> F64:
    """O3 production of air holding ``gases``, µg/m³/h (CO counted in the OH reactivity)."""
    return ozone_production_ug_m3_h(
        gases[..., EMITTED["NOx"]], gases[..., EMITTED["VOC"]], met.solar_w_m2,
        met.temperature_c, params.ozone, gases[..., EMITTED["CO"]],
    )  # fmt: skip


def _produced(upwind: F64, gases: F64, met: MetArrays, params: AirParams) -> F64:
    """O3 made on the way, µg/m³: ``τ·P(upwind) + min(τ, L/2u)·(P(all) - P(upwind))``.

    Upwind air (region and city) carries ``τ`` hours of production; what the district's own
    emissions add acts only while the air is over the district, its mean age ``L/(2u)``.
    """
    tau = params.ozone.accumulation_time_h
    local_h = np.minimum(tau, 0.5 * params.district.length_m / met.wind_m_s / 3600.0)
    p_up = _production(upwind, met, params)
    return np.asarray(tau * p_up + local_h * (_production(gases, met, params) - p_up))


def _ozone_no2(
    gases: F64, o3_bg: F64, met: MetArrays, params: AirParams, produced: F64
) -> tuple[F64, F64]:
    return ozone_no2_hourly(
        o3_bg, gases[..., EMITTED["NOx"]], gases[..., EMITTED["VOC"]], met.solar_w_m2,
        met.temperature_c, params.ozone, co_ug_m3=gases[..., EMITTED["CO"]],
        produced_ug_m3=produced,
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
    produced = _produced(inc.region + inc.city, gases, met, params)
    o3, no2 = _ozone_no2(gases, inc.o3_background, met, params, produced)
    out[..., AMBIENT["O3"]], out[..., AMBIENT["NO2"]] = o3, no2
    return out


def respond(inc: ScaleIncrements, met: MetArrays, params: AirParams) -> AirResponse:
    """Concentrations by scale and PM2.5 by origin from the increments (module docstring)."""
    n = inc.district.shape[0]
    sec_dist, sec_city = _secondary_by_scale(inc, met, params)
    share = inc.region_secondary_share
    f_sec = np.asarray(params.region_secondary_fraction if share is None else share, dtype=float)
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
    rate = _production(cumulative, met, params)
    tau = params.ozone.accumulation_time_h
    local_h = np.minimum(tau, 0.5 * params.district.length_m / met.wind_m_s / 3600.0)
    produced = np.stack(
        [tau * rate[0], tau * rate[1], tau * rate[1] + local_h * (rate[2] - rate[1])]
    )
    o3, no2 = _ozone_no2(cumulative, inc.o3_background, met, params, produced)
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
