"""Scenario section ``sources.mobile``: the on-road fleet, non-road machinery, fuel evaporation."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.quantity import Q

__all__ = [
    "ClassActivity",
    "Classes",
    "Cohort",
    "DiurnalProfile",
    "Evaporative",
    "MobileConfig",
    "NonRoadGroup",
]

VehicleClass = Literal["car", "taxi", "bus", "light_truck", "medium_truck", "heavy_truck"]
Standard = Literal["pre", "china1", "china2", "china3", "china4", "china5", "china6", "nev"]
NonRoadStage = Literal["pre", "stage1", "stage2", "stage3", "stage4"]
Fraction = Annotated[float, Q("1")]


class DiurnalProfile(Section):
    """Relative activity in each local hour 0-23, on working days and on days off.

    Any positive scale: the model normalises so that annual totals are conserved.
    """

    workday: tuple[float, ...] = Field(description="24 relative weights, hours 0-23, working days.")
    day_off: tuple[float, ...] = Field(description="24 relative weights, weekends and holidays.")

    @field_validator("workday", "day_off")
    @classmethod
    def _check_24(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if len(v) != 24 or min(v) < 0 or sum(v) <= 0:
            raise ValueError("must be 24 non-negative weights with a positive sum")
        return v


#: assumed: a two-peak urban car profile (peaks 7-9 h and 17-19 h, night trough), the common
#: shape of Chinese city traffic counts; days off flatter and later.
LIGHT_DUTY_PROFILE = DiurnalProfile(
    workday=(
        1.0,
        0.6,
        0.4,
        0.3,
        0.4,
        1.0,
        3.0,
        6.5,
        7.5,
        6.0,
        5.0,
        5.0,
        5.0,
        5.0,
        5.0,
        5.5,
        6.0,
        7.5,
        7.0,
        5.5,
        4.5,
        3.5,
        2.5,
        1.5,
    ),
    day_off=(
        1.5,
        1.0,
        0.6,
        0.4,
        0.4,
        0.7,
        1.5,
        3.0,
        4.5,
        5.5,
        6.0,
        6.0,
        6.0,
        6.0,
        6.0,
        6.0,
        6.0,
        6.0,
        6.0,
        5.5,
        5.0,
        4.0,
        3.0,
        2.0,
    ),
)
#: assumed: trucks, restricted in Tianjin's central city by day, run mostly at night and early
#: morning; same shape every day.
_TRUCK_HOURS = (6, 6, 6, 6, 6, 5.5, 4, 2, 1.5, 2, 2.5, 2.5,
                2.5, 2.5, 2.5, 2.5, 2, 1.5, 1.5, 2, 3, 4.5, 5.5, 6)  # fmt: skip
TRUCK_PROFILE = DiurnalProfile(workday=_TRUCK_HOURS, day_off=_TRUCK_HOURS)
#: assumed: buses run 5-23 h at near-constant frequency, more in the peaks.
BUS_PROFILE = DiurnalProfile(
    workday=(0, 0, 0, 0, 0, 2, 4, 6, 6, 4, 4, 4, 4, 4, 4, 4, 5, 6, 6, 4, 3, 3, 2, 0),
    day_off=(0, 0, 0, 0, 0, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 2, 0),
)


def _default_profiles() -> dict[str, DiurnalProfile]:
    return {"light_duty": LIGHT_DUTY_PROFILE, "truck": TRUCK_PROFILE, "bus": BUS_PROFILE}


class ClassActivity(Section):
    """How far a vehicle of one class drives, and how much of it inside the district."""

    annual_km: Annotated[float, Q("km/yr")] = Field(gt=0, description="VKT per vehicle per year.")
    district_fraction: Fraction = Field(
        1.0, ge=0, le=1, description="Share of that km driven inside the district."
    )
    profile: str = Field("light_duty", description="Name of the diurnal profile in `profiles`.")


class Classes(Section):
    """Activity of each vehicle class (a cohort may override ``annual_km``).

    A class given in part (``car: {annual_km: 12000}``) keeps the class's other defaults.
    """

    car: ClassActivity = Field(
        ClassActivity(annual_km=15000.0, district_fraction=0.5),
        description="Private cars. Source: DOMAIN.md §5 light-duty 18,900 km (2015, M), lowered "
        "for the decline in private-car use; district share assumed: half of a resident's driving "
        "in a 21 km² district.",
    )
    taxi: ClassActivity = Field(
        ClassActivity(annual_km=100000.0, district_fraction=0.3),
        description="assumed: ~300 km/day on ~330 days; 30 % of it inside the district.",
    )
    bus: ClassActivity = Field(
        ClassActivity(annual_km=60000.0, district_fraction=0.6, profile="bus"),
        description="assumed: ~180 km/day on routes largely inside the district.",
    )
    light_truck: ClassActivity = Field(
        ClassActivity(annual_km=30000.0, district_fraction=0.4),
        description="assumed: urban delivery vans, daytime like cars.",
    )
    medium_truck: ClassActivity = Field(
        ClassActivity(annual_km=40000.0, district_fraction=0.3, profile="truck"),
        description="assumed.",
    )
    heavy_truck: ClassActivity = Field(
        ClassActivity(annual_km=60000.0, district_fraction=0.1, profile="truck"),
        description="Source: DOMAIN.md §5 heavy trucks 50-80k km/yr (L); district share assumed "
        "(through traffic on the district's few truck routes).",
    )

    @model_validator(mode="before")
    @classmethod
    def _merge_class_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for key, value in data.items():
            field = cls.model_fields.get(key)
            if isinstance(value, dict) and field is not None:
                default = field.default
                if isinstance(default, ClassActivity):
                    out[key] = {**default.model_dump(), **value}
        return out


class Cohort(Item):
    """Vehicles of one class and one emission standard."""

    vehicle_class: VehicleClass
    standard: Standard
    count: Annotated[float, Q("vehicles")] = Field(ge=0, description="Vehicles at the start.")
    annual_km: Annotated[float, Q("km/yr"), Field(gt=0)] | None = Field(
        None, description="Overrides the class's annual km (older vehicles drive less)."
    )


class NonRoadGroup(Item):
    """Non-road machines of one type, fuel and stage (excavators, loaders, forklifts)."""

    machine: str = Field("", description="What the machines are (free text).")
    fuel: Literal["diesel", "lpg", "electric"]
    stage: NonRoadStage = "stage3"
    count: Annotated[float, Q("machines")] = Field(ge=0)
    power_kw: Annotated[float, Q("kW")] = Field(gt=0, description="Rated engine power.")
    load_factor: Fraction = Field(ge=0, le=1, description="Mean load as a share of rated power.")
    annual_hours: Annotated[float, Q("h/yr")] = Field(ge=0, description="Operating hours a year.")
    start_hour: int = Field(7, ge=0, le=23, description="First operating hour (local).")
    end_hour: int = Field(19, ge=1, le=24, description="Operating until this hour (exclusive).")
    days: Literal["workdays", "all"] = "workdays"

    @model_validator(mode="after")
    def _check_hours(self) -> NonRoadGroup:
        if self.end_hour <= self.start_hour:
            raise ValueError(
                f"end_hour(={self.end_hour}) must be after start_hour(={self.start_hour})"
            )
        return self


class Evaporative(Section):
    """Gasoline storage, transport and sale: VOC lost per litre, minus vapour recovery."""

    gasoline_throughput_t_yr: Annotated[float, Q("t/yr")] = Field(
        40000.0,
        ge=0,
        description="Gasoline sold in the district. assumed: about the fuel burnt by the "
        "district's cars (~75,000 × 15,000 km × 7.5 L/100 km × 0.74 kg/L ≈ 62 kt) less driving "
        "fuelled elsewhere.",
    )
    density_kg_l: Annotated[float, Q("kg/L")] = Field(
        0.74,
        gt=0,
        description="Gasoline density. Source: GB 17930 range 0.720-0.775 (assumed mid).",
    )
    tank_filling_mg_l: Annotated[float, Q("mg/L")] = Field(
        880.0, ge=0, description="Underground tank filling, submerged. Source: AP-42 Table 5.2-7."
    )
    breathing_mg_l: Annotated[float, Q("mg/L")] = Field(
        120.0,
        ge=0,
        description="Underground tank breathing and emptying. Source: AP-42 Table 5.2-7.",
    )
    refuelling_mg_l: Annotated[float, Q("mg/L")] = Field(
        1320.0,
        ge=0,
        description="Vehicle refuelling displacement, uncontrolled. Source: AP-42 Table 5.2-7.",
    )
    spillage_mg_l: Annotated[float, Q("mg/L")] = Field(
        80.0, ge=0, description="Refuelling spillage (not recovered). Source: AP-42 Table 5.2-7."
    )
    control_efficiency: Fraction = Field(
        0.8,
        ge=0,
        le=1,
        description="Vapour recovery on filling, breathing and refuelling. assumed: GB 20952 "
        "requires recovery; Stage II systems test at 95 %+ (EPA 1983), less for failing units.",
    )
    profile: str = Field("light_duty", description="Diurnal profile of sales (refuelling).")


class MobileConfig(Section):
    """The mobile-source category: fleet cohorts, non-road machines, fuel evaporation."""

    fleet: list[Cohort] = Field(default_factory=list)
    classes: Classes = Classes()
    non_road: list[NonRoadGroup] = Field(default_factory=list)
    evaporative: Evaporative = Evaporative()
    profiles: dict[str, DiurnalProfile] = Field(default_factory=_default_profiles)
    fuel_sulfur_mg_kg: Annotated[float, Q("mg/kg")] = Field(
        10.0,
        ge=0,
        description="Gasoline and diesel sulfur. Source: China VI fuel standards "
        "GB 17930-2016 and GB 19147-2016, 10 mg/kg.",
    )
    cold_correction: bool = Field(True, description="Apply the MEE 2014 below-10 °C multipliers.")
    cold_threshold_c: Annotated[float, Q("degC")] = Field(
        10.0, description="Cold hours are below this. Source: MEE 2014 guideline (DOMAIN.md §5)."
    )

    @model_validator(mode="after")
    def _check_consistency(self) -> MobileConfig:
        problems: list[str] = []
        seen: dict[tuple[str, str], str] = {}
        names: set[str] = set()
        for c in self.fleet:
            if c.name in names:
                problems.append(f"fleet: duplicate name {c.name!r}")
            names.add(c.name)
            key = (c.vehicle_class, c.standard)
            if key in seen:
                problems.append(f"fleet: {c.name!r} repeats {key} of {seen[key]!r}")
            seen[key] = c.name
        groups = [g.name for g in self.non_road]
        if len(set(groups)) != len(groups):
            problems.append("non_road: names must be unique")
        used = {getattr(self.classes, k).profile for k in Classes.model_fields}
        used.add(self.evaporative.profile)
        missing = sorted(used - set(self.profiles))
        problems += [f"profile {p!r} is used but not defined" for p in missing]
        if problems:
            raise ValueError("; ".join(problems))
        return self
