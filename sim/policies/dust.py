"""Dust measures (the plan's measure 4): construction sites, muck trucks, bare land, roads, burning.

They act on the dust sources' ledger streams (:mod:`sim.sources.dust`) and on the household
source's open-burning factor:

``site_dust_control``
    Sites keep the "six 100 %" package (``dust.site.control_efficiency``) except during random
    lapses, which networked monitoring (``dust.site.monitored``, sites >= 5,000 m²) flags within
    days and inspections find at their rounds.
``prefabricated_buildings``
    Sites opening on or after the start emit ``1 - share x reduction`` of their controlled dust.
``muck_truck_enclosure``, ``bare_land_cover``, ``road_cleaning``
    ``dust.muck_trucks.enclosed_fraction``, ``dust.bare_land.uncovered_fraction`` and
    ``dust.roads.silt_loading_g_m2`` move to their targets in linear monthly steps. Road dust
    scales as ``(sL1 / sL0)^0.91`` (AP-42 13.2.1).
``open_burning_patrol``
    ``household.open_burning.event_rate_factor`` falls to ``1 - prevented share``.

A site's control efficiency is ``1 - (1 - c) x m``: ``c`` the package's (or, lapsed or without the
measure, the site's own) efficiency, ``m`` the prefabrication multiplier (1 without it).
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
    book_operating_costs,
    end_hour,
    is_active,
    progress_stream,
    record_cost,
    source_category,
    start_hour,
)
from sim.policies.silt import AP42_SILT_EXPONENT, cycle_emission_factor
from sim.provenance import acting
from sim.scenario.distributions import draw
from sim.scenario.vocabulary import HOURS_PER_MONTH

if TYPE_CHECKING:
    from sim.context import ProcessContext
    from sim.scenario.sections.dust import ConstructionSite
    from sim.scenario.sections.policies_dust import (
        BareLandCover,
        MuckTruckEnclosure,
        OpenBurningPatrol,
        PrefabricatedBuildings,
        RoadCleaning,
        SiteDustControl,
    )
    from sim.sources.dust import DustSources

__all__ = ["FAMILY", "MEASURES", "register", "site_control"]

FAMILY = "dust"
MEASURES: tuple[str, ...] = (
    "site_dust_control",
    "muck_truck_enclosure",
    "bare_land_cover",
    "road_cleaning",
    "prefabricated_buildings",
    "open_burning_patrol",
)


def site_control(own: float, package: float | None, multiplier: float) -> float:
    """Control efficiency of a site: ``1 - (1 - c) m``, ``c = max(own, package)`` when kept."""
    c = own if package is None else max(own, package)
    return 1.0 - (1.0 - c) * multiplier


@dataclass
class _SiteState:
    """Per-site state shared by the site measures; :meth:`write` sets the control stream."""

    own: NDArray[np.float64]
    package: list[float | None]
    multiplier: NDArray[np.float64]

    def write(self, ctx: ProcessContext, index: int, stream: str) -> float:
        value = site_control(
            float(self.own[index]), self.package[index], float(self.multiplier[index])
        )
        ctx.ledger.set(ctx.env.now, stream, value, index=index)
        return value


def _dust(ctx: ProcessContext, measure: str) -> DustSources:
    from sim.sources.dust import DustSources

    return source_category(ctx, "dust", DustSources, measure)


def register(ctx: ProcessContext) -> None:
    """Register the processes of every enabled dust measure."""
    pol = ctx.scenario.policies
    if is_active(pol.site_dust_control) or is_active(pol.prefabricated_buildings):
        measure = (
            "site_dust_control" if is_active(pol.site_dust_control) else "prefabricated_buildings"
        )
        src = _dust(ctx, measure)
        sites = _SiteState(
            own=np.array([s.control_efficiency for s in src.sites], dtype=float),
            package=[None] * len(src.sites),
            multiplier=np.ones(len(src.sites)),
        )
        if is_active(pol.prefabricated_buildings):
            assert pol.prefabricated_buildings is not None
            with acting(ctx, "prefabricated_buildings"):
                _register_prefab(ctx, src, pol.prefabricated_buildings, sites)
        if is_active(pol.site_dust_control):
            assert pol.site_dust_control is not None
            with acting(ctx, "site_dust_control"):
                _register_site_control(ctx, src, pol.site_dust_control, sites)
    if is_active(pol.muck_truck_enclosure):
        assert pol.muck_truck_enclosure is not None
        with acting(ctx, "muck_truck_enclosure"):
            _register_muck(ctx, pol.muck_truck_enclosure)
    if is_active(pol.bare_land_cover):
        assert pol.bare_land_cover is not None
        with acting(ctx, "bare_land_cover"):
            _register_bare_land(ctx, pol.bare_land_cover)
    if is_active(pol.road_cleaning):
        assert pol.road_cleaning is not None
        with acting(ctx, "road_cleaning"):
            _register_roads(ctx, pol.road_cleaning)
    if is_active(pol.open_burning_patrol):
        assert pol.open_burning_patrol is not None
        with acting(ctx, "open_burning_patrol"):
            _register_patrol(ctx, pol.open_burning_patrol)


# -- sites -------------------------------------------------------------------------------------
def _site_window(ctx: ProcessContext, site: ConstructionSite) -> tuple[float, float]:
    open_h = ctx.calendar.hours_since_start(site.start)
    return open_h, open_h + site.duration_days * 24.0


def _register_prefab(
    ctx: ProcessContext, src: DustSources, cfg: PrefabricatedBuildings, sites: _SiteState
) -> None:
    measure = "prefabricated_buildings"
    unknown = sorted(set(cfg.sites) - set(src.site_names))
    if unknown:
        raise ScenarioError(f"policies.{measure}.sites: unknown sites {unknown}")
    rng = ctx.rng(measure)
    share = float(np.clip(draw(cfg.prefabricated_share, rng), 0.0, 1.0))
    reduction = float(np.clip(draw(cfg.dust_reduction, rng), 0.0, 1.0))
    book_fixed_costs(ctx, measure, cfg)
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg)
    for index, site in enumerate(src.sites):
        open_h, _ = _site_window(ctx, site)
        if (not cfg.sites or site.name in cfg.sites) and t0 <= open_h < t1:
            sites.multiplier[index] = 1.0 - share * reduction
            ctx.env.process(_prefab_site(ctx, src, index, open_h, sites))


def _prefab_site(
    ctx: ProcessContext, src: DustSources, index: int, open_h: float, sites: _SiteState
) -> Process:
    if open_h > ctx.env.now:
        yield ctx.env.timeout(open_h - ctx.env.now)
    value = sites.write(ctx, index, src.SITE_CONTROL_STREAM)
    ctx.ledger.record(
        ctx.env.now,
        "prefabricated_buildings",
        "applied",
        src.site_names[index],
        control_efficiency=value,
        dust_multiplier=float(sites.multiplier[index]),
    )


def _register_site_control(
    ctx: ProcessContext, src: DustSources, cfg: SiteDustControl, sites: _SiteState
) -> None:
    measure = "site_dust_control"
    for what, unit, long in (
        ("sites_monitored", "sites", "sites with networked monitoring"),
        ("lapses", "lapses", "package lapses begun"),
        ("violations_found", "lapses", "lapses found and corrected"),
    ):
        ctx.ledger.declare(progress_stream(measure, what), 0.0, unit=unit, long_name=long)
    book_fixed_costs(ctx, measure, cfg)
    rng = ctx.rng(measure)
    package = float(np.clip(draw(cfg.package_control_efficiency, rng), 0.0, 1.0))
    p_detect = float(np.clip(draw(cfg.detection_probability, rng), 0.0, 1.0))
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg)
    n_monitored = sum(s.monitored for s in src.sites)
    ctx.ledger.add(0.0, progress_stream(measure, "sites_monitored"), n_monitored)
    for index, site in enumerate(src.sites):
        site_rng = ctx.rng(f"{measure}.{site.name}")
        install_h = max(0.0, float(draw(cfg.monitoring_install_days, site_rng))) * 24.0
        open_h, close_h = _site_window(ctx, site)
        begin, finish = max(t0, open_h), min(t1, close_h)
        if begin < finish:
            ctx.env.process(
                _site(
                    ctx,
                    src,
                    cfg,
                    index,
                    (begin, finish),
                    package,
                    p_detect,
                    install_h,
                    site_rng,
                    sites,
                )
            )


def next_round_h(t_h: float, first_h: float, interval_h: float) -> float:
    """First round at or after ``t_h`` of rounds every ``interval_h`` from ``first_h``."""
    k = max(0.0, np.ceil((t_h - first_h) / interval_h))
    return first_h + k * interval_h


def _site(
    ctx: ProcessContext,
    src: DustSources,
    cfg: SiteDustControl,
    index: int,
    window: tuple[float, float],
    package: float,
    p_detect: float,
    install_h: float,
    rng: np.random.Generator,
    sites: _SiteState,
) -> Process:
    """One site under the package: monitoring, lapses and their detection, until it closes."""
    env, ledger, measure = ctx.env, ctx.ledger, "site_dust_control"
    begin, finish = window
    site = src.sites[index]
    stream, name = src.SITE_CONTROL_STREAM, site.name
    if begin > env.now:
        yield env.timeout(begin - env.now)
    sites.package[index] = package
    ledger.record(env.now, measure, "package_applied", name, control_efficiency=package)
    sites.write(ctx, index, stream)
    monitor_at = (
        env.now + install_h
        if site.area_m2 >= cfg.monitoring_threshold_m2 and not site.monitored
        else None
    )
    monitored = site.monitored
    rate_h = cfg.lapses_per_site_month / HOURS_PER_MONTH
    interval_h = cfg.inspection_interval_days * 24.0
    first_round = start_hour(ctx, cfg.start)
    while True:
        gap = float(rng.exponential(1.0 / rate_h)) if rate_h > 0 else np.inf
        rounds_needed = int(rng.geometric(p_detect)) if p_detect > 0 else None
        lapse_at = env.now + gap
        if monitor_at is not None and monitor_at <= min(lapse_at, finish):
            yield env.timeout(monitor_at - env.now)
            monitored, monitor_at = True, None
            _monitor(ctx, src, cfg, index)
        if lapse_at >= finish:
            return
        yield env.timeout(lapse_at - env.now)
        sites.package[index] = None
        sites.write(ctx, index, stream)
        ledger.add(env.now, progress_stream(measure, "lapses"), 1.0)
        ledger.record(env.now, measure, "lapse", name)
        if monitored:
            found_at = env.now + cfg.monitored_detection_days * 24.0
        elif rounds_needed is None:
            return
        else:
            first = next_round_h(env.now, first_round, interval_h)
            found_at = first + (rounds_needed - 1) * interval_h
        if monitor_at is not None and monitor_at < min(found_at, finish):
            yield env.timeout(monitor_at - env.now)
            monitored, monitor_at = True, None
            _monitor(ctx, src, cfg, index)
            found_at = min(found_at, env.now + cfg.monitored_detection_days * 24.0)
        if found_at >= finish:
            return
        yield env.timeout(found_at - env.now)
        sites.package[index] = package
        sites.write(ctx, index, stream)
        ledger.add(env.now, progress_stream(measure, "violations_found"), 1.0)
        ledger.record(env.now, measure, "violation_found", name, monitored=float(monitored))


def _monitor(ctx: ProcessContext, src: DustSources, cfg: SiteDustControl, index: int) -> None:
    measure, now = "site_dust_control", ctx.env.now
    ctx.ledger.set(now, src.SITE_MONITORED_STREAM, 1.0, index=index)
    ctx.ledger.add(now, progress_stream(measure, "sites_monitored"), 1.0)
    ctx.ledger.record(now, measure, "monitoring_installed", src.site_names[index])
    if cfg.monitoring_capital_cny_per_site > 0.0:
        record_cost(
            ctx,
            now,
            measure,
            capital_cny=cfg.monitoring_capital_cny_per_site,
            subject=src.site_names[index],
        )


# -- ramps: muck trucks, bare land, roads --------------------------------------------------------
def _ramp(
    ctx: ProcessContext,
    measure: str,
    stream: str,
    target: float,
    steps: list[float],
    lower: bool,
    cost_per_unit_change: float = 0.0,
) -> Process:
    """Move ``stream`` from its value at the first step to ``target`` in equal steps (only ever
    towards less emission: down if ``lower``, else up)."""
    env, ledger = ctx.env, ctx.ledger
    n_hours = ctx.calendar.n_hours
    initial: float | None = None
    for k, t in enumerate(steps, start=1):
        if t >= n_hours:
            return
        if t > env.now:
            yield env.timeout(t - env.now)
        current = float(ledger.current(stream))
        if initial is None:
            initial = current
            if (lower and target >= initial) or (not lower and target <= initial):
                return
        value = initial + (target - initial) * k / len(steps)
        ledger.set(env.now, stream, value)
        ledger.set(env.now, progress_stream(measure, "level"), value)
        ledger.record(env.now, measure, "step", stream, value=value)
        if cost_per_unit_change > 0.0:
            change = abs(current - value)
            record_cost(ctx, env.now, measure, capital_cny=cost_per_unit_change * change)


def _start_ramp(
    ctx: ProcessContext,
    measure: str,
    cfg: MuckTruckEnclosure | BareLandCover | RoadCleaning,
    stream: str,
    target: float,
    lower: bool,
    cost_per_unit_change: float = 0.0,
) -> None:
    ctx.ledger.declare(
        progress_stream(measure, "level"),
        ctx.ledger.current(stream),
        long_name=f"{stream} as set by {measure}",
    )
    book_fixed_costs(ctx, measure, cfg)
    t0 = start_hour(ctx, cfg.start)
    steps = adoption_steps_h(t0, max(t0, ctx.calendar.hours_since_start(cfg.reached_by)))
    ctx.env.process(_ramp(ctx, measure, stream, target, steps, lower, cost_per_unit_change))


def _register_muck(ctx: ProcessContext, cfg: MuckTruckEnclosure) -> None:
    src = _dust(ctx, "muck_truck_enclosure")
    _start_ramp(
        ctx,
        "muck_truck_enclosure",
        cfg,
        src.ENCLOSED_STREAM,
        cfg.target_enclosed_fraction,
        lower=False,
    )


def _register_bare_land(ctx: ProcessContext, cfg: BareLandCover) -> None:
    src = _dust(ctx, "bare_land_cover")
    cost = cfg.cost_cny_per_m2 * src.config.bare_land.area_m2
    _start_ramp(
        ctx,
        "bare_land_cover",
        cfg,
        src.UNCOVERED_STREAM,
        cfg.target_uncovered_fraction,
        lower=True,
        cost_per_unit_change=cost,
    )


def _register_roads(ctx: ProcessContext, cfg: RoadCleaning) -> None:
    measure = "road_cleaning"
    src = _dust(ctx, measure)
    if cfg.cleaning_interval_h is None:
        target = max(0.0, float(draw(cfg.target_silt_loading_g_m2, ctx.rng(measure))))
    else:  # cycle-mean silt whose AP-42 emission equals that of cleaning and regeneration
        kept = cycle_emission_factor(
            cfg.removal_per_cleaning, cfg.cleaning_interval_h, cfg.silt_recovery_h
        )
        factor = 1.0 - cfg.covered_road_share * (1.0 - kept)
        equilibrium = float(ctx.ledger.current(src.SILT_LOADING_STREAM))
        target = equilibrium * factor ** (1.0 / AP42_SILT_EXPONENT)
    _start_ramp(ctx, measure, cfg, src.SILT_LOADING_STREAM, target, lower=True)
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg)
    per_year = cfg.cost_cny_per_km_year * src.config.roads.road_length_km
    ctx.env.process(book_operating_costs(ctx, measure, per_year, t0, t1))


# -- open burning --------------------------------------------------------------------------------
def _register_patrol(ctx: ProcessContext, cfg: OpenBurningPatrol) -> None:
    from sim.sources.household import HouseholdSources

    measure = "open_burning_patrol"
    src = ctx.sources.get("household")
    if not isinstance(src, HouseholdSources):
        raise ScenarioError(f"policies.{measure}: needs sources.household, which is absent")
    prevented = float(np.clip(draw(cfg.prevented_share, ctx.rng(measure)), 0.0, 1.0))
    book_fixed_costs(ctx, measure, cfg)
    t0, t1 = start_hour(ctx, cfg.start), end_hour(ctx, cfg)
    if t0 < ctx.calendar.n_hours:
        ctx.env.process(_patrol(ctx, src.BURNING_FACTOR_STREAM, prevented, t0, t1))


def _patrol(ctx: ProcessContext, stream: str, prevented: float, t0: float, t1: float) -> Process:
    env, measure = ctx.env, "open_burning_patrol"
    if t0 > env.now:
        yield env.timeout(t0 - env.now)
    before = float(ctx.ledger.current(stream))
    ctx.ledger.set(env.now, stream, before * (1.0 - prevented))
    ctx.ledger.record(env.now, measure, "patrols_start", "", prevented_share=prevented)
    if t1 < ctx.calendar.n_hours:
        yield env.timeout(t1 - env.now)
        ctx.ledger.set(env.now, stream, before)
        ctx.ledger.record(env.now, measure, "patrols_end", "")
