"""Soil measures: construction land changing to housing or public use is surveyed, reviewed and
controlled before it is developed (the plan's measure 9, "100 % safe use").

Plots arrive as a Poisson process. Each one queues for a survey team and then for a review panel
(``simpy.Resource``\\s of limited capacity); a contaminated plot then needs risk control or
remediation. The developer plans to start building ``development_lead_days`` after the change of
use: if the plot is not cleared by then, the developer waits with probability
``hold_compliance``; otherwise the plot is developed unsafely and counts against safe use.

Ledger: streams ``progress.construction_land.<what>`` (plots arrived, surveyed, cleared, developed
safely / unsafely, waiting for a survey) and events of process ``construction_land``
(``arrived``, ``surveyed``, ``reviewed``, ``controlled``, ``developed``) with their waits in hours.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from sim.ledger import Ledger
from sim.policies.base import progress_stream, record_cost, start_hour
from sim.scenario.distributions import draw
from sim.scenario.sections.policies_soil import CONSTRUCTION_LAND
from sim.scenario.vocabulary import HOURS_PER_YEAR

if TYPE_CHECKING:
    from sim.context import ProcessContext
    from sim.scenario.sections.policies_soil import ConstructionLand

__all__ = [
    "FAMILY",
    "MEASURE",
    "MEASURES",
    "PROGRESS",
    "PlotRules",
    "QueueStats",
    "declare_streams",
    "plot_arrivals",
    "plot_workflow",
    "register",
]

FAMILY = "soil"
MEASURE = CONSTRUCTION_LAND
MEASURES: tuple[str, ...] = (MEASURE,)
HOURS_PER_DAY = 24.0
Proc = Generator[Any, Any, None]
Sampler = Callable[[], float]

#: Progress streams: (what, unit, long name).
PROGRESS: tuple[tuple[str, str, str], ...] = (
    ("plots_arrived", "plots", "plots whose use changed to housing or public use"),
    ("plots_surveyed", "plots", "plots whose soil survey is finished"),
    ("plots_cleared", "plots", "plots reviewed and, if contaminated, controlled"),
    ("plots_developed_safe", "plots", "plots developed after clearance"),
    ("plots_developed_unsafe", "plots", "plots developed before clearance"),
    ("survey_queue", "plots", "plots waiting for a survey team"),
)


@dataclass(frozen=True)
class PlotRules:
    """How one plot's steps are drawn: durations in hours, and two yes/no draws."""

    survey_h: Sampler
    review_h: Sampler
    control_h: Sampler
    lead_h: Sampler
    contaminated: Callable[[], bool]
    complies: Callable[[], bool]


@dataclass
class QueueStats:
    """Waits (hours) and counts collected while the processes run."""

    survey_wait_h: list[float] = field(default_factory=list)
    review_wait_h: list[float] = field(default_factory=list)
    arrived: int = 0
    cleared: int = 0
    developed_safe: int = 0
    developed_unsafe: int = 0


def declare_streams(ledger: Ledger) -> None:
    """Declare the measure's progress streams (all start at 0)."""
    for what, unit, long in PROGRESS:
        ledger.declare(progress_stream(MEASURE, what), 0.0, unit=unit, long_name=long)


def _step(ledger: Ledger | None, now: float, what: str, delta: float = 1.0) -> None:
    if ledger is not None:
        ledger.add(now, progress_stream(MEASURE, what), delta)


def _record(ledger: Ledger | None, now: float, kind: str, plot: str, **quantities: float) -> None:
    if ledger is not None:
        ledger.record(now, MEASURE, kind, plot, **quantities)


def _clearance(
    env: simpy.Environment,
    name: str,
    survey: simpy.Resource,
    review: simpy.Resource,
    rules: PlotRules,
    ledger: Ledger | None,
    stats: QueueStats,
    on_cost: Callable[[float, str, str], None] | None,
) -> Proc:
    asked = env.now
    _step(ledger, env.now, "survey_queue")
    with survey.request() as req:
        yield req
        wait = env.now - asked
        stats.survey_wait_h.append(wait)
        _step(ledger, env.now, "survey_queue", -1.0)
        if on_cost is not None:
            on_cost(env.now, name, "survey")
        yield env.timeout(max(0.0, rules.survey_h()))
    contaminated = rules.contaminated()
    _step(ledger, env.now, "plots_surveyed")
    _record(ledger, env.now, "surveyed", name, wait_h=wait, contaminated=contaminated)
    asked = env.now
    with review.request() as req:
        yield req
        wait = env.now - asked
        stats.review_wait_h.append(wait)
        yield env.timeout(max(0.0, rules.review_h()))
    _record(ledger, env.now, "reviewed", name, wait_h=wait)
    if contaminated:
        if on_cost is not None:
            on_cost(env.now, name, "control")
        yield env.timeout(max(0.0, rules.control_h()))
        _record(ledger, env.now, "controlled", name)
    stats.cleared += 1
    _step(ledger, env.now, "plots_cleared")


