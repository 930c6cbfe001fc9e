"""Heavy-pollution weather response: forecast alerts and the emergency reduction list.

The day before each day, a forecast of its mean PM2.5 (:mod:`sim.policies.forecast`) is compared
with the scenario's thresholds: yellow, orange or red. An alert holds for the whole forecast day
(00:00-24:00 local); consecutive alert days at one level are one episode. While it holds, every
source on the list runs at ``1 − cut × compliance`` of its activity, through the engine's
``activity_factor.<sector>.<source>`` streams. The factor is applied multiplicatively on top of
whatever another measure has set, and removed exactly when the alert is lifted.

Outputs: ``alert`` and ``lifted`` events (with the forecast), cost events per episode, progress
streams ``progress.emergency_response.{alert_level, alert_days}``. The process wakes only on
alert days and on the day an alert is lifted.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.errors import ScenarioError
from sim.policies.base import book_fixed_costs, end_hour, progress_stream, record_cost, start_hour
from sim.policies.forecast import forecast_pm25
from sim.provenance import acting
from sim.scenario.distributions import draw
from sim.sources.base import activity_factor_stream

if TYPE_CHECKING:
    from sim.context import ProcessContext
    from sim.scenario.sections.policies_emergency import AlertThresholds, EmergencyResponse

__all__ = ["FAMILY", "LEVELS", "MEASURES", "alert_levels", "register"]

FAMILY = "emergency"
MEASURES: tuple[str, ...] = ("emergency_response",)
#: Alert levels, 1-based (0: no alert).
LEVELS: tuple[str, ...] = ("yellow", "orange", "red")
#: Sources of each category other than industrial (whose sources are its enterprise groups).
KNOWN_SOURCES: dict[str, tuple[str, ...]] = {
    "mobile": ("on_road", "non_road", "evaporative"),
    "coal": ("households", "reburning"),
    "dust": ("construction", "roads", "bare_land", "muck_trucks"),
    "household": ("restaurants", "solvents", "open_burning"),
}
Proc = Generator[Any, Any, None]


def alert_levels(
    forecast_ug_m3: NDArray[np.float64], thresholds: AlertThresholds
) -> NDArray[np.int64]:
    """Alert level of each day: 0 none, 1 yellow, 2 orange, 3 red (NaN forecasts: none)."""
    edges = np.array([thresholds.yellow, thresholds.orange, thresholds.red])
    f = np.nan_to_num(np.asarray(forecast_ug_m3, dtype=np.float64), nan=-np.inf)
    return np.asarray((f[:, None] >= edges[None, :]).sum(axis=1), dtype=np.int64)


def _check_targets(ctx: ProcessContext, cfg: EmergencyResponse) -> None:
    problems = []
    for action in cfg.actions:
        where = f"policies.emergency_response.actions[{action.name}].target = {action.target!r}"
        sector, name = action.target.split(".", 1)
        category = ctx.sources.get(sector)
        if category is None:
            problems.append(f"{where}: sector {sector!r} is not in the scenario's sources")
            continue
        known = getattr(category, "enterprise_names", None) or KNOWN_SOURCES.get(sector, ())
        if name not in known:
            problems.append(f"{where}: no such source (have {', '.join(known)})")
    if problems:
        raise ScenarioError(*problems)


def register(ctx: ProcessContext) -> None:
    """Forecast every day, then play the alerts as discrete episodes on the activity factors."""
    cfg = ctx.scenario.policies.emergency_response
    if cfg is None or not cfg.enabled:
        return
    name = "emergency_response"
    _check_targets(ctx, cfg)
    compliance = float(np.clip(draw(cfg.compliance, ctx.rng(name)), 0.0, 1.0))
    forecast = forecast_pm25(ctx, cfg.forecast, ctx.rng(f"{name}.forecast"))
    start = pd.Timestamp(ctx.calendar.start)
    day_h = np.asarray((ctx.calendar.days - start) / pd.Timedelta(hours=1), dtype=np.float64)
    active = (day_h >= start_hour(ctx, cfg.start)) & (day_h < end_hour(ctx, cfg))
    levels = np.where(active, alert_levels(forecast, cfg.thresholds_ug_m3), 0)
    streams = [activity_factor_stream(a.target) for a in cfg.actions]
    for s in streams:
        if not ctx.ledger.has(s):
            ctx.ledger.declare(s, 1.0, long_name=f"activity factor of {s.split('.', 1)[1]}")
    level_s, days_s = (progress_stream(name, w) for w in ("alert_level", "alert_days"))
    ctx.ledger.declare(level_s, 0.0, long_name="heavy-pollution alert level (0-3)")
    ctx.ledger.declare(days_s, 0.0, unit="d", long_name="alert days to date")
    ours = np.ones(len(streams))  # this measure's current factor on each stream
    held = np.ones(len(streams))  # the others' factor, kept while ours is 0

    def apply(level: int) -> None:
        now = ctx.env.now
        for j, (action, s) in enumerate(zip(cfg.actions, streams, strict=True)):
            cut = 0.0 if level == 0 else getattr(action, LEVELS[level - 1]) * compliance
            new = 1.0 - cut
            if new == ours[j]:
                continue
            current = float(ctx.ledger.current(s))
            others = current / ours[j] if ours[j] > 0 else held[j]
            held[j] = others
            ctx.ledger.set(now, s, others * new)
            ours[j] = new
        ctx.ledger.set(now, level_s, float(level))

    def proc() -> Proc:
        previous, episode_start = 0, 0
        wake = np.flatnonzero((levels > 0) | (np.diff(levels, prepend=0) != 0))
        for d in wake.tolist():
            level = int(levels[d])
            yield ctx.env.timeout(day_h[d] - ctx.env.now)
            if level > 0:
                ctx.ledger.add(day_h[d], days_s, 1.0)
            if level == previous:
                continue
            if previous > 0:
                _close(previous, episode_start, d)
            if level > 0:
                episode_start = d
                ctx.ledger.record(
                    day_h[d], name, "alert", LEVELS[level - 1], forecast_ug_m3=forecast[d]
                )
            apply(level)
            previous = level
        if previous > 0:
            _close(previous, episode_start, len(levels))

    def _close(level: int, first: int, stop: int) -> None:
        days = float(stop - first)
        t = ctx.env.now if stop < len(levels) else day_h[first]
        if stop < len(levels):
            ctx.ledger.record(t, name, "lifted", LEVELS[level - 1], days=days)
        if cfg.cost_cny_per_alert_day > 0:
            record_cost(
                ctx,
                t,
                name,
                operating_cny=days * cfg.cost_cny_per_alert_day,
                subject=LEVELS[level - 1],
            )

    with acting(ctx, name):
        ctx.env.process(proc())
        book_fixed_costs(ctx, name, cfg)
