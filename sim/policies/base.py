"""What every measure shares: when it acts, what it costs, how its progress is tracked.

Measures record costs as ledger events (``kind="cost"``, quantities ``capital_cny`` and
``operating_cny``) and progress as ledger streams named ``progress.<measure>.<what>``, so that the
weekly dispatch and the attribution read them back without knowing the measure.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, model_validator

from sim.scenario.base import Section
from sim.scenario.quantity import Q

if TYPE_CHECKING:
    from sim.engine import ProcessContext

__all__ = ["MeasureConfig", "progress_stream", "record_cost", "start_hour"]


class MeasureConfig(Section):
    """Fields common to every measure: on/off, dates and costs (CNY)."""

    enabled: bool = Field(True, description="Whether the measure acts in this run.")
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


def start_hour(ctx: ProcessContext, when: date | datetime) -> float:
    """Hours from the run's start to ``when``, clipped at 0."""
    return max(0.0, ctx.calendar.hours_since_start(when))


def progress_stream(measure: str, what: str) -> str:
    """Name of the ledger stream tracking ``what`` for ``measure`` (e.g. vehicles retired)."""
    return f"progress.{measure}.{what}"


def record_cost(
    ctx: ProcessContext,
    time_h: float,
    measure: str,
    *,
    capital_cny: float = 0.0,
    operating_cny: float = 0.0,
    subject: str = "",
) -> None:
    """Book a cost of ``measure`` in the ledger."""
    if capital_cny < 0 or operating_cny < 0:
        raise ValueError(f"costs must be >= 0 (capital={capital_cny}, operating={operating_cny}).")
    ctx.ledger.record(
        time_h, measure, "cost", subject, capital_cny=capital_cny, operating_cny=operating_cny
    )
