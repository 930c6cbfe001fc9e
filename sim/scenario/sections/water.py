"""Scenario section ``water``: sewage, drainage areas, sewers, treatment plant and rivers.

Bounds: every numeric field has physical bounds (``ge``/``gt``/``le`` on the field, or, for
uncertain inputs and monthly tables, :data:`_UNCERTAIN_BOUNDS` and ``_monthly`` checked after
validation). Shares are 0-1; concentrations stop at ten times the strongest wastewater of their
kind (raw sewage COD 200-400 mg/L, DOMAIN.md §7: limit 5,000; river water: 500); lengths,
areas and flows at what no district river or sewer reaches (a 100 km segment, 1,000 km², 10^5
m³/s, above the Yangtze's mean); SWMM parameters at the ends of the SWMM manual's tables
(Manning n <= 1, Horton rates <= 300 mm/h, the record rain rate); rates per day at 5-100 /d;
temperature factors 1-1.2 (Chapra 2008: 1.02-1.1). They catch unit slips (L/s for m³/d, % for
shares) and typos, not unusual but possible values.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.distributions import Uncertain
from sim.scenario.quantity import Q

__all__ = [
    "STATE_STREAMS",
    "DrainageArea",
    "HospitalConfig",
    "KineticsConfig",
    "MonitoringSection",
    "OutletConfig",
    "PlantConfig",
    "RiverConfig",
    "RiverSegmentConfig",
    "SewageConfig",
    "UpstreamConfig",
    "WashoffConfig",
    "WaterConfig",
    "initial_states",
    "listed_outlets",
    "remediation_order",
]

_ASSUMED = "assumed: placeholder to be calibrated"

#: Bounds of the uncertain (distribution-valued) inputs: (low, high, reason), checked on every
#: number a distribution is given by (value, low, mode, high, mean, median).
_UNCERTAIN_BOUNDS: dict[str, tuple[float, float, str]] = {
    "cod_mg_l": (0.0, 500.0, "river COD above 500 mg/L is raw sewage"),
    "bod5_mg_l": (0.0, 200.0, "river BOD5 above 200 mg/L is raw sewage"),
    "nh3n_mg_l": (0.0, 100.0, "river NH3-N above 100 mg/L is beyond raw sewage"),
    "tp_mg_l": (0.0, 50.0, "river TP above 50 mg/L is beyond raw sewage"),
    "do_mg_l": (0.0, 20.0, "DO above 20 mg/L is twice saturation"),
    "k_cod_per_d": (0.0, 5.0, "decay rates of 0.1-0.3 /d (DOMAIN.md §7); 5 /d is far beyond"),
    "k_nh3n_per_d": (0.0, 5.0, "nitrification 0.05-0.2 /d (DOMAIN.md §7); 5 /d is far beyond"),
    "flow_factor": (0.0, 10.0, "a factor on the mean flow"),
    "sod_g_m2_d": (0.0, 10.0, "SOD above 10 g/m2/d is beyond raw-sewage sludge"),
    "reaeration_min_per_d": (0.0, 100.0, "reaeration of 100 /d is a waterfall"),
    "codmn_per_cod": (0.01, 1.0, "the permanganate index never exceeds COD"),
    "cod_max_kg_ha": (0.0, 5000.0, "build-up limits of tens to hundreds of kg/ha"),
    "nh3n_max_kg_ha": (0.0, 500.0, "build-up limits of a few kg/ha"),
    "tp_max_kg_ha": (0.0, 100.0, "build-up limits below a few kg/ha"),
    "buildup_rate_per_d": (0.0, 10.0, "build-up approaching its limit within hours at most"),
    "k_per_mm": (0.0, 5.0, "wash-off of 80 % within 0.3 mm of runoff at most"),
    "adoption": (0.0, 1.0, "a share"),
}


def _check_uncertain(section: object) -> None:
    """Raise ValueError when a number of an uncertain input lies outside its bounds."""
    for name, (low, high, reason) in _UNCERTAIN_BOUNDS.items():
        value = getattr(section, name, None)
        if value is None:
            continue
        if isinstance(value, int | float):
            numbers = [float(value)]
        else:
            keys = ("value", "low", "mode", "high", "mean", "median")
            numbers = [float(v) for k in keys if (v := getattr(value, k, None)) is not None]
        for x in numbers:
            if not low <= x <= high:
                raise ValueError(f"{name}: {x:g} must be in [{low:g}, {high:g}] ({reason})")


def _check_monthly(name: str, values: tuple[float, ...], high: float, reason: str) -> None:
    if any(not 0.0 <= v <= high for v in values):
        raise ValueError(f"{name}: every month must be in [0, {high:g}] ({reason})")


_MONTHS = tuple[float, float, float, float, float, float, float, float, float, float, float, float]


class SewageConfig(Section):
    """Domestic and commercial sewage per person and its quality."""

    per_capita_l_d: Annotated[float, Q("L/d")] = Field(
        66.0,
        gt=10,
        le=400,
        description=(
            "Domestic sewage per person, L/d. Source: Tianjin urban residents use 78 L/person-day "
            "(Tianjin water-saving office, People's Daily Tianjin, M) × 0.85 returned as sewage "
            "(DOMAIN.md §7: 80-90 %)."
        ),
    )
    commercial_share: Annotated[float, Q("1")] = Field(
        0.5,
        ge=0,
        le=3,
        description=(
            "Public and commercial sewage as a share of domestic. assumed: a dense central "
            "district; comprehensive domestic quotas run about 1.5× household quotas (L)."
        ),
    )
    bod5_per_cod: Annotated[float, Q("1")] = Field(
        0.45,
        gt=0,
        le=0.8,
        description="BOD5/COD of raw sewage. assumed: Chinese municipal influent 0.4-0.5 (L).",
    )
    cod_mg_l: Annotated[float, Q("mg/L")] = Field(
        300.0,
        ge=0,
        le=2000,
        description="COD of raw sewage, mg/L. Source: DOMAIN.md §7 (200-400, M).",
    )
    nh3n_mg_l: Annotated[float, Q("mg/L")] = Field(
        30.0,
        ge=0,
        le=200,
        description="NH3-N of raw sewage, mg/L. Source: DOMAIN.md §7 (20-40, M).",
    )
    tp_mg_l: Annotated[float, Q("mg/L")] = Field(
        4.0,
        ge=0,
        le=100,
        description="TP of raw sewage, mg/L. assumed: typical Chinese municipal influent.",
    )


class HospitalConfig(Section):
    """Hospital wastewater: pre-treated on site; a non-compliant share leaves near-raw."""

    beds: Annotated[float, Q("beds")] = Field(
        3000.0, ge=0, le=1e5, description="Hospital beds. assumed."
    )
    flow_l_per_bed_d: Annotated[float, Q("L/d")] = Field(
        800.0,
        ge=0,
        le=5000,
        description="Wastewater per bed, L/d. assumed: 400-1,000 L/bed-day design range.",
    )
    compliant_cod_mg_l: Annotated[float, Q("mg/L")] = Field(
        250.0,
        ge=0,
        le=5000,
        description="COD after pre-treatment. Source: GB 18466-2005 pre-treatment limit.",
    )
    compliant_nh3n_mg_l: Annotated[float, Q("mg/L")] = Field(
        25.0, ge=0, le=500, description="assumed."
    )
    compliant_tp_mg_l: Annotated[float, Q("mg/L")] = Field(
        3.0, ge=0, le=100, description="assumed."
    )
    raw_cod_mg_l: Annotated[float, Q("mg/L")] = Field(450.0, ge=0, le=5000, description="assumed.")
    raw_nh3n_mg_l: Annotated[float, Q("mg/L")] = Field(50.0, ge=0, le=500, description="assumed.")
    raw_tp_mg_l: Annotated[float, Q("mg/L")] = Field(6.0, ge=0, le=100, description="assumed.")
    noncompliant_share: Annotated[float, Q("1")] = Field(
        0.3, ge=0, le=1, description="Share of hospital flow not pre-treated to the limit. assumed."
    )
    area: str | None = Field(None, description="Drainage area receiving it (default: the first).")


class OutletConfig(Item):
    """One outlet to a river: what it drains and what it carries in dry weather (issue 16).

    ``dry_weather_m3_d`` is sewage reaching the river through this outlet in dry weather (illicit
    connections, broken or missing weirs): it is taken from the area's sewage at the sewage's
    concentrations until the outlet is remediated, then sent to the interceptor."""

    kind: Literal["combined", "separate", "mixed"] = Field(description="Sewer system it drains.")
    dry_weather_m3_d: Annotated[float, Q("m3/d")] = Field(
        0.0, ge=0, le=1e5, description="Dry-weather sewage it discharges to the river, m³/d."
    )
    remediated: bool = Field(False, description="Already remediated at the start.")
    cost_cny: Annotated[float | None, Q("CNY")] = Field(
        None, ge=0, le=1e9, description="Remediation cost (default: the measure's per outlet)."
    )


class DrainageArea(Item):
    """A drainage area: surface, sewer system, people and where its outlets discharge."""

    area_km2: Annotated[float, Q("km2")] = Field(gt=0, le=1000, description="Area, km².")
    impervious_fraction: Annotated[float, Q("1")] = Field(
        0.7, ge=0, le=1, description="Impervious share."
    )
    width_m: Annotated[float | None, Q("m")] = Field(
        None,
        gt=0,
        le=1e6,
        description="SWMM overland-flow width, m (default: area / overland_length_m).",
    )
    overland_length_m: Annotated[float, Q("m")] = Field(
        60.0,
        ge=5,
        le=2000,
        description=(
            "Mean overland-flow length from roof or lot to a street inlet, m; SWMM width = "
            "area / length (SWMM Reference Manual Vol. I, §3.2). assumed: half of a 100-150 m "
            "city block drained to the streets on both sides."
        ),
    )
    slope: Annotated[float, Q("1")] = Field(
        0.003, gt=0, le=0.5, description="Surface slope. assumed: flat plain."
    )
    n_imperv: Annotated[float, Q("s/m^(1/3)")] = Field(
        0.015, ge=0, le=1, description="SWMM manual typical."
    )
    n_perv: Annotated[float, Q("s/m^(1/3)")] = Field(
        0.1, ge=0, le=1, description="SWMM manual typical."
    )
    dstore_imperv_mm: Annotated[float, Q("mm")] = Field(
        2.0, ge=0, le=50, description="DOMAIN.md §7 case."
    )
    dstore_perv_mm: Annotated[float, Q("mm")] = Field(
        5.0, ge=0, le=100, description="DOMAIN.md §7 case."
    )
    horton_max_mm_h: Annotated[float, Q("mm/h")] = Field(
        76.2, ge=0, le=300, description="DOMAIN.md §7 case."
    )
    horton_min_mm_h: Annotated[float, Q("mm/h")] = Field(
        12.7, ge=0, le=300, description="DOMAIN.md §7 case."
    )
    horton_decay_per_h: Annotated[float, Q("1/h")] = Field(
        4.0, ge=0, le=50, description="SWMM typical."
    )
    sewer: Literal["combined", "separate"] = Field(description="Sewer system type.")
    combined_fraction: Annotated[float | None, Q("1")] = Field(
        None, ge=0, le=1, description="Share still combined (default: 1 combined, 0 separate)."
    )
    population: Annotated[float, Q("persons")] = Field(
        ge=0, le=1e7, description="Population served."
    )
    interception_ratio: Annotated[float, Q("1")] = Field(
        2.0,
        ge=0,
        le=20,
        description="Interceptor n0 over dry-weather flow. Source: DOMAIN.md §7 (2-5, L).",
    )
    pipe_storage_mm: Annotated[float, Q("mm")] = Field(
        2.0,
        ge=0,
        le=20,
        description=(
            "In-pipe storage of the combined part below the overflow weirs, mm over its area. "
            "assumed: ~10 km of sewer per km² at ~0.5 m² section is ~5 mm of pipe volume, about "
            "40 % of it below the weir crests."
        ),
    )
    first_flush_storage_mm: Annotated[float, Q("mm")] = Field(
        0.0, ge=0, le=200, description="Existing first-flush storage over the impervious area, mm."
    )
    cross_connected_share: Annotated[float, Q("1")] = Field(
        0.1, ge=0, le=1, description="Share of separate-part sewage reaching storm drains. assumed."
    )
    outlets: int = Field(10, ge=0, le=10000, description="Rain and overflow outlets to rivers.")
    outlets_remediated: int = Field(
        0, ge=0, le=10000, description="Outlets already remediated at the start."
    )
    outlet_list: list[OutletConfig] = Field(
        default_factory=list,
        description=(
            "The area's outlets one by one (issue 16); when given, their number and remediated "
            "count must equal outlets and outlets_remediated."
        ),
    )
    dumping_m3_d: Annotated[float, Q("m3/d")] = Field(
        20.0,
        ge=0,
        le=1e5,
        description="Illicit dumping into rain drains (shops, car washes). assumed.",
    )
    river: str = Field(description="River its outlets discharge to.")
    segment: int = Field(0, ge=0, le=1000, description="Segment (0 = most upstream) of that river.")

    @model_validator(mode="after")
    def _outlets(self) -> DrainageArea:
        if self.outlets_remediated > self.outlets:
            raise ValueError("outlets_remediated must be <= outlets")
        if self.outlet_list and (
            len(self.outlet_list) != self.outlets
            or sum(o.remediated for o in self.outlet_list) != self.outlets_remediated
        ):
            raise ValueError(
                "outlet_list must have `outlets` entries, `outlets_remediated` of them remediated"
            )
        return self

    @property
    def initial_combined_fraction(self) -> float:
        """Combined share at the start."""
        if self.combined_fraction is not None:
            return float(self.combined_fraction)
        return 1.0 if self.sewer == "combined" else 0.0


class PlantConfig(Section):
    """The treatment plant receiving the district's sewage."""

    capacity_m3_d: Annotated[float, Q("m3/d")] = Field(
        65_000.0,
        gt=0,
        le=2e6,
        description="Capacity for the district's flow, m³/d. assumed: ~1.3 × dry-weather flow.",
    )
    effluent_cod_mg_l: Annotated[float, Q("mg/L")] = Field(
        50.0, ge=0, le=5000, description="GB 18918-2002 1A."
    )
    effluent_bod5_mg_l: Annotated[float, Q("mg/L")] = Field(
        10.0, ge=0, le=100, description="GB 18918-2002 1A (DOMAIN.md §7, H)."
    )
    effluent_nh3n_mg_l: Annotated[float, Q("mg/L")] = Field(
        5.0, ge=0, le=500, description="GB 18918-2002 1A."
    )
    effluent_tp_mg_l: Annotated[float, Q("mg/L")] = Field(
        0.5, ge=0, le=100, description="GB 18918-2002 1A."
    )
    river: str | None = Field(None, description="River receiving the effluent (None: outside).")
    segment: int = Field(0, ge=0, le=1000, description="Segment receiving the effluent.")


