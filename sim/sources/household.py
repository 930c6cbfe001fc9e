"""Household sources: restaurant cooking fumes, household solvent VOC, and open burning.

Restaurants and solvents emit a constant daily amount spread over an hourly profile; purifier
coverage and efficiency are ledger streams a fume-purifier measure changes. Open burning is a
SimPy process of discrete events (a Poisson process whose monthly rate follows the calendar)
that raise the burning rate for a few hours.

Ledger streams
--------------
``household.restaurants.purifier_share``
    Vector over :attr:`HouseholdSources.size_names`: share of restaurants with a purifier.
``household.restaurants.removal_efficiency``
    Vector over sizes: net PM removal of the installed purifiers.
``household.open_burning.rate_kg_h``
    Scalar: material burning in the open, kg/h (raised and lowered by each event).
``household.open_burning.event_rate_factor``
    Scalar in [0, 1], initially 1: share of candidate burning events that happen. An enforcement
    measure lowers it; candidates are drawn identically whatever its value (common random numbers).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from sim.scenario.vocabulary import HOURS_PER_MONTH
from sim.sources.base import POLLUTANTS, EmissionContext, pollutant_row

if TYPE_CHECKING:
    import simpy

    from sim.calendar import Calendar
    from sim.ledger import Ledger
    from sim.scenario.sections.household import HouseholdConfig

__all__ = ["DAYS_PER_YEAR", "HOURS_PER_MONTH", "HouseholdSources", "daily_profile_share"]

#: Mean days in a year; annual amounts are spread at 1/365.25 a day.
DAYS_PER_YEAR = 365.25

PURIFIER_SHARE = "household.restaurants.purifier_share"
REMOVAL = "household.restaurants.removal_efficiency"
BURNING_RATE = "household.open_burning.rate_kg_h"
BURNING_FACTOR = "household.open_burning.event_rate_factor"
PROCESS = "household.open_burning"


def daily_profile_share(calendar: Calendar, profile: tuple[float, ...]) -> NDArray[np.float64]:
    """Share of a day's amount falling in each hour: ``profile[hour] / sum(profile)``."""
    weights = np.asarray(profile, dtype=np.float64)
    return np.asarray((weights / weights.sum())[calendar.hour_of_day], dtype=np.float64)


