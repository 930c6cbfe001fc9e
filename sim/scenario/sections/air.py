"""Scenario section ``air``: the air-quality response at district, city and regional scale.

Three nested scales (docs/model.md (Air)): the district's own box, the rest of the city as a larger
box fed by a city inventory, and the regional (Beijing-Tianjin-Hebei) background. Every default
carries its source, ``assumed:`` with a reason, or ``calibrated:`` (calibration/fitted/air.yaml).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from sim.scenario.base import Item, Section
from sim.scenario.quantity import Q

__all__ = [
    "AirChemistryConfig",
    "AirConfig",
    "CityChange",
    "CityConfig",
    "CitySectorEmission",
    "DepositionConfig",
    "DistrictAirConfig",
    "RegionConfig",
]

_SECTORS = ("mobile", "industrial", "coal", "dust", "household")
_POLLUTANTS = ("PM2.5", "PM10", "NOx", "SO2", "VOC", "CO", "NH3")
_CAL = "calibrated: see calibration/fitted/air.yaml"


class DepositionConfig(Section):
    """Dry deposition velocities by pollutant (m/s), used by the district and city boxes."""

    pm25: Annotated[float, Q("m/s")] = Field(
        0.002, ge=0, description="PM2.5. Source: assumed: 0.1-0.3 cm/s for accumulation mode (L)."
    )
    pm10: Annotated[float, Q("m/s")] = Field(
        0.01, ge=0, description="PM10. Source: assumed: ~1 cm/s, coarse particles settle (L)."
    )
    nox: Annotated[float, Q("m/s")] = Field(
        0.002, ge=0, description="NOx. Source: assumed: NO2 0.1-0.5 cm/s over cities (L)."
    )
    so2: Annotated[float, Q("m/s")] = Field(
        0.005, ge=0, description="SO2. Source: assumed: 0.3-1 cm/s (S&P 2016 ch. 19, L)."
    )
    voc: Annotated[float, Q("m/s")] = Field(
        0.0, ge=0, description="VOC. Source: assumed: negligible for the anthropogenic mix."
    )
    co: Annotated[float, Q("m/s")] = Field(
        0.0, ge=0, description="CO. Source: assumed: negligible (CO lives ~2 months)."
    )
    nh3: Annotated[float, Q("m/s")] = Field(
        0.01, ge=0, description="NH3. Source: assumed: ~1 cm/s, sticky gas (L)."
    )

    def as_tuple(self) -> tuple[float, ...]:
        """Velocities in the order of :data:`sim.sources.base.POLLUTANTS`."""
        return (self.pm25, self.pm10, self.nox, self.so2, self.voc, self.co, self.nh3)


class DistrictAirConfig(Section):
    """The district's own well-mixed box (area from ``district.area_km2``)."""

    length_km: Annotated[float, Q("km")] = Field(
        5.0,
        gt=0,
        description=(
            "Along-wind length of the district box. Source: DOMAIN.md §4 (L ≈ 5 km for a "
            "6 × 5.6 km district, M)."
        ),
    )


class CitySectorEmission(Item):
    """Annual emissions of one sector of the rest of the city, t/yr (``name`` is the sector)."""

    pm25_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, description="Primary PM2.5.")
    pm10_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, description="Primary PM10.")
    nox_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, description="NOx as NO2.")
    so2_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, description="SO2.")
    voc_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, description="Non-methane VOC.")
    co_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, description="CO.")
    nh3_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, description="NH3.")

    @field_validator("name")
    @classmethod
    def _sector(cls, value: str) -> str:
        if value not in _SECTORS:
            raise ValueError(f"name must be a sector, one of {_SECTORS}")
        return value

    def as_tuple(self) -> tuple[float, ...]:
        """t/yr in the order of :data:`sim.sources.base.POLLUTANTS`."""
        return (
            self.pm25_t, self.pm10_t, self.nox_t, self.so2_t, self.voc_t, self.co_t, self.nh3_t,
        )  # fmt: skip


class CityChange(Item):
    """An explicit change of the city's emissions (a city-level measure or trend)."""

    sector: str = Field("all", description="A sector, or 'all'.")
    pollutant: str = Field("all", description="A pollutant (PM2.5, NOx ...), or 'all'.")
    relative_change: float = Field(
        ge=-1, description="Relative change of the emissions, e.g. -0.1 for a 10 % cut."
    )

    @field_validator("sector")
    @classmethod
    def _sector(cls, value: str) -> str:
        if value != "all" and value not in _SECTORS:
            raise ValueError(f"must be 'all' or one of {_SECTORS}")
        return value

    @field_validator("pollutant")
    @classmethod
    def _pollutant(cls, value: str) -> str:
        if value != "all" and value not in _POLLUTANTS:
            raise ValueError(f"must be 'all' or one of {_POLLUTANTS}")
        return value