class RiverSegmentConfig(Section):
    """Geometry of one well-mixed river segment."""

    length_m: Annotated[float, Q("m")] = Field(gt=0, le=1e5, description="Length, m.")
    width_m: Annotated[float, Q("m")] = Field(gt=0, le=5000, description="Mean width, m.")
    depth_m: Annotated[float, Q("m")] = Field(gt=0, le=100, description="Mean depth, m.")


class RiverConfig(Item):
    """A river: segments and its upstream boundary (what the district does not control)."""

    segments: list[RiverSegmentConfig] = Field(min_length=1, description="Upstream to downstream.")
    downstream: str | None = Field(
        None, description="River its outflow joins (at its first segment)."
    )
    flow_m3_s: Annotated[float, Q("m3/s")] = Field(
        0.0, ge=0, le=1e5, description="Mean boundary inflow."
    )
    cod_mg_l: Uncertain = Field(20.0, description="Boundary COD, mg/L. " + _ASSUMED)
    bod5_mg_l: Uncertain = Field(
        3.0, description="Boundary BOD5, mg/L. assumed: BOD5/COD ≈ 0.15 in regulated rivers."
    )
    nh3n_mg_l: Uncertain = Field(0.8, description="Boundary NH3-N, mg/L. " + _ASSUMED)
    tp_mg_l: Uncertain = Field(0.15, description="Boundary TP, mg/L. " + _ASSUMED)
    do_mg_l: Uncertain = Field(7.0, description="Boundary DO, mg/L. " + _ASSUMED)
    flow_factor: Uncertain = Field(
        1.0,
        description=(
            "Factor on flow_m3_s drawn once per run (uncertain upstream flow; 1 = the mean). "
            "The number of river tanks is set at the mean flow."
        ),
    )
    flow_monthly: _MONTHS = Field(
        (0.8, 0.7, 0.7, 0.7, 0.8, 1.0, 1.5, 1.6, 1.2, 1.0, 0.9, 0.9),
        description="Monthly flow factors. assumed: summer rains, spring low water.",
    )
    quality_monthly: _MONTHS = Field(
        (1.1, 1.15, 1.3, 1.3, 1.2, 1.0, 0.9, 0.9, 0.9, 0.9, 1.0, 1.05),
        description=(
            "Monthly concentration factors. Source: worst Mar-May (Chen et al. 2018, H); "
            "shape assumed."
        ),
    )

    @model_validator(mode="after")
    def _bounds(self) -> RiverConfig:
        _check_uncertain(self)
        _check_monthly("flow_monthly", self.flow_monthly, 10.0, "a monthly factor on the mean")
        _check_monthly("quality_monthly", self.quality_monthly, 10.0, "a monthly factor")
        return self


