"""Tests of sim.weather: the synthetic generator, rain events and observed-series reading."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.typing import NDArray
from pydantic import ValidationError

from sim.calendar import Calendar
from sim.errors import ScenarioError
from sim.scenario.sections.meteorology import MeteorologyConfig
from sim.weather import (
    COLUMNS,
    RainEvent,
    Weather,
    clear_sky_ghi_w_m2,
    make_weather,
    mean_preserving_curve,
    rain_events,
    read_weather,
    solar_elevation_deg,
    synthetic_weather,
    weather_frame,
)

FIXTURE = Path(__file__).parents[1] / "data" / "weather_two_days.csv"
N_SEEDS = 100
YEAR = Calendar(datetime(2024, 1, 1), datetime(2025, 1, 1))
TWO_DAYS = Calendar(datetime(2024, 1, 15), datetime(2024, 1, 17))


@pytest.fixture(scope="module")
def years() -> list[Weather]:
    """100 synthetic years 2024 with the Tianjin defaults (about 0.6 s)."""
    cfg = MeteorologyConfig()
    return [synthetic_weather(YEAR, cfg, np.random.default_rng(s)) for s in range(N_SEEDS)]


def _monthly(years: list[Weather], name: str, how: str = "mean") -> NDArray[np.float64]:
    """Seed x month table of a variable's monthly mean (or sum)."""
    month = YEAR.month
    return np.array(
        [[getattr(getattr(w, name)[month == m], how)() for m in range(1, 13)] for w in years]
    )


# -- configuration -------------------------------------------------------------------------------
def test_month_tuples_need_twelve_values_and_accept_provenance() -> None:
    with pytest.raises(ValidationError, match="12 monthly values"):
        MeteorologyConfig(wind_m_s=(2.0,) * 11)
    cfg = MeteorologyConfig(wind_m_s={"value": [2.0] * 12, "unit": "m/s", "source": "test"})
    assert cfg.wind_m_s == (2.0,) * 12
    with pytest.raises(ValidationError, match="unit"):
        MeteorologyConfig(wind_m_s={"value": [2.0] * 12, "unit": "km/h"})
    with pytest.raises(ValidationError):
        MeteorologyConfig(wind_m_s=(2.0,) * 11 + (-1.0,))


def test_file_mode_requires_a_path_and_unknown_keys_fail() -> None:
    with pytest.raises(ValidationError, match="needs a path"):
        MeteorologyConfig(mode="file")
    with pytest.raises(ValidationError, match="extra"):
        MeteorologyConfig(wind=2.0)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="stagnation_max_days"):
        MeteorologyConfig(stagnation_min_days=4, stagnation_max_days=3)


def test_default_rain_is_the_domain_shape_with_the_summer_normal() -> None:
    # DOMAIN §6: monthly shape totalling 541 mm; June-August 368 mm = summer normal 367.9 mm (H).
    rain = MeteorologyConfig().rain_mm
    assert sum(rain) == pytest.approx(541.0)
    assert sum(rain[5:8]) == pytest.approx(367.9, abs=0.2)


# -- seasonal curve and diurnal cycles -----------------------------------------------------------
def test_mean_preserving_curve_keeps_monthly_means_and_is_continuous() -> None:
    from sim.weather.synthetic import _hour_axis, _month_position

    _, position, _ = _month_position(_hour_axis(YEAR))
    target = np.array([-3.5, -0.5, 6.0, 14.0, 20.5, 24.5, 26.5, 25.7, 21.0, 13.8, 5.0, -1.5])
    curve = mean_preserving_curve(target, position)
    means = [curve[YEAR.month == m].mean() for m in range(1, 13)]
    np.testing.assert_allclose(means, target, atol=1e-9)
    # continuous: the largest hourly step is a month's change spread over ~720 h, not a jump
    assert np.abs(np.diff(curve)).max() < 0.02
    # mid-January node lies below the January mean: the curve turns there (Dec -1.5, Feb -0.5)
    assert curve[15 * 24] < -3.5


