"""VOC measures (the plan's measure 3): treatment retrofits, carbon inspections, low-VOC materials.

Every measure acts on the industrial sources' ledger streams (see :mod:`sim.sources.industrial`):

``voc_retrofit``
    Each project waits for a contractor (a :class:`simpy.Resource`), is built for a drawn time,
    may stop production (``industrial.<name>.operating``) during its final tie-in, and at
    commissioning raises ``capture_efficiency`` / ``removal_efficiency``. A project that slips
    slips its benefit.
``voc_inspection``
    Activated-carbon beds lose removal as the carbon saturates (piecewise constant, written at the
    decay events) down to the group's configured, saturated value; inspection rounds, more often
    in the ozone season, find degraded beds and get the carbon replaced.
``low_voc_coatings``
    ``voc_content_factor`` falls at a linear monthly pace as low-VOC materials are adopted.
``high_voc_restriction``
    Blocks new high-VOC projects; they are not in the baseline, so no stream changes (avoided
    growth is recorded as events and a progress series).

Annual VOC (kg) of a group = use × content × factor × operating × (1 − capture × removal)
(DOMAIN.md §5: carbon < 80 %, catalytic combustion / RTO > 90 %).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.policies.base import (
    Process,
    adoption_steps_h,
    book_fixed_costs,
    book_operating_costs,
    end_hour,
    is_active,
    progress_stream,
    record_cost,
    start_hour,
)
from sim.policies.carbon_beds import (
    CarbonBeds,
    declare_progress,
    industrial_sources,
    inspection_times_h,
    register_inspection,
    saturation_removal,
)
from sim.provenance import acting
from sim.scenario.distributions import draw
from sim.scenario.vocabulary import HOURS_PER_YEAR

if TYPE_CHECKING:
    from sim.context import ProcessContext
    from sim.scenario.sections.policies_voc import (
        HighVocRestriction,
        LowVocCoatings,
        RetrofitProject,
        VocRetrofit,
    )
    from sim.sources.industrial import IndustrialSources

__all__ = [
    "FAMILY",
    "MEASURES",
    "adoption_steps_h",
    "book_fixed_costs",
    "book_operating_costs",
    "end_hour",
    "inspection_times_h",
    "is_active",
    "register",
    "saturation_removal",
]

FAMILY = "voc"
MEASURES: tuple[str, ...] = (
    "voc_retrofit",
    "voc_inspection",
    "low_voc_coatings",
    "high_voc_restriction",
)


# -- registration ------------------------------------------------------------------------------
def register(ctx: ProcessContext) -> None:
    """Register the processes of every enabled VOC measure."""
    pol = ctx.scenario.policies
    beds = CarbonBeds()
    if is_active(pol.voc_retrofit):
        assert pol.voc_retrofit is not None
        with acting(ctx, "voc_retrofit"):
            _register_retrofit(ctx, pol.voc_retrofit, beds)
    if is_active(pol.voc_inspection):
        assert pol.voc_inspection is not None
        with acting(ctx, "voc_inspection"):
            register_inspection(ctx, pol.voc_inspection, beds)
    if is_active(pol.low_voc_coatings):
        assert pol.low_voc_coatings is not None
        with acting(ctx, "low_voc_coatings"):
            _register_low_voc(ctx, pol.low_voc_coatings)
    if is_active(pol.high_voc_restriction):
        assert pol.high_voc_restriction is not None
        with acting(ctx, "high_voc_restriction"):
            _register_restriction(ctx, pol.high_voc_restriction)


# -- voc_retrofit ------------------------------------------------------------------------------
def _register_retrofit(ctx: ProcessContext, cfg: VocRetrofit, beds: CarbonBeds) -> None:
    measure = "voc_retrofit"
    src = industrial_sources(ctx, measure, [p.enterprise for p in cfg.projects])
    done = declare_progress(ctx, measure, "commissioned", "projects", "retrofits commissioned")
    works = declare_progress(ctx, measure, "under_works", "projects", "retrofits under works")
    book_fixed_costs(ctx, measure, cfg)
    rng = ctx.rng(measure)
    contractor = simpy.Resource(ctx.env, capacity=cfg.contractors)
    t0 = start_hour(ctx, cfg.start)
    for project in cfg.projects:
        delay_d = max(0.0, float(draw(project.procurement_delay_days, rng)))
        build_d = max(0.0, float(draw(project.design_build_days, rng)))
        shutdown_d = min(build_d, max(0.0, float(draw(project.shutdown_days, rng))))
        ready = t0 if project.ready is None else max(t0, start_hour(ctx, project.ready))
        ctx.env.process(
            _retrofit(
                ctx,
                src,
                project,
                contractor,
                beds,
                ready + delay_d * 24.0,
                build_d * 24.0,
                shutdown_d * 24.0,
                (done, works),
            )
        )


def _retrofit(
    ctx: ProcessContext,
    src: IndustrialSources,
    project: RetrofitProject,
    contractor: simpy.Resource,
    beds: CarbonBeds,
    queued_h: float,
    build_h: float,
    shutdown_h: float,
    progress: tuple[str, str],
) -> Process:
    """One project: queue for a contractor, build, stop production for the tie-in, commission."""
    env, ledger, measure = ctx.env, ctx.ledger, "voc_retrofit"
    done, works = progress
    streams = src.streams_for(project.enterprise)
    if queued_h >= ctx.calendar.n_hours:
        return
    if queued_h > env.now:
        yield env.timeout(queued_h - env.now)
    ledger.record(env.now, measure, "queued", project.name)
    with contractor.request() as request:
        yield request
        ledger.record(env.now, measure, "works_started", project.name, build_h=build_h)
        ledger.add(env.now, works, 1.0)
        if project.capital_cost_cny > 0.0:
            record_cost(
                ctx, env.now, measure, capital_cny=project.capital_cost_cny, subject=project.name
            )
        yield env.timeout(build_h - shutdown_h)
        if shutdown_h > 0.0:
            before = float(ledger.current(streams.operating))
            ledger.set(env.now, streams.operating, 0.0)
            ledger.record(
                env.now, measure, "production_stopped", project.name, duration_h=shutdown_h
            )
            yield env.timeout(shutdown_h)
            ledger.set(env.now, streams.operating, before)
        capture = float(ledger.current(streams.capture_efficiency))
        removal = float(ledger.current(streams.removal_efficiency))
        if project.new_capture_efficiency is not None:
            capture = max(capture, project.new_capture_efficiency)
            ledger.set(env.now, streams.capture_efficiency, capture)
        removal = max(removal, project.new_removal_efficiency)
        ledger.set(env.now, streams.removal_efficiency, removal)
        beds.retrofitted.add(project.enterprise)
        ledger.add(env.now, works, -1.0)
        ledger.add(env.now, done, 1.0)
        ledger.record(
            env.now,
            measure,
            "commissioned",
            project.name,
            capture_efficiency=capture,
            removal_efficiency=removal,
        )
    env.process(
        book_operating_costs(
            ctx,
            measure,
            project.operating_cost_cny_per_year,
            env.now,
            float(ctx.calendar.n_hours),
            project.name,
        )
    )


# -- low_voc_coatings --------------------------------------------------------------------------
def _register_low_voc(ctx: ProcessContext, cfg: LowVocCoatings) -> None:
    measure = "low_voc_coatings"
    src = industrial_sources(ctx, measure, [s.enterprise for s in cfg.substitutions])
    declare_progress(ctx, measure, "adopted_share", "1", "mean adopted share of low-VOC material")
    book_fixed_costs(ctx, measure, cfg)
    rng = ctx.rng(measure)
    factors: dict[str, dict[str, float]] = {}
    t0 = start_hour(ctx, cfg.start)
    for sub in cfg.substitutions:
        ratio = float(np.clip(draw(sub.content_ratio, rng), 0.0, 1.0))
        factors.setdefault(sub.enterprise, {})[sub.name] = 1.0
        steps = adoption_steps_h(t0, max(t0, ctx.calendar.hours_since_start(sub.adopted_by)))
        ctx.env.process(
            _adopt(
                ctx,
                src,
                sub.name,
                sub.enterprise,
                ratio,
                sub.adoption_share,
                sub.cost_cny_per_year,
                steps,
                factors,
                len(cfg.substitutions),
            )
        )


def _adopt(
    ctx: ProcessContext,
    src: IndustrialSources,
    name: str,
    enterprise: str,
    ratio: float,
    share: float,
    cost_cny_per_year: float,
    steps: list[float],
    factors: dict[str, dict[str, float]],
    n_substitutions: int,
) -> Process:
    """Adopt low-VOC material in equal steps; the group's factor is the product of its entries."""
    env, ledger, measure = ctx.env, ctx.ledger, "low_voc_coatings"
    stream = src.streams_for(enterprise).voc_content_factor
    progress = progress_stream(measure, "adopted_share")
    n_hours = float(ctx.calendar.n_hours)
    for k, t in enumerate(steps, start=1):
        if t >= n_hours:
            return
        if t > env.now:
            yield env.timeout(t - env.now)
        adopted = share * k / len(steps)
        factors[enterprise][name] = 1.0 - adopted * (1.0 - ratio)
        value = float(np.prod(list(factors[enterprise].values())))
        ledger.set(env.now, stream, value)
        ledger.add(env.now, progress, share / len(steps) / n_substitutions)
        ledger.record(
            env.now, measure, "adopted", name, adopted_share=adopted, voc_content_factor=value
        )
        until = steps[k] if k < len(steps) else n_hours
        cost = cost_cny_per_year * (k / len(steps)) * (min(until, n_hours) - env.now)
        if cost > 0.0:
            record_cost(ctx, env.now, measure, operating_cny=cost / HOURS_PER_YEAR, subject=name)


