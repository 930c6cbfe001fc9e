"""The ``sources.dust`` section: construction sites, paved roads, bare land and muck trucks."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.quantity import Q

__all__ = [
    "LARGE_SITE_AREA_M2",
    "BareLandConfig",
    "ConstructionConfig",
    "ConstructionSite",
    "DustConfig",
    "MuckTruckConfig",
    "RoadDustConfig",
]

#: Sites at least this large must have video or dust monitoring (the plan, measure 4).
LARGE_SITE_AREA_M2 = 5000.0

# fmt: off
#: Hourly shares of a workday's traffic, 00-23. Assumed: a two-peak urban weekday (07-09 and
#: 17-19) with a night trough, the usual shape of Chinese city traffic counts.
WORKDAY_TRAFFIC: tuple[float, ...] = (
    0.6, 0.4, 0.3, 0.3, 0.4, 0.8,
    2.0, 3.2, 3.0, 2.0, 1.8, 1.8,
    1.7, 1.7, 1.8, 1.9, 2.2, 3.0,
    3.0, 2.2, 1.8, 1.5, 1.1, 0.8,
)
#: Hourly shares of a day off's traffic. Assumed: one broad midday plateau, no commuter peaks.
DAY_OFF_TRAFFIC: tuple[float, ...] = (
    0.8, 0.6, 0.4, 0.3, 0.3, 0.5,
    0.9, 1.4, 1.8, 2.1, 2.3, 2.3,
    2.2, 2.2, 2.2, 2.2, 2.3, 2.4,
    2.4, 2.1, 1.8, 1.5, 1.2, 1.0,
)
# fmt: on


def _check_profile(value: tuple[float, ...]) -> tuple[float, ...]:
    if len(value) != 24 or min(value) < 0 or sum(value) <= 0:
        raise ValueError("must be 24 non-negative weights with a positive sum")
    return value


class ConstructionSite(Item):
    """One construction site: its area, when it works, and how well its dust is controlled."""

    area_m2: Annotated[float, Q("m2")] = Field(gt=0, description="Disturbed site area, m².")
    start: date = Field(description="Day the site opens (works start at its midnight).")
    duration_days: Annotated[float, Q("d")] = Field(
        gt=0, description="Days from opening to closing."
    )
    control_efficiency: Annotated[float, Q("1")] = Field(
        0.0,
        ge=0,
        le=1,
        description="Share of uncontrolled dust removed by the site's measures. Source: the "
        "'six 100 %' package removes 60-80 % (DOMAIN.md §5, L).",
    )
    monitored: bool = Field(False, description="Video or dust monitoring networked (the plan).")

    @property
    def large(self) -> bool:
        """Whether the site is at least 5,000 m² (the plan's monitoring threshold)."""
        return self.area_m2 >= LARGE_SITE_AREA_M2


class ConstructionConfig(Section):
    """Construction dust: US NEI area-month factor over working daytime hours."""

    sites: tuple[ConstructionSite, ...] = Field((), description="The district's sites.")
    pm10_kg_m2_month: Annotated[float, Q("kg/m2/month")] = Field(
        0.025,
        ge=0,
        description="Uncontrolled PM10 per m² per month of activity. Source: US NEI apartment "
        "construction 0.11 short ton PM10/acre-month = 99.8 kg / 4,047 m² = 0.025 "
        "(DOMAIN.md §5, H/M).",
    )
    pm25_pm10_ratio: Annotated[float, Q("1")] = Field(
        0.21, gt=0, le=1, description="PM2.5/PM10. Source: Zhang 2019, bare construction land (H)."
    )
    work_start_hour: int = Field(
        6,
        ge=0,
        le=23,
        description="First working hour. Source: construction noise rules forbid night work "
        "22:00-06:00 in Chinese cities (Law on Noise Pollution Prevention 2021 art. 43, M).",
    )
    work_end_hour: int = Field(
        22, ge=1, le=24, description="Working hours end (exclusive). Source: as work_start_hour."
    )

    @model_validator(mode="after")
    def _check(self) -> ConstructionConfig:
        names = [s.name for s in self.sites]
        if len(set(names)) != len(names):
            raise ValueError(f"site names must be unique: {names}")
        if self.work_end_hour <= self.work_start_hour:
            raise ValueError("work_end_hour must be after work_start_hour")
        return self


class RoadDustConfig(Section):
    """Paved-road resuspension by AP-42 13.2.1."""

    road_length_km: Annotated[float, Q("km")] = Field(
        140.0,
        ge=0,
        description="Length of paved roads, km. Source: 21.3 km² x about 6.5 km/km², the road-"
        "network density of Chinese large-city centres (CAUPD road-network density monitoring "
        "reports 2019-2021, L).",
    )
    workday_traffic_veh_per_day: Annotated[float, Q("veh/d")] = Field(
        10000.0,
        ge=0,
        description="Network-mean vehicles per road per workday. Assumed: arterials 30-50 "
        "thousand, branch roads a few thousand a day.",
    )
    day_off_traffic_factor: Annotated[float, Q("1")] = Field(
        0.9, ge=0, description="Day-off traffic relative to a workday. Assumed."
    )
    workday_profile: tuple[float, ...] = Field(
        WORKDAY_TRAFFIC, description="24 relative hourly weights on workdays (normalised)."
    )
    day_off_profile: tuple[float, ...] = Field(
        DAY_OFF_TRAFFIC, description="24 relative hourly weights on days off (normalised)."
    )
    k_pm25_g_vkt: Annotated[float, Q("g/VKT")] = Field(
        0.15, ge=0, description="AP-42 13.2.1 particle size multiplier, PM2.5 (H)."
    )
    k_pm10_g_vkt: Annotated[float, Q("g/VKT")] = Field(
        0.62, ge=0, description="AP-42 13.2.1 particle size multiplier, PM10 (H)."
    )
    silt_loading_g_m2: Annotated[float, Q("g/m2")] = Field(
        1.0,
        ge=0,
        description="Road-surface silt loading sL at the start, g/m². Source: Chinese cities "
        "0.3-3 (DOMAIN.md §5, L); the plan's 以克论净 judges roads by it.",
    )
    mean_vehicle_weight_t: Annotated[float, Q("t")] = Field(
        2.0,
        gt=0,
        description="Mean weight W of all vehicles on the roads, t. Assumed: mostly 1.3-1.8 t "
        "cars with some buses and light trucks.",
    )
    rain_threshold_mm_h: Annotated[float, Q("mm/h")] = Field(
        0.254,
        ge=0,
        description="Hours with at least this rain emit no road dust. Source: AP-42 13.2.1 "
        "(2011) eq. 3 counts hours with >= 0.254 mm (0.01 in) of rain as wet; here a wet hour "
        "is simply zero (simplified).",
    )

    @field_validator("workday_profile", "day_off_profile")
    @classmethod
    def _profiles(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        return _check_profile(value)


class BareLandConfig(Section):
    """Wind erosion of bare land and uncovered stockpiles."""

    area_m2: Annotated[float, Q("m2")] = Field(
        0.0, ge=0, description="Bare land and stockpile area, m². Source: the bureau's survey."
    )
    uncovered_fraction: Annotated[float, Q("1")] = Field(
        1.0,
        ge=0,
        le=1,
        description="Share of that area left uncovered at the start (covering is a measure).",
    )
    wind_threshold_m_s: Annotated[float, Q("m/s")] = Field(
        5.0,
        gt=0,
        description="10 m wind speed below which nothing erodes. Source: threshold friction "
        "velocity about 0.3 m/s for loose fine soil (AP-42 13.2.5, Table 13.2.5-2 range, M) times "
        "about 17-19 by the log wind law at roughness 0.5-1 cm (M).",
    )
    pm10_g_m2_h_at_10_m_s: Annotated[float, Q("g/m2/h")] = Field(
        0.144,
        ge=0,
        description="PM10 flux at 10 m/s; F(u) = F10 x g(u)/g(10), g(u) = u^4 (1 - u_t/u) above "
        "u_t (the form of Gillette & Passi 1988). Calibrated: with Tianjin winds (Weibull k = 2, "
        "mean 2.4 m/s) it gives 1.36 g/m²/yr PM10 = Beijing soil wind-erosion PM2.5 0.0018 "
        "t/ha/yr (Li et al. 2020, 环境科学 41:2609) / vegetation factor 0.63 / PM2.5-PM10 0.21.",
    )
    pm25_pm10_ratio: Annotated[float, Q("1")] = Field(
        0.21, gt=0, le=1, description="PM2.5/PM10. Source: Zhang 2019, bare construction land (H)."
    )


class MuckTruckConfig(Section):
    """Spill and track-out dust from trucks carrying spoil (渣土车)."""

    trips_per_day: Annotated[float, Q("1/d")] = Field(
        0.0, ge=0, description="Loaded truck trips a day in the district."
    )
    km_per_trip: Annotated[float, Q("km")] = Field(
        5.0,
        ge=0,
        description="Km driven inside the district per trip. Assumed: about one crossing.",
    )
    open_pm10_g_km: Annotated[float, Q("g/km")] = Field(
        5.0,
        ge=0,
        description="PM10 from spill and track-out per km of an open (uncovered) truck. Assumed: "
        "of the order of Kinsey et al. 2004's 6 g PM10 per vehicle pass on a track-out road.",
    )
    enclosure_reduction: Annotated[float, Q("1")] = Field(
        0.9,
        ge=0,
        le=1,
        description="Share of that dust removed by a sealed body and wheel washing. Assumed.",
    )
    enclosed_fraction: Annotated[float, Q("1")] = Field(
        0.8, ge=0, le=1, description="Share of trips in enclosed trucks at the start. Assumed."
    )
    pm25_pm10_ratio: Annotated[float, Q("1")] = Field(
        0.242,
        gt=0,
        le=1,
        description="PM2.5/PM10 of resuspended road dust. Source: AP-42 13.2.1 k ratio 0.15/0.62.",
    )
    operating_start_hour: int = Field(
        20,
        ge=0,
        le=23,
        description="First operating hour. Assumed: muck trucks run at night in the city.",
    )
    operating_end_hour: int = Field(
        6,
        ge=0,
        le=23,
        description="Operating ends at this hour (exclusive; may wrap past midnight).",
    )

    @model_validator(mode="after")
    def _hours(self) -> MuckTruckConfig:
        if self.operating_start_hour == self.operating_end_hour:
            raise ValueError("operating_start_hour and operating_end_hour must differ")
        return self


class DustConfig(Section):
    """Dust sources: construction, roads, bare land and muck trucks."""

    construction: ConstructionConfig = Field(default_factory=ConstructionConfig)
    roads: RoadDustConfig = Field(default_factory=RoadDustConfig)
    bare_land: BareLandConfig = Field(default_factory=BareLandConfig)
    muck_trucks: MuckTruckConfig = Field(default_factory=MuckTruckConfig)
