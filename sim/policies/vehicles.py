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
    Process,
    book_fixed_costs,
    end_hour,
    monthly_times,
    record_cost,
)
from sim.policies.vehicle_checks import (
    Composite,
    defect_multiplier,
    fuel_checks,
    inuse_supervision,
    nonroad_registration,
    progress,
    vapour_recovery,
)
from sim.provenance import acting
from sim.scenario.distributions import draw
from sim.sources.base import POLLUTANTS
from sim.sources.mobile import MobileSources
from sim.sources.vehicle_factors import standard_rank

if TYPE_CHECKING:
    from sim.context import ProcessContext
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
    done = progress(ctx, name, "vehicles_retired", "vehicles")
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
            subsidy, residual = _retirement_costs(mob, cfg, n, idx)
            if subsidy > 0 or residual > 0:
                record_cost(ctx, t, name, capital_cny=residual, transfer_cny=subsidy)

    ctx.env.process(proc())


def _retirement_costs(
    mob: MobileSources, cfg: pv.RetireChina3, n: NDArray[np.float64], idx: NDArray[np.int64]
) -> tuple[float, float]:
    """Subsidies paid (a transfer) and residual value given up (a resource cost), CNY."""
    classes = [mob.cohorts[i].vehicle_class for i in idx]
    subsidy = sum(
        float(k) * cfg.subsidy_cny_by_class.get(c, cfg.subsidy_cny_per_vehicle)
        for k, c in zip(n, classes, strict=True)
    )
    residual = sum(
        float(k) * cfg.residual_value_cny_by_class.get(c, 0.0)
        for k, c in zip(n, classes, strict=True)
    )
    return subsidy, residual


# -- new-energy public fleets --------------------------------------------------------------------
def _public_fleet(ctx: ProcessContext, mob: MobileSources, cfg: pv.PublicFleetNev, _: Any) -> None:
    name = "public_fleet_nev"
    done = progress(ctx, name, "vehicles_replaced", "vehicles")
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
    done = progress(ctx, name, "machines_electrified", "machines")
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


_REGISTER: dict[str, Callable[..., None]] = {
    "retire_china3": _retire_china3,
    "inuse_supervision": inuse_supervision,
    "public_fleet_nev": _public_fleet,
    "forklift_electric": _forklifts,
    "nonroad_registration": nonroad_registration,
    "fuel_quality": fuel_checks,
    "vapour_recovery": vapour_recovery,
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
    road = Composite(ctx, MobileSources.FLEET_MULTIPLIER)
    nonroad = Composite(ctx, MobileSources.NON_ROAD_MULTIPLIER)
    targets: dict[str, Any] = {
        "inuse_supervision": road,
        "nonroad_registration": nonroad,
        "fuel_quality": (road, nonroad),
    }
    for measure, cfg in enabled:
        with acting(ctx, measure):
            _REGISTER[measure](ctx, mobile, cfg, targets.get(measure))
            book_fixed_costs(ctx, measure, cfg)
