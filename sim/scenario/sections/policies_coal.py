"""Scenario section: the coal family of measures (fields of ``policies``).

The plan's measure 1: keep the scattered-coal clearance and prevent re-burning (散煤复烧), and
convert the households that still burn coal.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.scenario.base import Section
from sim.scenario.distributions import Uncertain
from sim.scenario.measure import MeasureConfig
from sim.scenario.quantity import Q

__all__ = ["CoalConversion", "CoalPolicies", "ReburningPrevention"]


class ReburningPrevention(MeasureConfig):
    """``reburning_prevention``: grid inspections find re-burning households and stop them.

    Inspection rounds run in the heating season every ``inspection_interval_days``; each finds
    each ongoing episode with ``detection_probability`` and stops it. Publicity and the chance of
    being caught also deter a share of would-be episodes (``coal.reburning_rate_factor``).
    """

    inspection_interval_days: Annotated[float, Q("d")] = Field(
        7.0, gt=0, description="Days between inspection rounds. Assumed: weekly grid patrols."
    )
    detection_probability: Uncertain = Field(
        0.6, description="Chance that a round finds an ongoing episode. Assumed."
    )
    deterred_share: Uncertain = Field(
        0.3, description="Share of would-be episodes that do not happen. Assumed."
    )
    cost_cny_per_round: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Cost of one inspection round, CNY."
    )


class CoalConversion(MeasureConfig):
    """``coal_conversion``: the remaining coal households go over to electricity or gas.

    From ``start``, ``households_per_month`` are converted at the start of each month, taken from
    the coal types in ``coal_types`` order (dirtiest first), until ``target_households`` or none
    remain.
    """

    households_per_month: Annotated[float, Q("households/month")] = Field(
        gt=0, description="Households converted a month."
    )
    target_households: Annotated[float | None, Q("households")] = Field(
        None, ge=0, description="Households to convert in all; none: every remaining one."
    )
    coal_types: tuple[str, ...] = Field(
        (), description="Coal types to convert, in order; empty: all, in configuration order."
    )
    replacement: str = Field(
        "electricity", description="What replaces the coal (metadata: no local emissions)."
    )
    capital_cost_cny_per_household: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Equipment and grid cost per household converted, CNY."
    )
    subsidy_cny_per_household_year: Annotated[float, Q("CNY/yr")] = Field(
        0.0, ge=0, description="Running (energy) subsidy per converted household, CNY/yr."
    )


class CoalPolicies(Section):
    """Measures of the coal family; each field is one measure (absent: not applied)."""

    reburning_prevention: ReburningPrevention | None = Field(
        None, description="Re-burning found and stopped by inspections (the plan, 1)."
    )
    coal_conversion: CoalConversion | None = Field(
        None, description="Conversion of the remaining coal households (the plan, 1)."
    )
