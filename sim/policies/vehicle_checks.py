"""Vehicle checks of the plan's measure 2: in-use supervision, non-road registration, fuel and
urea quality, vapour recovery at fuel stations.

Each acts on an emission multiplier of the mobile sources. The baseline's factors are fleet
averages that already include a defective share ``s0`` (tampered vehicles, non-compliant fuel or
machines, failing vapour recovery); a check that lowers the share to ``s`` scales the factors by
``(1 - s + s k) / (1 - s0 + s0 k)`` (:func:`defect_multiplier`), which is 1 when nothing is found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.policies.base import (
    HOURS_PER_MONTH,
    Process,
    end_hour,
    monthly_times,
    progress_stream,
    record_cost,
    start_hour,
)
from sim.scenario.distributions import draw
from sim.sources.base import POLLUTANTS
from sim.sources.mobile import MobileSources
from sim.sources.vehicle_factors import standard_rank

if TYPE_CHECKING:
    from sim.context import ProcessContext
    from sim.scenario.sections import policies_vehicles as pv

__all__ = ["Composite", "defect_multiplier", "fuel_checks", "inuse_supervision",
           "nonroad_registration", "progress", "vapour_recovery"]  # fmt: skip

P = {name: i for i, name in enumerate(POLLUTANTS)}


def defect_multiplier(
    share: NDArray[np.float64] | float, share0: float, k: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``(1 − s + s·k) / (1 − s0 + s0·k)`` per pollutant; rows for each value of ``share``."""
    s = np.atleast_1d(np.asarray(share, dtype=np.float64))[:, None]
    return np.asarray((1.0 - s + s * k) / (1.0 - share0 + share0 * k))


def _k(**by_pollutant: float) -> NDArray[np.float64]:
    k = np.ones(len(POLLUTANTS))
    for name, value in by_pollutant.items():
        k[P["PM2.5" if name == "PM2_5" else name]] = value
    return k


class Composite:
    """A multiplier stream written as the product of named parts (several measures share it)."""

    def __init__(self, ctx: ProcessContext, stream: str) -> None:
        self.ctx, self.stream = ctx, stream
        self.parts: dict[str, NDArray[np.float64]] = {}

    def set(self, part: str, value: NDArray[np.float64]) -> None:
        self.parts[part] = value
        total = np.ones_like(value)
        for v in self.parts.values():
            total = total * v
        self.ctx.ledger.set(self.ctx.env.now, self.stream, total)


def progress(ctx: ProcessContext, measure: str, what: str, unit: str) -> str:
    name = progress_stream(measure, what)
    ctx.ledger.declare(name, 0.0, unit=unit, long_name=f"{measure}: {what.replace('_', ' ')}")
    return name