def test_mixing_height_is_shallow_at_night_and_peaks_mid_afternoon(years: list[Weather]) -> None:
    hour = YEAR.hour_of_day
    mix = np.array([[w.mixing_height_m[hour == h].mean() for h in range(24)] for w in years[:20]])
    profile = mix.mean(axis=0)
    assert int(np.argmax(profile)) in (13, 14, 15)
    # night (00-07) over daily mean = mixing_height_night_fraction 0.4 (+ the 50 m floor)
    assert profile[:7].mean() / profile.mean() == pytest.approx(0.4, abs=0.05)
    temp = np.array([[w.temperature_c[hour == h].mean() for h in range(24)] for w in years[:20]])
    t_profile = temp.mean(axis=0)
    assert int(np.argmax(t_profile)) == 14  # hour 14:00-15:00 holds the 14:30 maximum
    # daily range = 2 x 5 degC amplitude, sampled at hour centres: 10 cos(pi/24) = 9.91
    assert t_profile.max() - t_profile.min() == pytest.approx(9.91, abs=0.4)
    wind = np.array([[w.wind_m_s[hour == h].mean() for h in range(24)] for w in years[:20]])
    assert wind.mean(axis=0)[14] / wind.mean(axis=0)[2] == pytest.approx(1.25 / 0.75, rel=0.08)


def test_anomalies_persist_with_the_configured_day_to_day_correlation() -> None:
    flat = {"temperature_c": (10.0,) * 12, "temperature_diurnal_amplitude_c": 0.0}
    for phi in (0.7, 0.2):
        cfg = MeteorologyConfig(persistence_day=phi, **flat)
        corr, sd = [], []
        for seed in range(20):
            t = synthetic_weather(YEAR, cfg, np.random.default_rng(seed)).temperature_c - 10.0
            corr.append(np.corrcoef(t[:-24], t[24:])[0, 1])
            sd.append(t.std())
        # hourly AR(1) with coefficient phi**(1/24): correlation 24 h apart is phi exactly
        assert np.mean(corr) == pytest.approx(phi, abs=0.04)
        assert np.mean(sd) == pytest.approx(3.0, rel=0.06)


# -- monthly climate over 100 seeds --------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "tolerance"),
    [
        # relative, about 4 standard errors: one month-year of wind or mixing height varies
        # by <= 19 % (AR anomalies with ~5 independent days a month, plus episodes)
        ("wind_m_s", 0.08),
        ("mixing_height_m", 0.08),
    ],
)
def test_monthly_means_of_wind_and_mixing_match_the_climate(
    years: list[Weather], name: str, tolerance: float
) -> None:
    target = np.array(getattr(MeteorologyConfig(), name))
    np.testing.assert_allclose(_monthly(years, name).mean(axis=0), target, rtol=tolerance)


def test_monthly_means_of_temperature_and_humidity_match_the_climate(
    years: list[Weather],
) -> None:
    cfg = MeteorologyConfig()
    # temperature: one month-year sd ~1.3 degC -> standard error 0.13; 4 se = 0.55 degC
    temp = _monthly(years, "temperature_c").mean(axis=0)
    np.testing.assert_allclose(temp, cfg.temperature_c, atol=0.55)
    # RH: sd ~4.5 points -> 4 se = 1.8, plus <= 1.2 points raised by rain hours (RH >= 90)
    rh = _monthly(years, "relative_humidity_pct").mean(axis=0)
    np.testing.assert_allclose(rh, cfg.relative_humidity_pct, atol=3.0)


def test_annual_rain_matches_the_total_and_falls_mostly_in_summer(years: list[Weather]) -> None:
    rain = _monthly(years, "rain_mm_h", how="sum")
    annual = rain.sum(axis=1)
    # one year sd ~130 mm (gamma depths, CV 1.15, ~49 events) -> se 13 mm; 4 se = 52 mm
    assert annual.mean() == pytest.approx(541.0, abs=52.0)
    # June-August share = 368 / 541 = 0.68 configured (DOMAIN's "about 75 %" is the H range)
    assert rain[:, 5:8].sum() / rain.sum() == pytest.approx(368.0 / 541.0, abs=0.03)
    assert all(w.rain_mm_h.min() >= 0.0 for w in years)


