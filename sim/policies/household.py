"""Household measures (the plan's measure 5): restaurant fume purifiers and restaurant siting.

``restaurant_fumes`` acts on ``household.restaurants.purifier_share`` and
``household.restaurants.removal_efficiency`` (vectors over size classes, see
:mod:`sim.sources.household`). Per size class the purifiers are of two kinds: the existing ones
(share ``o``, removal ``r``, as configured in the sources) and new ones (share ``n``, removal
``e(t)``). The streams hold ``o + n`` and ``(o r + n e) / (o + n)``, so PM2.5 ∝
``1 - o r - n e``. New purifiers foul in discrete steps,
``e_k = r + (e0 - r)(1 - d)^k`` after ``k`` steps since the last cleaning, and cleaning restores
``e0``; as ``e >= r`` always, the measure never raises emissions.

``restaurant_siting`` blocks new restaurants in residential buildings; these are not in the
baseline, so it changes no stream and records the avoided openings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.errors import ScenarioError
from sim.policies.base import (
    Process,
    adoption_steps_h,
    book_fixed_costs,
    end_hour,
    is_active,
    progress_stream,
    record_cost,
    source_category,
    start_hour,
)
from sim.provenance import acting
from sim.scenario.distributions import draw
from sim.scenario.vocabulary import HOURS_PER_YEAR

if TYPE_CHECKING:
    from sim.context import ProcessContext
    from sim.scenario.sections.policies_household import RestaurantFumes, RestaurantSiting
    from sim.sources.household import HouseholdSources

__all__ = ["FAMILY", "MEASURES", "fouled_removal", "register"]

FAMILY = "household"
MEASURES: tuple[str, ...] = ("restaurant_fumes", "restaurant_siting")


def fouled_removal(clean: float, floor: float, decay_per_step: float, steps: int) -> float:
    """Removal after ``steps`` fouling steps: ``floor + (clean - floor)(1 - d)^steps``."""
    return floor + (clean - floor) * (1.0 - decay_per_step) ** steps


@dataclass
class _Purifiers:
    """Per size class: existing share ``old`` at removal ``floor``, new share ``new`` at ``e``."""

    old: NDArray[np.float64]
    floor: NDArray[np.float64]
    new: NDArray[np.float64]
    clean: NDArray[np.float64]
    steps: int = 0
    generation: int = 0

    def removal_new(self, decay: float) -> NDArray[np.float64]:
        return np.asarray(self.floor + (self.clean - self.floor) * (1.0 - decay) ** self.steps)

    def write(self, ctx: ProcessContext, src: HouseholdSources, decay: float) -> None:
        share = self.old + self.new
        controlled = self.old * self.floor + self.new * self.removal_new(decay)
        removal = np.where(share > 0.0, controlled / np.where(share > 0, share, 1.0), self.floor)
        ctx.ledger.set(ctx.env.now, src.PURIFIER_SHARE_STREAM, share)
        ctx.ledger.set(ctx.env.now, src.REMOVAL_STREAM, removal)


def _household(ctx: ProcessContext, measure: str) -> HouseholdSources:
    from sim.sources.household import HouseholdSources

    return source_category(ctx, "household", HouseholdSources, measure)


def register(ctx: ProcessContext) -> None:
    """Register the processes of every enabled household measure."""
    pol = ctx.scenario.policies
    if is_active(pol.restaurant_fumes):
        assert pol.restaurant_fumes is not None
        with acting(ctx, "restaurant_fumes"):
            _register_fumes(ctx, pol.restaurant_fumes)
    if is_active(pol.restaurant_siting):
        assert pol.restaurant_siting is not None
        with acting(ctx, "restaurant_siting"):
            _register_siting(ctx, pol.restaurant_siting)


# -- restaurant_fumes --------------------------------------------------------------------------
def _register_fumes(ctx: ProcessContext, cfg: RestaurantFumes) -> None:
    measure = "restaurant_fumes"
    src = _household(ctx, measure)
    unknown = sorted({s.name for s in cfg.sizes} - set(src.size_names))
    if unknown:
        raise ScenarioError(f"policies.{measure}.sizes: unknown size classes {unknown}")
    for what, unit, long in (
        ("purifiers_installed", "restaurants", "new purifiers installed to date"),
        ("cleanings", "rounds", "cleaning rounds of the new purifiers"),
    ):
        ctx.ledger.declare(progress_stream(measure, what), 0.0, unit=unit, long_name=long)
    book_fixed_costs(ctx, measure, cfg)
    rng = ctx.rng(measure)
    sizes = src.config.restaurants.sizes
    floor = np.array([s.removal_efficiency for s in sizes], dtype=float)
    clean = floor.copy()
    for target in cfg.sizes:
        i = src.size_index(target.name)
        clean[i] = float(np.clip(draw(target.design_removal_efficiency, rng), floor[i], 1.0))
    decay = float(np.clip(draw(cfg.decay_per_step, rng), 0.0, 1.0))
    state = _Purifiers(
        old=np.array([s.purifier_share for s in sizes], dtype=float),
        floor=floor,
        new=np.zeros(len(sizes)),
        clean=clean,
    )
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg)
    if t0 >= ctx.calendar.n_hours:
        return
    for target in cfg.sizes:
        by_h = max(t0, ctx.calendar.hours_since_start(target.installed_by))
        ctx.env.process(
            _install(
                ctx, src, cfg, state, src.size_index(target.name), adoption_steps_h(t0, by_h), decay
            )
        )
    ctx.env.process(_foul(ctx, src, cfg, state, decay, t0, 0))
    if cfg.cleaning_interval_days is not None:
        ctx.env.process(_clean(ctx, src, cfg, state, decay, t0, t1))


def _install(
    ctx: ProcessContext,
    src: HouseholdSources,
    cfg: RestaurantFumes,
    state: _Purifiers,
    index: int,
    steps: list[float],
    decay: float,
) -> Process:
    """Install new purifiers and replace old ones in equal steps up to the targets."""
    env, measure = ctx.env, "restaurant_fumes"
    target = next(t for t in cfg.sizes if t.name == src.size_names[index])
    count = src.config.restaurants.sizes[index].count
    old0 = float(state.old[index])
    new_total = max(0.0, target.target_purifier_share - old0) + old0 * target.upgrade_share
    for t in steps:
        if t >= ctx.calendar.n_hours:
            return
        if t > env.now:
            yield env.timeout(t - env.now)
        added = new_total / len(steps)
        state.new[index] += added
        state.old[index] -= old0 * target.upgrade_share / len(steps)
        state.write(ctx, src, decay)
        ctx.ledger.add(env.now, progress_stream(measure, "purifiers_installed"), added * count)
        ctx.ledger.record(env.now, measure, "installed", target.name, restaurants=added * count)
        if target.install_cost_cny > 0.0 and added > 0.0:
            record_cost(
                ctx,
                env.now,
                measure,
                capital_cny=target.install_cost_cny * added * count,
                subject=target.name,
            )


def _foul(
    ctx: ProcessContext,
    src: HouseholdSources,
    cfg: RestaurantFumes,
    state: _Purifiers,
    decay: float,
    from_h: float,
    generation: int,
) -> Process:
    """Fouling steps every ``decay_step_days`` until the next cleaning (a new generation)."""
    env, step_h = ctx.env, cfg.decay_step_days * 24.0
    t = from_h
    while decay > 0.0:
        t += step_h
        if t >= ctx.calendar.n_hours:
            return
        yield env.timeout(t - env.now)
        if state.generation != generation:
            return
        state.steps += 1
        state.write(ctx, src, decay)


def _clean(
    ctx: ProcessContext,
    src: HouseholdSources,
    cfg: RestaurantFumes,
    state: _Purifiers,
    decay: float,
    t0: float,
    t1: float,
) -> Process:
    """Cleaning rounds: every new purifier back to its design removal."""
    env, measure = ctx.env, "restaurant_fumes"
    assert cfg.cleaning_interval_days is not None
    interval_h = cfg.cleaning_interval_days * 24.0
    counts = np.array([s.count for s in src.config.restaurants.sizes], dtype=float)
    cost_each = np.zeros(len(counts))
    for target in cfg.sizes:
        cost_each[src.size_index(target.name)] = target.cleaning_cost_cny
    t = t0 + interval_h
    while t < t1:
        yield env.timeout(t - env.now)
        state.generation += 1
        state.steps = 0
        state.write(ctx, src, decay)
        ctx.ledger.add(env.now, progress_stream(measure, "cleanings"), 1.0)
        cleaned = float((state.new * counts).sum())
        ctx.ledger.record(env.now, measure, "cleaned", "", restaurants=cleaned)
        cost = float((state.new * counts * cost_each).sum())
        if cost > 0.0:
            record_cost(ctx, env.now, measure, operating_cny=cost)
        env.process(_foul(ctx, src, cfg, state, decay, env.now, state.generation))
        t += interval_h


# -- restaurant_siting -------------------------------------------------------------------------
def _register_siting(ctx: ProcessContext, cfg: RestaurantSiting) -> None:
    measure = "restaurant_siting"
    src = _household(ctx, measure)
    ctx.ledger.declare(
        progress_stream(measure, "openings_refused"),
        0.0,
        unit="restaurants",
        long_name="restaurant openings in residential buildings refused",
    )
    book_fixed_costs(ctx, measure, cfg)
    rng = ctx.rng(measure)
    blocked = float(np.clip(draw(cfg.blocked_share, rng), 0.0, 1.0))
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg)
    if cfg.openings_per_year > 0.0 and t0 < t1:
        pm25 = src.config.restaurants.pm25_kg_per_stove_head_year * cfg.stove_heads_per_opening
        ctx.env.process(_openings(ctx, cfg, blocked, pm25, t0, t1, rng))


def _openings(
    ctx: ProcessContext,
    cfg: RestaurantSiting,
    blocked: float,
    pm25_kg_yr: float,
    t0: float,
    t1: float,
    rng: np.random.Generator,
) -> Process:
    env, measure = ctx.env, "restaurant_siting"
    mean_gap_h = HOURS_PER_YEAR / cfg.openings_per_year
    t, number = t0, 0
    while True:
        t += float(rng.exponential(mean_gap_h))
        refused = float(rng.random()) < blocked
        if t >= t1:
            return
        yield env.timeout(t - env.now)
        number += 1
        if not refused:
            ctx.ledger.record(env.now, measure, "opened", f"opening-{number}")
            continue
        avoided_t = pm25_kg_yr * (ctx.calendar.n_hours - env.now) / HOURS_PER_YEAR / 1000.0
        ctx.ledger.add(env.now, progress_stream(measure, "openings_refused"), 1.0)
        ctx.ledger.record(
            env.now, measure, "refused", f"opening-{number}", avoided_pm25_t=avoided_t
        )
