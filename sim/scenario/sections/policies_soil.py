"""Scenario section: the soil family of measures (fields of ``policies``).

Construction land (the plan's measure 9): every plot whose use changes to housing or public use
(一住两公) needs a soil survey and a graded review, then risk control or remediation when it is
contaminated, before it is developed. Survey teams and review panels are limited.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.scenario.base import Section
from sim.scenario.distributions import Distribution, Uncertain
from sim.scenario.measure import MeasureConfig
from sim.scenario.quantity import Q

__all__ = ["CONSTRUCTION_LAND", "ConstructionLand", "SoilPolicies"]


def _tri(low: float, mode: float, high: float, source: str) -> Distribution:
    return Distribution(dist="triangular", low=low, mode=mode, high=high, unit="d", source=source)


class ConstructionLand(MeasureConfig):
    """Survey, review and control of plots changing to housing or public use before development."""

    plots_per_year: Annotated[float, Q("1/yr")] = Field(
        12.0,
        ge=0,
        description="Mean number of plots whose use changes, per year (Poisson arrivals). "
        "Source: assumed: about one redevelopment plot a month in a dense old district.",
    )
    survey_teams: Annotated[int, Q("teams")] = Field(
        2, ge=1, description="Survey teams working at once. Source: assumed."
    )
    review_panels: Annotated[int, Q("panels")] = Field(
        1, ge=1, description="Expert review panels sitting at once. Source: assumed."
    )
    survey_days: Uncertain = Field(
        default_factory=lambda: _tri(
            20, 30, 60, "assumed: initial and detailed survey with lab analysis, 1-2 months"
        ),
        description="Duration of one plot's soil survey, days (a distribution, drawn per plot).",
    )
    review_days: Uncertain = Field(
        default_factory=lambda: _tri(
            5, 10, 20, "assumed: expert review of the report and its revision"
        ),
        description="Duration of one plot's graded review, days (drawn per plot).",
    )
    contaminated_share: Uncertain = Field(
        0.2,
        description="Probability that a surveyed plot needs risk control or remediation. "
        "Source: assumed: 2014 national soil survey found 16 % of sites over limits; old "
        "industrial plots more.",
    )
    control_days: Uncertain = Field(
        default_factory=lambda: _tri(
            60, 120, 240, "assumed: risk control or remediation of a small urban plot, 2-8 months"
        ),
        description="Duration of risk control or remediation of a contaminated plot, days.",
    )
    development_lead_days: Uncertain = Field(
        default_factory=lambda: _tri(
            60, 120, 240, "assumed: time from the change of use to planned construction start"
        ),
        description="Days from a plot's arrival to the developer's planned start of construction.",
    )
    hold_compliance: Uncertain = Field(
        0.9,
        description="Probability that a developer waits when the plot is not cleared by its "
        "planned start. Source: assumed: land-supply controls stop most early starts.",
    )
    cost_cny_per_survey: Annotated[float, Q("CNY")] = Field(
        300_000.0, ge=0, description="Cost of one survey and review, CNY. Source: assumed."
    )
    cost_cny_per_control: Annotated[float, Q("CNY")] = Field(
        3_000_000.0, ge=0, description="Cost of one plot's control or remediation. Source: assumed."
    )


#: The soil measure's name: its field of ``scenario.policies`` and its ledger process name.
CONSTRUCTION_LAND = "construction_land"


class SoilPolicies(Section):
    """Measures of the soil family; each field is one measure (absent: not applied)."""

    construction_land: ConstructionLand | None = Field(
        None, description="Soil survey, review and control of construction land (measure 9)."
    )
