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

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.calendar import OZONE_MONTHS
from sim.errors import ScenarioError
from sim.policies.base import (
    HOURS_PER_YEAR,
    Process,
    adoption_steps_h,
    book_fixed_costs,
    book_operating_costs,
    end_hour,
    is_active,
    progress_stream,
    record_cost,
    source_category,
    start_hour,
)
from sim.scenario.distributions import draw

if TYPE_CHECKING:
    from sim.engine import ProcessContext
    from sim.scenario.sections.policies_voc import (
        HighVocRestriction,
        LowVocCoatings,
        RetrofitProject,
        VocInspection,
        VocRetrofit,
    )
    from sim.sources.industrial import IndustrialSources

__all__ = [
    "FAMILY",
    "HOURS_PER_YEAR",
    "MEASURES",
    "book_fixed_costs",
    "book_operating_costs",
    "end_hour",
    "is_active",
    "register",
]

FAMILY = "voc"
MEASURES: tuple[str, ...] = (
    "voc_retrofit",
    "voc_inspection",
    "low_voc_coatings",
    "high_voc_restriction",
)


def _industrial(ctx: ProcessContext, measure: str, names: list[str]) -> IndustrialSources:
    """The industrial sources, checking that every named enterprise group exists."""
    from sim.sources.industrial import IndustrialSources

    src = source_category(ctx, "industrial", IndustrialSources, measure)
    unknown = sorted(set(names) - set(src.enterprise_names))
    if unknown:
        raise ScenarioError(
            f"policies.{measure}: unknown enterprise groups {unknown}; "
            f"have {list(src.enterprise_names)}"
        )
    return src


def _declare_progress(ctx: ProcessContext, measure: str, what: str, unit: str, long: str) -> str:
    name = progress_stream(measure, what)
    ctx.ledger.declare(name, 0.0, unit=unit, long_name=long)
    return name


@dataclass
class _CarbonBeds:
    """Shared state of the VOC measures: which groups were retrofitted, how saturated beds are."""

    retrofitted: set[str] = field(default_factory=set)
    generation: dict[str, int] = field(default_factory=dict)
    level: dict[str, int] = field(default_factory=dict)
    pending: set[str] = field(default_factory=set)


# -- registration ------------------------------------------------------------------------------
def register(ctx: ProcessContext) -> None:
    """Register the processes of every enabled VOC measure."""
    pol = ctx.scenario.policies
    beds = _CarbonBeds()
    if is_active(pol.voc_retrofit):
        assert pol.voc_retrofit is not None
        _register_retrofit(ctx, pol.voc_retrofit, beds)
    if is_active(pol.voc_inspection):
        assert pol.voc_inspection is not None
        _register_inspection(ctx, pol.voc_inspection, beds)
    if is_active(pol.low_voc_coatings):
        assert pol.low_voc_coatings is not None
        _register_low_voc(ctx, pol.low_voc_coatings)
    if is_active(pol.high_voc_restriction):
        assert pol.high_voc_restriction is not None
        _register_restriction(ctx, pol.high_voc_restriction)


# -- voc_retrofit ------------------------------------------------------------------------------
def _register_retrofit(ctx: ProcessContext, cfg: VocRetrofit, beds: _CarbonBeds) -> None:
    measure = "voc_retrofit"
    src = _industrial(ctx, measure, [p.enterprise for p in cfg.projects])
    done = _declare_progress(ctx, measure, "commissioned", "projects", "retrofits commissioned")
    works = _declare_progress(ctx, measure, "under_works", "projects", "retrofits under works")
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
    beds: _CarbonBeds,
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


# -- voc_inspection ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Bed:
    enterprise: str
    stream: str
    fresh: float
    saturated: float
    step_h: float
    steps: int


def _register_inspection(ctx: ProcessContext, cfg: VocInspection, beds: _CarbonBeds) -> None:
    measure = "voc_inspection"
    src = _industrial(ctx, measure, list(cfg.enterprises))
    rounds = _declare_progress(ctx, measure, "rounds", "rounds", "inspection rounds")
    found = _declare_progress(ctx, measure, "findings", "units", "saturated beds found")
    book_fixed_costs(ctx, measure, cfg)
    rng = ctx.rng(measure)
    groups = {g.name: g for g in src.config.enterprises}
    bed_list: list[_Bed] = []
    for name in cfg.enterprises:
        saturated = groups[name].removal_efficiency
        fresh = float(np.clip(draw(cfg.fresh_removal_efficiency, rng), saturated, 1.0))
        life_h = max(1.0, float(draw(cfg.carbon_life_days, rng)) * 24.0)
        bed_list.append(
            _Bed(
                name,
                src.streams_for(name).removal_efficiency,
                fresh,
                saturated,
                life_h / cfg.saturation_steps,
                cfg.saturation_steps,
            )
        )
        beds.level[name] = cfg.saturation_steps
        beds.generation[name] = 0
    p_detect = float(np.clip(draw(cfg.detection_probability, rng), 0.0, 1.0))
    counts = {name: groups[name].enterprises for name in cfg.enterprises}
    ctx.env.process(
        _inspection_rounds(ctx, cfg, bed_list, beds, p_detect, counts, rng, (rounds, found))
    )