class MonitoringSection(Item):
    """A named monitoring section at the end of a river segment."""

    river: str = Field(description="River.")
    segment: int = Field(-1, ge=-1000, le=1000, description="Segment index (-1: the last).")
    national_control: bool = Field(False, description="A national-control section (plan target).")


class UpstreamConfig(Section):
    """What upstream districts do: their adoption of the same plan lowers boundary loads."""

    adoption: Uncertain = Field(0.0, description="Share (0-1) of the upstream plan carried out.")
    cod_reduction_at_full_adoption: Annotated[float, Q("1")] = Field(
        0.2, ge=0, le=1, description="Boundary COD cut if upstream fully adopts. assumed."
    )
    nh3n_reduction_at_full_adoption: Annotated[float, Q("1")] = Field(
        0.3, ge=0, le=1, description="assumed."
    )
    tp_reduction_at_full_adoption: Annotated[float, Q("1")] = Field(
        0.2, ge=0, le=1, description="assumed."
    )

    @model_validator(mode="after")
    def _bounds(self) -> UpstreamConfig:
        _check_uncertain(self)
        return self


class KineticsConfig(Section):
    """River kinetics at 20 °C and their temperature factors (DOMAIN.md §7)."""

    k_cod_per_d: Uncertain = Field(
        0.2, description="COD decay, 1/d. Source: DOMAIN.md §7 (0.1-0.3, H/M)."
    )
    k_nh3n_per_d: Uncertain = Field(
        0.1, description="Nitrification, 1/d. Source: DOMAIN.md §7 (0.05-0.2, L)."
    )
    reaeration_min_per_d: Uncertain = Field(
        0.8,
        description="Reaeration floor, 1/d. assumed: wind-driven transfer ~2 m/d over 2.5 m depth.",
    )
    sod_g_m2_d: Uncertain = Field(
        1.0,
        description=(
            "Sediment oxygen demand at 20 °C, g O2/m²/d. assumed: 1-2 for urban river mud near "
            "outfalls, 0.1-1 elsewhere (Chapra 2008, ch. 25, L)."
        ),
    )
    theta_sod: float = Field(1.065, gt=1, le=1.2, description="Chapra 2008, ch. 25 (M).")
    codmn_per_cod: Uncertain = Field(
        0.3,
        description=(
            "Permanganate index per COD in river water. assumed: the ratio of the GB 3838 class "
            "III limits (6/20); Chinese rivers CODCr/CODMn 2.5-4 (L)."
        ),
    )
    theta_cod: float = Field(1.047, ge=1, le=1.2, description="Source: DOMAIN.md §7 (L).")
    theta_nh3n: float = Field(1.07, ge=1, le=1.2, description="Source: DOMAIN.md §7 (L).")
    theta_ka: float = Field(1.024, ge=1, le=1.2, description="Source: DOMAIN.md §7 (L).")

    @model_validator(mode="after")
    def _bounds(self) -> KineticsConfig:
        _check_uncertain(self)
        return self