def test_stagnation_hours_fall_mostly_in_october_to_february(years: list[Weather]) -> None:
    cfg = MeteorologyConfig()
    stagnant = _monthly(years, "stagnant", how="sum")
    hours = np.array([(YEAR.month == m).sum() for m in range(1, 13)])
    expected = np.array(cfg.stagnation_fraction) * hours
    winter = [0, 1, 9, 10, 11]  # Oct-Feb
    share = stagnant[:, winter].sum() / stagnant.sum()
    assert share == pytest.approx(expected[winter].sum() / expected.sum(), abs=0.04)
    assert share > 0.75
    # a Poisson process with rate -ln(1-f)/E[length] covers a fraction f of the hours
    assert stagnant.sum() / (N_SEEDS * hours.sum()) == pytest.approx(
        expected.sum() / hours.sum(), rel=0.1
    )


def test_winter_episodes_reach_the_haze_episode_wind_and_mixing_height(
    years: list[Weather],
) -> None:
    # DOMAIN §6 haze episode: 0.97 m/s, 210 m. January: 2.4 / (1 - 0.18 * 0.6) * 0.4 = 1.08 m/s;
    # 380 / (1 - 0.18 * 0.5) * 0.5 = 209 m (before the 50 m floor).
    jan = YEAR.month == 1
    wind = np.concatenate([w.wind_m_s[jan & w.stagnant] for w in years])
    mix = np.concatenate([w.mixing_height_m[jan & w.stagnant] for w in years])
    assert wind.mean() == pytest.approx(1.08, rel=0.15)
    assert mix.mean() == pytest.approx(209.0, rel=0.15)
    assert np.concatenate([w.wind_m_s[jan & ~w.stagnant] for w in years]).mean() > 2.4


def test_physical_bounds_hold(years: list[Weather]) -> None:
    for w in years[:10]:
        assert w.wind_m_s.min() >= 0.3
        assert w.mixing_height_m.min() >= 50.0
        assert w.relative_humidity_pct.min() >= 5.0
        assert w.relative_humidity_pct.max() <= 100.0
        assert w.solar_w_m2.min() >= 0.0
        assert np.all(w.relative_humidity_pct[w.raining] >= 90.0)


