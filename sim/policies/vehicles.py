"""Vehicle measures: retire China III, in-use checks, new-energy fleets, forklifts, fuel, vapour.

Every measure acts on :class:`~sim.sources.mobile.MobileSources`' ledger streams through discrete
events (a monthly tranche, a weekly batch of roadside checks, a repair). Measures that repair
defects scale the baseline's fleet-average factors by ``(1 − s + s·k) / (1 − s0 + s0·k)``, where
``s0`` is the defective share of the baseline, ``s`` the share left and ``k`` the defect's
emission multiple: 1 at the start, so a measure changes nothing until it finds something.

A retired or replaced vehicle is replaced in *km-equivalents*: the new cohort gains
``n × km_old / km_new`` vehicles, so the replacement drives what the old vehicle drove.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.errors import ScenarioError
from sim.policies.base import (
    HOURS_PER_MONTH,
    Process,
    book_fixed_costs,
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
    from sim.engine import ProcessContext
    from sim.scenario.sections import policies_vehicles as pv

__all__ = [
    "FAMILY",
    "MEASURES",
    "book_fixed_costs",
    "defect_multiplier",
    "end_hour",
    "monthly_times",
    "register",
]

FAMILY = "vehicles"
MEASURES: tuple[str, ...] = (
    "retire_china3",
    "inuse_supervision",
    "public_fleet_nev",
    "forklift_electric",
    "nonroad_registration",
    "fuel_quality",
    "vapour_recovery",
)
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


class _Composite:
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


def _progress(ctx: ProcessContext, measure: str, what: str, unit: str) -> str:
    name = progress_stream(measure, what)
    ctx.ledger.declare(name, 0.0, unit=unit, long_name=f"{measure}: {what.replace('_', ' ')}")
    return name


def _move(
    mobile: MobileSources, n: NDArray[np.float64], src: NDArray[np.int64], std: str
) -> NDArray[np.float64]:
    """Fleet delta moving ``n`` vehicles of cohorts ``src`` to standard ``std`` of their class."""
    delta = np.zeros(len(mobile.cohorts))
    np.add.at(delta, src, -n)
    for i, count in zip(src, n, strict=True):
        c = mobile.cohorts[i]
        j = mobile.cohort_index(c.vehicle_class, std)
        delta[j] += count * c.annual_km / mobile.cohorts[j].annual_km
    return delta


# -- retire China III and older ------------------------------------------------------------------
def _retire_china3(ctx: ProcessContext, mob: MobileSources, cfg: pv.RetireChina3, _: Any) -> None:
    name, rng = "retire_china3", ctx.rng("retire_china3")
    compliance, hazard = float(draw(cfg.compliance, rng)), float(draw(cfg.hazard_per_year, rng))
    idx = mob.cohort_indices(cfg.classes, max_rank=standard_rank(cfg.max_standard))
    done = _progress(ctx, name, "vehicles_retired", "vehicles")
    until = ctx.calendar.hours_since_start(cfg.deadline) if cfg.pace == "quota" else None
    times = monthly_times(ctx, cfg, until)
    if not times:
        return

    def proc() -> Process:
        target = retired = np.zeros(len(idx))
        for k, t in enumerate(times):
            yield ctx.env.timeout(t - ctx.env.now)
            current = ctx.ledger.current(MobileSources.FLEET_COUNT)[idx]
            if k == 0:
                target = cfg.target_fraction * current
                n = cfg.end_of_life_share * current
            else:
                n = np.zeros(len(idx))
            if cfg.pace == "quota":
                n = n + compliance * target / len(times)
            else:
                p = 1.0 - math.exp(-hazard / 12.0)
                n = n + np.minimum(
                    rng.binomial(np.floor(current).astype(np.int64), p), target - retired
                )
            n = np.clip(n, 0.0, current)
            retired = retired + n
            delta = _move(mob, n * cfg.replaced_china6_share, idx, "china6")
            delta += _move(mob, n * cfg.replaced_nev_share, idx, "nev")
            delta[idx] -= n * (1.0 - cfg.replaced_china6_share - cfg.replaced_nev_share)
            ctx.ledger.add(t, MobileSources.FLEET_COUNT, delta)
            total = float(n.sum())
            ctx.ledger.add(t, done, total)
            ctx.ledger.record(t, name, "retired", "china3_and_older", vehicles=total)
            if cfg.subsidy_cny_per_vehicle > 0:
                record_cost(ctx, t, name, capital_cny=total * cfg.subsidy_cny_per_vehicle)

    ctx.env.process(proc())


# -- in-use supervision of tampered diesel vehicles ----------------------------------------------
def _inuse(
    ctx: ProcessContext, mob: MobileSources, cfg: pv.InUseSupervision, mult: _Composite
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
    streams = {w: _progress(ctx, name, w, "vehicles") for w in ("checks", "findings", "repairs")}
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


# -- new-energy public fleets --------------------------------------------------------------------
def _public_fleet(ctx: ProcessContext, mob: MobileSources, cfg: pv.PublicFleetNev, _: Any) -> None:
    name = "public_fleet_nev"
    done = _progress(ctx, name, "vehicles_replaced", "vehicles")
    times = monthly_times(ctx, cfg)

    def proc(fleet: pv.PublicFleet) -> Process:
        idx = mob.cohort_indices([fleet.vehicle_class], max_rank=standard_rank("china6"))
        remaining = -1.0 if fleet.vehicles is None else fleet.vehicles
        for t in times:
            yield ctx.env.timeout(t - ctx.env.now)
            current = ctx.ledger.current(MobileSources.FLEET_COUNT)[idx]
            if remaining < 0:
                remaining = float(current.sum())
            quota = min(fleet.vehicles_per_month, remaining)
            n = np.zeros(len(idx))
            for j in range(len(idx)):  # oldest standard first
                n[j] = min(current[j], quota - n.sum())
            if n.sum() <= 0:
                return
            remaining -= float(n.sum())
            ctx.ledger.add(t, MobileSources.FLEET_COUNT, _move(mob, n, idx, "nev"))
            ctx.ledger.add(t, done, float(n.sum()))
            ctx.ledger.record(t, name, "replaced", fleet.name, vehicles=float(n.sum()))
            if fleet.cost_cny_per_vehicle > 0:
                record_cost(
                    ctx,
                    t,
                    name,
                    capital_cny=float(n.sum()) * fleet.cost_cny_per_vehicle,
                    subject=fleet.name,
                )

    for fleet in cfg.fleets:
        ctx.env.process(proc(fleet))


# -- forklifts < 3 t to electric -----------------------------------------------------------------
def _forklifts(ctx: ProcessContext, mob: MobileSources, cfg: pv.ForkliftElectric, _: Any) -> None:
    name = "forklift_electric"
    rate = float(draw(cfg.replacement_per_year, ctx.rng(name)))
    try:
        src = np.array([mob.non_road_index(g) for g in cfg.groups], dtype=np.int64)
        dst = mob.non_road_index(cfg.electric_group)
    except KeyError as exc:
        raise ScenarioError(f"policies.{name}: {exc.args[0]}") from None
    done = _progress(ctx, name, "machines_electrified", "machines")
    p = (1.0 - math.exp(-rate / 12.0)) * cfg.electric_share

    def proc() -> Process:
        for t in monthly_times(ctx, cfg):
            yield ctx.env.timeout(t - ctx.env.now)
            n = ctx.ledger.current(MobileSources.NON_ROAD_COUNT)[src] * p
            delta = np.zeros(len(mob.non_road_names))
            delta[src] -= n
            delta[dst] += n.sum()
            ctx.ledger.add(t, MobileSources.NON_ROAD_COUNT, delta)
            ctx.ledger.add(t, done, float(n.sum()))
            ctx.ledger.record(t, name, "electrified", "forklifts", machines=float(n.sum()))
            if cfg.cost_cny_per_machine > 0:
                record_cost(ctx, t, name, capital_cny=float(n.sum()) * cfg.cost_cny_per_machine)

    ctx.env.process(proc())


# -- non-road machinery registration -------------------------------------------------------------
def _nonroad(
    ctx: ProcessContext, mob: MobileSources, cfg: pv.NonRoadRegistration, mult: _Composite
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
    done = _progress(ctx, name, "machines_registered", "machines")
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
def _fuel(ctx: ProcessContext, mob: MobileSources, cfg: pv.FuelQualityChecks, mults: Any) -> None:
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
    streams = {w: _progress(ctx, name, w, "outlets") for w in ("checks", "findings")}
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
def _vapour(ctx: ProcessContext, mob: MobileSources, cfg: pv.VapourRecoveryChecks, _: Any) -> None:
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
    streams = {w: _progress(ctx, name, w, "stations") for w in ("checks", "findings", "repairs")}
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


_REGISTER: dict[str, Callable[..., None]] = {
    "retire_china3": _retire_china3,
    "inuse_supervision": _inuse,
    "public_fleet_nev": _public_fleet,
    "forklift_electric": _forklifts,
    "nonroad_registration": _nonroad,
    "fuel_quality": _fuel,
    "vapour_recovery": _vapour,
}


def register(ctx: ProcessContext) -> None:
    """Register the processes of every enabled vehicle measure (and book their fixed costs)."""
    enabled = [
        (m, cfg)
        for m in MEASURES
        if (cfg := getattr(ctx.scenario.policies, m, None)) is not None and cfg.enabled
    ]
    if not enabled:
        return
    mobile = ctx.sources.get("mobile")
    if not isinstance(mobile, MobileSources):
        raise ScenarioError(f"policies.{enabled[0][0]}: needs sources.mobile in the scenario")
    road = _Composite(ctx, MobileSources.FLEET_MULTIPLIER)
    nonroad = _Composite(ctx, MobileSources.NON_ROAD_MULTIPLIER)
    targets: dict[str, Any] = {
        "inuse_supervision": road,
        "nonroad_registration": nonroad,
        "fuel_quality": (road, nonroad),
    }
    for measure, cfg in enabled:
        _REGISTER[measure](ctx, mobile, cfg, targets.get(measure))
        book_fixed_costs(ctx, measure, cfg)
