"""Scenario section ``air``: the air-quality response and the three actors whose emissions drive it.

Three actors (docs/model.md (Air)): the district (its emissions come from the source categories and
its measures from ``policies``), the rest of Tianjin (``city``) and the region
(Beijing-Tianjin-Hebei and surroundings, ``region``). The city and the region each have their own
inventory by sub-sector, the typical time profiles of :mod:`sim.air.profiles` and their own dated
measures; no actor's measure changes another actor's inventory. Every default carries its source,
``assumed:`` with a reason, or ``calibrated:`` (calibration/fitted/air.yaml); every number has
physical bounds, with the reason in its description.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.quantity import Q
from sim.scenario.vocabulary import POLLUTANTS, SECTORS

__all__ = [
    "SUBSECTOR_KEYS",
    "ActorMeasure",
    "AirChemistryConfig",
    "AirConfig",
    "CityConfig",
    "DepositionConfig",
    "DistrictAirConfig",
    "PollutantFactors",
    "RegionConfig",
    "SubSectorEmission",
]

_CAL = "calibrated: see calibration/fitted/air.yaml"
#: Fixed sub-sector keys of an actor's inventory (the same list as sim.air.profiles.SUBSECTORS).
SubSector = Literal[
    "power", "industrial_combustion", "industrial_process", "solvents", "residential", "on_road",
    "non_road", "road_dust", "construction_dust", "agriculture", "other",
]  # fmt: skip
SUBSECTOR_KEYS: tuple[str, ...] = SubSector.__args__  # type: ignore[attr-defined]
#: Inventory fields in vocabulary POLLUTANTS order.
_FIELDS = ("pm25_t", "pm10_t", "nox_t", "so2_t", "voc_t", "co_t", "nh3_t")
#: Emission bound: 5 Mt/yr is above any sub-sector of the whole North China Plain (BTH's total
#: NOx in 2014 was 2.1 Mt, Zheng et al. 2019).
_MAX_T = 5.0e6
_DEPOSITION_MAX = (
    "Bounds: 0-0.1 m/s; 10 cm/s is above the fastest dry deposition measured (HNO3 over rough "
    "surfaces, S&P 2016 ch. 19)."
)


class DepositionConfig(Section):
    """Dry deposition velocities by pollutant (m/s), used by the district and city boxes."""

    pm25: Annotated[float, Q("m/s")] = Field(
        0.002, ge=0, le=0.1,
        description="PM2.5. Source: assumed: 0.1-0.3 cm/s for accumulation mode (L).",
    )
    pm10: Annotated[float, Q("m/s")] = Field(
        0.01, ge=0, le=0.1,
        description="PM10. Source: assumed: ~1 cm/s, coarse particles settle (L).",
    )
    nox: Annotated[float, Q("m/s")] = Field(
        0.002, ge=0, le=0.1, description="NOx. Source: assumed: NO2 0.1-0.5 cm/s over cities (L)."
    )
    so2: Annotated[float, Q("m/s")] = Field(
        0.005, ge=0, le=0.1, description="SO2. Source: assumed: 0.3-1 cm/s (S&P 2016 ch. 19, L)."
    )
    voc: Annotated[float, Q("m/s")] = Field(
        0.0, ge=0, le=0.1, description="VOC. Source: assumed: negligible for the anthropogenic mix."
    )
    co: Annotated[float, Q("m/s")] = Field(
        0.0, ge=0, le=0.1, description="CO. Source: assumed: negligible (CO lives ~2 months)."
    )
    nh3: Annotated[float, Q("m/s")] = Field(
        0.01, ge=0, le=0.1, description="NH3. Source: assumed: ~1 cm/s, sticky gas (L)."
    )

    def as_tuple(self) -> tuple[float, ...]:
        """Velocities in vocabulary POLLUTANTS order (bounds: module ``_DEPOSITION_MAX``)."""
        return (self.pm25, self.pm10, self.nox, self.so2, self.voc, self.co, self.nh3)


class PollutantFactors(Section):
    """Multipliers on one source category's emissions by pollutant (1 = as simulated)."""

    pm25: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="PM2.5.")
    pm10: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="PM10.")
    nox: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="NOx.")
    so2: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="SO2.")
    voc: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="VOC.")
    co: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="CO.")
    nh3: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="NH3.")

    def as_tuple(self) -> tuple[float, ...]:
        """Factors in vocabulary POLLUTANTS order."""
        return (self.pm25, self.pm10, self.nox, self.so2, self.voc, self.co, self.nh3)