def test_same_seed_gives_identical_arrays_and_other_seeds_differ() -> None:
    cfg = MeteorologyConfig()
    a = synthetic_weather(YEAR, cfg, np.random.default_rng(42))
    b = synthetic_weather(YEAR, cfg, np.random.default_rng(42))
    c = synthetic_weather(YEAR, cfg, np.random.default_rng(43))
    for name in (*COLUMNS, "stagnant"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
        assert not np.array_equal(getattr(a, name), getattr(c, name)), name


# -- solar radiation -----------------------------------------------------------------------------
def test_solar_elevation_at_noon_is_ninety_minus_latitude_plus_declination() -> None:
    def noon_max(day: str) -> float:
        hours = pd.date_range(day, periods=24, freq="h")
        return float(solar_elevation_deg(hours).max())

    # equinox: 90 - 39.1 = 50.9; June solstice: 50.9 + 23.44 = 74.34; December: 27.46.
    # Hour centres miss solar noon (12:13-12:19 clock time) by up to 17 min: <= 0.5 deg lower.
    assert noon_max("2024-03-20") == pytest.approx(50.9, abs=0.5)
    assert noon_max("2024-06-21") == pytest.approx(74.34, abs=0.5)
    assert noon_max("2024-12-21") == pytest.approx(27.46, abs=0.5)
    assert solar_elevation_deg(pd.date_range("2024-06-21", periods=1, freq="h"))[0] < -20.0


def test_clear_sky_irradiance_follows_haurwitz() -> None:
    ghi = clear_sky_ghi_w_m2(np.array([90.0, 30.0, -5.0]))
    np.testing.assert_allclose(
        ghi, [1098.0 * np.exp(-0.057), 549.0 * np.exp(-0.114), 0.0], rtol=1e-12
    )


def test_synthetic_sunshine_only_when_the_sun_is_up(years: list[Weather]) -> None:
    elevation = solar_elevation_deg(YEAR.times)
    w = years[0]
    assert np.all(w.solar_w_m2[elevation <= 0.0] == 0.0)
    clear = clear_sky_ghi_w_m2(elevation)
    assert np.all(w.solar_w_m2 <= clear + 1e-9)
    # rain hours: overcast, 1 - 0.75 = 25 % of clear sky (Kasten & Czeplak)
    np.testing.assert_allclose(w.solar_w_m2[w.raining], 0.25 * clear[w.raining], rtol=1e-12)


# -- rain events ---------------------------------------------------------------------------------
def _with_rain(rain: list[float]) -> Weather:
    n = len(rain)
    one = np.ones(n)
    return Weather(one, one, one, one, one, np.array(rain), np.zeros(n, dtype=bool))


def test_rain_events_on_a_hand_made_series() -> None:
    rain = [0.0] * 40
    rain[2], rain[3], rain[9] = 1.0, 2.0, 0.5  # dry 4-8: 5 h < 6 -> one event 2-9
    rain[16] = 4.0  # dry 10-15: 6 h -> a new event
    rain[30], rain[31] = 0.2, 0.3  # dry 17-29: 13 h
    events = rain_events(_with_rain(rain), min_dry_h=6)
    assert events == [
        RainEvent(start_h=2, duration_h=8, depth_mm=3.5, peak_mm_h=2.0, antecedent_dry_h=2),
        RainEvent(start_h=16, duration_h=1, depth_mm=4.0, peak_mm_h=4.0, antecedent_dry_h=6),
        RainEvent(start_h=30, duration_h=2, depth_mm=0.5, peak_mm_h=0.3, antecedent_dry_h=13),
    ]
    assert [e.start_h for e in rain_events(_with_rain(rain), min_dry_h=5)] == [2, 9, 16, 30]
    assert [e.start_h for e in rain_events(_with_rain(rain), min_dry_h=14)] == [2]
    assert rain_events(_with_rain([0.0] * 5)) == []


def test_rain_events_of_a_synthetic_year_hold_all_its_rain(years: list[Weather]) -> None:
    w = years[0]
    events = rain_events(w)
    assert sum(e.depth_mm for e in events) == pytest.approx(w.rain_mm_h.sum(), rel=1e-12)
    # about 49 generated events a year; overlapping or close ones merge into fewer
    assert 20 <= len(events) <= 70


# -- observed series -----------------------------------------------------------------------------
def test_a_synthetic_year_round_trips_through_csv_and_netcdf(
    years: list[Weather], tmp_path: Path
) -> None:
    w = years[0]
    frame = weather_frame(w, YEAR)
    frame.to_csv(tmp_path / "weather_year.csv", index=False)
    nc = frame.assign(time=YEAR.times).set_index("time").to_xarray()
    nc.to_netcdf(tmp_path / "weather_year.nc", engine="h5netcdf")
    cfg = MeteorologyConfig()
    for name in ("weather_year.csv", "weather_year.nc"):
        back = read_weather(tmp_path / name, YEAR, cfg)
        for col in (*COLUMNS, "stagnant"):
            np.testing.assert_array_equal(getattr(back, col), getattr(w, col), err_msg=col)


def test_fixture_is_read_and_stagnant_is_derived_by_the_daily_rule() -> None:
    w = read_weather(FIXTURE, TWO_DAYS, MeteorologyConfig())
    assert w.n_hours == 48
    np.testing.assert_allclose(w.temperature_c, -5.0 + 0.5 * np.arange(48))
    assert w.rain_mm_h.sum() == pytest.approx(3.8)
    # day 1: 1.0 m/s < 1.5 and 250 m < 300 -> stagnant; day 2: 3.0 m/s, 600 m -> not
    np.testing.assert_array_equal(w.stagnant, np.arange(48) < 24)


def test_utc_offsets_are_converted_to_local_time(tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURE, comment="#")
    utc = pd.to_datetime(frame["time"]) - pd.Timedelta(hours=8)
    frame["time"] = utc.dt.strftime("%Y-%m-%dT%H:%MZ")
    frame.to_csv(tmp_path / "weather_utc.csv", index=False)
    w = read_weather(tmp_path / "weather_utc.csv", TWO_DAYS, MeteorologyConfig())
    np.testing.assert_allclose(w.temperature_c, -5.0 + 0.5 * np.arange(48))


def _broken(tmp_path: Path, how: str) -> Path:
    frame = pd.read_csv(FIXTURE, comment="#", dtype=str)
    if how == "missing column":
        frame = frame.drop(columns="rain_mm_h")
    elif how == "missing hours":
        frame = frame.drop(index=[5, 6, 7])
    elif how == "negative rain":
        frame.loc[31, "rain_mm_h"] = "-1.2"
    elif how == "text in a number column":
        frame.loc[3, "wind_m_s"] = "calm"
    elif how == "humidity above 100":
        frame.loc[4, "relative_humidity_pct"] = "130"
    path = tmp_path / "weather_bad.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("how", "column", "detail"),
    [
        ("missing column", "rain_mm_h", "missing"),
        ("missing hours", "time", "3 (first: 2024-01-15T05:00"),
        ("negative rain", "rain_mm_h", "-1.2 at 2024-01-16T07:00"),
        ("text in a number column", "wind_m_s", "'calm' at 2024-01-15T03:00"),
        ("humidity above 100", "relative_humidity_pct", "0-100"),
    ],
)
def test_bad_files_raise_a_scenario_error_naming_file_and_column(
    tmp_path: Path, how: str, column: str, detail: str
) -> None:
    path = _broken(tmp_path, how)
    with pytest.raises(ScenarioError) as info:
        read_weather(path, TWO_DAYS, MeteorologyConfig())
    assert len(info.value.problems) == 1
    problem = info.value.problems[0]
    assert problem.startswith(f"{path}: column '{column}': ")
    assert detail in problem