class WashoffConfig(Section):
    """Build-up on impervious surfaces (and in-pipe deposits) and wash-off (first flush)."""

    cod_max_kg_ha: Uncertain = Field(60.0, description="COD build-up limit, kg/ha. " + _ASSUMED)
    nh3n_max_kg_ha: Uncertain = Field(0.5, description="NH3-N build-up limit, kg/ha. " + _ASSUMED)
    tp_max_kg_ha: Uncertain = Field(0.15, description="TP build-up limit, kg/ha. " + _ASSUMED)
    buildup_rate_per_d: Uncertain = Field(
        0.3, description="Exponential build-up rate, 1/d. assumed."
    )
    bod5_per_cod: float = Field(
        0.25,
        gt=0,
        le=0.8,
        description="BOD5/COD of wash-off. assumed: road runoff is mostly refractory (L).",
    )
    k_per_mm: Uncertain = Field(
        0.107,
        description=(
            "Wash-off 1/mm of runoff. Source: Beijing road, 80 % in 15 mm (DOMAIN.md §7, H)."
        ),
    )

    @model_validator(mode="after")
    def _bounds(self) -> WashoffConfig:
        _check_uncertain(self)
        return self


class WaterConfig(Section):
    """Water system of the district."""

    sewage: SewageConfig = Field(default_factory=SewageConfig, description="Sewage per person.")
    hospital: HospitalConfig = Field(default_factory=HospitalConfig, description="Hospitals.")
    dumping_cod_mg_l: Annotated[float, Q("mg/L")] = Field(
        800.0, ge=0, le=1e5, description="assumed."
    )
    dumping_nh3n_mg_l: Annotated[float, Q("mg/L")] = Field(
        20.0, ge=0, le=5000, description="assumed."
    )
    dumping_tp_mg_l: Annotated[float, Q("mg/L")] = Field(5.0, ge=0, le=1000, description="assumed.")
    dumping_bod5_per_cod: float = Field(
        0.5,
        gt=0,
        le=0.8,
        description="BOD5/COD of dumped wastewater. assumed: food and wash water.",
    )
    drainage_areas: list[DrainageArea] = Field(min_length=1, description="Drainage areas.")
    plant: PlantConfig = Field(default_factory=PlantConfig, description="Treatment plant.")
    rivers: list[RiverConfig] = Field(min_length=1, description="Rivers, upstream first.")
    sections: list[MonitoringSection] = Field(min_length=1, description="Monitoring sections.")
    upstream: UpstreamConfig = Field(default_factory=UpstreamConfig, description="Upstream.")
    kinetics: KineticsConfig = Field(default_factory=KineticsConfig, description="Kinetics.")
    washoff: WashoffConfig = Field(default_factory=WashoffConfig, description="Wash-off.")
    runoff_substeps: int = Field(2, ge=1, le=60, description="Fine steps per wet hour.")
    plug_flow_tolerance: float = Field(
        0.045,
        ge=0.005,
        le=0.5,
        description=(
            "Each river is cut into enough well-mixed tanks that its steady oxygen deficit is "
            "within this share of plug flow at its mean flow (sim.water.river."
            "plug_flow_tanks; issue 13 asks < 5 %)."
        ),
    )
    outlet_order: Literal["listed", "load_per_cny"] = Field(
        "listed",
        description=(
            "Order in which outlets are remediated: as listed (areas in order), or most "
            "dry-weather load removed per CNY first (remediated ones first within each area)."
        ),
    )
    evaporation_mm_d: _MONTHS = Field(
        (0.93, 1.49, 2.82, 4.15, 5.04, 6.18, 4.22, 3.77, 3.15, 2.48, 1.49, 0.93),
        description=(
            "Potential evaporation of ponded water by month, mm/d (SWMM [EVAPORATION] MONTHLY). "
            "Source: DOMAIN.md §8 pan evaporation by month (41 ... 41 mm; Ninghe, Tianjin "
            "1,644 mm/yr) × pan coefficient 0.7 / days in the month (M/L)."
        ),
    )

    @model_validator(mode="after")
    def _references(self) -> WaterConfig:
        _check_monthly(
            "evaporation_mm_d", self.evaporation_mm_d, 20.0, "pan evaporation peaks near 15 mm/d"
        )
        rivers = {r.name: r for r in self.rivers}
        if len(rivers) != len(self.rivers):
            raise ValueError("river names must be unique")
        if len({a.name for a in self.drainage_areas}) != len(self.drainage_areas):
            raise ValueError("drainage area names must be unique")
        listed = [o.name for a in self.drainage_areas for o in a.outlet_list]
        if len(set(listed)) != len(listed):
            raise ValueError("outlet names must be unique across drainage areas")
        order = [r.name for r in self.rivers]
        for r in self.rivers:
            if r.downstream is not None and (
                r.downstream not in rivers or order.index(r.downstream) <= order.index(r.name)
            ):
                raise ValueError(
                    f"river {r.name}: downstream {r.downstream!r} must be listed after it"
                )
        places = [(a.name, a.river, a.segment) for a in self.drainage_areas]
        places += [(s.name, s.river, s.segment) for s in self.sections]
        if self.plant.river is not None:
            places.append(("plant", self.plant.river, self.plant.segment))
        for who, river, seg in places:
            if river not in rivers:
                raise ValueError(f"{who}: unknown river {river!r}")
            if seg >= len(rivers[river].segments):
                raise ValueError(f"{who}: river {river} has no segment {seg}")
        if self.hospital.area is not None and self.hospital.area not in {
            a.name for a in self.drainage_areas
        }:
            raise ValueError(f"hospital.area {self.hospital.area!r} is not a drainage area")
        return self


