"""Tests of the dust sources: AP-42 road dust, construction sites, bare land, muck trucks."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest
import simpy
from pydantic import ValidationError

from sim.calendar import Calendar
from sim.ledger import Ledger
from sim.scenario.sections.dust import (
    BareLandConfig,
    ConstructionConfig,
    ConstructionSite,
    DustConfig,
    MuckTruckConfig,
    RoadDustConfig,
)
from sim.sources.base import POLLUTANTS, EmissionContext
from sim.sources.dust import DustSources, paved_road_ef_g_vkt, wind_erosion_flux_g_m2_h
from sim.weather import Weather

PM25 = POLLUTANTS.index("PM2.5")
PM10 = POLLUTANTS.index("PM10")


def _weather(
    n: int, rain_mm_h: np.ndarray | float = 0.0, wind_m_s: np.ndarray | float = 2.0
) -> Weather:
    return Weather(
        wind_m_s=np.broadcast_to(np.asarray(wind_m_s, dtype=float), (n,)).copy(),
        mixing_height_m=np.full(n, 500.0),
        temperature_c=np.full(n, 10.0),
        relative_humidity_pct=np.full(n, 50.0),
        solar_w_m2=np.zeros(n),
        rain_mm_h=np.broadcast_to(np.asarray(rain_mm_h, dtype=float), (n,)).copy(),
        stagnant=np.zeros(n, dtype=bool),
    )


def _run(
    config: DustConfig,
    start: datetime,
    end: datetime,
    rain_mm_h: np.ndarray | float = 0.0,
    wind_m_s: np.ndarray | float = 2.0,
) -> tuple[DustSources, EmissionContext]:
    calendar = Calendar(start, end)
    ledger = Ledger(calendar.n_hours)
    sources = DustSources(config, calendar)
    env = simpy.Environment()
    sources.start(env, ledger, np.random.default_rng(0))
    env.run(until=calendar.n_hours)
    weather = _weather(calendar.n_hours, rain_mm_h, wind_m_s)
    return sources, EmissionContext(calendar, weather, ledger)


def _only(**sections: object) -> DustConfig:
    """A config where every source but the named ones emits nothing."""
    base: dict[str, object] = {
        "roads": RoadDustConfig(road_length_km=0.0),
        "bare_land": BareLandConfig(area_m2=0.0),
        "muck_trucks": MuckTruckConfig(trips_per_day=0.0),
    }
    base.update(sections)
    return DustConfig.model_validate(base)


SITE = ConstructionSite(
    name="north_plot",
    area_m2=10_000.0,
    start=date(2024, 3, 1),
    duration_days=60.0,
    control_efficiency=0.5,
)


# -- paved roads --------------------------------------------------------------------------------
def test_ap42_road_factor_matches_hand_values() -> None:
    # 0.62 x 1^0.91 x 2^1.02 = 0.62 x 2.02792 = 1.25731 g/VKT.
    assert float(paved_road_ef_g_vkt(0.62, 1.0, 2.0)) == pytest.approx(1.25731, rel=1e-4)
    # 0.62 x 2^0.91 (1.87919) x 3^1.02 (3.06626) = 3.57267 g/VKT.
    assert float(paved_road_ef_g_vkt(0.62, 2.0, 3.0)) == pytest.approx(3.57267, rel=1e-4)


def test_road_dust_over_a_workday_and_a_day_off_is_vkt_times_factor() -> None:
    roads = RoadDustConfig(
        road_length_km=100.0,
        workday_traffic_veh_per_day=10_000.0,
        day_off_traffic_factor=0.8,
        silt_loading_g_m2=1.0,
        mean_vehicle_weight_t=2.0,
    )
    # Friday 5 Jan 2024 is a workday, Saturday 6 Jan a day off.
    sources, ctx = _run(_only(roads=roads), datetime(2024, 1, 5), datetime(2024, 1, 7))
    total = np.asarray(sources.emissions(ctx)["roads"]).sum(axis=0)
    vkt = 100.0 * 10_000.0 * (1.0 + 0.8)
    assert total[PM10] == pytest.approx(vkt * 1.25731 / 1000.0, rel=1e-4)
    assert total[PM25] == pytest.approx(vkt * 0.15 * 2.0**1.02 / 1000.0, rel=1e-9)


def test_no_road_dust_in_hours_with_rain_at_or_above_0_254_mm() -> None:
    rain = np.zeros(48)
    rain[8] = 0.254
    rain[9] = 5.0
    rain[10] = 0.2  # below AP-42's wet-hour threshold: still dusty
    sources, ctx = _run(
        _only(roads=RoadDustConfig()), datetime(2024, 1, 5), datetime(2024, 1, 7), rain
    )
    roads = np.asarray(sources.emissions(ctx)["roads"])
    assert np.all(roads[[8, 9]] == 0.0)
    assert roads[10, PM10] > 0.0
    assert roads[7, PM10] > 0.0


def test_lower_silt_loading_scales_road_dust_by_power_0_91() -> None:
    calendar = Calendar(datetime(2024, 1, 5), datetime(2024, 1, 6))
    ledger = Ledger(calendar.n_hours)
    sources = DustSources(_only(roads=RoadDustConfig(silt_loading_g_m2=2.0)), calendar)
    env = simpy.Environment()
    sources.start(env, ledger, np.random.default_rng(0))
    ledger.set(12.0, DustSources.SILT_LOADING_STREAM, 0.5)
    env.run(until=calendar.n_hours)
    ctx = EmissionContext(calendar, _weather(calendar.n_hours), ledger)
    pm10 = np.asarray(sources.emissions(ctx)["roads"])[:, PM10]
    vkt = sources.road_vkt_h(calendar)
    assert pm10[13] / vkt[13] == pytest.approx(0.25**0.91 * pm10[11] / vkt[11])


# -- construction -------------------------------------------------------------------------------
def test_site_emits_area_times_factor_times_months_less_control() -> None:
    config = _only(construction=ConstructionConfig(sites=(SITE,)))
    sources, ctx = _run(config, datetime(2024, 2, 1), datetime(2024, 6, 1))
    total = np.asarray(sources.emissions(ctx)["construction"]).sum(axis=0)
    # 10,000 m² x 0.025 kg/m²/month x (60 / 30.4375) months x (1 - 0.5) = 246.41 kg PM10.
    assert total[PM10] == pytest.approx(10_000 * 0.025 * 60 / 30.4375 * 0.5, rel=1e-9)
    assert total[PM25] == pytest.approx(0.21 * total[PM10], rel=1e-12)


def test_site_is_silent_before_start_and_after_end_and_logs_both() -> None:
    config = _only(construction=ConstructionConfig(sites=(SITE,)))
    sources, ctx = _run(config, datetime(2024, 2, 1), datetime(2024, 6, 1))
    pm10 = np.asarray(sources.emissions(ctx)["construction"])[:, PM10]
    open_h = 29 * 24  # 1 March 2024 00:00, 29 days after 1 February
    close_h = open_h + 60 * 24
    assert np.all(pm10[:open_h] == 0.0)
    assert np.all(pm10[close_h:] == 0.0)
    assert pm10[open_h + 10] > 0.0
    events = [(e.time_h, e.kind, e.subject) for e in ctx.ledger.events]
    assert events == [(open_h, "opened", "north_plot"), (close_h, "closed", "north_plot")]


def test_site_works_only_daytime_and_not_in_rain() -> None:
    config = _only(construction=ConstructionConfig(sites=(SITE,)))
    rain = np.zeros(24 * 10)
    rain[24 * 3 + 10] = 1.0
    sources, ctx = _run(config, datetime(2024, 3, 1), datetime(2024, 3, 11), rain)
    pm10 = np.asarray(sources.emissions(ctx)["construction"])[:, PM10]
    hour = ctx.calendar.hour_of_day
    assert np.all(pm10[(hour < 6) | (hour >= 22)] == 0.0)
    assert pm10[24 * 3 + 10] == 0.0
    assert pm10[24 * 3 + 11] == pytest.approx(10_000 * 0.025 / (30.4375 * 16) * 0.5)


def test_site_open_before_the_run_is_active_from_hour_zero() -> None:
    early = SITE.model_copy(update={"start": date(2023, 12, 1), "duration_days": 365.0})
    gone = SITE.model_copy(update={"name": "gone", "start": date(2023, 1, 1)})
    config = _only(construction=ConstructionConfig(sites=(early, gone)))
    _, ctx = _run(config, datetime(2024, 3, 1), datetime(2024, 3, 3))
    active = ctx.ledger.hourly(DustSources.SITE_ACTIVE_STREAM)
    assert np.all(active[:, 0] == 1.0)
    assert np.all(active[:, 1] == 0.0)


def test_raising_control_efficiency_cuts_site_dust_proportionally() -> None:
    config = _only(construction=ConstructionConfig(sites=(SITE,)))
    calendar = Calendar(datetime(2024, 3, 1), datetime(2024, 3, 3))
    ledger = Ledger(calendar.n_hours)
    sources = DustSources(config, calendar)
    env = simpy.Environment()
    sources.start(env, ledger, np.random.default_rng(0))
    ledger.set(24.0, DustSources.SITE_CONTROL_STREAM, 0.8, index=np.ones(1, dtype=bool))
    env.run(until=calendar.n_hours)
    ctx = EmissionContext(calendar, _weather(calendar.n_hours), ledger)
    pm10 = np.asarray(sources.emissions(ctx)["construction"])[:, PM10]
    assert pm10[24 + 12] == pytest.approx(pm10[12] * 0.2 / 0.5)


def test_large_site_flag_is_derived_from_5000_m2() -> None:
    assert SITE.model_copy(update={"area_m2": 5000.0}).large
    assert not SITE.model_copy(update={"area_m2": 4999.0}).large


def test_duplicate_site_names_are_rejected() -> None:
    with pytest.raises(ValidationError, match="unique"):
        ConstructionConfig(sites=(SITE, SITE))


# -- bare land and muck trucks ------------------------------------------------------------------
def test_wind_erosion_is_zero_below_threshold_and_follows_u4_law_above() -> None:
    flux = wind_erosion_flux_g_m2_h(np.array([3.0, 5.0, 7.5, 10.0]), 5.0, 0.2)
    # g(7.5)/g(10) = 7.5^4 (1 - 5/7.5) / (10^4 x 0.5) = 1054.6875 / 5000 = 0.2109375.
    assert flux.tolist() == pytest.approx([0.0, 0.0, 0.2 * 0.2109375, 0.2])


def test_bare_land_emits_area_times_uncovered_times_flux_when_dry() -> None:
    bare = BareLandConfig(area_m2=20_000.0, uncovered_fraction=0.5, pm10_g_m2_h_at_10_m_s=0.1)
    wind = np.full(24, 10.0)
    wind[0] = 2.0
    rain = np.zeros(24)
    rain[5] = 1.0
    day = (datetime(2024, 4, 1), datetime(2024, 4, 2))
    sources, ctx = _run(_only(bare_land=bare), *day, rain, wind)
    pm10 = np.asarray(sources.emissions(ctx)["bare_land"])[:, PM10]
    assert pm10[0] == 0.0
    assert pm10[5] == 0.0
    assert pm10[1] == pytest.approx(20_000 * 0.5 * 0.1 / 1000.0)  # 1 kg/h


def test_muck_trucks_emit_daily_trips_km_and_factor_in_night_hours() -> None:
    trucks = MuckTruckConfig(
        trips_per_day=100.0,
        km_per_trip=5.0,
        open_pm10_g_km=5.0,
        enclosure_reduction=0.9,
        enclosed_fraction=0.8,
        operating_start_hour=20,
        operating_end_hour=6,
    )
    sources, ctx = _run(_only(muck_trucks=trucks), datetime(2024, 4, 1), datetime(2024, 4, 3))
    pm10 = np.asarray(sources.emissions(ctx)["muck_trucks"])[:, PM10]
    # 100 trips x 5 km x 5 g/km x (1 - 0.8 x 0.9) = 700 g a day over 10 night hours.
    assert pm10.sum() == pytest.approx(2 * 0.7)
    assert pm10[12] == 0.0
    assert pm10[22] == pytest.approx(0.07)


def test_default_dust_config_emits_no_negative_values() -> None:
    config = DustConfig(construction=ConstructionConfig(sites=(SITE,)))
    n = 24 * 5
    rng = np.random.default_rng(4)
    sources, ctx = _run(
        config,
        datetime(2024, 3, 1),
        datetime(2024, 3, 6),
        rain_mm_h=rng.exponential(0.2, n),
        wind_m_s=rng.weibull(2.0, n) * 6.0,
    )
    for key, array in sources.emissions(ctx).items():
        assert np.asarray(array).shape == (n, len(POLLUTANTS)), key
        assert np.all(np.asarray(array) >= 0.0), key
