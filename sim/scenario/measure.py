"""What every measure's configuration shares: on/off, dates and costs.

Each policy family's section (``sim/scenario/sections/policies_*.py``) derives its measures from
:class:`MeasureConfig`; the processes that carry the measures out live in ``sim/policies/``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from sim.scenario.base import Section
from sim.scenario.quantity import Q

__all__ = ["MeasureConfig"]


class MeasureConfig(Section):
    """Fields common to every measure: on/off, dates and costs (CNY)."""

    enabled: bool = Field(True, description="Whether the measure acts in this run.")
    source: str | None = Field(
        None,
        description="Where this measure's plain numbers come from, or 'assumed: <reason>'.",
    )
    start: date = Field(date(2024, 1, 1), description="First day the measure acts.")
    end: date | None = Field(
        None, description="Last day it acts (exclusive); none: to the run's end."
    )
    capital_cost_cny: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="One-off cost of the whole measure, CNY (booked when it starts)."
    )
    operating_cost_cny_per_year: Annotated[float, Q("CNY/yr")] = Field(
        0.0, ge=0, description="Running cost, CNY per year while active (booked pro rata)."
    )

    @model_validator(mode="after")
    def _dates(self) -> MeasureConfig:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self