#: Water state streams: name -> (unit, long name). Vectors over drainage areas unless noted.
STATE_STREAMS: dict[str, tuple[str, str]] = {
    "water.combined_fraction": ("1", "share of each area still on combined sewers"),
    "water.cross_connected_share": ("1", "share of separate-part sewage reaching storm drains"),
    "water.outlets_remediated": ("outlets", "remediated outlets per area"),
    "water.tank_m3": ("m3", "first-flush storage per area"),
    "water.dumping_factor": ("1", "share of baseline dumping into rain drains still going on"),
    "water.offseason_closure": ("1", "share of dry-weather outlet discharge stopped off-season"),
    "water.buildup_cleared": ("1", "share of deposited load removed at each change (event)"),
    "water.hospital_noncompliance": ("1", "share of hospital flow not pre-treated (scalar)"),
    "water.outlet_remediated": ("1", "1 where a listed outlet is remediated (over listed outlets)"),
}


def initial_states(cfg: WaterConfig) -> dict[str, NDArray[np.float64]]:
    """Values of every water state stream at t = 0, from the configuration."""
    areas = cfg.drainage_areas
    imp = np.array([a.area_km2 * 1e6 * a.impervious_fraction for a in areas])
    return {
        "water.combined_fraction": np.array([a.initial_combined_fraction for a in areas]),
        "water.cross_connected_share": np.array([a.cross_connected_share for a in areas]),
        "water.outlets_remediated": np.array([float(a.outlets_remediated) for a in areas]),
        "water.tank_m3": np.array([a.first_flush_storage_mm for a in areas]) * 1e-3 * imp,
        "water.dumping_factor": np.ones(len(areas)),
        "water.offseason_closure": np.zeros(len(areas)),
        "water.buildup_cleared": np.zeros(len(areas)),
        "water.hospital_noncompliance": np.array(cfg.hospital.noncompliant_share),
        "water.outlet_remediated": np.array(
            [float(o.remediated) for _, o in listed_outlets(cfg)] or [0.0]
        ),
    }


def listed_outlets(cfg: WaterConfig) -> list[tuple[int, OutletConfig]]:
    """Every listed outlet with its area's index, areas in order (the order of the
    ``water.outlet_remediated`` stream)."""
    return [(j, o) for j, a in enumerate(cfg.drainage_areas) for o in a.outlet_list]


def remediation_order(cfg: WaterConfig, default_cost_cny: float) -> list[int]:
    """Indices into :func:`listed_outlets` in the order outlets are remediated: as listed, or
    (``outlet_order: load_per_cny``) most dry-weather flow (so load, at the area's sewage
    concentrations) per CNY first; ties keep the listed order."""
    outlets = listed_outlets(cfg)
    order = list(range(len(outlets)))
    if cfg.outlet_order == "load_per_cny":

        def per_cny(i: int) -> float:
            o = outlets[i][1]
            cost = default_cost_cny if o.cost_cny is None else o.cost_cny
            return o.dry_weather_m3_d / cost if cost > 0 else float("inf")

        order.sort(key=lambda i: -per_cny(i))
    return order
