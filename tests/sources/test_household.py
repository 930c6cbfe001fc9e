"""Tests of the household sources: restaurant fumes, solvents and open-burning events."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
import simpy
from pydantic import ValidationError

from sim.calendar import Calendar
from sim.ledger import Ledger
from sim.scenario.sections.household import HouseholdConfig, OpenBurningConfig, SolventConfig
from sim.sources.base import POLLUTANTS, EmissionContext
from sim.sources.household import HouseholdSources
from sim.weather import Weather

PM25 = POLLUTANTS.index("PM2.5")
VOC = POLLUTANTS.index("VOC")
YEAR_2023 = (datetime(2023, 1, 1), datetime(2024, 1, 1))


def _weather(n: int) -> Weather:
    return Weather(
        wind_m_s=np.full(n, 2.0),
        mixing_height_m=np.full(n, 500.0),
        temperature_c=np.full(n, 10.0),
        relative_humidity_pct=np.full(n, 50.0),
        solar_w_m2=np.zeros(n),
        rain_mm_h=np.zeros(n),
        stagnant=np.zeros(n, dtype=bool),
    )


def _no_burning() -> OpenBurningConfig:
    return OpenBurningConfig(events_per_month=(0.0,) * 12)


def _run(
    config: HouseholdConfig,
    start: datetime,
    end: datetime,
    seed: int = 1,
    burning_factor: float | None = None,
    purifiers_at_h: float | None = None,
) -> tuple[HouseholdSources, EmissionContext]:
    calendar = Calendar(start, end)
    ledger = Ledger(calendar.n_hours)
    if config.population is None:
        config = config.model_copy(
            update={"population": 483_130}
        )  # the district's, as the engine does
    sources = HouseholdSources(config, calendar)
    env = simpy.Environment()
    sources.start(env, ledger, np.random.default_rng(seed))
    if burning_factor is not None:
        ledger.set(0.0, HouseholdSources.BURNING_FACTOR_STREAM, burning_factor)
    if purifiers_at_h is not None:
        index = sources.size_index("small")
        ledger.set(purifiers_at_h, HouseholdSources.PURIFIER_SHARE_STREAM, 1.0, index=index)
    env.run(until=calendar.n_hours)
    return sources, EmissionContext(calendar, _weather(calendar.n_hours), ledger)


def test_hongqiao_restaurants_emit_about_13_t_pm25_a_year() -> None:
    sources, ctx = _run(HouseholdConfig(population=483_130, open_burning=_no_burning()), *YEAR_2023)
    total = np.asarray(sources.emissions(ctx)["restaurants"]).sum(axis=0)
    # Stove heads x (1 - purifier share x removal): 264 x 0.5338 + 460 x 0.67 + 1008 x 0.8419
    # = 140.92 + 308.20 + 848.64 = 1297.76; x 10.17 kg = 13,198 kg over 365.25 days.
    expected = 10.17 * (264 * (1 - 0.74 * 0.63) + 460 * 0.67 + 1008 * (1 - 0.51 * 0.31))
    assert expected == pytest.approx(13_198.0, rel=1e-3)
    assert total[PM25] == pytest.approx(expected * 365 / 365.25, rel=1e-9)
    # VOC: 6.82 kg x 1,732 stove heads, no purifier removal.
    assert total[VOC] == pytest.approx(6.82 * 1732 * 365 / 365.25, rel=1e-9)


def test_restaurant_fumes_peak_at_mealtimes() -> None:
    sources, ctx = _run(HouseholdConfig(open_burning=_no_burning()), *YEAR_2023)
    pm = np.asarray(sources.emissions(ctx)["restaurants"])[:, PM25]
    # Default profile: 3.0 at 12:00 and 18:00, 0.3 at 09:00, 0 at 03:00.
    assert pm[12] / pm[9] == pytest.approx(10.0)
    assert pm[18] == pytest.approx(pm[12])
    assert pm[3] == 0.0


def test_installing_purifiers_in_all_small_restaurants_cuts_their_share() -> None:
    config = HouseholdConfig(open_burning=_no_burning())
    sources, ctx = _run(config, datetime(2023, 1, 1), datetime(2023, 1, 3), purifiers_at_h=24.0)
    pm = np.asarray(sources.emissions(ctx)["restaurants"])[:, PM25]
    before = 264 * (1 - 0.74 * 0.63) + 460 * 0.67 + 1008 * (1 - 0.51 * 0.31)
    after = 264 * (1 - 0.74 * 0.63) + 460 * 0.67 + 1008 * (1 - 0.31)
    assert pm[24 + 12] / pm[12] == pytest.approx(after / before)


def test_solvents_emit_population_times_per_capita_factor() -> None:
    config = HouseholdConfig(
        population=483_130, solvents=SolventConfig(voc_kg_per_person_year=1.57),
        open_burning=_no_burning(),
    )  # fmt: skip
    sources, ctx = _run(config, *YEAR_2023)
    solvents = np.asarray(sources.emissions(ctx)["solvents"])
    # 483,130 x 1.57 = 758,514 kg a year.
    assert solvents[:, VOC].sum() == pytest.approx(758_514.1 * 365 / 365.25, rel=1e-9)
    assert np.all(np.delete(solvents, VOC, axis=1) == 0.0)


def test_open_burning_events_are_logged_and_emit_mass_times_factor() -> None:
    config = HouseholdConfig(
        open_burning=OpenBurningConfig(events_per_month=(10.0,) * 12, duration_h=2.0)
    )
    sources, ctx = _run(config, datetime(2023, 1, 1), datetime(2023, 3, 1), seed=9)
    events = [e for e in ctx.ledger.events if e.process == "household.open_burning"]
    starts = [e for e in events if e.kind == "start"]
    assert len(starts) >= 8
    burning = np.asarray(sources.emissions(ctx)["open_burning"])
    n = ctx.calendar.n_hours
    mass = sum(e.quantities["mass_kg"] for e in starts if e.time_h + 2.0 <= n)
    assert burning[:, PM25].sum() == pytest.approx(mass * 6.26 / 1000.0, rel=1e-9)
    lit = np.zeros(n, dtype=bool)
    for e in starts:
        lit[int(e.time_h) : int(np.ceil(e.time_h + 2.0))] = True
    assert np.all(burning[~lit] == 0.0)


def test_open_burning_only_in_months_with_a_rate() -> None:
    rates = (20.0,) + (0.0,) * 11
    config = HouseholdConfig(open_burning=OpenBurningConfig(events_per_month=rates))
    _, ctx = _run(config, datetime(2023, 1, 1), datetime(2023, 4, 1), seed=4)
    starts = [e.time_h for e in ctx.ledger.events if e.kind == "start"]
    assert starts
    assert max(starts) < 31 * 24


def test_same_seed_gives_same_fires_and_enforcement_factor_zero_gives_none() -> None:
    config = HouseholdConfig(open_burning=OpenBurningConfig(events_per_month=(6.0,) * 12))

    def fires(seed: int, factor: float | None = None) -> list[tuple[float, float]]:
        _, ctx = _run(config, *YEAR_2023, seed=seed, burning_factor=factor)
        return [(e.time_h, e.quantities["mass_kg"]) for e in ctx.ledger.events]

    assert fires(3) == fires(3)
    assert fires(3) != fires(4)
    assert fires(3, factor=0.0) == []


def test_household_emissions_are_never_negative() -> None:
    sources, ctx = _run(HouseholdConfig(), *YEAR_2023, seed=2)
    for key, array in sources.emissions(ctx).items():
        assert np.asarray(array).shape == (8760, len(POLLUTANTS)), key
        assert np.all(np.asarray(array) >= 0.0), key


def test_monthly_rates_must_be_twelve() -> None:
    with pytest.raises(ValidationError, match="12"):
        OpenBurningConfig(events_per_month=(1.0, 2.0))
