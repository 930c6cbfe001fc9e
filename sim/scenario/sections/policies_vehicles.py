"""Scenario section: the vehicles family of measures (fields of ``policies``).

Mobile-source measures of the 2024 plan (measure 2 and part of 1): retiring China III and older
vehicles, in-use supervision of tampered diesel vehicles, new-energy public fleets, electric
forklifts, non-road machinery registration, fuel and urea quality checks, vapour-recovery checks.

Measures that *repair* something (tampering, non-compliant fuel or machines, failing vapour
recovery) take the baseline's emission factors as fleet averages that already include the
defective share given here as ``baseline_*``; finding and repairing defects lowers the average.
So a measure left out, or ``enabled: false``, leaves the baseline exactly as it is.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.distributions import Distribution, Uncertain
from sim.scenario.measure import MeasureConfig
from sim.scenario.quantity import Q

__all__ = [
    "ForkliftElectric",
    "FuelQualityChecks",
    "InUseSupervision",
    "NonRoadRegistration",
    "PublicFleet",
    "PublicFleetNev",
    "RetireChina3",
    "SourcedMeasure",
    "VapourRecoveryChecks",
    "VehiclesPolicies",
]

VehicleClass = Literal["car", "taxi", "bus", "light_truck", "medium_truck", "heavy_truck"]
Standard = Literal["pre", "china1", "china2", "china3", "china4", "china5", "china6"]
Fraction = Annotated[float, Q("1"), Field(ge=0, le=1)]
DIESEL_CLASSES: tuple[VehicleClass, ...] = ("bus", "light_truck", "medium_truck", "heavy_truck")


def _tri(low: float, mode: float, high: float, source: str) -> Distribution:
    return Distribution(dist="triangular", low=low, mode=mode, high=high, source=source)


#: Every measure has an optional measure-level ``source`` (see MeasureConfig).
SourcedMeasure = MeasureConfig


class RetireChina3(SourcedMeasure):
    """China III and older vehicles leave the fleet (国三及以下淘汰), replaced or not."""

    classes: tuple[VehicleClass, ...] = Field(
        ("car", "taxi", "bus", "light_truck", "medium_truck", "heavy_truck"),
        description="Vehicle classes covered.",
    )
    max_standard: Standard = Field("china3", description="Retire this standard and older.")
    pace: Literal["quota", "hazard"] = Field(
        "quota",
        description="quota: equal monthly tranches from `start` reaching `target_fraction` by "
        "`deadline`; hazard: each month a share 1 - exp(-hazard/12) of the remaining eligible "
        "vehicles leaves (binomial draws), capped at `target_fraction`.",
    )
    target_fraction: Fraction = Field(
        1.0, description="Share of the eligible vehicles (at `start`) to retire: the target."
    )
    deadline: date = Field(
        date(2024, 10, 1),
        description="quota pace: target reached by this day (one tranche on the first of each "
        "month from `start`). assumed: 'by October', the policy team's question (issue 3).",
    )
    compliance: Uncertain = Field(
        1.0, description="Share of each quota tranche actually scrapped (owners' response)."
    )
    hazard_per_year: Uncertain = Field(
        0.5,
        description="hazard pace: retirement hazard under the subsidy, per year. assumed.",
    )
    end_of_life_share: Fraction = Field(
        0.0,
        description="Share of the eligible vehicles already past mandatory scrapping age "
        "(强制报废); scrapped by enforcement in the first month, on top of the pace.",
    )
    replaced_china6_share: Fraction = Field(
        0.5, description="Share of retired vehicles replaced by a China VI vehicle of the class."
    )
    replaced_nev_share: Fraction = Field(
        0.3,
        description="Share replaced by a new-energy vehicle of the class (the rest: not replaced).",
    )
    subsidy_cny_per_vehicle: Annotated[float, Q("CNY")] = Field(
        0.0,
        ge=0,
        le=200_000,
        description="Subsidy paid per retired vehicle of a class not in `subsidy_cny_by_class` "
        "(a transfer, booked at retirement). Bound: the largest published scheme pays 140,000 "
        "CNY per truck (national operating-truck scheme, 2024; DOMAIN.md §8).",
    )
    subsidy_cny_by_class: dict[
        VehicleClass, Annotated[float, Q("CNY"), Field(ge=0, le=200_000)]
    ] = Field(
        default_factory=dict,
        description="Subsidy per retired vehicle by class (a transfer): published schemes pay "
        "by class and tonnage, 3,000-116,000 CNY (Shanghai 2019) and up to 140,000 CNY per "
        "heavy truck (2024). Bound as `subsidy_cny_per_vehicle`.",
    )
    residual_value_cny_by_class: dict[
        VehicleClass, Annotated[float, Q("CNY"), Field(ge=0, le=500_000)]
    ] = Field(
        default_factory=dict,
        description="Resource cost of retiring one vehicle early, by class: the residual value "
        "its owner gives up (capital, annualised over the years brought forward). Bound: well "
        "above the price of a new heavy truck's residual after 10 years.",
    )

    @model_validator(mode="after")
    def _shares(self) -> RetireChina3:
        if self.replaced_china6_share + self.replaced_nev_share > 1.0 + 1e-12:
            raise ValueError("replaced_china6_share + replaced_nev_share must be <= 1")
        if self.deadline <= self.start:
            raise ValueError(f"deadline ({self.deadline}) must be after start ({self.start})")
        return self


class InUseSupervision(SourcedMeasure):
    """Roadside and remote checks find diesel vehicles with tampered OBD or removed after-treatment.

    A tampered vehicle emits ``tampered_*_multiplier`` times a clean one. The baseline's factors
    are fleet averages at ``baseline_tampered_share``; a repaired vehicle is clean.
    """

    classes: tuple[VehicleClass, ...] = Field(DIESEL_CLASSES, description="Classes checked.")
    min_standard: Standard = Field(
        "china4", description="Oldest standard with SCR/DPF and OBD that can be tampered with."
    )
    baseline_tampered_share: Uncertain = Field(
        _tri(0.05, 0.1, 0.2, "assumed: plan names OBD tampering as a target; no district count"),
        description="Share of covered vehicles tampered with in the baseline (0-1).",
    )
    tampered_nox_multiplier: Uncertain = Field(
        _tri(2.0, 4.0, 6.0, "assumed: SCR off leaves engine-out NOx, several times the limit"),
        description="NOx of a tampered vehicle over a clean one.",
    )
    tampered_pm_multiplier: Uncertain = Field(
        _tri(1.5, 3.0, 10.0, "assumed: a removed DPF raises PM by up to an order of magnitude"),
        description="PM of a tampered vehicle over a clean one.",
    )
    checks_per_month: Annotated[float, Q("1/month")] = Field(
        1000.0, ge=0, description="Roadside and remote-sensing checks of covered vehicles."
    )
    detection_probability: Uncertain = Field(
        0.7, description="Chance a check of a tampered vehicle finds it (0-1)."
    )
    repair_days: Annotated[float, Q("d")] = Field(
        7.0, ge=0, description="Days from a finding to the repair."
    )
    cost_cny_per_check: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Operating cost of one check."
    )


class PublicFleet(Item):
    """One public fleet (buses, taxis, sanitation) of a vehicle class."""

    vehicle_class: VehicleClass
    vehicles: Annotated[float, Q("vehicles"), Field(ge=0)] | None = Field(
        None, description="Combustion vehicles of the class in this fleet; none: all of them."
    )
    vehicles_per_month: Annotated[float, Q("vehicles/month")] = Field(
        gt=0, description="Replacement pace."
    )
    cost_cny_per_vehicle: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Extra cost of one new-energy vehicle over a combustion one."
    )


class PublicFleetNev(SourcedMeasure):
    """Public fleets replaced by new-energy vehicles, oldest standard first."""

    fleets: list[PublicFleet] = Field(default_factory=list)


class ForkliftElectric(SourcedMeasure):
    """Forklifts < 3 t: every replacement is electric (the plan: essentially all new-energy)."""

    groups: tuple[str, ...] = Field(
        ("forklift_diesel", "forklift_lpg"), description="Non-road groups of combustion forklifts."
    )
    electric_group: str = Field("forklift_electric", description="Non-road group they join.")
    replacement_per_year: Uncertain = Field(
        0.1, description="Share of the forklifts replaced in a year. assumed: ~10-year life."
    )
    electric_share: Fraction = Field(1.0, description="Share of replacements that are electric.")
    cost_cny_per_machine: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Extra cost of an electric forklift over a combustion one."
    )


class NonRoadRegistration(SourcedMeasure):
    """Registration and coding of non-road machinery (编码登记): non-compliant machines cut."""

    groups: tuple[str, ...] | None = Field(
        None, description="Non-road groups covered; none: every diesel group."
    )
    baseline_noncompliant_share: Uncertain = Field(
        0.2, description="Share of machines non-compliant (smoky, uncoded) in the baseline."
    )
    noncompliant_multiplier: Uncertain = Field(
        3.0, description="PM and NOx of a non-compliant machine over a compliant one."
    )
    effectiveness: Uncertain = Field(
        0.7, description="Share of the non-compliant machines fixed or banned by the campaign."
    )
    months: int = Field(6, ge=1, description="Months over which registration covers the fleet.")


class FuelQualityChecks(SourcedMeasure):
    """Fuel and urea spot checks close non-compliant outlets (油品尿素质量抽检)."""

    outlets: int = Field(30, ge=1, description="Fuel and urea outlets selling to diesel users.")
    baseline_noncompliant_share: Uncertain = Field(
        0.05, description="Share of outlets selling non-compliant diesel or urea in the baseline."
    )
    nox_multiplier: Uncertain = Field(1.5, description="NOx on non-compliant fuel or urea.")
    pm_multiplier: Uncertain = Field(1.2, description="PM on non-compliant diesel.")
    so2_multiplier: Uncertain = Field(5.0, description="SO2 on non-compliant (high-S) diesel.")
    checks_per_month: Annotated[float, Q("1/month")] = Field(
        5.0, ge=0, description="Outlets sampled each month."
    )
    detection_probability: Uncertain = Field(0.9, description="Chance a sample finds it (0-1).")
    cost_cny_per_check: Annotated[float, Q("CNY")] = Field(0.0, ge=0)


class VapourRecoveryChecks(SourcedMeasure):
    """Vapour-recovery checks at fuel stations; failing systems are repaired."""

    stations: int = Field(25, ge=1, description="Fuel stations in the district.")
    baseline_failing_share: Uncertain = Field(
        0.2, description="Share of stations whose vapour recovery fails, in the baseline."
    )
    working_efficiency: Fraction = Field(
        0.95,
        description="Efficiency of a working system. Source: EPA Stage II tests 95 %+ (EPA 1983).",
    )
    failing_efficiency: Fraction = Field(
        0.5, description="Efficiency of a failing system. assumed: leaking nozzles, broken pumps."
    )
    stations_per_month: Annotated[float, Q("1/month")] = Field(
        5.0, gt=0, description="Stations checked per month (each once, in turn)."
    )
    repair_days: Annotated[float, Q("d")] = Field(14.0, ge=0)
    cost_cny_per_check: Annotated[float, Q("CNY")] = Field(0.0, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> VapourRecoveryChecks:
        if self.failing_efficiency > self.working_efficiency:
            raise ValueError("failing_efficiency must be <= working_efficiency")
        return self


class VehiclesPolicies(Section):
    """Measures of the vehicles family; each field is one measure (absent: not applied)."""

    retire_china3: RetireChina3 | None = Field(None, description="Retire China III and older.")
    inuse_supervision: InUseSupervision | None = Field(
        None, description="Checks of tampered diesel vehicles."
    )
    public_fleet_nev: PublicFleetNev | None = Field(
        None, description="New-energy buses, taxis, sanitation."
    )
    forklift_electric: ForkliftElectric | None = Field(None, description="Electric forklifts.")
    nonroad_registration: NonRoadRegistration | None = Field(
        None, description="Non-road machinery registration."
    )
    fuel_quality: FuelQualityChecks | None = Field(None, description="Fuel and urea checks.")
    vapour_recovery: VapourRecoveryChecks | None = Field(
        None, description="Vapour-recovery checks at fuel stations."
    )
