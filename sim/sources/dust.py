"""Dust sources: construction sites, paved-road resuspension, bare-land wind erosion, muck trucks.

Construction sites are entities: a SimPy process per site opens it at its start date and closes it
after its duration. Everything else is computed after the run from the ledger's state streams, the
calendar and the weather. No dust is emitted in rain hours.

Ledger streams
--------------
``dust.site.active``
    Vector over :attr:`DustSources.site_names`, 1 while a site works, else 0.
``dust.site.control_efficiency``
    Vector over sites, share of uncontrolled dust removed (a measure raises it; e.g.
    ``ledger.set(t, "dust.site.control_efficiency", 0.8, index=sources.site_areas_m2 >= 5000.0)``).
``dust.site.monitored``
    Vector over sites, 1 if video or dust monitoring is networked (informational: a monitoring
    measure sets it and raises the control efficiency it brings).
``dust.roads.silt_loading_g_m2``
    Scalar road silt loading sL, g/m² (road cleaning lowers it).
``dust.bare_land.uncovered_fraction``
    Scalar share of bare land and stockpiles left uncovered.
``dust.muck_trucks.enclosed_fraction``
    Scalar share of muck-truck trips in enclosed trucks.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.sources.base import POLLUTANTS, EmissionContext

if TYPE_CHECKING:
    import simpy

    from sim.calendar import Calendar
    from sim.ledger import Ledger
    from sim.scenario.sections.dust import ConstructionSite, DustConfig

__all__ = [
    "DAYS_PER_MONTH",
    "DustSources",
    "construction_pm10_kg_m2_h",
    "paved_road_ef_g_vkt",
    "wind_erosion_flux_g_m2_h",
]

#: Mean days in a month (365.25 / 12).
DAYS_PER_MONTH = 365.25 / 12.0

SITE_ACTIVE = "dust.site.active"
SITE_CONTROL = "dust.site.control_efficiency"
SITE_MONITORED = "dust.site.monitored"
SILT_LOADING = "dust.roads.silt_loading_g_m2"
UNCOVERED = "dust.bare_land.uncovered_fraction"
ENCLOSED = "dust.muck_trucks.enclosed_fraction"
PROCESS = "dust.construction"

_PM25 = POLLUTANTS.index("PM2.5")
_PM10 = POLLUTANTS.index("PM10")


def paved_road_ef_g_vkt(
    k_g_vkt: float, silt_loading_g_m2: ArrayLike, weight_t: float
) -> NDArray[np.float64]:
    """Paved-road dust per vehicle-km, g/VKT: ``E = k (sL)^0.91 W^1.02`` (AP-42 13.2.1 eq. 1).

    Parameters
    ----------
    k_g_vkt
        Particle size multiplier, g/VKT (0.15 for PM2.5, 0.62 for PM10).
    silt_loading_g_m2
        Road-surface silt loading sL, g/m².
    weight_t
        Mean weight W of the vehicles on the road, short tons in AP-42; metric tonnes here (the
        difference, 10 % in W, is inside the equation's stated quality rating).
    """
    sl = np.maximum(np.asarray(silt_loading_g_m2, dtype=np.float64), 0.0)
    return np.asarray(k_g_vkt * sl**0.91 * weight_t**1.02, dtype=np.float64)


def wind_erosion_flux_g_m2_h(
    wind_m_s: ArrayLike, threshold_m_s: float, flux_at_10_m_s: float
) -> NDArray[np.float64]:
    """Wind-erosion PM flux, g/m²/h: ``F10 g(u)/g(10)``, ``g(u) = u^4 (1 - u_t/u)`` above ``u_t``.

    The shape is that of Gillette & Passi (1988, JGR 93:14233) with 10 m wind for friction
    velocity; below the threshold ``u_t`` nothing erodes.
    """
    u = np.asarray(wind_m_s, dtype=np.float64)
    if threshold_m_s >= 10.0:
        raise ValueError(f"threshold_m_s(={threshold_m_s}) must be < 10 (the reference wind).")
    g = np.where(u > threshold_m_s, u**4 * (1.0 - threshold_m_s / np.maximum(u, 1e-12)), 0.0)
    g_ref = 10.0**4 * (1.0 - threshold_m_s / 10.0)
    return np.asarray(flux_at_10_m_s * g / g_ref, dtype=np.float64)


def construction_pm10_kg_m2_h(pm10_kg_m2_month: float, work_hours_per_day: int) -> float:
    """PM10 per m² per working hour, kg: the monthly factor spread over a month's working hours."""
    if work_hours_per_day <= 0:
        raise ValueError(f"work_hours_per_day(={work_hours_per_day}) must be > 0.")
    return pm10_kg_m2_month / (DAYS_PER_MONTH * work_hours_per_day)


def _normalised(profile: tuple[float, ...]) -> NDArray[np.float64]:
    weights = np.asarray(profile, dtype=np.float64)
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def _pm_rows(pm10_kg_h: NDArray[np.float64], ratio: float) -> NDArray[np.float64]:
    out = np.zeros((pm10_kg_h.shape[0], len(POLLUTANTS)))
    out[:, _PM10] = np.maximum(pm10_kg_h, 0.0)
    out[:, _PM25] = ratio * out[:, _PM10]
    return out


class DustSources:
    """Dust sources (sector ``dust``): ``construction``, ``roads``, ``bare_land``, ``muck_trucks``.

    Parameters
    ----------
    config
        The ``sources.dust`` section.
    calendar
        The run's hourly axis.
    """

    sector: ClassVar[str] = "dust"
    SITE_ACTIVE_STREAM: ClassVar[str] = SITE_ACTIVE
    SITE_CONTROL_STREAM: ClassVar[str] = SITE_CONTROL
    SITE_MONITORED_STREAM: ClassVar[str] = SITE_MONITORED
    SILT_LOADING_STREAM: ClassVar[str] = SILT_LOADING
    UNCOVERED_STREAM: ClassVar[str] = UNCOVERED
    ENCLOSED_STREAM: ClassVar[str] = ENCLOSED

    def __init__(self, config: DustConfig, calendar: Calendar) -> None:
        self.config = config
        self.calendar = calendar

    # -- index helpers -------------------------------------------------------------------------
    @property
    def sites(self) -> tuple[ConstructionSite, ...]:
        """The construction sites, in stream order."""
        return self.config.construction.sites

    @property
    def site_names(self) -> tuple[str, ...]:
        """Site names, the order of the ``dust.site.*`` vectors."""
        return tuple(s.name for s in self.sites)

    @property
    def site_areas_m2(self) -> NDArray[np.float64]:
        """Site areas, m²."""
        return np.array([s.area_m2 for s in self.sites], dtype=np.float64)

    # -- SimPy ---------------------------------------------------------------------------------
    def start(self, env: simpy.Environment, ledger: Ledger, rng: np.random.Generator) -> None:
        """Declare the dust streams and register one opening/closing process per site.

        ``rng`` is unused: every dust event is scheduled by the scenario.
        """
        cfg = self.config
        n_sites = len(self.sites)
        ledger.declare(SITE_ACTIVE, np.zeros(n_sites), long_name="construction site working (0/1)")
        ledger.declare(
            SITE_CONTROL,
            [s.control_efficiency for s in self.sites],
            long_name="construction site dust control efficiency",
        )
        ledger.declare(
            SITE_MONITORED,
            [float(s.monitored) for s in self.sites],
            long_name="construction site monitoring networked (0/1)",
        )
        ledger.declare(
            SILT_LOADING,
            cfg.roads.silt_loading_g_m2,
            unit="g m-2",
            long_name="paved-road silt loading",
        )
        ledger.declare(
            UNCOVERED,
            cfg.bare_land.uncovered_fraction,
            long_name="share of bare land and stockpiles uncovered",
        )
        ledger.declare(
            ENCLOSED,
            cfg.muck_trucks.enclosed_fraction,
            long_name="share of muck-truck trips in enclosed trucks",
        )
        for index, site in enumerate(self.sites):
            env.process(self._site(env, ledger, index, site))

    def _site(
        self, env: simpy.Environment, ledger: Ledger, index: int, site: ConstructionSite
    ) -> Generator[Any, Any, None]:
        """Open site ``index`` at its start date and close it after its duration."""
        open_h = self.calendar.hours_since_start(site.start)
        close_h = open_h + site.duration_days * 24.0
        if close_h <= 0.0:
            return
        if open_h > env.now:
            yield env.timeout(open_h - env.now)
        ledger.set(env.now, SITE_ACTIVE, 1.0, index=index)
        ledger.record(env.now, PROCESS, "opened", site.name, area_m2=site.area_m2)
        yield env.timeout(close_h - env.now)
        ledger.set(env.now, SITE_ACTIVE, 0.0, index=index)
        ledger.record(env.now, PROCESS, "closed", site.name, area_m2=site.area_m2)

    # -- emissions -----------------------------------------------------------------------------
    def emissions(self, ctx: EmissionContext) -> Mapping[str, NDArray[np.float64]]:
        """Hourly emissions of each dust source, kg/h, shape ``(n_hours, len(POLLUTANTS))``."""
        return {
            "construction": self._construction(ctx),
            "roads": self._roads(ctx),
            "bare_land": self._bare_land(ctx),
            "muck_trucks": self._muck_trucks(ctx),
        }

    def _construction(self, ctx: EmissionContext) -> NDArray[np.float64]:
        cfg = self.config.construction
        n = ctx.calendar.n_hours
        if not self.sites:
            return np.zeros((n, len(POLLUTANTS)))
        active = np.clip(ctx.ledger.hourly(SITE_ACTIVE), 0.0, 1.0)
        control = np.clip(ctx.ledger.hourly(SITE_CONTROL), 0.0, 1.0)
        hour = ctx.calendar.hour_of_day
        working = (hour >= cfg.work_start_hour) & (hour < cfg.work_end_hour)
        working &= ~np.asarray(ctx.weather.raining, dtype=bool)
        rate = construction_pm10_kg_m2_h(
            cfg.pm10_kg_m2_month, cfg.work_end_hour - cfg.work_start_hour
        )
        effective_area = (active * (1.0 - control)) @ self.site_areas_m2
        return _pm_rows(rate * effective_area * working, cfg.pm25_pm10_ratio)

    def road_vkt_h(self, calendar: Calendar) -> NDArray[np.float64]:
        """Vehicle-km travelled on the district's paved roads in each hour."""
        cfg = self.config.roads
        hour = calendar.hour_of_day
        day_off = np.asarray(calendar.day_off, dtype=bool)
        share = np.where(
            day_off,
            cfg.day_off_traffic_factor * _normalised(cfg.day_off_profile)[hour],
            _normalised(cfg.workday_profile)[hour],
        )
        return np.asarray(cfg.road_length_km * cfg.workday_traffic_veh_per_day * share)

    def _roads(self, ctx: EmissionContext) -> NDArray[np.float64]:
        cfg = self.config.roads
        silt = ctx.ledger.hourly(SILT_LOADING)
        dry = np.asarray(ctx.weather.rain_mm_h, dtype=np.float64) < cfg.rain_threshold_mm_h
        vkt = self.road_vkt_h(ctx.calendar) * dry
        out = np.zeros((ctx.calendar.n_hours, len(POLLUTANTS)))
        w = cfg.mean_vehicle_weight_t
        out[:, _PM25] = vkt * paved_road_ef_g_vkt(cfg.k_pm25_g_vkt, silt, w) / 1000.0
        out[:, _PM10] = vkt * paved_road_ef_g_vkt(cfg.k_pm10_g_vkt, silt, w) / 1000.0
        return out

    def _bare_land(self, ctx: EmissionContext) -> NDArray[np.float64]:
        cfg = self.config.bare_land
        uncovered = np.clip(ctx.ledger.hourly(UNCOVERED), 0.0, 1.0)
        flux = wind_erosion_flux_g_m2_h(
            ctx.weather.wind_m_s, cfg.wind_threshold_m_s, cfg.pm10_g_m2_h_at_10_m_s
        )
        dry = ~np.asarray(ctx.weather.raining, dtype=bool)
        pm10_kg_h = cfg.area_m2 * uncovered * flux * dry / 1000.0
        return _pm_rows(pm10_kg_h, cfg.pm25_pm10_ratio)

    def muck_truck_trips_h(self, calendar: Calendar) -> NDArray[np.float64]:
        """Muck-truck trips in each hour: the daily trips spread evenly over operating hours."""
        cfg = self.config.muck_trucks
        hour = calendar.hour_of_day
        lo, hi = cfg.operating_start_hour, cfg.operating_end_hour
        operating = (hour >= lo) & (hour < hi) if lo < hi else (hour >= lo) | (hour < hi)
        n_operating = (hi - lo) % 24
        return np.asarray(operating * cfg.trips_per_day / n_operating, dtype=np.float64)

    def _muck_trucks(self, ctx: EmissionContext) -> NDArray[np.float64]:
        cfg = self.config.muck_trucks
        enclosed = np.clip(ctx.ledger.hourly(ENCLOSED), 0.0, 1.0)
        per_km_g = cfg.open_pm10_g_km * (1.0 - enclosed * cfg.enclosure_reduction)
        dry = ~np.asarray(ctx.weather.raining, dtype=bool)
        trips = self.muck_truck_trips_h(ctx.calendar)
        pm10_kg_h = trips * cfg.km_per_trip * per_km_g * dry / 1000.0
        return _pm_rows(pm10_kg_h, cfg.pm25_pm10_ratio)