# -- high_voc_restriction ----------------------------------------------------------------------
def _register_restriction(ctx: ProcessContext, cfg: HighVocRestriction) -> None:
    measure = "high_voc_restriction"
    blocked = declare_progress(ctx, measure, "blocked", "projects", "high-VOC projects blocked")
    avoided = declare_progress(ctx, measure, "avoided_voc_t", "t", "VOC avoided in the run")
    book_fixed_costs(ctx, measure, cfg)
    rng = ctx.rng(measure)
    p_block = float(np.clip(draw(cfg.block_probability, rng), 0.0, 1.0))
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg)
    for project in cfg.projects:
        u = float(rng.random())
        t = ctx.calendar.hours_since_start(project.arrival)
        if t0 <= t < t1:
            ctx.env.process(
                _arrive(ctx, project.name, project.voc_t_yr, t, u < p_block, (blocked, avoided))
            )


def _arrive(
    ctx: ProcessContext,
    name: str,
    voc_t_yr: float,
    t_h: float,
    block: bool,
    progress: tuple[str, str],
) -> Process:
    env, measure = ctx.env, "high_voc_restriction"
    if t_h > env.now:
        yield env.timeout(t_h - env.now)
    avoided_t = voc_t_yr * (ctx.calendar.n_hours - env.now) / HOURS_PER_YEAR
    if block:
        ctx.ledger.add(env.now, progress[0], 1.0)
        ctx.ledger.add(env.now, progress[1], avoided_t)
        ctx.ledger.record(env.now, measure, "blocked", name, avoided_voc_t=avoided_t)
    else:
        ctx.ledger.record(env.now, measure, "approved", name, voc_t=avoided_t)