#: Rest of Tianjin, t/yr (see CityConfig.inventory).
_INVENTORY_SOURCE = (
    "assumed: scaled, L. BTH 2014 totals implied by Zheng et al. 2019 (ACP 19:3447: industry "
    "PM2.5 622 kt = 56 %, SO2 869 kt = 61 %, NOx 1164 kt = 55 %, VOC 1390 kt = 36 % of totals) "
    "× Tianjin share ~10 % (population share of BTH, assumed) × 2014-2024 reduction (PM2.5 "
    "-55 %, SO2 -80 %, NOx -35 %, VOC -25 %, assumed from the fall of observed concentrations); "
    "sector split after the 2014 Tianjin apportionment (DOMAIN §4) with coal cut for the "
    "1.23 M households converted (Tianjin attainment plan 2024). Replace with the city inventory."
)


def _default_inventory() -> tuple[CitySectorEmission, ...]:
    rows = {
        #            PM2.5    PM10     NOx      SO2     VOC       CO        NH3
        "mobile": (6000, 7000, 75000, 500, 60000, 300000, 3000),
        "industrial": (16000, 22000, 60000, 24000, 170000, 600000, 5000),
        "coal": (4000, 5000, 2000, 5000, 5000, 80000, 0),
        "dust": (18000, 40000, 0, 0, 0, 0, 0),
        "household": (6000, 6000, 3000, 500, 55000, 20000, 32000),
    }
    keys = ("pm25_t", "pm10_t", "nox_t", "so2_t", "voc_t", "co_t", "nh3_t")
    return tuple(
        CitySectorEmission(
            name=sector, source=_INVENTORY_SOURCE, **dict(zip(keys, values, strict=True))
        )
        for sector, values in rows.items()
    )


class CityConfig(Section):
    """The rest of the city: a larger box, its inventory and how far it follows the plan."""

    enabled: bool = Field(True, description="Include the city scale (false: district + region).")
    area_km2: Annotated[float, Q("km2")] = Field(
        11945.0,
        gt=0,
        description="Area of the rest of the city. Source: Tianjin 11,966 km² (DOMAIN §4) less "
        "the district's 21 km².",
    )
    length_km: Annotated[float, Q("km")] = Field(
        110.0,
        gt=0,
        description="Along-wind length of the city box. Source: assumed: sqrt(11,966 km²).",
    )
    receptor_factor: Annotated[float, Q("1")] = Field(
        1.0,
        gt=0,
        description=(
            "City increment at the district relative to the city-box mean (an urban-core "
            "receptor sees more than the average). Source: assumed: 1, no structure inside the box."
        ),
    )
    max_reaction_time_h: Annotated[float, Q("h")] = Field(
        24.0,
        gt=0,
        description=(
            "Cap on the city box's reaction time L/u for secondary PM. Source: assumed: air "
            "older than a day counts as regional."
        ),
    )
    adoption: Annotated[float, Q("1")] = Field(
        1.0,
        ge=0,
        le=1,
        description=(
            "Share of this plan's measures the other districts apply at the same time: the "
            "city's sector emissions change by adoption × the district's own relative change. "
            "0 = only this district acts; 1 = all of the city acts. Source: assumed: the district "
            "plan is one piece of the city's plan carried out in every district (DOMAIN §4)."
        ),
    )
    inventory: tuple[CitySectorEmission, ...] = Field(
        default_factory=_default_inventory,
        description="Annual emissions of the rest of the city by sector (one item per sector).",
    )
    changes: tuple[CityChange, ...] = Field(
        (), description="Explicit city-level changes, applied after adoption (multiplicative)."
    )

    @field_validator("inventory")
    @classmethod
    def _unique(cls, value: tuple[CitySectorEmission, ...]) -> tuple[CitySectorEmission, ...]:
        names = [item.name for item in value]
        if len(set(names)) != len(names):
            raise ValueError(f"one item per sector, got {names}")
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
    change: Annotated[float, Q("1")] = Field(
        0.0,
        ge=-1,
        description=(
            "Relative change of regional PM2.5 and precursors in this scenario (what the region "
            "does), e.g. -0.05. Source: assumed: none in the baseline."
        ),
    )


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
