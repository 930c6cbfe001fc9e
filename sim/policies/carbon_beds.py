"""Activated-carbon beds of the VOC family: saturation, inspection rounds, carbon replacement.

A bed's removal falls in equal steps as the carbon saturates over its life (piecewise constant,
written at the decay events, never hourly) down to the group's configured saturated value;
inspection rounds, more often in the ozone season (May-Sep, the plan's measure 3), find degraded
beds and get the carbon replaced. Also the helpers every VOC measure shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.calendar import OZONE_MONTHS
from sim.errors import ScenarioError
from sim.policies.base import (
    Process,
    book_fixed_costs,
    end_hour,
    progress_stream,
    record_cost,
    source_category,
    start_hour,
)
from sim.scenario.distributions import draw

if TYPE_CHECKING:
    from sim.context import ProcessContext
    from sim.scenario.sections.policies_voc import VocInspection
    from sim.sources.industrial import IndustrialSources

__all__ = ["CarbonBeds", "declare_progress", "industrial_sources", "inspection_times_h",
           "register_inspection", "saturation_removal"]  # fmt: skip


def industrial_sources(ctx: ProcessContext, measure: str, names: list[str]) -> IndustrialSources:
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


def declare_progress(ctx: ProcessContext, measure: str, what: str, unit: str, long: str) -> str:
    name = progress_stream(measure, what)
    ctx.ledger.declare(name, 0.0, unit=unit, long_name=long)
    return name


@dataclass
class CarbonBeds:
    """Shared state of the VOC measures: which groups were retrofitted, how saturated beds are."""

    retrofitted: set[str] = field(default_factory=set)
    generation: dict[str, int] = field(default_factory=dict)
    level: dict[str, int] = field(default_factory=dict)
    pending: set[str] = field(default_factory=set)


# -- voc_inspection ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Bed:
    enterprise: str
    stream: str
    fresh: float
    saturated: float
    step_h: float
    steps: int


def register_inspection(ctx: ProcessContext, cfg: VocInspection, beds: CarbonBeds) -> None:
    measure = "voc_inspection"
    src = industrial_sources(ctx, measure, list(cfg.enterprises))
    rounds = declare_progress(ctx, measure, "rounds", "rounds", "inspection rounds")
    found = declare_progress(ctx, measure, "findings", "units", "saturated beds found")
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
    beds: CarbonBeds,
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
    ctx: ProcessContext, cfg: VocInspection, bed: _Bed, beds: CarbonBeds, n_enterprises: float
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


def _saturate(ctx: ProcessContext, bed: _Bed, beds: CarbonBeds, generation: int) -> Process:
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