def test_interpolate_mode_fills_a_two_hour_gap_linearly(tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURE, comment="#")
    frame.loc[22, "wind_m_s"] = 4.0  # a kink, so that interpolation is visible in wind too
    full = frame.copy()
    frame.drop(index=[23, 24]).to_csv(tmp_path / "weather_gap.csv", index=False)
    with pytest.raises(ScenarioError, match="column 'time': hours of the run missing: 2"):
        read_weather(tmp_path / "weather_gap.csv", TWO_DAYS, MeteorologyConfig())
    cfg = MeteorologyConfig(fill="interpolate", max_gap_h=2)
    w = read_weather(tmp_path / "weather_gap.csv", TWO_DAYS, cfg)
    # wind: 4.0 at 22:00, 3.0 at 01:00 next day -> 3.667 and 3.333 in between
    np.testing.assert_allclose(w.wind_m_s[22:26], [4.0, 4.0 - 1 / 3, 4.0 - 2 / 3, 3.0])
    np.testing.assert_allclose(w.temperature_c, full["temperature_c"])
    # a 2-hour gap is too long for max_gap_h=1
    with pytest.raises(ScenarioError, match="2 hours without a value from 2024-01-15T23:00"):
        read_weather(
            tmp_path / "weather_gap.csv", TWO_DAYS, cfg.model_copy(update={"max_gap_h": 1})
        )


def test_interpolate_mode_cannot_fill_the_last_hour_of_a_file(tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURE, comment="#")
    frame.drop(index=[47]).to_csv(tmp_path / "weather_short.csv", index=False)
    cfg = MeteorologyConfig(fill="interpolate")
    with pytest.raises(ScenarioError, match=r"column 'time'.*2024-01-16T23:00"):
        read_weather(tmp_path / "weather_short.csv", TWO_DAYS, cfg)


def test_make_weather_dispatches_on_mode_and_resolves_relative_paths() -> None:
    cfg = MeteorologyConfig(mode="file", path="weather_two_days.csv")
    w = make_weather(TWO_DAYS, cfg, np.random.default_rng(0), base_dir=FIXTURE.parent)
    assert w.rain_mm_h.sum() == pytest.approx(3.8)
    synthetic = make_weather(YEAR, MeteorologyConfig(), np.random.default_rng(7))
    expected = synthetic_weather(YEAR, MeteorologyConfig(), np.random.default_rng(7))
    np.testing.assert_array_equal(synthetic.wind_m_s, expected.wind_m_s)
    with pytest.raises(ScenarioError, match="not found"):
        make_weather(TWO_DAYS, cfg, np.random.default_rng(0), base_dir=Path("/nonexistent"))


@pytest.mark.parametrize("phi", [0.0, 0.3, 0.935, 0.985, 0.999])
def test_blocked_ar1_equals_the_plain_recursion(phi: float) -> None:
    from sim.weather.synthetic import _ar1

    y = _ar1(np.random.default_rng(3), 3, 2000, phi)
    e = np.random.default_rng(3).standard_normal((3, 2000))
    e[:, 1:] *= np.sqrt(1.0 - phi * phi)
    ref = e.copy()
    for t in range(1, 2000):
        ref[:, t] += phi * ref[:, t - 1]
    np.testing.assert_allclose(y, ref, rtol=1e-10, atol=1e-10)