def inspection_times_h(
    ctx: ProcessContext, start_h: float, end_h: float, interval_d: float, ozone_interval_d: float
) -> list[float]:
    """Inspection round times: every ``ozone_interval_d`` days in May-Sep, else ``interval_d``."""
    months = np.asarray(ctx.calendar.month)
    out: list[float] = []
    t = start_h
    while t < end_h:
        out.append(t)
        ozone = int(months[min(int(t), len(months) - 1)]) in OZONE_MONTHS
        t += 24.0 * (ozone_interval_d if ozone else interval_d)
    return out


def _inspection_rounds(
    ctx: ProcessContext,
    cfg: VocInspection,
    bed_list: list[_Bed],
    beds: _CarbonBeds,
    p_detect: float,
    counts: dict[str, float],
    rng: np.random.Generator,
    progress: tuple[str, str],
) -> Process:
    env, ledger, measure = ctx.env, ctx.ledger, "voc_inspection"
    rounds, found = progress
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg)
    times = inspection_times_h(ctx, t0, t1, cfg.interval_days, cfg.ozone_season_interval_days)
    for t in times:
        if t > env.now:
            yield env.timeout(t - env.now)
        u = rng.random(len(bed_list))
        ledger.add(env.now, rounds, 1.0)
        n_enterprises = sum(counts.values())
        if cfg.inspection_cost_cny_per_enterprise > 0.0:
            record_cost(
                ctx,
                env.now,
                measure,
                operating_cny=cfg.inspection_cost_cny_per_enterprise * n_enterprises,
            )
        for bed, ub in zip(bed_list, u, strict=True):
            name = bed.enterprise
            if name in beds.retrofitted or name in beds.pending or beds.level[name] == 0:
                continue
            if ub < p_detect:
                beds.pending.add(name)
                ledger.add(env.now, found, 1.0)
                ledger.record(
                    env.now,
                    measure,
                    "found_saturated",
                    name,
                    removal_efficiency=float(ledger.current(bed.stream)),
                )
                env.process(_replace_carbon(ctx, cfg, bed, beds, counts[name]))


def _replace_carbon(
    ctx: ProcessContext, cfg: VocInspection, bed: _Bed, beds: _CarbonBeds, n_enterprises: float
) -> Process:
    env, measure = ctx.env, "voc_inspection"
    yield env.timeout(cfg.replacement_delay_days * 24.0)
    beds.pending.discard(bed.enterprise)
    if bed.enterprise in beds.retrofitted:
        return
    beds.generation[bed.enterprise] += 1
    beds.level[bed.enterprise] = 0
    ctx.ledger.set(env.now, bed.stream, bed.fresh)
    ctx.ledger.record(
        env.now, measure, "carbon_replaced", bed.enterprise, removal_efficiency=bed.fresh
    )
    if cfg.replacement_cost_cny_per_enterprise > 0.0:
        record_cost(
            ctx,
            env.now,
            measure,
            subject=bed.enterprise,
            operating_cny=cfg.replacement_cost_cny_per_enterprise * n_enterprises,
        )
    env.process(_saturate(ctx, bed, beds, beds.generation[bed.enterprise]))


def saturation_removal(fresh: float, saturated: float, step: int, steps: int) -> float:
    """Removal after ``step`` of ``steps`` equal decay steps from ``fresh`` to ``saturated``."""
    return fresh - (fresh - saturated) * min(step, steps) / steps


def _saturate(ctx: ProcessContext, bed: _Bed, beds: _CarbonBeds, generation: int) -> Process:
    """The bed saturates in equal steps unless replaced again (a new generation) or retrofitted."""
    env = ctx.env
    for step in range(1, bed.steps + 1):
        yield env.timeout(bed.step_h)
        if beds.generation[bed.enterprise] != generation or bed.enterprise in beds.retrofitted:
            return
        beds.level[bed.enterprise] = step
        value = saturation_removal(bed.fresh, bed.saturated, step, bed.steps)
        ctx.ledger.set(env.now, bed.stream, value)
        ctx.ledger.record(
            env.now, "voc_inspection", "carbon_saturating", bed.enterprise, removal_efficiency=value
        )


# -- low_voc_coatings --------------------------------------------------------------------------
def _register_low_voc(ctx: ProcessContext, cfg: LowVocCoatings) -> None:
    measure = "low_voc_coatings"
    src = _industrial(ctx, measure, [s.enterprise for s in cfg.substitutions])
    _declare_progress(ctx, measure, "adopted_share", "1", "mean adopted share of low-VOC material")
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
    blocked = _declare_progress(ctx, measure, "blocked", "projects", "high-VOC projects blocked")
    avoided = _declare_progress(ctx, measure, "avoided_voc_t", "t", "VOC avoided in the run")
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