Sector = Literal["mobile", "industrial", "coal", "dust", "household"]


class DistrictAirConfig(Section):
    """The district's own well-mixed box (area from ``district.area_km2``)."""

    length_km: Annotated[float, Q("km")] = Field(
        5.0,
        gt=0,
        le=30,
        description=(
            "Along-wind length of the district box. Source: DOMAIN.md §4 (L ≈ 5 km for a "
            "6 × 5.6 km district, M). Bounds: (0, 30] km, a few times the district's extent."
        ),
    )
    scale: dict[Sector, PollutantFactors] = Field(
        default_factory=dict,
        description=(
            "Sensitivity multipliers on the district's emissions of a source category as they "
            "enter the air response, e.g. `--set 'air.district.scale[mobile].nox=1.5'` (the "
            "perturbation table, docs/model.md). A category not listed is 1. Bounds: 0-10 "
            "(a sensitivity study, not a scenario). Source: none needed (1 in every shipped file)."
        ),
    )

    def factors(self) -> tuple[tuple[float, ...], ...]:
        """``(n_sectors, n_pollutants)`` multipliers in vocabulary SECTORS × POLLUTANTS order."""
        one = PollutantFactors()
        return tuple(self.scale.get(s, one).as_tuple() for s in SECTORS)  # type: ignore[call-overload]


class SubSectorEmission(Section):
    """Annual emissions of one sub-sector of an actor, t/yr, with the entry's source."""

    pm25_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="Primary PM2.5.")
    pm10_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="Primary PM10.")
    nox_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="NOx as NO2.")
    so2_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="SO2.")
    voc_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="NMVOC.")
    co_t: Annotated[float, Q("t/yr")] = Field(
        0.0, ge=0, le=10 * _MAX_T, description="CO (bound ten times the others': CO is emitted "
        "in about ten times the mass of NOx)."
    )
    nh3_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="NH3.")
    source: str | None = Field(None, description="Where the entry's numbers come from.")

    def as_tuple(self) -> tuple[float, ...]:
        """t/yr in vocabulary POLLUTANTS order."""
        return tuple(float(getattr(self, f)) for f in _FIELDS)


class ActorMeasure(Item):
    """A dated measure of the city or the region: a relative change of one sub-sector's (or all)
    emissions of one pollutant (or all), reached along a linear ramp from ``start`` to ``full_by``.
    """

    sub_sector: SubSector | Literal["all"] = Field("all", description="A sub-sector, or 'all'.")
    pollutant: str = Field("all", description="A pollutant (PM2.5, NOx ...), or 'all'.")
    relative_change: Annotated[float, Q("1")] = Field(
        ge=-1,
        le=1,
        description=(
            "Relative change of the emissions when complete, e.g. -0.1 for a 10 % cut. Bounds: "
            "[-1, 1]: no emission goes below 0, and a plan does not double an inventory."
        ),
    )
    start: date = Field(description="First day of the ramp.")
    full_by: date = Field(description="Day the full change is reached (= start: a step).")

    @field_validator("pollutant")
    @classmethod
    def _pollutant(cls, value: str) -> str:
        if value != "all" and value not in POLLUTANTS:
            raise ValueError(f"must be 'all' or one of {POLLUTANTS}")
        return value

    @model_validator(mode="after")
    def _dates(self) -> ActorMeasure:
        if self.full_by < self.start:
            raise ValueError(f"full_by ({self.full_by}) must not be before start ({self.start})")
        return self


def _table(rows: dict[str, tuple[float, ...]], source: str) -> dict[str, dict[str, Any]]:
    """Raw inventory mapping ``{sub_sector: {pm25_t: ..., source: ...}}`` from kt/yr rows.

    Each entry's ``source`` points at the full text (the field's description) to keep the
    scenario reference readable.
    """
    short = source.split(";", 1)[0] + "; see the inventory's description (docs/scenario.md)"
    return {
        key: {"source": short, **{f: v * 1000.0 for f, v in zip(_FIELDS, row, strict=True)}}
        for key, row in rows.items()
    }


