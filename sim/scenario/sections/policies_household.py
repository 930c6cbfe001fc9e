"""Scenario section: the household family of measures (fields of ``policies``).

The plan's measure 5: restaurant cooking fumes (油烟) — purifiers installed, upgraded and
cleaned — and restaurant siting near homes.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.distributions import Uncertain
from sim.scenario.measure import MeasureConfig
from sim.scenario.quantity import Q

__all__ = ["FumeTarget", "HouseholdPolicies", "RestaurantFumes", "RestaurantSiting"]

Fraction = Annotated[float, Q("1")]


class FumeTarget(Item):
    """Purifier targets for one restaurant size class (``name`` is a size in the sources)."""

    target_purifier_share: Fraction = Field(
        1.0, ge=0, le=1, description="Share of restaurants with a purifier at the end."
    )
    upgrade_share: Fraction = Field(
        0.0, ge=0, le=1, description="Share of the existing purifiers replaced by new ones."
    )
    installed_by: date = Field(description="Day the targets are reached (linear monthly steps).")
    design_removal_efficiency: Uncertain = Field(
        description="Net PM removal of a new, clean purifier (0-1)."
    )
    install_cost_cny: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Cost of one new purifier, CNY."
    )
    cleaning_cost_cny: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Cost of cleaning one new purifier once, CNY."
    )


class RestaurantFumes(MeasureConfig):
    """``restaurant_fumes``: purifiers installed, upgraded, and cleaned at an interval.

    New purifiers start clean at their design removal ``e0``; fouling lowers it every
    ``decay_step_days`` to ``floor + (e0 - floor)(1 - decay_per_step)^k`` after ``k`` steps, the
    floor being the size class's existing (real-world) removal; cleaning every
    ``cleaning_interval_days`` restores ``e0``. Existing purifiers keep their removal.
    """

    sizes: tuple[FumeTarget, ...] = Field((), description="Targets by restaurant size class.")
    decay_per_step: Uncertain = Field(
        0.25,
        description="Share of the removal above the floor lost each decay step without "
        "cleaning. Assumed: electrostatic plates foul within weeks in busy kitchens.",
    )
    decay_step_days: Annotated[float, Q("d")] = Field(
        30.0, gt=0, description="Days between decay steps (a month)."
    )
    cleaning_interval_days: Annotated[float | None, Q("d")] = Field(
        90.0,
        gt=0,
        description="Days between cleanings of the new purifiers; none: never cleaned. "
        "Assumed: quarterly, the usual maintenance requirement for catering purifiers.",
    )

    @model_validator(mode="after")
    def _names(self) -> RestaurantFumes:
        names = [s.name for s in self.sizes]
        if len(set(names)) != len(names):
            raise ValueError(f"sizes: duplicate names {names}")
        return self


class RestaurantSiting(MeasureConfig):
    """``restaurant_siting``: no new fume-emitting restaurants in residential buildings.

    Openings are not part of the baseline (restaurant counts are fixed), so a blocked opening
    changes no stream: the measure records it and its avoided uncontrolled PM2.5.
    """

    openings_per_year: Annotated[float, Q("1/yr")] = Field(
        0.0, ge=0, description="Would-be openings in residential buildings a year (Poisson)."
    )
    stove_heads_per_opening: Annotated[float, Q("1")] = Field(
        1.5, gt=0, description="Stove heads of an opening (a small restaurant, GB 18483-2001)."
    )
    blocked_share: Uncertain = Field(1.0, description="Share of those openings refused.")


class HouseholdPolicies(Section):
    """Measures of the household family; each field is one measure (absent: not applied)."""

    restaurant_fumes: RestaurantFumes | None = Field(
        None, description="Fume purifiers installed, upgraded and cleaned (the plan, 5)."
    )
    restaurant_siting: RestaurantSiting | None = Field(
        None, description="Restaurant siting near homes (the plan, 5)."
    )