# -- in-use supervision of tampered diesel vehicles ----------------------------------------------
def inuse_supervision(
    ctx: ProcessContext, mob: MobileSources, cfg: pv.InUseSupervision, mult: Composite
) -> None:
    name, rng = "inuse_supervision", ctx.rng("inuse_supervision")
    s0 = float(draw(cfg.baseline_tampered_share, rng))
    k = _k(NOx=float(draw(cfg.tampered_nox_multiplier, rng)))
    k[[P["PM2.5"], P["PM10"]]] = float(draw(cfg.tampered_pm_multiplier, rng))
    p_detect = float(draw(cfg.detection_probability, rng))
    lo, hi = standard_rank(cfg.min_standard), standard_rank("china6")
    idx = np.array(
        [
            i
            for i in mob.cohort_indices(cfg.classes, min_rank=lo, max_rank=hi)
            if mob.cohorts[i].fuel == "diesel"
        ],
        dtype=np.int64,
    )
    streams = {w: progress(ctx, name, w, "vehicles") for w in ("checks", "findings", "repairs")}
    tampered = np.full(len(idx), s0)  # share of each cohort still tampered
    pending = np.zeros(len(idx))  # found, not yet repaired (vehicles)
    week, t0, t1 = 168.0, start_hour(ctx, cfg.start), end_hour(ctx, cfg)

    def update() -> None:
        full = np.ones((len(mob.cohorts), len(POLLUTANTS)))
        full[idx] = defect_multiplier(tampered, s0, k)
        mult.set(name, full)

    def repair(found: NDArray[np.float64]) -> Process:
        yield ctx.env.timeout(cfg.repair_days * 24.0)
        counts = ctx.ledger.current(MobileSources.FLEET_COUNT)[idx]
        share = np.divide(found, counts, out=np.zeros_like(found), where=counts > 0)
        tampered[:] = np.clip(tampered - share, 0.0, None)
        pending[:] -= found
        ctx.ledger.add(ctx.env.now, streams["repairs"], float(found.sum()))
        ctx.ledger.record(
            ctx.env.now, name, "repaired", "diesel_vehicles", vehicles=float(found.sum())
        )
        update()

    def proc() -> Process:
        yield ctx.env.timeout(t0)
        while ctx.env.now + week <= t1 and len(idx):
            yield ctx.env.timeout(week)
            counts = ctx.ledger.current(MobileSources.FLEET_COUNT)[idx]
            if counts.sum() <= 0:
                continue
            n = int(rng.poisson(cfg.checks_per_month * 12.0 / 52.0))
            alloc = rng.multinomial(n, counts / counts.sum())
            bad = np.clip(tampered * counts - pending, 0.0, None)
            p_bad = np.divide(bad, counts, out=np.zeros_like(bad), where=counts > 0)
            found = rng.binomial(rng.binomial(alloc, np.clip(p_bad, 0, 1)), p_detect).astype(float)
            ctx.ledger.add(ctx.env.now, streams["checks"], float(n))
            if cfg.cost_cny_per_check > 0 and n:
                record_cost(ctx, ctx.env.now, name, operating_cny=n * cfg.cost_cny_per_check)
            if found.sum() > 0:
                pending[:] += found
                ctx.ledger.add(ctx.env.now, streams["findings"], float(found.sum()))
                ctx.ledger.record(
                    ctx.env.now, name, "found", "tampered", checks=n, vehicles=float(found.sum())
                )
                ctx.env.process(repair(found))

    ctx.env.process(proc())


# -- non-road machinery registration -------------------------------------------------------------
def nonroad_registration(
    ctx: ProcessContext, mob: MobileSources, cfg: pv.NonRoadRegistration, mult: Composite
) -> None:
    name, rng = "nonroad_registration", ctx.rng("nonroad_registration")
    s0, kk = (
        float(draw(cfg.baseline_noncompliant_share, rng)),
        float(draw(cfg.noncompliant_multiplier, rng)),
    )
    eff = float(draw(cfg.effectiveness, rng))
    groups = mob.config.non_road
    names = cfg.groups if cfg.groups is not None else [g.name for g in groups if g.fuel == "diesel"]
    idx = np.array([mob.non_road_index(g) for g in names], dtype=np.int64)
    k = _k(PM2_5=kk, PM10=kk, NOx=kk)
    done = progress(ctx, name, "machines_registered", "machines")
    times = monthly_times(ctx, cfg)[: cfg.months]

    def proc() -> Process:
        for j, t in enumerate(times, start=1):
            yield ctx.env.timeout(t - ctx.env.now)
            full = np.ones((len(groups), len(POLLUTANTS)))
            full[idx] = defect_multiplier(s0 * (1.0 - eff * j / cfg.months), s0, k)
            mult.set(name, full)
            machines = (
                float(ctx.ledger.current(MobileSources.NON_ROAD_COUNT)[idx].sum()) / cfg.months
            )
            ctx.ledger.add(t, done, machines)
            ctx.ledger.record(t, name, "registered", "non_road", machines=machines)

    ctx.env.process(proc())