#: The rest of Tianjin, kt/yr, about 2022 (see CITY_INVENTORY_SOURCE).
CITY_INVENTORY_KT: dict[str, tuple[float, ...]] = {
    #                      PM2.5  PM10   NOx   SO2   VOC    CO     NH3
    "power":                (1.0,  1.5,  20.0, 6.0,  2.0,   30.0,  0.0),
    "industrial_combustion": (4.0, 5.5,  25.0, 8.0,  5.0,   120.0, 0.0),
    "industrial_process":   (12.0, 17.0, 20.0, 6.0,  100.0, 450.0, 2.0),
    "solvents":             (0.0,  0.0,  0.0,  0.0,  90.0,  0.0,   0.0),
    "residential":          (6.0,  6.5,  3.0,  3.0,  15.0,  150.0, 3.0),
    "on_road":              (2.0,  2.2,  45.0, 0.5,  50.0,  200.0, 2.0),
    "non_road":             (1.5,  1.6,  25.0, 6.0,  5.0,   30.0,  0.0),
    "road_dust":            (12.0, 28.0, 0.0,  0.0,  0.0,   0.0,   0.0),
    "construction_dust":    (6.0,  12.0, 0.0,  0.0,  0.0,   0.0,   0.0),
    "agriculture":          (1.0,  1.5,  0.0,  0.0,  3.0,   0.0,   30.0),
    "other":                (4.5,  4.2,  2.0,  0.5,  20.0,  20.0,  3.0),
}  # fmt: skip
CITY_INVENTORY_SOURCE = (
    "assumed (L), about 2022; no complete sector-by-pollutant inventory of Tianjin was found "
    "(DOMAIN.md §8). Totals (PM2.5 50, PM10 80, NOx 140, SO2 30, VOC 290, CO 1000, NH3 40 kt): "
    "BTH 2014 totals implied by Zheng et al. 2019 (ACP 19:3447) × Tianjin's ~10 % population "
    "share × the 2014-2024 fall (PM2.5 -55 %, SO2 -80 %, NOx -35 %, VOC -25 %, assumed from the "
    "fall of observed concentrations). Split: non-road NOx 25 / SO2 6 kt after Tianjin 2015 "
    "(29 / 13.7 kt, ships 74 %; SO2 halved by the ship fuel-sulfur caps, assumed; Zhang Yi et "
    "al. 2017); industrial VOC 190 kt after Tianjin 2014's 165 kt industrial VOC (Hao et al. "
    "2017) with solvents from its product-use and coating share; industry 40-55 % of SO2/NOx/PM "
    "after the BTH industrial shares (Zheng et al. 2019) less the steel capacity cut (-40 %, "
    "Tianjin attainment plan 2024); dust 36 % of primary PM2.5 and agriculture 75 % of NH3 "
    "(shares of Chinese city and provincial inventories, e.g. Sichuan 2015, L)"
)

#: Beijing-Tianjin-Hebei without Tianjin, kt/yr, about 2022 (see REGION_INVENTORY_SOURCE).
REGION_INVENTORY_KT: dict[str, tuple[float, ...]] = {
    #                      PM2.5  PM10   NOx    SO2    VOC     CO      NH3
    "power":                (15.0, 20.0, 200.0, 60.0,  15.0,   300.0,  0.0),
    "industrial_combustion": (50.0, 65.0, 250.0, 110.0, 60.0,  1000.0, 0.0),
    "industrial_process":   (170.0, 230.0, 300.0, 110.0, 1100.0, 5000.0, 15.0),
    "solvents":             (0.0,  0.0,  0.0,   0.0,   900.0,  0.0,    0.0),
    "residential":          (120.0, 130.0, 40.0, 60.0, 300.0,  2500.0, 40.0),
    "on_road":              (20.0, 22.0, 400.0, 3.0,   450.0,  1000.0, 15.0),
    "non_road":             (15.0, 16.0, 170.0, 10.0,  60.0,   150.0,  0.0),
    "road_dust":            (80.0, 150.0, 0.0,  0.0,   0.0,    0.0,    0.0),
    "construction_dust":    (45.0, 70.0, 0.0,   0.0,   0.0,    0.0,    0.0),
    "agriculture":          (15.0, 20.0, 0.0,   0.0,   50.0,   0.0,    600.0),
    "other":                (25.0, 11.0, 15.0,  3.0,   154.0,  50.0,   30.0),
}  # fmt: skip
REGION_INVENTORY_SOURCE = (
    "assumed (L), about 2022: BTH 2014 totals from Zheng et al. 2019 (ACP 19:3447; industry "
    "SO2 869, NOx 1164, PM10 910, PM2.5 622, NMVOC 1390 kt = 61/55/62/56/36 % of the totals: "
    "1425/2116/1468/1111/3861 kt) × the 2014-2022 fall (SO2 -75 %, NOx -35 %, PM -50 %, VOC "
    "-20 %, assumed); NH3 700 kt and CO 10 Mt assumed (Hebei's agriculture and steel); split "
    "over sub-sectors like the city's, with more steel, residential coal and agriculture. Only "
    "relative changes against this table move the calibrated background (docs/model.md)"
)


