"""Tests of the coal sources: season totals, temperature dependence, re-burning episodes."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
import simpy
from pydantic import ValidationError

from sim.calendar import Calendar
from sim.ledger import Ledger
from sim.scenario.sections.coal import CoalConfig, CoalType
from sim.sources.base import POLLUTANTS, EmissionContext
from sim.sources.coal import CoalSources, heating_coal_kg_h, heating_segment_ends
from sim.weather import Weather

PM25 = POLLUTANTS.index("PM2.5")
PM10 = POLLUTANTS.index("PM10")
CO = POLLUTANTS.index("CO")

#: The 2023/24 heating season, 15 Nov 2023 - 15 Mar 2024 inclusive: 16 + 31 + 31 + 29 + 15 days.
SEASON_START = datetime(2023, 11, 15)
SEASON_END = datetime(2024, 3, 16)
SEASON_HOURS = 122 * 24


def _weather(n: int, temperature_c: np.ndarray | float = 0.0) -> Weather:
    return Weather(
        wind_m_s=np.full(n, 2.0),
        mixing_height_m=np.full(n, 500.0),
        temperature_c=np.broadcast_to(np.asarray(temperature_c, dtype=float), (n,)).copy(),
        relative_humidity_pct=np.full(n, 50.0),
        solar_w_m2=np.zeros(n),
        rain_mm_h=np.zeros(n),
        stagnant=np.zeros(n, dtype=bool),
    )


def _config(**overrides: object) -> CoalConfig:
    base: dict[str, object] = {
        "coal_types": [
            CoalType(name="bituminous_chunk", households=100),
            CoalType(name="semi_coke_briquette", households=50, pm25_g_kg=0.79, voc_g_kg=0.1),
        ],
        "coal_t_per_household_season": 2.0,
        "reburning_episodes_per_month": 0.0,
    }
    base.update(overrides)
    return CoalConfig.model_validate(base)


def _run(
    config: CoalConfig,
    start: datetime,
    end: datetime,
    temperature_c: np.ndarray | float = 0.0,
    seed: int = 1,
    factor: float | None = None,
) -> tuple[CoalSources, EmissionContext]:
    calendar = Calendar(start, end)
    ledger = Ledger(calendar.n_hours)
    sources = CoalSources(config, calendar)
    env = simpy.Environment()
    sources.start(env, ledger, np.random.default_rng(seed))
    if factor is not None:
        ledger.set(0.0, CoalSources.REBURNING_RATE_FACTOR_STREAM, factor)
    env.run(until=calendar.n_hours)
    return sources, EmissionContext(calendar, _weather(calendar.n_hours, temperature_c), ledger)


def test_whole_season_emits_households_times_coal_times_factor() -> None:
    n = SEASON_HOURS
    temperature = -2.0 + 8.0 * np.sin(np.arange(n) * 2 * np.pi / 24.0)
    sources, ctx = _run(_config(), SEASON_START, SEASON_END, temperature)
    total = np.asarray(sources.emissions(ctx)["households"]).sum(axis=0)
    # 100 households x 2,000 kg x 13.2 g/kg + 50 x 2,000 kg x 0.79 g/kg = 2,640 + 79 kg PM2.5.
    assert total[PM25] == pytest.approx(2719.0, rel=1e-9)
    assert total[PM10] == pytest.approx(2719.0 / 0.855, rel=1e-9)
    # CO 54.5 g/kg for both: 150 x 2,000 x 54.5 / 1000 = 16,350 kg.
    assert total[CO] == pytest.approx(16350.0, rel=1e-9)


def test_colder_hour_burns_more_coal_by_heating_degree_ratio() -> None:
    calendar = Calendar(SEASON_START, SEASON_END)
    temperature = np.zeros(calendar.n_hours)
    temperature[24 + 7] = -10.0  # 16 Nov 07:00; 15 Nov 07:00 stays at 0 °C
    coal = heating_coal_kg_h(
        calendar, temperature, [1.0] * 24, base_temperature_c=18.0, coal_t_per_season=2.0
    )
    assert coal[24 + 7] / coal[7] == pytest.approx(28.0 / 18.0)
    assert coal.sum() == pytest.approx(2000.0)


def test_hours_warmer_than_base_burn_nothing() -> None:
    calendar = Calendar(SEASON_START, SEASON_END)
    temperature = np.zeros(calendar.n_hours)
    temperature[:24] = 20.0
    coal = heating_coal_kg_h(
        calendar, temperature, [1.0] * 24, base_temperature_c=18.0, coal_t_per_season=2.0
    )
    assert np.all(coal[:24] == 0.0)
    assert coal[24:].sum() == pytest.approx(2000.0)


def test_part_season_burns_its_share_and_nothing_after_15_march() -> None:
    start, end = datetime(2024, 3, 1), datetime(2024, 4, 1)
    sources, ctx = _run(_config(), start, end, temperature_c=0.0)
    per_household = sources.coal_kg_h_per_household(ctx)
    first_off = 15 * 24  # 16 March 00:00
    assert np.all(per_household[first_off:] == 0.0)
    # 1-15 March is 360 of the season's 2,928 hours.
    assert per_household.sum() == pytest.approx(2000.0 * 360 / SEASON_HOURS)


def test_diurnal_profile_sets_hour_ratio_at_constant_temperature() -> None:
    profile = [1.0] * 24
    profile[18] = 3.0
    sources, ctx = _run(_config(diurnal_profile=tuple(profile)), SEASON_START, SEASON_END)
    coal = sources.coal_kg_h_per_household(ctx)
    assert coal[18] / coal[3] == pytest.approx(3.0)


def test_converting_households_stops_their_emissions_from_that_hour() -> None:
    calendar = Calendar(SEASON_START, SEASON_END)
    ledger = Ledger(calendar.n_hours)
    sources = CoalSources(_config(), calendar)
    env = simpy.Environment()
    sources.start(env, ledger, np.random.default_rng(0))
    idx = sources.type_index("bituminous_chunk")
    ledger.add(240.0, CoalSources.HOUSEHOLDS_STREAM, -100, index=idx)
    env.run(until=calendar.n_hours)
    ctx = EmissionContext(calendar, _weather(calendar.n_hours), ledger)
    pm = np.asarray(sources.emissions(ctx)["households"])[:, PM25]
    coal = sources.coal_kg_h_per_household(ctx)
    assert pm[239] == pytest.approx(coal[239] * (100 * 13.2 + 50 * 0.79) / 1000)
    assert pm[240] == pytest.approx(coal[240] * 50 * 0.79 / 1000)


def test_reburning_episodes_are_ledger_events_and_emit_only_during_them() -> None:
    config = _config(
        coal_types=[CoalType(name="bituminous_chunk", households=0)],
        reburning_episodes_per_month=4.0,
    )
    sources, ctx = _run(config, SEASON_START, SEASON_END, seed=7)
    events = [e for e in ctx.ledger.events if e.process == "coal.reburning"]
    starts = [e for e in events if e.kind == "start"]
    ends = [e for e in events if e.kind == "end"]
    assert len(starts) >= 5
    # Only episodes still running when the run (here also the season) ends lack an end event.
    ended = {e.subject for e in ends}
    n = ctx.calendar.n_hours
    for s in starts:
        if s.subject not in ended:
            assert s.time_h + s.quantities["duration_h"] == pytest.approx(n)
    assert np.all(np.asarray(sources.emissions(ctx)["households"]) == 0.0)
    reburn = np.asarray(sources.emissions(ctx)["reburning"])[:, PM25]
    in_episode = np.zeros(n, dtype=bool)
    for s in starts:
        end_h = next((x.time_h for x in ends if x.subject == s.subject), float(n))
        in_episode[int(s.time_h) : int(np.ceil(end_h))] = True
    assert np.all(reburn[~in_episode] == 0.0)
    assert np.all(reburn[in_episode] > 0.0)
    # An hour wholly inside an episode: its households x coal per household x 13.2 g/kg.
    first = next(s for s in starts if s.quantities["duration_h"] > 2.0)
    hour = int(first.time_h) + 1
    households = ctx.ledger.hourly(CoalSources.REBURNING_STREAM)[hour]
    assert households >= first.quantities["households"]
    coal = sources.coal_kg_h_per_household(ctx)[hour]
    assert reburn[hour] == pytest.approx(households * coal * 13.2 / 1000)


def test_reburning_happens_only_in_heating_season() -> None:
    config = _config(reburning_episodes_per_month=20.0)
    _, ctx = _run(config, datetime(2024, 3, 1), datetime(2024, 5, 1), seed=3)
    events = ctx.ledger.events
    assert events
    last_heating_hour = 15 * 24  # 16 March 00:00 ends the season
    assert all(e.time_h <= last_heating_hour for e in events)
    assert np.all(ctx.ledger.hourly(CoalSources.REBURNING_STREAM)[last_heating_hour:] == 0.0)


def test_same_seed_gives_same_episodes_and_different_seed_differs() -> None:
    config = _config(reburning_episodes_per_month=3.0)

    def episodes(seed: int) -> list[tuple[float, str, float]]:
        _, ctx = _run(config, SEASON_START, SEASON_END, seed=seed)
        return [(e.time_h, e.kind, e.quantities["households"]) for e in ctx.ledger.events]

    assert episodes(11) == episodes(11)
    assert episodes(11) != episodes(12)


def test_lower_rate_factor_keeps_a_subset_of_the_same_episodes() -> None:
    config = _config(reburning_episodes_per_month=6.0)

    def start_times(factor: float) -> set[float]:
        _, ctx = _run(config, SEASON_START, SEASON_END, seed=5, factor=factor)
        return {e.time_h for e in ctx.ledger.events if e.kind == "start"}

    full, half, none = start_times(1.0), start_times(0.5), start_times(0.0)
    assert none == set()
    assert half < full


def test_emissions_are_never_negative() -> None:
    config = _config(reburning_episodes_per_month=5.0)
    temperature = np.linspace(-15.0, 25.0, SEASON_HOURS)
    sources, ctx = _run(config, SEASON_START, SEASON_END, temperature, seed=2)
    for array in sources.emissions(ctx).values():
        assert np.asarray(array).shape == (SEASON_HOURS, len(POLLUTANTS))
        assert np.all(np.asarray(array) >= 0.0)


def test_segment_ends_point_to_first_hour_outside_season() -> None:
    heating = np.array([True, True, False, True, False, False, True])
    assert heating_segment_ends(heating).tolist() == [2, 2, 2, 4, 4, 5, 7]


def test_unknown_reburning_coal_type_is_rejected() -> None:
    with pytest.raises(ValidationError, match="reburning_coal_type"):
        _config(reburning_coal_type="anthracite")


def test_profile_of_wrong_length_is_rejected() -> None:
    with pytest.raises(ValidationError, match="24"):
        _config(diurnal_profile=(1.0, 2.0))


def test_unknown_coal_type_name_raises_key_error() -> None:
    sources = CoalSources(_config(), Calendar(SEASON_START, SEASON_END))
    with pytest.raises(KeyError, match="lignite"):
        sources.type_index("lignite")
