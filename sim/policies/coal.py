"""Coal measures (the plan's measure 1): prevent re-burning, convert the remaining coal households.

They act on the coal sources' streams (:mod:`sim.sources.coal`):

``reburning_prevention``
    Inspection rounds in the heating season find ongoing re-burning episodes (each with a
    detection probability) and stop them: the episode's households leave
    ``coal.reburning_households`` at the finding instead of at the episode's natural end, read
    from the episode's ``start`` event (time + ``duration_h``). Deterrence lowers
    ``coal.reburning_rate_factor``, so fewer candidate episodes happen.
``coal_conversion``
    ``coal.households`` falls by ``households_per_month`` at the start of each month.

The source's episode process still subtracts its households at the natural end; a stopped
episode therefore gets them added back at that instant, so the stream is exact throughout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.errors import ScenarioError
from sim.policies.base import (
    Process,
    book_fixed_costs,
    book_operating_costs,
    end_hour,
    is_active,
    progress_stream,
    record_cost,
    source_category,
    start_hour,
)
from sim.provenance import acting
from sim.scenario.distributions import draw

if TYPE_CHECKING:
    from sim.context import ProcessContext
    from sim.scenario.sections.policies_coal import CoalConversion, ReburningPrevention
    from sim.sources.coal import CoalSources

__all__ = ["FAMILY", "MEASURES", "Episode", "month_starts_h", "register"]

FAMILY = "coal"
MEASURES: tuple[str, ...] = ("reburning_prevention", "coal_conversion")
_EPISODE_PROCESS = "coal.reburning"


@dataclass(frozen=True)
class Episode:
    """An ongoing re-burning episode, as read from its ``start`` event."""

    subject: str
    households: float
    natural_end_h: float


@dataclass
class _EpisodeLog:
    """Reads new episode events from the ledger; remembers which are ongoing."""

    seen: int = 0
    ongoing: dict[str, Episode] = field(default_factory=dict)

    def update(self, ctx: ProcessContext) -> list[Episode]:
        events = ctx.ledger.events
        for event in events[self.seen :]:
            if event.process != _EPISODE_PROCESS:
                continue
            if event.kind == "start":
                q = event.quantities
                self.ongoing[event.subject] = Episode(
                    event.subject, q["households"], event.time_h + q["duration_h"]
                )
            elif event.kind == "end":
                self.ongoing.pop(event.subject, None)
        self.seen = len(events)
        now = ctx.env.now
        return [e for e in self.ongoing.values() if e.natural_end_h > now]


def _coal(ctx: ProcessContext, measure: str) -> CoalSources:
    from sim.sources.coal import CoalSources

    return source_category(ctx, "coal", CoalSources, measure)


def register(ctx: ProcessContext) -> None:
    """Register the processes of every enabled coal measure."""
    pol = ctx.scenario.policies
    if is_active(pol.reburning_prevention):
        assert pol.reburning_prevention is not None
        with acting(ctx, "reburning_prevention"):
            _register_prevention(ctx, pol.reburning_prevention)
    if is_active(pol.coal_conversion):
        assert pol.coal_conversion is not None
        with acting(ctx, "coal_conversion"):
            _register_conversion(ctx, pol.coal_conversion)


# -- reburning_prevention ----------------------------------------------------------------------
def _register_prevention(ctx: ProcessContext, cfg: ReburningPrevention) -> None:
    measure = "reburning_prevention"
    src = _coal(ctx, measure)
    for what, unit, long in (
        ("rounds", "rounds", "inspection rounds"),
        ("episodes_stopped", "episodes", "re-burning episodes found and stopped"),
    ):
        ctx.ledger.declare(progress_stream(measure, what), 0.0, unit=unit, long_name=long)
    book_fixed_costs(ctx, measure, cfg)
    rng = ctx.rng(measure)
    p_detect = float(np.clip(draw(cfg.detection_probability, rng), 0.0, 1.0))
    deterred = float(np.clip(draw(cfg.deterred_share, rng), 0.0, 1.0))
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg)
    if t0 < t1:
        ctx.env.process(_prevent(ctx, src, cfg, p_detect, deterred, (t0, t1), rng))


def _prevent(
    ctx: ProcessContext,
    src: CoalSources,
    cfg: ReburningPrevention,
    p_detect: float,
    deterred: float,
    window: tuple[float, float],
    rng: np.random.Generator,
) -> Process:
    env, ledger, measure = ctx.env, ctx.ledger, "reburning_prevention"
    t0, t1 = window
    heating = np.asarray(ctx.calendar.heating_season, dtype=bool)
    if t0 > env.now:
        yield env.timeout(t0 - env.now)
    before = float(ledger.current(src.REBURNING_RATE_FACTOR_STREAM))
    if deterred > 0.0:
        ledger.set(env.now, src.REBURNING_RATE_FACTOR_STREAM, before * (1.0 - deterred))
        ledger.record(env.now, measure, "deterrence", "", deterred_share=deterred)
    log = _EpisodeLog()
    interval_h = cfg.inspection_interval_days * 24.0
    t = t0
    while t < t1:
        if t > env.now:
            yield env.timeout(t - env.now)
        t += interval_h
        if not heating[min(int(env.now), len(heating) - 1)]:
            continue
        ledger.add(env.now, progress_stream(measure, "rounds"), 1.0)
        if cfg.cost_cny_per_round > 0.0:
            record_cost(ctx, env.now, measure, operating_cny=cfg.cost_cny_per_round)
        for episode in sorted(log.update(ctx), key=lambda e: e.subject):
            if float(rng.random()) < p_detect:
                _stop(ctx, src, episode)
                del log.ongoing[episode.subject]
    if deterred > 0.0 and t1 < ctx.calendar.n_hours:
        yield env.timeout(max(0.0, t1 - env.now))
        ledger.set(env.now, src.REBURNING_RATE_FACTOR_STREAM, before)


def _stop(ctx: ProcessContext, src: CoalSources, episode: Episode) -> None:
    """Stop ``episode`` now: its households leave the stream, and return at its natural end."""
    env, measure = ctx.env, "reburning_prevention"
    ctx.ledger.add(env.now, src.REBURNING_STREAM, -episode.households)
    ctx.ledger.add(env.now, progress_stream(measure, "episodes_stopped"), 1.0)
    ctx.ledger.record(
        env.now,
        measure,
        "stopped",
        episode.subject,
        households=episode.households,
        hours_avoided=episode.natural_end_h - env.now,
    )
    env.process(_restore_at(ctx, src.REBURNING_STREAM, episode))


def _restore_at(ctx: ProcessContext, stream: str, episode: Episode) -> Process:
    """Cancel the source's own subtraction at the episode's natural end."""
    yield ctx.env.timeout(episode.natural_end_h - ctx.env.now)
    ctx.ledger.add(ctx.env.now, stream, episode.households)


# -- coal_conversion ---------------------------------------------------------------------------
def month_starts_h(ctx: ProcessContext, from_h: float, to_h: float) -> list[float]:
    """``from_h`` and every month start after it, before ``to_h``."""
    months = np.asarray(ctx.calendar.month)
    starts = (np.flatnonzero(np.diff(months) != 0) + 1).astype(float)
    return [from_h, *[float(s) for s in starts if from_h < s < to_h]] if from_h < to_h else []


def _register_conversion(ctx: ProcessContext, cfg: CoalConversion) -> None:
    measure = "coal_conversion"
    src = _coal(ctx, measure)
    unknown = sorted(set(cfg.coal_types) - set(src.coal_type_names))
    if unknown:
        raise ScenarioError(f"policies.{measure}.coal_types: unknown {unknown}")
    order = [src.type_index(n) for n in (cfg.coal_types or src.coal_type_names)]
    ctx.ledger.declare(
        progress_stream(measure, "households_converted"),
        0.0,
        unit="households",
        long_name="coal households converted to date",
    )
    book_fixed_costs(ctx, measure, cfg)
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg)
    ctx.env.process(_convert(ctx, src, cfg, order, month_starts_h(ctx, t0, t1)))


def _convert(
    ctx: ProcessContext, src: CoalSources, cfg: CoalConversion, order: list[int], times: list[float]
) -> Process:
    env, ledger, measure = ctx.env, ctx.ledger, "coal_conversion"
    left = np.inf if cfg.target_households is None else cfg.target_households
    for t in times:
        if t > env.now:
            yield env.timeout(t - env.now)
        quota = min(cfg.households_per_month, left)
        households = ledger.current(src.HOUSEHOLDS_STREAM)
        for index in order:
            n = min(quota, float(households[index]))
            if n <= 0.0:
                continue
            ledger.add(env.now, src.HOUSEHOLDS_STREAM, -n, index=index)
            ledger.add(env.now, progress_stream(measure, "households_converted"), n)
            ledger.record(env.now, measure, "converted", src.coal_type_names[index], households=n)
            quota -= n
            left -= n
            cost = cfg.capital_cost_cny_per_household * n
            if cost > 0.0:
                record_cost(ctx, env.now, measure, capital_cny=cost)
            env.process(
                book_operating_costs(
                    ctx,
                    measure,
                    cfg.subsidy_cny_per_household_year * n,
                    env.now,
                    float(ctx.calendar.n_hours),
                    transfer=True,
                )
            )
        if left <= 0.0 or float(ledger.current(src.HOUSEHOLDS_STREAM)[order].sum()) <= 0.0:
            return