def _merge_inventory(value: Any, table: dict[str, tuple[float, ...]], source: str) -> Any:
    """Complete a partial inventory with the defaults, field by field (``--set`` one number)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return value
    defaults = _table(table, source)
    unknown = sorted(set(value) - set(defaults))
    if unknown:
        raise ValueError(f"unknown sub-sector(s) {unknown}; expected keys {sorted(defaults)}")
    merged = {}
    for key, row in defaults.items():
        given = value.get(key) or {}
        if not isinstance(given, dict):
            raise ValueError(f"{key}: expected a mapping of {_FIELDS}")
        merged[key] = {**row, **given}
    return merged


_PLAN_DELIVERY = (
    "Share of the actor's listed measures carried out by the end of the run: every measure's "
    "relative change is multiplied by it (a sweep lever; 1 = the plan as written). Bounds: 0-1."
)


class CityConfig(Section):
    """The rest of Tianjin: a larger box, its inventory, its profiles and its own plan."""

    enabled: bool = Field(True, description="Include the city scale (false: district + region).")
    area_km2: Annotated[float, Q("km2")] = Field(
        11945.0,
        gt=0,
        le=20000,
        description="Area of the rest of the city. Source: Tianjin 11,966 km² (DOMAIN §4) less "
        "the district's 21 km². Bounds: (0, 20,000] km², Tianjin with its sea area.",
    )
    length_km: Annotated[float, Q("km")] = Field(
        110.0,
        gt=0,
        le=500,
        description="Along-wind length of the city box. Source: assumed: sqrt(11,966 km²). "
        "Bounds: (0, 500] km, Tianjin's north-south extent is about 190 km.",
    )
    receptor_factor: Annotated[float, Q("1")] = Field(
        1.0,
        gt=0,
        le=5,
        description=(
            "City increment at the district relative to the city-box mean (an urban-core "
            "receptor sees more than the average). Source: assumed: 1, no structure inside the "
            "box. Bounds: (0, 5], an urban core a few times the city mean."
        ),
    )
    max_reaction_time_h: Annotated[float, Q("h")] = Field(
        24.0,
        gt=0,
        le=240,
        description=(
            "Cap on the city box's reaction time L/u for secondary PM. Source: assumed: air "
            "older than a day counts as regional. Bounds: (0, 240] h, ten days."
        ),
    )
    inventory: dict[SubSector, SubSectorEmission] = Field(
        default_factory=lambda: _table(CITY_INVENTORY_KT, CITY_INVENTORY_SOURCE),  # type: ignore[arg-type]
        description=(
            "Annual emissions of the rest of the city by sub-sector (fixed keys; a key or field "
            "not given keeps its default): `--set 'air.city.inventory[on_road].nox_t=50000'`. "
            f"Source of the defaults: {CITY_INVENTORY_SOURCE}."
        ),
    )
    measures: tuple[ActorMeasure, ...] = Field(
        (), description="The city's own dated measures (none in the baseline)."
    )
    plan_delivery: Annotated[float, Q("1")] = Field(1.0, ge=0, le=1, description=_PLAN_DELIVERY)

    @field_validator("inventory", mode="before")
    @classmethod
    def _complete(cls, value: Any) -> Any:
        return _merge_inventory(value, CITY_INVENTORY_KT, CITY_INVENTORY_SOURCE)

    @field_validator("measures")
    @classmethod
    def _unique(cls, value: tuple[ActorMeasure, ...]) -> tuple[ActorMeasure, ...]:
        names = [m.name for m in value]
        if len(set(names)) != len(names):
            raise ValueError(f"measure names must be unique, got {names}")
        return value


class RegionConfig(Section):
    """The regional background carried in from Beijing-Tianjin-Hebei and beyond.

    PM2.5 relaxes (time scale ``relaxation_h``) towards ``pm25_ug_m3 × seasonal(day) ×
    (V/V_ref)^-ventilation_exponent`` with the ventilation ``V = u·H``, and is washed out by rain.
    """

    enabled: bool = Field(True, description="Include the regional background.")
    pm25_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        14.0,
        ge=0,
        description=(
            "Regional PM2.5 at reference ventilation, annual mean of the seasonal curve. Source: "
            f"{_CAL} (prior: ~30 % regional of ~40, DOMAIN §4)."
        ),
    )
    pm25_seasonal_amplitude: Annotated[float, Q("1")] = Field(
        0.3,
        ge=0,
        lt=1,
        description=f"Relative amplitude of the seasonal cosine (peak in winter). Source: {_CAL}.",
    )
    pm25_peak_day: int = Field(
        15,
        ge=1,
        le=366,
        description="Day of year of the seasonal maximum. Source: assumed: mid-January (heating).",
    )
    ventilation_exponent: Annotated[float, Q("1")] = Field(
        0.5,
        ge=0,
        le=2,
        description=(
            "Sensitivity of the background to ventilation u·H (stagnation raises it). Source: "
            f"{_CAL}."
        ),
    )
    ventilation_seasonal_exponent: Annotated[float | None, Q("1")] = Field(
        None,
        ge=0,
        le=2,
        description=(
            "Sensitivity of the background to the slow (31-day mean) ventilation climate; "
            "ventilation_exponent then acts on the day-to-day anomaly V̄24/Ṽ31d only. None: the "
            f"same as ventilation_exponent (one power law). Source: {_CAL}."
        ),
    )
    ventilation_ref_m2_s: Annotated[float, Q("m2/s")] = Field(
        1400.0,
        gt=0,
        description=(
            "Reference ventilation: 2.44 m/s × 574 m, the annual means of the meteorology "
            "defaults (sim/scenario/sections/meteorology.py)."
        ),
    )
    ventilation_window_h: int = Field(
        24,
        ge=1,
        le=240,
        description=(
            "Hours of the trailing mean of u·H (and RH) the regional air mass responds to. "
            "Source: assumed: a day, the time scale of the diurnal mixing cycle (L)."
        ),
    )
    relaxation_h: Annotated[float, Q("h")] = Field(
        36.0,
        gt=0,
        description=(
            "Flushing time of the regional air mass at the reference ventilation; at ventilation "
            "V it is relaxation_h·(V/V_ref)^-ventilation_exponent (slow build-up in stagnation, "
            "fast clearance after a front). Source: assumed: synoptic systems of 3-5 days; "
            "regional transport over 1-2 days (L)."
        ),
    )
    humidity_enhancement: Annotated[float, Q("1")] = Field(
        0.0,
        ge=0,
        le=10,
        description=(
            "Relative increase of regional PM2.5 production at RH 100 % (factor 1 + κ·"
            "clip((RH-60)/40, 0, 1)², trailing-mean RH): heterogeneous sulfate/nitrate on aerosol "
            "water in humid haze (Cheng et al. 2016, Sci. Adv. 2:e1601530). Source: "
            f"{_CAL} (0 = off)."
        ),
    )
    washout_per_h_per_mm_h: Annotated[float, Q("1/h per mm/h")] = Field(
        0.15,
        ge=0,
        description=(
            "Below-cloud scavenging rate of PM per mm/h of rain (also applied in the boxes). "
            "Source: assumed: PM2.5 washout 1e-5-1e-4 /s at 1 mm/h (S&P 2016 ch. 20, L)."
        ),
    )
    secondary_fraction: Annotated[float, Q("1")] = Field(
        0.55,
        ge=0,
        le=1,
        description=(
            "Secondary share of regional PM2.5 (aged air). Source: assumed: above the "
            "29-38 % of the urban total (Liu et al. 2019, DOMAIN §4)."
        ),
    )
    pm10_pm25_ratio: Annotated[float, Q("1")] = Field(
        1.6,
        ge=1,
        description="Regional PM10/PM2.5. Source: Tianjin 2016 annual 103/69 = 1.5 (annual CSV).",
    )
    no2_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        10.0, ge=0, description="Regional NOx (as NO2). Source: assumed: rural NCP 5-15 (L)."
    )
    so2_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        5.0, ge=0, description="Regional SO2. Source: assumed: BTH 2020s 5-10 (L)."
    )
    co_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        500.0, ge=0, description="Regional CO, µg/m³. Source: assumed: 0.4-0.6 mg/m³ (L)."
    )
    voc_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        15.0, ge=0, description="Regional VOC for ozone. Source: assumed (L)."
    )
    nh3_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        5.0,
        ge=0,
        description=(
            "Regional NH3 available for nitrate. Source: assumed: the North China Plain is "
            "ammonia-rich, 5-20 µg/m³ (L); lower end, since HNO3 deposition is not modelled."
        ),
    )
    o3_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        70.0,
        ge=0,
        description=f"Regional O3, annual mean of the seasonal curve. Source: {_CAL}.",
    )
    o3_seasonal_amplitude: Annotated[float, Q("1")] = Field(
        0.5,
        ge=0,
        lt=1,
        description=f"Relative amplitude of the regional O3 cosine. Source: {_CAL}.",
    )
    o3_peak_day: int = Field(
        170,
        ge=1,
        le=366,
        description="Day of year of the regional O3 maximum. Source: assumed: June (L).",
    )
    o3_temperature_coeff_per_k: Annotated[float, Q("1/K")] = Field(
        0.0,
        ge=0,
        le=0.2,
        description=(
            "Day-to-day regional O3 factor exp(k·(T̄24 - T̃31d)): hot spells raise ozone. Source: "
            f"{_CAL} (prior: O3-temperature slopes 2-10 ppb/K on 60-100 ppb, i.e. 0.02-0.1 /K, "
            "Jacob & Winner 2009, Atmos. Environ. 43:51; 0 = off)."
        ),
    )
    o3_solar_exponent: Annotated[float, Q("1")] = Field(
        0.0,
        ge=0,
        le=3,
        description=(
            "Day-to-day regional O3 factor (S̄24/S̃31d)^γ: sunny spells raise, cloudy and rainy "
            f"days lower ozone. Source: {_CAL} (prior ~1: production ∝ actinic flux; 0 = off)."
        ),
    )
    precursor_weights: tuple[float, float, float, float] = Field(
        (0.25, 0.4, 0.15, 0.2),
        description=(
            "Weights of SO2, NOx, NH3 and VOC in the secondary part of regional PM2.5 (sulfate, "
            "nitrate, ammonium, SOA): how a relative change of the region's precursor emissions "
            "moves it. Source: assumed: nitrate now exceeds sulfate in North China haze, SOA a "
            "fifth of secondary mass (Huang et al. 2014, Nature 514:218; L). Bounds: each 0-1, "
            "sum 1."
        ),
    )
    o3_elasticity_nox: Annotated[float, Q("1")] = Field(
        0.1,
        ge=-1,
        le=1,
        description=(
            "Relative change of regional O3 per relative change of the region's NOx. Source: "
            "assumed: the non-urban region is NOx-limited (Song et al. 2023, DOMAIN §8), so a "
            "small positive elasticity. Bounds: [-1, 1]."
        ),
    )
    o3_elasticity_voc: Annotated[float, Q("1")] = Field(
        0.1,
        ge=-1,
        le=1,
        description=(
            "Relative change of regional O3 per relative change of the region's VOC. Source: "
            "assumed: the urban agglomerations are VOC-limited (Song et al. 2023, DOMAIN §8). "
            "Bounds: [-1, 1]."
        ),
    )
    inventory: dict[SubSector, SubSectorEmission] = Field(
        default_factory=lambda: _table(REGION_INVENTORY_KT, REGION_INVENTORY_SOURCE),  # type: ignore[arg-type]
        description=(
            "Annual emissions of the region by sub-sector (fixed keys; a key or field not given "
            "keeps its default). The background moves with the relative change of these against "
            "the defaults. `--set 'air.region.inventory[power].nox_t=300000'`. Source of the "
            f"defaults: {REGION_INVENTORY_SOURCE}."
        ),
    )
    measures: tuple[ActorMeasure, ...] = Field(
        (), description="The region's own dated measures (none in the baseline)."
    )
    plan_delivery: Annotated[float, Q("1")] = Field(1.0, ge=0, le=1, description=_PLAN_DELIVERY)

    @field_validator("inventory", mode="before")
    @classmethod
    def _complete(cls, value: Any) -> Any:
        return _merge_inventory(value, REGION_INVENTORY_KT, REGION_INVENTORY_SOURCE)

    @field_validator("precursor_weights")
    @classmethod
    def _weights(cls, value: tuple[float, float, float, float]) -> tuple[float, ...]:
        if min(value) < 0 or abs(sum(value) - 1.0) > 1e-6:
            raise ValueError(f"weights must be >= 0 and sum to 1, got {value}")
        return value

    @field_validator("measures")
    @classmethod
    def _unique(cls, value: tuple[ActorMeasure, ...]) -> tuple[ActorMeasure, ...]:
        names = [m.name for m in value]
        if len(set(names)) != len(names):
            raise ValueError(f"measure names must be unique, got {names}")
        return value


class AirChemistryConfig(Section):
    """Calibratable parameters of the secondary-PM and ozone schemes (sim/air/chemistry.py)."""

    oh_ref_molec_cm3: Annotated[float, Q("molec/cm3")] = Field(
        5.0e6,
        gt=0,
        description=(
            "OH at 800 W/m² (sets daytime SO2, NOx, VOC conversion). Source: "
            f"{_CAL} (prior L: 5e6-1.5e7 in polluted China summer noon)."
        ),
    )
    so2_aqueous_max_per_h: Annotated[float, Q("1/h")] = Field(
        0.03, ge=0, description="Aqueous SO2 oxidation at 100 % RH. Source: assumed (L)."
    )
    nox_night_max_per_h: Annotated[float, Q("1/h")] = Field(
        0.03, ge=0, description="Dark N2O5 NOx conversion at 100 % RH. Source: assumed (L)."
    )
    soa_yield: Annotated[float, Q("1")] = Field(
        0.03, ge=0, le=1, description="SOA mass yield at 25 °C. Source: S&P ch. 14 (L)."
    )
    hox_production_ppb_h: Annotated[float, Q("ppb/h")] = Field(
        3.0,
        ge=0,
        description=f"HOx production at 800 W/m² and 25 °C. Source: {_CAL}.",
    )
    accumulation_time_h: Annotated[float, Q("h")] = Field(
        3.0, gt=0, description="Hours of O3 production the air carries. Source: assumed (L)."
    )
    no_fraction: Annotated[float, Q("1")] = Field(
        0.25, gt=0, lt=1, description="Daytime NO/NOx. Source: assumed: 0.2-0.3 urban (L)."
    )


class AirConfig(Section):
    """Air-quality response parameters (district box, city, region, chemistry)."""

    district: DistrictAirConfig = Field(
        default_factory=DistrictAirConfig, description="The district's own box."
    )
    city: CityConfig = Field(default_factory=CityConfig, description="The rest of the city.")
    region: RegionConfig = Field(
        default_factory=RegionConfig, description="The regional background."
    )
    deposition: DepositionConfig = Field(
        default_factory=DepositionConfig, description="Dry deposition velocities."
    )
    chemistry: AirChemistryConfig = Field(
        default_factory=AirChemistryConfig, description="Secondary PM and ozone parameters."
    )
    o3_daily_index: Literal["8h", "8h_and_1h"] = Field(
        "8h",
        description=(
            "O3 in the daily AQI: the maximum 8-h mean only (as the city bulletins count good "
            "days), or also the day's maximum hour (HJ 633 §5 reading, docs/model.md (Air))."
        ),
    )
