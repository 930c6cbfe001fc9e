"""Scenario section: the water family of measures (fields of ``policies``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from sim.scenario.base import Item, Section
from sim.scenario.distributions import Uncertain
from sim.scenario.measure import MeasureConfig
from sim.scenario.quantity import Q

__all__ = [
    "CrossConnectionRepair",
    "DumpingPatrols",
    "FirstFlushTank",
    "FirstFlushTanks",
    "HospitalWastewater",
    "NetworkClearing",
    "OutletRemediation",
    "RainOutletRule",
    "RainSewageSeparation",
    "SeparationProject",
    "WaterPolicies",
]


class SeparationProject(Item):
    """Rain-sewage separation of (part of) one drainage area's combined sewers."""

    area: str = Field(description="Drainage area.")
    share: Annotated[float, Q("1")] = Field(
        1.0, gt=0, le=1, description="Share of its combined part."
    )
    start: date = Field(date(2024, 3, 1), description="Earliest start (waits for a crew).")
    duration_days: Uncertain = Field(240.0, description="Works duration, d. assumed.")
    stages: int = Field(4, ge=1, description="Partial conversions as work proceeds.")
    residual_cross_connected_share: Uncertain = Field(
        0.05, description="Cross-connections left in the converted part. assumed."
    )
    capital_cny: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Project cost, CNY; booked stage by stage as work is done."
    )
    late_start_days: Uncertain = Field(
        0.0, description="Delay of the start after a crew is free (permits, design), d."
    )
    stoppage_probability: Annotated[float, Q("1")] = Field(
        0.0, ge=0, le=1, description="Chance that a stage is stopped (disputes, funding)."
    )
    stoppage_days: Uncertain = Field(30.0, description="Length of one stoppage, d.")


class RainSewageSeparation(MeasureConfig):
    """合流制片区雨污分流改造: projects per area, limited crews (plan measure 7)."""

    projects: list[SeparationProject] = Field(default_factory=list, description="Projects.")
    crews: int = Field(2, ge=1, description="Projects that can run at once.")
    pause_months: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        default_factory=list,
        description=(
            "Months (1-12) when crews do not dig (flood season, frozen ground); work time "
            "counts only outside them."
        ),
    )


class CrossConnectionRepair(MeasureConfig):
    """雨污串接混接点 routine repair: a campaign finding and fixing points at a rate."""

    points: int = Field(200, ge=0, description="Cross-connection points in the district. assumed.")
    repairs_per_month: Uncertain = Field(10.0, description="Points fixed per month. assumed.")


class OutletRemediation(MeasureConfig):
    """Trace and remediate river outlets to a target share, with a dynamic ledger (measure 8)."""

    target_share: Annotated[float, Q("1")] = Field(0.7, ge=0, le=1, description="Plan: 70 %.")
    outlets_per_month: Uncertain = Field(3.0, description="Outlets remediated per month. assumed.")
    cost_cny_per_outlet: Annotated[float, Q("CNY")] = Field(
        300_000.0, ge=0, description="assumed: interception works per outlet."
    )
    pause_months: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        default_factory=list,
        description="Months (1-12) when no outlet is finished (works wait for the next month).",
    )


class FirstFlushTank(Item):
    """A first-flush storage tank."""

    area: str = Field(description="Drainage area.")
    volume_m3: Annotated[float, Q("m3")] = Field(gt=0, description="Volume, m³.")
    start: date = Field(date(2024, 3, 1), description="Works start.")
    build_days: Uncertain = Field(180.0, description="Construction time, d. assumed.")
    capital_cny: Annotated[float, Q("CNY")] = Field(0.0, ge=0, description="Cost, CNY.")


class FirstFlushTanks(MeasureConfig):
    """Control initial rainwater: first-flush tanks sent to the plant (measure 7)."""

    tanks: list[FirstFlushTank] = Field(default_factory=list, description="Tanks.")


class NetworkClearing(MeasureConfig):
    """Pre-flood-season clearing of sewers and rain pump stations (measure 7)."""

    day: date = Field(date(2024, 5, 15), description="Clearing date (before the flood season).")
    removal_share: Uncertain = Field(0.4, description="Share of deposited load removed. assumed.")


class DumpingPatrols(MeasureConfig):
    """Patrols against shops, car washes and restaurants dumping into rain drains."""

    effectiveness: Uncertain = Field(0.6, description="Share of dumping stopped. assumed.")
    ramp_months: int = Field(3, ge=1, description="Months to reach full effect.")


class HospitalWastewater(MeasureConfig):
    """Hospital wastewater supervision: inspections bring non-compliant hospitals into line."""

    inspections_per_year: int = Field(4, ge=1, description="Inspection rounds per year.")
    fix_share: Uncertain = Field(
        0.5, description="Share of non-compliance fixed per round. assumed."
    )


class RainOutletRule(MeasureConfig):
    """Rain outlets must not discharge outside the flood season (dry-weather flow held back)."""

    compliance: Uncertain = Field(
        0.7, description="Share of off-season dry discharge stopped. assumed."
    )


class WaterPolicies(Section):
    """Measures of the water family; each field is one measure (absent: not applied)."""

    rain_sewage_separation: RainSewageSeparation | None = Field(None, description="雨污分流.")
    cross_connection_repair: CrossConnectionRepair | None = Field(None, description="混接点整治.")
    outlet_remediation: OutletRemediation | None = Field(None, description="入河排污口整治.")
    first_flush_tanks: FirstFlushTanks | None = Field(None, description="初期雨水调蓄.")
    network_clearing: NetworkClearing | None = Field(None, description="汛前管网清掏.")
    dumping_patrols: DumpingPatrols | None = Field(None, description="雨水口乱倒巡查.")
    hospital_wastewater: HospitalWastewater | None = Field(None, description="医疗废水监管.")
    rain_outlet_rule: RainOutletRule | None = Field(None, description="非汛期雨水口不得排水.")
