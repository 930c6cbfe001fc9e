"""What every measure shares: when it acts, what it costs, how its progress is tracked.

Measures record costs as ledger events (``kind="cost"``, quantities ``capital_cny`` and
``operating_cny``) and progress as ledger streams named ``progress.<measure>.<what>``, so that the
weekly dispatch and the attribution read them back without knowing the measure.
"""

from __future__ import annotations

import itertools
from collections.abc import Generator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from sim.errors import ScenarioError
from sim.ledger import progress_stream
from sim.scenario.measure import MeasureConfig
from sim.scenario.vocabulary import HOURS_PER_MONTH, HOURS_PER_YEAR

if TYPE_CHECKING:
    from sim.context import ProcessContext

__all__ = [
    "Process",
    "adoption_steps_h",
    "book_fixed_costs",
    "book_operating_costs",
    "end_hour",
    "is_active",
    "monthly_times",
    "progress_stream",
    "record_cost",
    "source_category",
    "start_hour",
]


#: A SimPy process generator.
Process = Generator[Any, Any, None]

S = TypeVar("S")


def start_hour(ctx: ProcessContext, when: date | datetime) -> float:
    """Hours from the run's start to ``when``, clipped at 0."""
    return max(0.0, ctx.calendar.hours_since_start(when))


def record_cost(
    ctx: ProcessContext,
    time_h: float,
    measure: str,
    *,
    capital_cny: float = 0.0,
    operating_cny: float = 0.0,
    subject: str = "",
    transfer_cny: float = 0.0,
) -> None:
    """Book a cost of ``measure`` in the ledger.

    ``capital_cny`` and ``operating_cny`` are resource costs; ``transfer_cny`` is money moved
    between parties (a subsidy, a fine), which :mod:`sim.costs` keeps out of the resource cost.
    """
    if capital_cny < 0 or operating_cny < 0 or transfer_cny < 0:
        raise ValueError(
            f"costs must be >= 0 (capital={capital_cny}, operating={operating_cny}, "
            f"transfer={transfer_cny})."
        )
    amounts = {"capital_cny": capital_cny, "operating_cny": operating_cny}
    if transfer_cny:
        amounts["transfer_cny"] = transfer_cny
    ctx.ledger.record(time_h, measure, "cost", subject, **amounts)


def is_active(cfg: MeasureConfig | None) -> bool:
    """Whether a measure is configured and enabled."""
    return cfg is not None and cfg.enabled


def end_hour(ctx: ProcessContext, cfg: MeasureConfig) -> float:
    """Hour at which a measure's activity stops: its ``end`` or the run's end."""
    n = float(ctx.calendar.n_hours)
    return n if cfg.end is None else min(n, max(0.0, ctx.calendar.hours_since_start(cfg.end)))


def monthly_times(
    ctx: ProcessContext, cfg: MeasureConfig, until_h: float | None = None
) -> list[float]:
    """The measure's start, then the first hour of every later month, before ``until_h``."""
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg) if until_h is None else until_h
    firsts = pd.date_range(ctx.calendar.start, ctx.calendar.end, freq="MS")
    later = ((firsts - pd.Timestamp(ctx.calendar.start)) / pd.Timedelta(hours=1)).tolist()
    return [t for t in [t0, *(h for h in later if h > t0)] if t < t1]


def adoption_steps_h(start_h: float, by_h: float) -> list[float]:
    """Times of monthly adoption steps: ``n = round(months)`` equal steps ending at ``by_h``."""
    if by_h <= start_h:
        return [start_h]
    n = max(1, round((by_h - start_h) / HOURS_PER_MONTH))
    return [start_h + k * (by_h - start_h) / n for k in range(1, n + 1)]


def book_operating_costs(
    ctx: ProcessContext,
    measure: str,
    cny_per_year: float,
    from_h: float,
    to_h: float,
    subject: str = "",
    *,
    transfer: bool = False,
) -> Process:
    """Process: book ``cny_per_year`` pro rata, one cost event at the start of each month.

    ``transfer``: the money is a transfer (a running subsidy), booked as ``transfer_cny``.
    """
    env = ctx.env
    if cny_per_year <= 0.0 or to_h <= from_h:
        return
    months = np.asarray(ctx.calendar.month)
    month_starts = (np.flatnonzero(np.diff(months) != 0) + 1).astype(float)
    bounds = [from_h, *[b for b in month_starts if from_h < b < to_h], to_h]
    for lo, hi in itertools.pairwise(bounds):
        if lo > env.now:
            yield env.timeout(lo - env.now)
        cost = cny_per_year * (hi - lo) / HOURS_PER_YEAR
        if transfer:
            record_cost(ctx, env.now, measure, transfer_cny=cost, subject=subject)
        else:
            record_cost(ctx, env.now, measure, operating_cny=cost, subject=subject)


def _capital_at(
    ctx: ProcessContext, measure: str, t_h: float, cny: float, subject: str = ""
) -> Process:
    if t_h > ctx.env.now:
        yield ctx.env.timeout(t_h - ctx.env.now)
    record_cost(ctx, ctx.env.now, measure, capital_cny=cny, subject=subject)


def book_fixed_costs(ctx: ProcessContext, measure: str, cfg: MeasureConfig) -> None:
    """Book a measure's ``capital_cost_cny`` at its start and its running cost month by month."""
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg)
    if t0 >= t1:
        return
    if cfg.capital_cost_cny > 0.0:
        ctx.env.process(_capital_at(ctx, measure, t0, cfg.capital_cost_cny))
    ctx.env.process(book_operating_costs(ctx, measure, cfg.operating_cost_cny_per_year, t0, t1))


def source_category(ctx: ProcessContext, sector: str, kind: type[S], measure: str) -> S:
    """The run's ``sector`` source category, which ``measure`` acts on.

    Raises
    ------
    ScenarioError
        When the scenario has no such category (``policies.<measure>: needs sources.<sector>``).
    """
    src = ctx.sources.get(sector)
    if not isinstance(src, kind):
        raise ScenarioError(f"policies.{measure}: needs sources.{sector}, which is absent")
    return src