# -- fuel and urea quality checks ----------------------------------------------------------------
def fuel_checks(
    ctx: ProcessContext, mob: MobileSources, cfg: pv.FuelQualityChecks, mults: Any
) -> None:
    name, rng = "fuel_quality", ctx.rng("fuel_quality")
    road, nonroad = mults
    s0 = float(draw(cfg.baseline_noncompliant_share, rng))
    pm = float(draw(cfg.pm_multiplier, rng))
    k = _k(
        NOx=float(draw(cfg.nox_multiplier, rng)),
        PM2_5=pm,
        PM10=pm,
        SO2=float(draw(cfg.so2_multiplier, rng)),
    )
    p_detect = float(draw(cfg.detection_probability, rng))
    road_idx = np.array([c.index for c in mob.cohorts if c.fuel == "diesel"], dtype=np.int64)
    nr_idx = np.array(
        [i for i, g in enumerate(mob.config.non_road) if g.fuel == "diesel"], dtype=np.int64
    )
    streams = {w: progress(ctx, name, w, "outlets") for w in ("checks", "findings")}
    bad = s0 * cfg.outlets

    def proc() -> Process:
        nonlocal bad
        for t in monthly_times(ctx, cfg):
            yield ctx.env.timeout(t - ctx.env.now)
            n = int(rng.poisson(cfg.checks_per_month))
            found = min(float(rng.binomial(n, bad / cfg.outlets * p_detect)), bad)
            bad -= found
            ctx.ledger.add(t, streams["checks"], float(n))
            if cfg.cost_cny_per_check > 0 and n:
                record_cost(ctx, t, name, operating_cny=n * cfg.cost_cny_per_check)
            if found <= 0:
                continue
            ctx.ledger.add(t, streams["findings"], found)
            ctx.ledger.record(t, name, "found", "outlets", checks=n, outlets=found)
            m = defect_multiplier(bad / cfg.outlets, s0, k)[0]
            full = np.ones((len(mob.cohorts), len(POLLUTANTS)))
            full[road_idx] = m
            road.set(name, full)
            full = np.ones((len(mob.non_road_names), len(POLLUTANTS)))
            full[nr_idx] = m
            nonroad.set(name, full)

    ctx.env.process(proc())


# -- vapour recovery at fuel stations ------------------------------------------------------------
def vapour_recovery(
    ctx: ProcessContext, mob: MobileSources, cfg: pv.VapourRecoveryChecks, _: Any
) -> None:
    """round(s0 × stations) stations fail, in random places of the checking order; each one
    found is repaired after ``repair_days``. Efficiency follows the failing share ``s``:
    ``1 − (1 − e0) × (1 − ē(s)) / (1 − ē(s_ref))``, ``ē(s) = (1 − s)·e_work + s·e_fail``."""
    name, rng = "vapour_recovery", ctx.rng("vapour_recovery")
    s0 = float(draw(cfg.baseline_failing_share, rng))
    n_failing = round(s0 * cfg.stations)
    failing = set(rng.permutation(cfg.stations)[:n_failing].tolist())
    e0 = mob.config.evaporative.control_efficiency
    work, fail = cfg.working_efficiency, cfg.failing_efficiency
    ref = 1.0 - ((1 - n_failing / cfg.stations) * work + n_failing / cfg.stations * fail)
    streams = {w: progress(ctx, name, w, "stations") for w in ("checks", "findings", "repairs")}
    left = [float(n_failing)]
    step, t1 = HOURS_PER_MONTH / cfg.stations_per_month, end_hour(ctx, cfg)

    def repair(station: int) -> Process:
        yield ctx.env.timeout(cfg.repair_days * 24.0)
        left[0] -= 1.0
        s = left[0] / cfg.stations
        uncontrolled = 1.0 - ((1 - s) * work + s * fail)
        efficiency = 1.0 - (1.0 - e0) * uncontrolled / ref if ref > 0 else e0
        ctx.ledger.set(ctx.env.now, MobileSources.EVAP_CONTROL, efficiency)
        ctx.ledger.add(ctx.env.now, streams["repairs"], 1.0)
        ctx.ledger.record(ctx.env.now, name, "repaired", f"station_{station + 1}")

    def proc() -> Process:
        yield ctx.env.timeout(start_hour(ctx, cfg.start))
        for i in range(cfg.stations):
            if ctx.env.now >= t1:
                return
            ctx.ledger.add(ctx.env.now, streams["checks"], 1.0)
            if cfg.cost_cny_per_check > 0:
                record_cost(ctx, ctx.env.now, name, operating_cny=cfg.cost_cny_per_check)
            if i in failing:
                ctx.ledger.add(ctx.env.now, streams["findings"], 1.0)
                ctx.ledger.record(ctx.env.now, name, "found", f"station_{i + 1}")
                ctx.env.process(repair(i))
            yield ctx.env.timeout(step)

    ctx.env.process(proc())
