"""Water measures (plan measures 7-8) as SimPy processes acting on the water state streams.

Each process waits for its discrete events (a project stage finished, an outlet remediated, a
tank commissioned, a clearing day, an inspection round) and changes ``water.*`` ledger streams,
which :mod:`sim.outcomes.water` turns into hourly flows after the run. Every measure draws from its
own stream (``water.<measure>``), so enabling one never shifts another's draws.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy
from numpy.typing import NDArray

from sim.errors import ScenarioError
from sim.policies.base import progress_stream, record_cost, start_hour
from sim.provenance import acting
from sim.scenario.distributions import draw
from sim.scenario.sections.water import (
    STATE_STREAMS,
    initial_states,
    listed_outlets,
    remediation_order,
)

if TYPE_CHECKING:
    from sim.engine import ProcessContext
    from sim.scenario.sections.policies_water import (
        CrossConnectionRepair,
        DumpingPatrols,
        FirstFlushTanks,
        HospitalWastewater,
        NetworkClearing,
        OutletRemediation,
        RainOutletRule,
        RainSewageSeparation,
        SeparationProject,
    )

__all__ = ["FAMILY", "MEASURES", "declare_streams", "register"]

FAMILY = "water"
MEASURES: tuple[str, ...] = (
    "rain_sewage_separation",
    "cross_connection_repair",
    "outlet_remediation",
    "first_flush_tanks",
    "network_clearing",
    "dumping_patrols",
    "hospital_wastewater",
    "rain_outlet_rule",
)
_MONTH_H = 730.0  # mean hours per month
Proc = Generator[simpy.Event, Any, None]


def declare_streams(ctx: ProcessContext) -> list[str]:
    """Declare every water state stream (initial values from the config); returns area names."""
    cfg = ctx.scenario.water
    if cfg is None:
        raise ScenarioError("water measures need a `water:` section in the scenario")
    for name, value in initial_states(cfg).items():
        if not ctx.ledger.has(name):
            unit, long_name = STATE_STREAMS[name]
            ctx.ledger.declare(name, value, unit=unit, long_name=long_name)
    return [a.name for a in cfg.drainage_areas]


def _operating(ctx: ProcessContext, measure: str, start_h: float, per_year: float) -> None:
    if per_year > 0.0:
        years = max(ctx.calendar.n_hours - start_h, 0.0) / 8766.0
        record_cost(ctx, start_h, measure, operating_cny=per_year * years)


def _separation(ctx: ProcessContext, cfg: RainSewageSeparation, areas: list[str]) -> None:
    m = "rain_sewage_separation"
    rng = ctx.rng(f"water.{m}")
    crews = simpy.Resource(ctx.env, capacity=cfg.crews)
    ctx.ledger.declare(progress_stream(m, "area_km2"), 0.0, unit="km2")
    sizes = {a.name: a.area_km2 for a in ctx.scenario.water.drainage_areas}  # type: ignore[union-attr]
    record_cost(ctx, start_hour(ctx, cfg.start), m, capital_cny=cfg.capital_cost_cny)
    _operating(ctx, m, start_hour(ctx, cfg.start), cfg.operating_cost_cny_per_year)

    def project(p: SeparationProject, duration_h: float, residual: float, late_h: float) -> Proc:
        j = areas.index(p.area)
        yield ctx.env.timeout(max(start_hour(ctx, max(p.start, cfg.start)), 0.0) + late_h)
        with crews.request() as req:
            yield req
            ctx.ledger.record(ctx.env.now, m, "start", p.area, duration_d=duration_h / 24)
            c0 = float(ctx.ledger.current("water.combined_fraction")[j])
            step = c0 * p.share / p.stages
            for _ in range(p.stages):
                if p.stoppage_probability > 0.0 and rng.random() < p.stoppage_probability:
                    stop_h = max(float(draw(p.stoppage_days, rng)), 0.0) * 24.0
                    ctx.ledger.record(ctx.env.now, m, "stopped", p.area, days=stop_h / 24)
                    yield ctx.env.timeout(stop_h)
                end = work_end_h(ctx.calendar.month, ctx.env.now, duration_h / p.stages, pause)
                yield ctx.env.timeout(end - ctx.env.now)
                # capital as it is spent: each stage's share when the stage is done
                cost = p.capital_cny / p.stages
                record_cost(ctx, ctx.env.now, m, capital_cny=cost, subject=p.area)
                c = float(ctx.ledger.current("water.combined_fraction")[j])
                x = float(ctx.ledger.current("water.cross_connected_share")[j])
                sep_old, dc = 1.0 - c, min(step, c)
                x_new = (sep_old * x + dc * residual) / (sep_old + dc) if sep_old + dc > 0 else x
                ctx.ledger.set(ctx.env.now, "water.combined_fraction", c - dc, index=j)
                ctx.ledger.set(ctx.env.now, "water.cross_connected_share", x_new, index=j)
                ctx.ledger.add(ctx.env.now, progress_stream(m, "area_km2"), dc * sizes[p.area])
                ctx.ledger.record(ctx.env.now, m, "converted", p.area, share=dc)
            ctx.ledger.record(ctx.env.now, m, "finished", p.area)

    pause = list(cfg.pause_months)
    for p in cfg.projects:
        if p.area not in areas:
            raise ScenarioError(f"policies.{m}.projects.{p.name}: unknown area {p.area!r}")
        dur = max(float(draw(p.duration_days, rng)), 0.0) * 24.0
        res = float(np.clip(draw(p.residual_cross_connected_share, rng), 0.0, 1.0))
        late = max(float(draw(p.late_start_days, rng)), 0.0) * 24.0
        ctx.env.process(project(p, dur, res, late))


def work_end_h(
    month: NDArray[np.int64], now_h: float, work_h: float, pause_months: list[int]
) -> float:
    """The hour at which ``work_h`` hours of work started at ``now_h`` are done when no work is
    done in ``pause_months`` (``month``: the month of each hour of the run; after the run's end
    every hour counts)."""
    if not pause_months or work_h <= 0.0:
        return now_h + max(work_h, 0.0)
    i0 = min(int(now_h), len(month))
    ok = ~np.isin(month[i0:], pause_months)
    cum = np.cumsum(ok) - (now_h - i0) * float(ok[0]) if ok.size else np.zeros(0)
    k = int(np.searchsorted(cum, work_h - 1e-12))
    if k < cum.size:
        return max(now_h, i0 + k + 1 - float(cum[k] - work_h))
    done = float(cum[-1]) if cum.size else 0.0
    return max(now_h, float(len(month))) + work_h - done


def _cross_connections(ctx: ProcessContext, cfg: CrossConnectionRepair) -> Proc:
    m = "cross_connection_repair"
    rng = ctx.rng(f"water.{m}")
    ctx.ledger.declare(progress_stream(m, "points_fixed"), 0.0, unit="points")
    t0 = start_hour(ctx, cfg.start)
    end_h = ctx.calendar.n_hours if cfg.end is None else start_hour(ctx, cfg.end)
    record_cost(ctx, t0, m, capital_cny=cfg.capital_cost_cny)
    _operating(ctx, m, t0, cfg.operating_cost_cny_per_year)
    yield ctx.env.timeout(t0)
    left = cfg.points
    while left > 0 and ctx.env.now + _MONTH_H <= end_h:
        yield ctx.env.timeout(_MONTH_H)
        fixed = min(int(rng.poisson(max(float(draw(cfg.repairs_per_month, rng)), 0.0))), left)
        if fixed:
            x = ctx.ledger.current("water.cross_connected_share")
            ctx.ledger.set(ctx.env.now, "water.cross_connected_share", x * (1 - fixed / left))
            left -= fixed
            ctx.ledger.add(ctx.env.now, progress_stream(m, "points_fixed"), fixed)
            ctx.ledger.record(ctx.env.now, m, "repaired", "", points=fixed)


def _outlets(ctx: ProcessContext, cfg: OutletRemediation, areas: list[str]) -> Proc:
    m = "outlet_remediation"
    rng = ctx.rng(f"water.{m}")
    water = ctx.scenario.water
    assert water is not None
    total = np.array([a.outlets for a in water.drainage_areas], dtype=np.float64)
    share = progress_stream(m, "share")
    done = ctx.ledger.current("water.outlets_remediated")
    ctx.ledger.declare(share, done.sum() / max(total.sum(), 1.0))
    t0 = start_hour(ctx, cfg.start)
    end_h = ctx.calendar.n_hours if cfg.end is None else start_hour(ctx, cfg.end)
    record_cost(ctx, t0, m, capital_cny=cfg.capital_cost_cny)
    _operating(ctx, m, t0, cfg.operating_cost_cny_per_year)
    yield ctx.env.timeout(t0)
    target = int(np.ceil(cfg.target_share * total.sum() - 1e-9))
    while ctx.ledger.current("water.outlets_remediated").sum() < target:
        pace = max(float(draw(cfg.outlets_per_month, rng)), 1e-6)
        wait = float(rng.exponential(_MONTH_H / pace))  # outlets finish as a Poisson stream
        # works finished in a paused month wait for the first working hour after it
        wait = work_end_h(ctx.calendar.month, ctx.env.now + wait, 1e-9, list(cfg.pause_months))
        wait -= ctx.env.now
        if ctx.env.now + wait > end_h:
            return
        yield ctx.env.timeout(wait)
        done = ctx.ledger.current("water.outlets_remediated")
        j, label, cost = _next_outlet(ctx, cfg, done, total, rng)
        ctx.ledger.add(ctx.env.now, "water.outlets_remediated", 1.0, index=j)
        ctx.ledger.set(ctx.env.now, share, (done.sum() + 1) / total.sum())
        record_cost(ctx, ctx.env.now, m, capital_cny=cost, subject=areas[j])
        ctx.ledger.record(
            ctx.env.now, m, "remediated", label or f"{areas[j]}.outlet{int(done[j]) + 1}"
        )


def _next_outlet(
    ctx: ProcessContext,
    cfg: OutletRemediation,
    done: NDArray[np.float64],
    total: NDArray[np.float64],
    rng: np.random.Generator,
) -> tuple[int, str, float]:
    """The next outlet: the first open listed outlet by the scenario's rule (its area, name and
    cost), or, in areas without a list, an area drawn in proportion to its open outlets."""
    water = ctx.scenario.water
    assert water is not None
    outlets = listed_outlets(water)
    state = ctx.ledger.current("water.outlet_remediated")
    listed_areas = {j for j, _ in outlets}
    for i in remediation_order(water, cfg.cost_cny_per_outlet):
        if state[i] < 0.5:
            j, o = outlets[i]
            ctx.ledger.set(ctx.env.now, "water.outlet_remediated", 1.0, index=i)
            cost = cfg.cost_cny_per_outlet if o.cost_cny is None else o.cost_cny
            return j, f"{water.drainage_areas[j].name}.{o.name}", cost
    open_ = np.array(
        [
            0.0 if j in listed_areas else t - d
            for j, (t, d) in enumerate(zip(total, done, strict=True))
        ]
    )
    j = int(rng.choice(len(open_), p=open_ / open_.sum()))
    return j, "", cfg.cost_cny_per_outlet


def _tanks(ctx: ProcessContext, cfg: FirstFlushTanks, areas: list[str]) -> None:
    m = "first_flush_tanks"
    rng = ctx.rng(f"water.{m}")
    ctx.ledger.declare(progress_stream(m, "volume_m3"), 0.0, unit="m3")
    record_cost(ctx, start_hour(ctx, cfg.start), m, capital_cny=cfg.capital_cost_cny)

    def build(name: str, j: int, vol: float, t_start: float, days: float, cny: float) -> Proc:
        yield ctx.env.timeout(t_start)
        record_cost(ctx, ctx.env.now, m, capital_cny=cny, subject=name)
        yield ctx.env.timeout(days * 24.0)
        ctx.ledger.add(ctx.env.now, "water.tank_m3", vol, index=j)
        ctx.ledger.add(ctx.env.now, progress_stream(m, "volume_m3"), vol)
        ctx.ledger.record(ctx.env.now, m, "commissioned", name, volume_m3=vol)

    for t in cfg.tanks:
        if t.area not in areas:
            raise ScenarioError(f"policies.{m}.tanks.{t.name}: unknown area {t.area!r}")
        days = max(float(draw(t.build_days, rng)), 0.0)
        t_start = start_hour(ctx, max(t.start, cfg.start))
        ctx.env.process(
            build(t.name, areas.index(t.area), t.volume_m3, t_start, days, t.capital_cny)
        )


def _clearing(ctx: ProcessContext, cfg: NetworkClearing, n_areas: int) -> Proc:
    m = "network_clearing"
    share = float(np.clip(draw(cfg.removal_share, ctx.rng(f"water.{m}")), 0.0, 1.0))
    t = start_hour(ctx, max(cfg.day, cfg.start))
    if t >= ctx.calendar.n_hours:
        return
    record_cost(
        ctx, t, m, capital_cny=cfg.capital_cost_cny, operating_cny=cfg.operating_cost_cny_per_year
    )
    yield ctx.env.timeout(t)
    ctx.ledger.set(ctx.env.now, "water.buildup_cleared", np.full(n_areas, share))
    ctx.ledger.set(ctx.env.now + 1.0, "water.buildup_cleared", np.zeros(n_areas))
    ctx.ledger.record(ctx.env.now, m, "cleared", "", removal_share=share)


def _patrols(ctx: ProcessContext, cfg: DumpingPatrols) -> Proc:
    m = "dumping_patrols"
    eff = float(np.clip(draw(cfg.effectiveness, ctx.rng(f"water.{m}")), 0.0, 1.0))
    t0 = start_hour(ctx, cfg.start)
    record_cost(ctx, t0, m, capital_cny=cfg.capital_cost_cny)
    _operating(ctx, m, t0, cfg.operating_cost_cny_per_year)
    yield ctx.env.timeout(t0)
    for k in range(1, cfg.ramp_months + 1):  # deterrence builds up month by month
        ctx.ledger.set(ctx.env.now, "water.dumping_factor", 1.0 - eff * k / cfg.ramp_months)
        ctx.ledger.record(
            ctx.env.now, m, "patrol_round", "", dumping_factor=1 - eff * k / cfg.ramp_months
        )
        if k < cfg.ramp_months:
            yield ctx.env.timeout(_MONTH_H)


def _hospitals(ctx: ProcessContext, cfg: HospitalWastewater) -> Proc:
    m = "hospital_wastewater"
    rng = ctx.rng(f"water.{m}")
    t0 = start_hour(ctx, cfg.start)
    end_h = ctx.calendar.n_hours if cfg.end is None else start_hour(ctx, cfg.end)
    record_cost(ctx, t0, m, capital_cny=cfg.capital_cost_cny)
    _operating(ctx, m, t0, cfg.operating_cost_cny_per_year)
    interval = 8766.0 / cfg.inspections_per_year
    yield ctx.env.timeout(t0)
    while ctx.env.now < end_h:
        fix = float(np.clip(draw(cfg.fix_share, rng), 0.0, 1.0))
        nc = float(ctx.ledger.current("water.hospital_noncompliance"))
        ctx.ledger.set(ctx.env.now, "water.hospital_noncompliance", nc * (1.0 - fix))
        ctx.ledger.record(ctx.env.now, m, "inspection", "", noncompliant_share=nc * (1 - fix))
        yield ctx.env.timeout(interval)


def _outlet_rule(ctx: ProcessContext, cfg: RainOutletRule, n_areas: int) -> Proc:
    m = "rain_outlet_rule"
    comp = float(np.clip(draw(cfg.compliance, ctx.rng(f"water.{m}")), 0.0, 1.0))
    t0 = start_hour(ctx, cfg.start)
    record_cost(ctx, t0, m, capital_cny=cfg.capital_cost_cny)
    _operating(ctx, m, t0, cfg.operating_cost_cny_per_year)
    yield ctx.env.timeout(t0)
    ctx.ledger.set(ctx.env.now, "water.offseason_closure", np.full(n_areas, comp))
    ctx.ledger.record(ctx.env.now, m, "enforced", "", compliance=comp)
    if cfg.end is not None:
        yield ctx.env.timeout(max(start_hour(ctx, cfg.end) - ctx.env.now, 0.0))
        ctx.ledger.set(ctx.env.now, "water.offseason_closure", np.zeros(n_areas))


def register(ctx: ProcessContext) -> None:
    """Declare the water state streams and register every enabled water measure."""
    areas = declare_streams(ctx)
    pol = ctx.scenario.policies

    def on(name: str) -> Any:
        cfg = getattr(pol, name, None)
        return cfg if cfg is not None and cfg.enabled else None

    if (c := on("rain_sewage_separation")) is not None:
        with acting(ctx, "rain_sewage_separation"):  # tagged: sim forecast can re-time them
            _separation(ctx, c, areas)
    if (c := on("cross_connection_repair")) is not None:
        with acting(ctx, "cross_connection_repair"):
            ctx.env.process(_cross_connections(ctx, c))
    if (c := on("outlet_remediation")) is not None:
        with acting(ctx, "outlet_remediation"):
            ctx.env.process(_outlets(ctx, c, areas))
    if (c := on("first_flush_tanks")) is not None:
        with acting(ctx, "first_flush_tanks"):
            _tanks(ctx, c, areas)
    if (c := on("network_clearing")) is not None:
        with acting(ctx, "network_clearing"):
            ctx.env.process(_clearing(ctx, c, len(areas)))
    if (c := on("dumping_patrols")) is not None:
        with acting(ctx, "dumping_patrols"):
            ctx.env.process(_patrols(ctx, c))
    if (c := on("hospital_wastewater")) is not None:
        with acting(ctx, "hospital_wastewater"):
            ctx.env.process(_hospitals(ctx, c))
    if (c := on("rain_outlet_rule")) is not None:
        with acting(ctx, "rain_outlet_rule"):
            ctx.env.process(_outlet_rule(ctx, c, len(areas)))
