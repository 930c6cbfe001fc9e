"""Mobile sources: the on-road fleet by class and emission standard, non-road machinery, and
gasoline evaporation in storage, transport and sale.

The fleet is held as cohorts (vehicle class × emission standard), not as vehicles. Its state lives
in ledger streams, which measures change (retire China III vehicles, repair tampered trucks):

``mobile.fleet.count``
    Vehicles in each cohort, shape ``(n_cohorts,)``; order of :attr:`MobileSources.cohorts`.
``mobile.fleet.emission_multiplier``
    Multiplier on each cohort's factors, shape ``(n_cohorts, len(POLLUTANTS))``, default 1
    (tampering, bad fuel).
``mobile.non_road.count``
    Machines in each non-road group, shape ``(n_groups,)``; order of :attr:`non_road_names`.
``mobile.non_road.emission_multiplier``
    Shape ``(n_groups, len(POLLUTANTS))``, default 1.
``mobile.evaporative.control_efficiency``
    Vapour-recovery efficiency, a scalar 0-1.

Hourly emissions are one vectorised product: hourly counts × share of annual km in the hour ×
factors × multipliers × cold correction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from numpy.typing import NDArray

from sim.calendar import Calendar, year_calendar
from sim.errors import ScenarioError
from sim.sources.base import POLLUTANTS, EmissionContext
from sim.sources.vehicle_factors import (
    STANDARDS,
    VEHICLE_CLASSES,
    ColdCorrection,
    cold_multipliers,
    nonroad_factors_g_kwh,
    road_factors_g_km,
    standard_rank,
    vehicle_fuel,
)

if TYPE_CHECKING:
    import simpy

    from sim.ledger import Ledger
    from sim.scenario.sections.mobile import Cohort, DiurnalProfile, MobileConfig

__all__ = [
    "CohortInfo",
    "MobileSources",
    "annual_hour_shares",
    "profile_weights",
    "schedule_weights",
    "standard_rank",
]

log = logging.getLogger(__name__)

Weights = Callable[[Calendar], NDArray[np.float64]]


def profile_weights(profile: DiurnalProfile) -> Weights:
    """Hourly weights of a diurnal profile: its workday or day-off value for each hour."""
    workday = np.asarray(profile.workday, dtype=np.float64)
    day_off = np.asarray(profile.day_off, dtype=np.float64)

    def weights(cal: Calendar) -> NDArray[np.float64]:
        hod = cal.hour_of_day
        return np.where(cal.workday, workday[hod], day_off[hod])

    return weights


def schedule_weights(start_hour: int, end_hour: int, days: str) -> Weights:
    """Weights 1 in operating hours ``[start_hour, end_hour)`` of the chosen days, else 0.

    ``days`` is ``"workdays"`` (working days per :attr:`Calendar.workday`) or ``"all"``.
    """
    if days not in ("workdays", "all"):
        raise ValueError(f"days(={days!r}) must be 'workdays' or 'all'.")

    def weights(cal: Calendar) -> NDArray[np.float64]:
        hod = cal.hour_of_day
        on = (hod >= start_hour) & (hod < end_hour)
        if days == "workdays":
            on &= cal.workday
        return on.astype(np.float64)

    return weights


def annual_hour_shares(calendar: Calendar, weights: Sequence[Weights]) -> NDArray[np.float64]:
    """Share of a year's activity in each hour of the run, shape ``(n_hours, len(weights))``.

    Each hour's weight is divided by the sum of the weights over the whole calendar year it falls
    in, so a run over exactly one calendar year has shares summing to 1 (annual totals conserved
    exactly) and a shorter run gets its part of the year, day types included.
    """
    run = np.column_stack([w(calendar) for w in weights])
    years = np.asarray(calendar.times.year)
    out = np.zeros_like(run)
    for year in np.unique(years):
        whole = year_calendar(int(year))
        total = np.column_stack([w(whole) for w in weights]).sum(axis=0)
        rows = years == year
        out[rows] = np.divide(run[rows], total, out=np.zeros_like(run[rows]), where=total > 0)
    return out


@dataclass(frozen=True)
class CohortInfo:
    """One cohort of the fleet: a vehicle class and an emission standard."""

    index: int
    name: str
    vehicle_class: str
    standard: str
    fuel: str
    annual_km: float
    district_fraction: float
    profile: str

    @property
    def rank(self) -> int:
        """:func:`standard_rank` of the cohort's standard (0 oldest ... 7 new-energy)."""
        return standard_rank(self.standard)


