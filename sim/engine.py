"""The engine: one SimPy run for the discrete events, then one vectorised pass for the hours.

1. Build the calendar and the weather.
2. Build the source categories; each declares its ledger streams and registers its SimPy processes
   (measures, when present, register theirs too). ``env.run()`` plays every discrete event.
3. From the ledger's piecewise-constant state, each category computes hourly emissions, vectorised.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.calendar import Calendar
from sim.context import Pm25Forecast, ProcessContext, ProcessHook
from sim.ledger import Ledger
from sim.provenance import TaggedEnvironment
from sim.sources.base import (
    POLLUTANTS,
    SECTORS,
    EmissionContext,
    SourceCategory,
    activity_factor_stream,
)
from sim.streams import rng_for
from sim.weather import Weather, make_weather

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = [
    "Pm25Forecast",
    "ProcessContext",
    "ProcessHook",
    "RunState",
    "build_sources",
    "simulate_state",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunState:
    """Everything one run produced, before it becomes a results Dataset."""

    scenario: Scenario
    seed: int
    calendar: Calendar
    weather: Weather
    ledger: Ledger
    #: ``"<sector>.<source>"`` -> hourly emissions kg/h, shape (n_hours, n_pollutants).
    source_emissions: dict[str, NDArray[np.float64]]
    elapsed_s: float
    #: The daily PM2.5 forecast the run was given (see :func:`simulate_state`), for re-runs.
    pm25_forecast: Pm25Forecast | None = field(default=None, compare=False, repr=False)
    #: Results derived from this run and cached on it (e.g. the run without measures).
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def without_measures(self) -> RunState | None:
        """The same scenario and seed with every measure disabled (cached); None if none is on.

        Outcomes that need "the same year without the plan" (the city following the district's
        relative change; the COD cut by the water measures) share this one extra run. Measures
        of one family never touch another family's state streams, so for the water loads it
        equals the run without the water family alone.
        """
        if "without_measures" not in self.memo:
            policies = self.scenario.policies
            update = {
                name: getattr(policies, name).model_copy(update={"enabled": False})
                for name in type(policies).model_fields
                if getattr(getattr(policies, name), "enabled", False)
            }
            if not update:
                self.memo["without_measures"] = None
            else:
                off = self.scenario.model_copy(
                    update={"policies": policies.model_copy(update=update)}
                )
                self.memo["without_measures"] = simulate_state(
                    off, seed=self.seed, pm25_forecast=self.pm25_forecast
                )
        result: RunState | None = self.memo["without_measures"]
        return result

    def sector_emissions(self) -> NDArray[np.float64]:
        """Hourly emissions by sector, kg/h, shape (n_hours, n_sectors, n_pollutants)."""
        out = np.zeros((self.calendar.n_hours, len(SECTORS), len(POLLUTANTS)))
        for key, arr in self.source_emissions.items():
            out[:, SECTORS.index(key.split(".", 1)[0])] += arr
        return out


def build_sources(scenario: Scenario, calendar: Calendar) -> list[SourceCategory]:
    """Instantiate the configured source categories, in :data:`SECTORS` order."""
    from sim.sources.coal import CoalSources
    from sim.sources.dust import DustSources
    from sim.sources.household import HouseholdSources
    from sim.sources.industrial import IndustrialSources
    from sim.sources.mobile import MobileSources

    cfg = scenario.sources
    built: list[SourceCategory] = []
    if cfg.mobile is not None:
        built.append(MobileSources(cfg.mobile, calendar))
    if cfg.industrial is not None:
        built.append(IndustrialSources(cfg.industrial, calendar))
    if cfg.coal is not None:
        built.append(CoalSources(cfg.coal, calendar))
    if cfg.dust is not None:
        built.append(DustSources(cfg.dust, calendar))
    if cfg.household is not None:
        household = cfg.household
        if household.population is None:
            household = household.model_copy(update={"population": scenario.district.population})
        built.append(HouseholdSources(household, calendar))
    return built


def simulate_state(
    scenario: Scenario,
    *,
    seed: int | None = None,
    hooks: tuple[ProcessHook, ...] = (),
    pm25_forecast: Pm25Forecast | None = None,
) -> RunState:
    """Run one scenario-year and return its raw state.

    Parameters
    ----------
    scenario
        A validated scenario.
    seed
        Root seed; defaults to ``scenario.run.seed``.
    hooks
        Extra process registrations, called after the sources and the scenario's measures.
    pm25_forecast
        The air model's daily PM2.5 forecast, needed by ``emergency_response`` with
        ``forecast.method: air_model`` (:mod:`sim.policies.forecast`).
    """
    t0 = time.perf_counter()
    seed = scenario.run.seed if seed is None else seed
    from sim.spinup import spinup_start

    first = spinup_start(scenario.run.start)  # a partial year plays its events from 1 January
    calendar = Calendar(first or scenario.run.start, scenario.run.end, scenario.run.timezone)
    base_dir = Path(scenario.origin).parent if scenario.origin != "<memory>" else None
    weather = make_weather(calendar, scenario.meteorology, rng_for(seed, "weather"), base_dir)

    env = TaggedEnvironment()  # remembers which measure changed which state (sim.provenance)
    ledger = Ledger(calendar.n_hours, writer=env.writer)
    categories = build_sources(scenario, calendar)
    by_sector = {c.sector: c for c in categories}
    for category in categories:
        category.start(env, ledger, rng_for(seed, f"sources.{category.sector}"))
    pctx = ProcessContext(scenario, env, ledger, by_sector, calendar, weather, seed, pm25_forecast)
    from sim.policies import measure_hooks

    for hook in (*measure_hooks(scenario), *hooks):
        hook(pctx)
    env.run(until=calendar.n_hours)
    if scenario.run.reported_progress is not None:  # sim forecast --progress: restart from it
        from sim.spinup import restart_ledger

        ledger = restart_ledger(ledger, scenario.run.reported_progress, calendar)

    ctx = EmissionContext(calendar=calendar, weather=weather, ledger=ledger)
    emissions: dict[str, NDArray[np.float64]] = {}
    for category in categories:
        for name, arr in category.emissions(ctx).items():
            key = f"{category.sector}.{name}"
            factor_name = activity_factor_stream(key)
            if ledger.has(factor_name):
                arr = arr * ledger.hourly(factor_name).reshape(-1, 1)
            emissions[key] = arr
    if first is not None:
        calendar, weather, ledger, emissions = _keep_period(
            scenario, calendar, weather, ledger, emissions
        )
    elapsed = time.perf_counter() - t0
    log.debug("simulated %s (seed %d) in %.1f ms", scenario.name, seed, elapsed * 1e3)
    state = RunState(scenario, seed, calendar, weather, ledger, emissions, elapsed, pm25_forecast)
    if first is None:  # a cropped partial year keeps no provenance: re-runs do the attribution
        state.memo["categories"] = categories  # for emissions without one measure (sim.provenance)
    return state


def _keep_period(
    scenario: Scenario,
    calendar: Calendar,
    weather: Weather,
    ledger: Ledger,
    emissions: dict[str, NDArray[np.float64]],
) -> tuple[Calendar, Weather, Ledger, dict[str, NDArray[np.float64]]]:
    """The hours of ``[run.start, run.end)`` of a run played from 1 January (:mod:`sim.spinup`)."""
    from sim.spinup import crop_calendar, crop_ledger, crop_weather

    period, offset = crop_calendar(calendar, scenario.run.start, scenario.run.end)
    n = period.n_hours
    kept = {key: arr[offset : offset + n] for key, arr in emissions.items()}
    return period, crop_weather(weather, offset, n), crop_ledger(ledger, offset, n), kept