def plot_workflow(
    env: simpy.Environment,
    name: str,
    survey: simpy.Resource,
    review: simpy.Resource,
    rules: PlotRules,
    ledger: Ledger | None,
    stats: QueueStats,
    on_cost: Callable[[float, str, str], None] | None = None,
) -> Proc:
    """One plot from its change of use to its development (safe or not).

    ``ledger`` None keeps only ``stats`` (a bare queueing run, as in the M/M/c test).
    """
    arrived = env.now
    stats.arrived += 1
    _step(ledger, env.now, "plots_arrived")
    _record(ledger, env.now, "arrived", name)
    done = env.process(_clearance(env, name, survey, review, rules, ledger, stats, on_cost))
    lead = max(0.0, rules.lead_h())
    planned = env.timeout(lead)
    yield done | planned
    if done.processed:
        if not planned.processed:
            yield planned
        safe = True
    elif rules.complies():
        yield done
        safe = True
    else:
        safe = False
    if safe:
        stats.developed_safe += 1
    else:
        stats.developed_unsafe += 1
    _step(ledger, env.now, "plots_developed_safe" if safe else "plots_developed_unsafe")
    _record(ledger, env.now, "developed", name, safe=float(safe), delay_h=env.now - arrived - lead)


def plot_arrivals(
    env: simpy.Environment,
    rate_per_h: float,
    until_h: float,
    interarrival: Callable[[float], float],
    start_plot: Callable[[int], None],
) -> Proc:
    """Poisson arrivals of plots until ``until_h``; ``interarrival(mean_h)`` draws a gap."""
    if rate_per_h <= 0:
        return
    k = 0
    while True:
        gap = interarrival(1.0 / rate_per_h)
        if env.now + gap >= until_h:
            return
        yield env.timeout(gap)
        start_plot(k)
        k += 1


def _rules(
    cfg: ConstructionLand, rng: np.random.Generator, share: float, comply: float
) -> PlotRules:
    def hours(x: Any) -> Sampler:
        return lambda: float(draw(x, rng)) * HOURS_PER_DAY

    return PlotRules(
        survey_h=hours(cfg.survey_days),
        review_h=hours(cfg.review_days),
        control_h=hours(cfg.control_days),
        lead_h=hours(cfg.development_lead_days),
        contaminated=lambda: bool(rng.random() < share),
        complies=lambda: bool(rng.random() < comply),
    )


def register(ctx: ProcessContext) -> None:
    """Register the construction-land process when the measure is enabled."""
    cfg = ctx.scenario.policies.construction_land
    if cfg is None or not cfg.enabled:
        return
    declare_streams(ctx.ledger)
    rng = ctx.rng(MEASURE)
    share = float(np.clip(draw(cfg.contaminated_share, rng), 0.0, 1.0))
    comply = float(np.clip(draw(cfg.hold_compliance, rng), 0.0, 1.0))
    env = ctx.env
    survey = simpy.Resource(env, capacity=cfg.survey_teams)
    review = simpy.Resource(env, capacity=cfg.review_panels)
    stats = QueueStats()
    t0 = start_hour(ctx, cfg.start)
    t1 = float(ctx.calendar.n_hours)
    if cfg.end is not None:
        t1 = min(t1, ctx.calendar.hours_since_start(cfg.end))
    arrivals_rng = ctx.rng(f"{MEASURE}.arrivals")

    def on_cost(now: float, plot: str, step: str) -> None:
        amount = cfg.cost_cny_per_survey if step == "survey" else cfg.cost_cny_per_control
        if amount > 0:
            record_cost(ctx, now, MEASURE, capital_cny=amount, subject=plot)

    def start_plot(k: int) -> None:
        rules = _rules(cfg, ctx.rng(f"{MEASURE}.plot{k}"), share, comply)
        env.process(
            plot_workflow(env, f"plot{k:03d}", survey, review, rules, ctx.ledger, stats, on_cost)
        )

    def delayed() -> Proc:
        yield env.timeout(t0)
        yield from plot_arrivals(
            env,
            cfg.plots_per_year / HOURS_PER_YEAR,
            t1,
            lambda mean: float(arrivals_rng.exponential(mean)),
            start_plot,
        )

    env.process(delayed())