class MobileSources:
    """The mobile-source category; sources ``on_road``, ``non_road`` and ``evaporative``.

    Parameters
    ----------
    config
        The scenario's ``sources.mobile`` section.
    calendar
        The run's hourly axis.
    """

    sector: ClassVar[str] = "mobile"
    FLEET_COUNT: ClassVar[str] = "mobile.fleet.count"
    FLEET_MULTIPLIER: ClassVar[str] = "mobile.fleet.emission_multiplier"
    NON_ROAD_COUNT: ClassVar[str] = "mobile.non_road.count"
    NON_ROAD_MULTIPLIER: ClassVar[str] = "mobile.non_road.emission_multiplier"
    EVAP_CONTROL: ClassVar[str] = "mobile.evaporative.control_efficiency"

    def __init__(self, config: MobileConfig, calendar: Calendar) -> None:
        self.config = config
        self.calendar = calendar
        by_key: dict[tuple[str, str], Cohort] = {
            (c.vehicle_class, c.standard): c for c in config.fleet
        }
        cohorts: list[CohortInfo] = []
        counts: list[float] = []
        for cls in VEHICLE_CLASSES:
            activity = getattr(config.classes, cls)
            for std in STANDARDS:
                entry = by_key.get((cls, std))
                km = activity.annual_km
                if entry is not None and entry.annual_km is not None:
                    km = entry.annual_km
                cohorts.append(
                    CohortInfo(
                        len(cohorts),
                        entry.name if entry else f"{cls}.{std}",
                        cls,
                        std,
                        "electric" if std == "nev" else vehicle_fuel(cls),
                        float(km),
                        float(activity.district_fraction),
                        activity.profile,
                    )
                )
                counts.append(entry.count if entry else 0.0)
        self._cohorts = tuple(cohorts)
        self._initial_counts = np.asarray(counts)
        n_p = len(POLLUTANTS)
        self.factors_g_km = road_factors_g_km(config.fuel_sulfur_mg_kg).reshape(-1, n_p)
        self.cold_multipliers = cold_multipliers(
            ColdCorrection(threshold_c=config.cold_threshold_c)
        ).reshape(-1, n_p)
        if not config.cold_correction:
            self.cold_multipliers[:] = 1.0

        names = sorted(config.profiles)
        shares = annual_hour_shares(calendar, [profile_weights(config.profiles[n]) for n in names])
        self._profile_shares = {n: shares[:, i] for i, n in enumerate(names)}
        #: Share of a year's km driven in each hour, per cohort: shape (n_hours, n_cohorts).
        self.km_shares = np.column_stack([self._profile_shares[c.profile] for c in cohorts])

        groups = config.non_road
        self._non_road_names = tuple(g.name for g in groups)
        self.non_road_factors_g_kwh = np.array(
            [nonroad_factors_g_kwh(g.fuel, g.stage, config.fuel_sulfur_mg_kg) for g in groups]
        ).reshape(len(groups), n_p)
        #: Engine output per machine-year, kWh.
        self.non_road_kwh_yr = np.array(
            [g.power_kw * g.load_factor * g.annual_hours for g in groups]
        )
        self.non_road_shares = (
            annual_hour_shares(
                calendar, [schedule_weights(g.start_hour, g.end_hour, g.days) for g in groups]
            )
            if groups
            else np.zeros((calendar.n_hours, 0))
        )
        self._check_non_road_hours()

    def _check_non_road_hours(self) -> None:
        for g in self.config.non_road:
            weights = schedule_weights(g.start_hour, g.end_hour, g.days)
            year = self.calendar.start.year
            whole = year_calendar(year)
            available = float(weights(whole).sum())
            if g.annual_hours > available:
                raise ScenarioError(
                    f"sources.mobile.non_road[{g.name}].annual_hours = {g.annual_hours}: must "
                    f"be <= the {available:.0f} operating hours its schedule allows in {year}"
                )

    # -- indices for measures -----------------------------------------------------------------
    @property
    def cohorts(self) -> tuple[CohortInfo, ...]:
        """Every cohort, in stream order: all classes × all standards (absent ones count 0)."""
        return self._cohorts

    def cohort_index(self, vehicle_class: str, standard: str) -> int:
        """Position of cohort (``vehicle_class``, ``standard``) in the fleet streams."""
        _check_class(vehicle_class)
        return VEHICLE_CLASSES.index(vehicle_class) * len(STANDARDS) + standard_rank(standard)

    def cohort_indices(
        self,
        vehicle_classes: Sequence[str] | None = None,
        *,
        max_rank: int | None = None,
        min_rank: int | None = None,
    ) -> NDArray[np.int64]:
        """Indices of cohorts of the given classes (all if None) with rank in [min, max].

        ``cohort_indices(max_rank=standard_rank("china3"))`` selects China III and older.
        """
        for cls in vehicle_classes or ():
            _check_class(cls)
        keep = [
            c.index
            for c in self._cohorts
            if (vehicle_classes is None or c.vehicle_class in vehicle_classes)
            and (max_rank is None or c.rank <= max_rank)
            and (min_rank is None or c.rank >= min_rank)
        ]
        return np.asarray(keep, dtype=np.int64)

    @staticmethod
    def standard_rank(standard: str) -> int:
        """See :func:`sim.sources.vehicle_factors.standard_rank`."""
        return standard_rank(standard)

    @property
    def non_road_names(self) -> tuple[str, ...]:
        """Non-road group names, in the order of ``mobile.non_road.*`` streams."""
        return self._non_road_names

    def non_road_index(self, name: str) -> int:
        """Position of non-road group ``name``."""
        try:
            return self._non_road_names.index(name)
        except ValueError:
            raise KeyError(f"no non-road group {name!r}; have {self._non_road_names}") from None

    # -- protocol -----------------------------------------------------------------------------
    def start(self, env: simpy.Environment, ledger: Ledger, rng: np.random.Generator) -> None:
        """Declare the category's streams at t = 0 (it has no processes of its own)."""
        n_c, n_g, n_p = len(self._cohorts), len(self._non_road_names), len(POLLUTANTS)
        ledger.declare(
            self.FLEET_COUNT,
            self._initial_counts,
            unit="vehicles",
            long_name="vehicles per fleet cohort",
        )
        ledger.declare(
            self.FLEET_MULTIPLIER,
            np.ones((n_c, n_p)),
            long_name="emission-factor multiplier per cohort and pollutant",
        )
        ledger.declare(
            self.NON_ROAD_COUNT,
            [g.count for g in self.config.non_road],
            unit="machines",
            long_name="machines per non-road group",
        )
        ledger.declare(
            self.NON_ROAD_MULTIPLIER,
            np.ones((n_g, n_p)),
            long_name="emission-factor multiplier per non-road group and pollutant",
        )
        ledger.declare(
            self.EVAP_CONTROL,
            self.config.evaporative.control_efficiency,
            long_name="vapour-recovery control efficiency",
        )

    def emissions(self, ctx: EmissionContext) -> dict[str, NDArray[np.float64]]:
        """Hourly kg/h of ``on_road``, ``non_road`` and ``evaporative``."""
        if ctx.calendar.n_hours != self.calendar.n_hours:
            raise ValueError("ctx.calendar differs from the calendar the sources were built for.")
        return {
            "on_road": self.on_road(ctx),
            "non_road": self.non_road(ctx),
            "evaporative": self.evaporative(ctx),
        }

    # -- sources ------------------------------------------------------------------------------
    def on_road(self, ctx: EmissionContext) -> NDArray[np.float64]:
        """On-road exhaust, kg/h: Σ_cohorts count × km share × factor × multiplier × cold.

        Cold hours (temperature below ``cold_threshold_c``) take the MEE 2014 multipliers.
        """
        counts = ctx.ledger.hourly(self.FLEET_COUNT)
        km_per_vehicle = np.array([c.annual_km * c.district_fraction for c in self._cohorts])
        km_h = counts * km_per_vehicle * self.km_shares  # (hours, cohorts): fleet km in hour
        cold = (ctx.weather.temperature_c < self.config.cold_threshold_c).astype(np.float64)
        extra = self.factors_g_km * (self.cold_multipliers - 1.0)
        return _weighted_sum(
            ctx.ledger, self.FLEET_MULTIPLIER, km_h, self.factors_g_km, extra, cold
        )

    def non_road(self, ctx: EmissionContext) -> NDArray[np.float64]:
        """Non-road machinery, kg/h: machines × kWh per machine-year × hour share × g/kWh."""
        counts = ctx.ledger.hourly(self.NON_ROAD_COUNT)
        kwh_h = counts * self.non_road_kwh_yr * self.non_road_shares
        none = np.zeros_like(self.non_road_factors_g_kwh)
        zero = np.zeros(ctx.calendar.n_hours)
        return _weighted_sum(
            ctx.ledger, self.NON_ROAD_MULTIPLIER, kwh_h, self.non_road_factors_g_kwh, none, zero
        )

    def evaporative(self, ctx: EmissionContext) -> NDArray[np.float64]:
        """Gasoline evaporation, kg/h VOC (AP-42 5.2 loss factors, mg per litre sold).

        Filling, breathing and refuelling losses are cut by the vapour-recovery efficiency;
        spillage is not.
        """
        ev = self.config.evaporative
        litres_yr = ev.gasoline_throughput_t_yr * 1000.0 / ev.density_kg_l
        controllable_mg_l = ev.tank_filling_mg_l + ev.breathing_mg_l + ev.refuelling_mg_l
        controllable_kg = litres_yr * controllable_mg_l * 1e-6
        spill_kg = litres_yr * ev.spillage_mg_l * 1e-6
        share = self._profile_shares[ev.profile]
        efficiency = ctx.ledger.hourly(self.EVAP_CONTROL)
        out = np.zeros((ctx.calendar.n_hours, len(POLLUTANTS)))
        out[:, POLLUTANTS.index("VOC")] = share * (controllable_kg * (1.0 - efficiency) + spill_kg)
        return out


def _check_class(vehicle_class: str) -> None:
    if vehicle_class not in VEHICLE_CLASSES:
        raise ValueError(f"vehicle_class(={vehicle_class!r}) must be one of {VEHICLE_CLASSES}.")


def _weighted_sum(
    ledger: Ledger,
    multiplier_stream: str,
    activity: NDArray[np.float64],
    factors_g: NDArray[np.float64],
    cold_extra_g: NDArray[np.float64],
    cold: NDArray[np.float64],
) -> NDArray[np.float64]:
    """kg/h = (activity @ (m ∘ F) + cold · activity @ (m ∘ F_extra)) / 1000, m per hour.

    ``activity`` is (hours, units); factors (units, pollutants) per unit of activity in g. The
    multiplier is applied piece by piece over the stretches where it is constant.
    """
    pieces = ledger.segments(multiplier_stream)
    warm = np.empty((activity.shape[0], factors_g.shape[1]))
    extra = np.empty_like(warm)
    for a, b, m in pieces:  # the multiplier changes at a few event times: one product per piece
        warm[a:b] = activity[a:b] @ (m * factors_g)
        extra[a:b] = activity[a:b] @ (m * cold_extra_g)
    return np.asarray((warm + cold[:, None] * extra) / 1000.0)
