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

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Section
from sim.scenario.quantity import Q
from sim.scenario.sections.air_actors import (
    _PLAN_DELIVERY,
    CITY_INVENTORY_KT,
    REGION_INVENTORY_KT,
    REGION_INVENTORY_SOURCE,
    SUBSECTOR_KEYS,
    ActorMeasure,
    CityConfig,
    PollutantFactors,
    Sector,
    SubSector,
    SubSectorEmission,
    inventory_table,
    merge_inventory,
    unique_measures,
)
from sim.scenario.vocabulary import SECTORS

__all__ = [
    "CITY_INVENTORY_KT",
    "REGION_INVENTORY_KT",
    "SUBSECTOR_KEYS",
    "ActorMeasure",
    "AirChemistryConfig",
    "AirConfig",
    "CityConfig",
    "DepositionConfig",
    "DistrictAirConfig",
    "HazeFeedbackConfig",
    "PollutantFactors",
    "RegionConfig",
    "SubSectorEmission",
]

_CAL = "calibrated: see calibration/fitted/air.yaml"
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

    sulfate: Annotated[float, Q("m/s")] = Field(
        0.002, ge=0, le=0.1,
        description="Sulfate aerosol. Source: assumed: accumulation mode, as PM2.5 (L).",
    )
    nitrate: Annotated[float, Q("m/s")] = Field(
        0.01, ge=0, le=0.1,
        description=(
            "Total nitrate (HNO3 gas + particulate nitrate). Source: assumed: between particles "
            "(0.2 cm/s) and HNO3 (1-4 cm/s, S&P 2016 ch. 19), L."
        ),
    )

    def as_tuple(self) -> tuple[float, ...]:
        """Velocities in vocabulary POLLUTANTS order (bounds: module ``_DEPOSITION_MAX``)."""
        return (self.pm25, self.pm10, self.nox, self.so2, self.voc, self.co, self.nh3)

    def products(self) -> tuple[float, float]:
        """Velocities of sulfate and total nitrate, the products of SO2 and NOx."""
        return (self.sulfate, self.nitrate)


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


