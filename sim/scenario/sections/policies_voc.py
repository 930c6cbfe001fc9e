"""Scenario section: the VOC family of measures (fields of ``policies``).

The plan's measure 3 (industrial sources): upgrade VOC treatment facilities, inspect them more
often in the ozone season, use low-VOC coatings and adhesives, and restrict new high-VOC projects.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.distributions import Uncertain
from sim.scenario.measure import MeasureConfig
from sim.scenario.quantity import Q

__all__ = [
    "HighVocProject",
    "HighVocRestriction",
    "LowVocCoatings",
    "LowVocSubstitution",
    "RetrofitProject",
    "VocInspection",
    "VocPolicies",
    "VocRetrofit",
]

Fraction = Annotated[float, Q("1")]


def _unique(names: list[str], what: str) -> None:
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"{what}: duplicate names {dup}")


class RetrofitProject(Item):
    """One enterprise group's treatment upgrade, carried out as one project by one contractor."""

    enterprise: str = Field(description="Enterprise group (a name in sources.industrial).")
    ready: date | None = Field(
        None, description="Day the project may start (design approved); none: the measure's start."
    )
    procurement_delay_days: Uncertain = Field(
        0.0, description="Extra delay before the project joins the contractor queue, days."
    )
    design_build_days: Uncertain = Field(
        description="Days a contractor works on it, from design to commissioning."
    )
    shutdown_days: Uncertain = Field(
        0.0,
        description="Days, at the end of the works, during which production stops (tie-in).",
    )
    new_capture_efficiency: Fraction | None = Field(
        None, ge=0, le=1, description="Capture after commissioning; none: unchanged."
    )
    new_removal_efficiency: Fraction = Field(
        ge=0, le=1, description="Removal of the new treatment unit after commissioning."
    )
    new_treatment: str = Field(
        "adsorption + catalytic combustion", description="The new technology (free text)."
    )
    capital_cost_cny: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Cost of the project, CNY (booked when works start)."
    )
    operating_cost_cny_per_year: Annotated[float, Q("CNY/yr")] = Field(
        0.0, ge=0, description="Running cost of the new unit, CNY/yr (from commissioning)."
    )


class VocRetrofit(MeasureConfig):
    """``voc_retrofit``: treatment upgrades as projects waiting for a few contractors."""

    contractors: int = Field(
        2, ge=1, description="Projects that can be worked on at once (a simpy.Resource capacity)."
    )
    projects: tuple[RetrofitProject, ...] = Field((), description="Projects, in queue order.")

    @model_validator(mode="after")
    def _names(self) -> VocRetrofit:
        _unique([p.name for p in self.projects], "projects")
        return self


class VocInspection(MeasureConfig):
    """``voc_inspection``: carbon saturation and inspections that get the carbon replaced.

    After a replacement the removal is ``fresh_removal_efficiency``; it falls in
    ``saturation_steps`` equal steps, one every ``carbon_life_days / saturation_steps`` days, to the
    enterprise group's configured (saturated) removal, where it stays until an inspection finds it.
    With one step this is the breakthrough curve of a fixed bed: full removal until breakthrough.
    """

    enterprises: tuple[str, ...] = Field(
        (),
        description="Enterprise groups with activated-carbon units (names in sources.industrial).",
    )
    fresh_removal_efficiency: Uncertain = Field(
        0.7,
        description="Removal of a freshly replaced carbon bed. Source: DOMAIN.md §5, carbon "
        "adsorption < 80 % in practice (H); assumed 0.7.",
    )
    carbon_life_days: Uncertain = Field(
        60.0,
        description="Days from replacement to saturation. Assumed: small beds sized for 1-3 "
        "months, as local technical guidance for carbon replacement intervals suggests.",
    )
    saturation_steps: int = Field(
        2, ge=1, le=12, description="Steps of the piecewise-constant decay to saturation."
    )
    interval_days: Annotated[float, Q("d")] = Field(
        60.0, gt=0, description="Days between inspection rounds outside the ozone season. Assumed."
    )
    ozone_season_interval_days: Annotated[float, Q("d")] = Field(
        30.0,
        gt=0,
        description="Days between rounds in the ozone season (May-Sep), when the plan asks for "
        "more inspections. Assumed.",
    )
    detection_probability: Uncertain = Field(
        0.8, description="Chance that a round finds a saturated bed. Assumed."
    )
    replacement_delay_days: Annotated[float, Q("d")] = Field(
        7.0, ge=0, description="Days from a finding to the replaced carbon. Assumed."
    )
    inspection_cost_cny_per_enterprise: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Cost of one inspection of one enterprise, CNY."
    )
    replacement_cost_cny_per_enterprise: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Cost of one carbon replacement at one enterprise, CNY."
    )

    @model_validator(mode="after")
    def _names(self) -> VocInspection:
        _unique(list(self.enterprises), "enterprises")
        return self


class LowVocSubstitution(Item):
    """Low-VOC materials in one enterprise group, adopted at a linear monthly pace."""

    enterprise: str = Field(description="Enterprise group (a name in sources.industrial).")
    content_ratio: Uncertain = Field(
        description="VOC content of the low-VOC material relative to the old one (0-1)."
    )
    adoption_share: Fraction = Field(
        1.0, ge=0, le=1, description="Share of the group's material replaced at the end."
    )
    adopted_by: date = Field(description="Day the full adoption share is reached.")
    cost_cny_per_year: Annotated[float, Q("CNY/yr")] = Field(
        0.0, ge=0, description="Extra material cost at full adoption, CNY/yr (pro rata)."
    )


class LowVocCoatings(MeasureConfig):
    """``low_voc_coatings``: water-borne and low-VOC coatings, inks and adhesives."""

    substitutions: tuple[LowVocSubstitution, ...] = Field(
        (), description="One entry per enterprise group."
    )

    @model_validator(mode="after")
    def _names(self) -> LowVocCoatings:
        _unique([s.name for s in self.substitutions], "substitutions")
        return self


class HighVocProject(Item):
    """A new project using high-VOC materials that would start during the run."""

    arrival: date = Field(description="Day the project would start production.")
    voc_t_yr: Annotated[float, Q("t/yr")] = Field(
        ge=0, description="VOC it would emit a year after its own treatment, t/yr."
    )


class HighVocRestriction(MeasureConfig):
    """``high_voc_restriction``: new high-VOC projects are not approved.

    The projects are not part of the baseline (the industrial sources are the existing
    enterprises), so blocking one changes no emission stream: the measure records each blocked
    project and the VOC it would have emitted in the run (avoided growth, not a reduction).
    """

    projects: tuple[HighVocProject, ...] = Field((), description="Projects that would arrive.")
    block_probability: Uncertain = Field(
        1.0, description="Chance that a project is blocked (enforcement)."
    )


class VocPolicies(Section):
    """Measures of the voc family; each field is one measure (absent: not applied)."""

    voc_retrofit: VocRetrofit | None = Field(
        None, description="Treatment upgrades as contractor projects (the plan, measure 3)."
    )
    voc_inspection: VocInspection | None = Field(
        None, description="Carbon saturation and ozone-season inspections (measure 3)."
    )
    low_voc_coatings: LowVocCoatings | None = Field(
        None, description="Low-VOC coatings and adhesives (measure 3)."
    )
    high_voc_restriction: HighVocRestriction | None = Field(
        None, description="No new high-VOC projects (measure 3)."
    )