class HouseholdSources:
    """Household sources (sector ``household``): ``restaurants``, ``solvents``, ``open_burning``.

    Parameters
    ----------
    config
        The ``sources.household`` section (its ``population`` drives the solvents).
    calendar
        The run's hourly axis.
    """

    sector: ClassVar[str] = "household"
    PURIFIER_SHARE_STREAM: ClassVar[str] = PURIFIER_SHARE
    REMOVAL_STREAM: ClassVar[str] = REMOVAL
    BURNING_RATE_STREAM: ClassVar[str] = BURNING_RATE
    BURNING_FACTOR_STREAM: ClassVar[str] = BURNING_FACTOR

    def __init__(self, config: HouseholdConfig, calendar: Calendar) -> None:
        if config.population is None:
            raise ValueError(
                "population(=None) must be set; the engine fills it from district.population."
            )
        self.config = config
        self.calendar = calendar
        self.population: float = config.population

    # -- index helpers -------------------------------------------------------------------------
    @property
    def size_names(self) -> tuple[str, ...]:
        """Restaurant size classes, the order of the restaurant streams."""
        return tuple(s.name for s in self.config.restaurants.sizes)

    def size_index(self, name: str) -> int:
        """Position of size class ``name`` in the restaurant streams."""
        try:
            return self.size_names.index(name)
        except ValueError:
            raise KeyError(f"restaurant size {name!r} unknown; known: {self.size_names}") from None

    @property
    def burning_factors_kg_kg(self) -> NDArray[np.float64]:
        """Open-burning emission factors, kg per kg material, over :data:`POLLUTANTS`."""
        c = self.config.open_burning
        return (
            pollutant_row(
                PM2_5=c.pm25_g_kg,
                PM10=c.pm10_g_kg,
                NOx=c.nox_g_kg,
                SO2=c.so2_g_kg,
                VOC=c.voc_g_kg,
                CO=c.co_g_kg,
                NH3=c.nh3_g_kg,
            )
            / 1000.0
        )

    # -- SimPy ---------------------------------------------------------------------------------
    def start(self, env: simpy.Environment, ledger: Ledger, rng: np.random.Generator) -> None:
        """Declare the household streams and register the open-burning process."""
        sizes = self.config.restaurants.sizes
        ledger.declare(
            PURIFIER_SHARE,
            [s.purifier_share for s in sizes],
            long_name="share of restaurants with a fume purifier, by size",
        )
        ledger.declare(
            REMOVAL,
            [s.removal_efficiency for s in sizes],
            long_name="net PM removal of installed fume purifiers, by size",
        )
        ledger.declare(BURNING_RATE, 0.0, unit="kg h-1", long_name="material burning in the open")
        ledger.declare(
            BURNING_FACTOR, 1.0, long_name="share of candidate burning events that happen"
        )
        if max(self.config.open_burning.events_per_month) > 0:
            env.process(self._open_burning(env, ledger, rng))

    def _open_burning(
        self, env: simpy.Environment, ledger: Ledger, rng: np.random.Generator
    ) -> Generator[Any, Any, None]:
        """Draw burning events by thinning a Poisson process at the highest monthly rate."""
        cfg = self.config.open_burning
        rates = np.asarray(cfg.events_per_month, dtype=np.float64)
        max_rate = float(rates.max())
        mean_gap_h = HOURS_PER_MONTH / max_rate
        months = self.calendar.month
        n_hours = self.calendar.n_hours
        number = 0
        while True:
            gap_h = float(rng.exponential(mean_gap_h))
            mass_kg = float(rng.exponential(cfg.mass_kg_mean))
            draw = float(rng.random())
            if env.now + gap_h >= n_hours:
                return
            yield env.timeout(gap_h)
            keep = rates[months[int(env.now)] - 1] / max_rate
            keep *= float(np.clip(ledger.current(BURNING_FACTOR), 0.0, 1.0))
            if draw >= keep:
                continue
            number += 1
            env.process(self._burn(env, ledger, f"fire-{number}", mass_kg, cfg.duration_h))

    def _burn(
        self, env: simpy.Environment, ledger: Ledger, subject: str, mass_kg: float, hours: float
    ) -> Generator[Any, Any, None]:
        """One fire: ``mass_kg`` burns evenly over ``hours``."""
        rate = mass_kg / hours
        ledger.add(env.now, BURNING_RATE, rate)
        ledger.record(env.now, PROCESS, "start", subject, mass_kg=mass_kg, duration_h=hours)
        yield env.timeout(hours)
        ledger.add(env.now, BURNING_RATE, -rate)
        ledger.record(env.now, PROCESS, "end", subject, mass_kg=mass_kg)

    # -- emissions -----------------------------------------------------------------------------
    def emissions(self, ctx: EmissionContext) -> Mapping[str, NDArray[np.float64]]:
        """Hourly emissions of each household source, kg/h, shape ``(n_hours, len(POLLUTANTS))``."""
        return {
            "restaurants": self._restaurants(ctx),
            "solvents": self._solvents(ctx),
            "open_burning": self._open_burning_emissions(ctx),
        }

    def _restaurants(self, ctx: EmissionContext) -> NDArray[np.float64]:
        cfg = self.config.restaurants
        heads = np.array([s.count * s.stove_heads for s in cfg.sizes], dtype=np.float64)
        share = np.clip(ctx.ledger.hourly(PURIFIER_SHARE), 0.0, 1.0)
        removal = np.clip(ctx.ledger.hourly(REMOVAL), 0.0, 1.0)
        controlled_heads = (1.0 - share * removal) @ heads
        per_day = daily_profile_share(ctx.calendar, cfg.mealtime_profile) / DAYS_PER_YEAR
        out = np.zeros((ctx.calendar.n_hours, len(POLLUTANTS)))
        pm25 = cfg.pm25_kg_per_stove_head_year * controlled_heads * per_day
        out[:, POLLUTANTS.index("PM2.5")] = pm25
        out[:, POLLUTANTS.index("PM10")] = pm25 / cfg.pm25_pm10_ratio
        out[:, POLLUTANTS.index("VOC")] = cfg.voc_kg_per_stove_head_year * heads.sum() * per_day
        return out

    def _solvents(self, ctx: EmissionContext) -> NDArray[np.float64]:
        cfg = self.config.solvents
        annual_kg = cfg.voc_kg_per_person_year * self.population
        per_day = daily_profile_share(ctx.calendar, cfg.daytime_profile) / DAYS_PER_YEAR
        out = np.zeros((ctx.calendar.n_hours, len(POLLUTANTS)))
        out[:, POLLUTANTS.index("VOC")] = annual_kg * per_day
        return out

    def _open_burning_emissions(self, ctx: EmissionContext) -> NDArray[np.float64]:
        rate = np.maximum(ctx.ledger.hourly(BURNING_RATE), 0.0)
        return np.asarray(rate[:, None] * self.burning_factors_kg_kg[None, :], dtype=np.float64)