class RegionConfig(Section):
    """The regional background carried in from Beijing-Tianjin-Hebei and beyond.

    PM2.5 relaxes (time scale ``relaxation_h``) towards ``pm25_ug_m3 × seasonal(day) ×
    (V/V_ref)^-ventilation_exponent`` with the ventilation ``V = u·H``, and is washed out by rain.
    """

    enabled: bool = Field(True, description="Include the regional background.")
    pm25_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        14.0,
        ge=0,
        le=300,  # haze days reach ~300 µg/m³; a reference level cannot exceed them
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
    pm25_peak_day: Annotated[float, Q("d")] = Field(
        15.0,
        ge=1,
        le=366,
        description=(
            "Day of year of the seasonal maximum. Source: assumed: mid-January (heating). Freed "
            "in a trial fit (2 December 2026) it went to 59 ± 12.5, better in sample but not out "
            "of sample (docs/model.md (Air), 'Third refit')."
        ),
    )
    pm25_semiannual_amplitude: Annotated[float, Q("1")] = Field(
        0.0,
        ge=0,
        lt=0.5,
        description=(
            "Relative amplitude A2 of a second (semiannual) harmonic of the seasonal curve, "
            "1 + A·cos(2π(d - d_peak)/365.25) + A2·cos(4π(d - d2)/365.25): lets spring and "
            "autumn differ and the winter maximum be broad or narrow without moving it "
            f"(0 = the single cosine). Source: {_CAL}; A + A2 must stay below 1."
        ),
    )
    pm25_semiannual_peak_day: Annotated[float, Q("d")] = Field(
        15.0,
        ge=1,
        le=366,
        description=(
            "Day of year d2 of a maximum of the semiannual harmonic (it has two, half a year "
            f"apart). Source: {_CAL} (only used when pm25_semiannual_amplitude > 0)."
        ),
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
        le=20000,  # wind 10 m/s × mixing height 2,000 m
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
        le=720,  # a month: longer than any synoptic system
        description=(
            "Flushing time of the regional air mass at the reference ventilation; at ventilation "
            "V it is relaxation_h·(V/V_ref)^-ventilation_exponent, divided by the pace of "
            "mixing_pace_exponent (slow build-up in stagnation, fast clearance after a front). "
            "Source: assumed: synoptic systems of 3-5 days; regional transport over 1-2 days (L); "
            "scenarios/baseline.yaml fixes 12 h from the near region's crossing time."
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
    mixing_pace_exponent: Annotated[float, Q("1")] = Field(
        0.0,
        ge=0,
        le=1,  # 1: emissions mixed through the layer and flushed by the wind alone
        description=(
            "β_H: the regional reservoir fills and flushes (H̃/H̄)^β_H times faster when its "
            "trailing mixing height H̄ is below the month's H̃; the steady state is unchanged. "
            "1 is a box whose emissions mix through the layer (source E/H) and which the wind "
            "flushes (rate u/L), the physics of the district and city boxes; 0 (the default "
            "here) the accumulation model of part 1. Source: assumed; scenarios/baseline.yaml "
            "sets 1 (docs/model.md (Air), 'Heavy days')."
        ),
    )
    washout_per_h_per_mm_h: Annotated[float, Q("1/h per mm/h")] = Field(
        0.15,
        ge=0,
        le=2,  # above the fastest below-cloud scavenging (S&P 2016 ch. 20)
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
        le=5,  # dust storms give ~4
        description="Regional PM10/PM2.5. Source: Tianjin 2016 annual 103/69 = 1.5 (annual CSV).",
    )
    no2_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        10.0, ge=0, le=200,
        description="Regional NOx (as NO2). Source: assumed: rural NCP 5-15 (L).",
    )  # bound: an urban street, not a regional background
    so2_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        5.0, ge=0, le=200, description="Regional SO2. Source: assumed: BTH 2020s 5-10 (L)."
    )  # bound: coal-era winter city values, never regional
    co_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        500.0, ge=0, le=5000, description="Regional CO, µg/m³. Source: assumed: 0.4-0.6 mg/m³ (L)."
    )  # bound: 5 mg/m³, above any regional background
    voc_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        15.0, ge=0, le=500, description="Regional VOC for ozone. Source: assumed (L)."
    )  # bound: an industrial park, never regional
    nh3_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        5.0,
        ge=0,
        le=100,  # above the North China Plain maximum (~20-40)
        description=(
            "Regional NH3 available for nitrate. Source: assumed: the North China Plain is "
            "ammonia-rich, 5-20 µg/m³ (L); lower end, since HNO3 deposition is not modelled."
        ),
    )
    o3_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        70.0,
        ge=0,
        le=300,  # above any regional ozone mean (the 1-h level-III limit is 300)
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
    o3_produced_share: Annotated[float, Q("1")] = Field(
        0.5,
        ge=0,
        le=1,
        description=(
            "Share of regional O3 made from the region's own precursors; the computed change of "
            "regional O3 production (sim/air/background.py) acts on it. Source: assumed: summer "
            "background O3 over North China is about 40-50 ppb of 80-100 ppb at the surface "
            "(hemispheric and transported; Wang et al. 2017, Sci. Total Environ. 575:1582; L). "
            "Bounds: [0, 1]."
        ),
    )
    inventory: dict[SubSector, SubSectorEmission] = Field(
        default_factory=lambda: inventory_table(REGION_INVENTORY_KT, REGION_INVENTORY_SOURCE),  # type: ignore[arg-type]
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
        return merge_inventory(value, REGION_INVENTORY_KT, REGION_INVENTORY_SOURCE)

    @field_validator("precursor_weights")
    @classmethod
    def _weights(cls, value: tuple[float, float, float, float]) -> tuple[float, ...]:
        if min(value) < 0 or abs(sum(value) - 1.0) > 1e-6:
            raise ValueError(f"weights must be >= 0 and sum to 1, got {value}")
        return value

    @field_validator("measures")
    @classmethod
    def _unique(cls, value: tuple[ActorMeasure, ...]) -> tuple[ActorMeasure, ...]:
        return unique_measures(value)

    @model_validator(mode="after")
    def _positive_season(self) -> RegionConfig:
        total = self.pm25_seasonal_amplitude + self.pm25_semiannual_amplitude
        if total >= 1.0:
            raise ValueError(
                "pm25_seasonal_amplitude + pm25_semiannual_amplitude must be below 1 (the "
                f"seasonal curve must stay positive), got {total:g}"
            )
        return self


class AirChemistryConfig(Section):
    """Calibratable parameters of secondary PM and ozone (sim/air/secondary.py, ozone.py)."""

    oh_ref_molec_cm3: Annotated[float, Q("molec/cm3")] = Field(
        5.0e6,
        gt=0,
        le=5.0e7,  # three times the highest polluted-summer noon OH measured
        description=(
            "OH at 800 W/m² (sets daytime SO2, NOx, VOC conversion). Source: "
            f"{_CAL} (prior L: 5e6-1.5e7 in polluted China summer noon)."
        ),
    )
    so2_aqueous_max_per_h: Annotated[float, Q("1/h")] = Field(
        0.03, ge=0, le=1, description="Aqueous SO2 oxidation at 100 % RH. Source: assumed (L)."
    )  # bound: in-cloud oxidation completes within about an hour
    nox_night_max_per_h: Annotated[float, Q("1/h")] = Field(
        0.03, ge=0, le=1, description="Dark N2O5 NOx conversion at 100 % RH. Source: assumed (L)."
    )  # bound: N2O5 uptake cannot convert NOx faster
    soa_yield: Annotated[float, Q("1")] = Field(
        0.03, ge=0, le=1, description="SOA mass yield at 25 °C. Source: S&P ch. 14 (L)."
    )
    hox_production_ppb_h: Annotated[float, Q("ppb/h")] = Field(
        3.0,
        ge=0,
        le=50,  # ten times polluted-summer HOx production
        description=f"HOx production at 800 W/m² and 25 °C. Source: {_CAL}.",
    )
    accumulation_time_h: Annotated[float, Q("h")] = Field(
        3.0, gt=0, le=48, description="Hours of O3 production the air carries. Source: assumed (L)."
    )  # bound: two days of production: older air is regional
    no_fraction: Annotated[float, Q("1")] = Field(
        0.25, gt=0, lt=1, description="Daytime NO/NOx. Source: assumed: 0.2-0.3 urban (L)."
    )


class HazeFeedbackConfig(Section):
    """Aerosol–boundary-layer feedback (:mod:`sim.air.haze_feedback`): regional haze lowers the
    daytime mixing height of every box and of the region."""

    enabled: bool = Field(
        False,
        description=(
            "Apply the feedback (off by default here; scenarios/baseline.yaml switches it on, "
            "docs/model.md (Air), 'Heavy days'). It is computed once per weather from the "
            "reference regional haze, so a measure's own change of it is left out."
        ),
    )
    relative_reduction_ref: Annotated[float, Q("1")] = Field(
        0.3,
        ge=0,
        lt=1,  # the layer cannot vanish
        description=(
            "Relative daytime mixing-height reduction at pm25_ref_ug_m3. Source: 33 % in January "
            "2013 BTH haze (Wang et al. 2015, ACP 15:3277); 184 m and regional PM2.5 +39 %, a "
            "28 % lower layer in a box, in the severe haze of 20-26 February 2014 (Li et al. "
            "2020, ACP 20:8659) (M)."
        ),
    )
    pm25_ref_ug_m3: Annotated[float, Q("ug/m3")] = Field(
        160.0,
        gt=0,
        le=1000,  # above the worst hourly PM2.5 recorded in the region
        description=(
            "Regional PM2.5 of the reference severe haze. Source: BTH mean of the 20-26 "
            "February 2014 episode with the feedback (Li et al. 2020, ACP 20:8659) (M)."
        ),
    )
    exponent: Annotated[float, Q("1")] = Field(
        1.0,
        gt=0,
        le=4,  # a steeper threshold than any reported
        description=(
            "Growth of the reduction with regional PM2.5. Source: assumed: linear, between "
            "'moderate below about 200 µg/m³' (Petäjä et al. 2016, Sci. Rep. 6:18998) and faster "
            "than linear at high loading (Zou et al. 2017, Adv. Atmos. Sci. 34:1057) (L)."
        ),
    )
    max_relative_reduction: Annotated[float, Q("1")] = Field(
        0.5,
        ge=0,
        lt=1,  # the layer cannot vanish
        description=(
            "Largest relative reduction. Source: assumed: about 450 m at Nanjing's heaviest "
            "loadings (Zou et al. 2017, Adv. Atmos. Sci. 34:1057), half a clean-sky afternoon "
            "layer (L)."
        ),
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
    haze_feedback: HazeFeedbackConfig = Field(
        default_factory=HazeFeedbackConfig,
        description="Aerosol–boundary-layer feedback on the daytime mixing height.",
    )
    o3_daily_index: Literal["8h", "8h_and_1h"] = Field(
        "8h",
        description=(
            "O3 in the daily AQI: the maximum 8-h mean only (as the city bulletins count good "
            "days), or also the day's maximum hour (HJ 633 §5 reading, docs/model.md (Air))."
        ),
    )
