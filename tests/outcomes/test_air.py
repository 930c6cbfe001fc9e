"""The air outcome: scales by hand, the three actors and their split, AQI outputs, forecast."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from _support import constant_weather
from sim.air.background import regional_background
from sim.engine import ProcessContext, RunState, simulate_state
from sim.outcomes import air
from sim.scenario import load_scenario
from sim.sources.base import activity_factor_stream

SCENARIO = Path(__file__).parents[2] / "scenarios" / "baseline.yaml"
SHORT = ["run.start=2024-01-01", "run.end=2024-03-01"]


@pytest.fixture(scope="module")
def state() -> RunState:
    return simulate_state(load_scenario(SCENARIO, SHORT))


def test_district_increment_from_baseline_emissions_equals_box_formula(state: RunState) -> None:
    off = ["air.city.enabled=false", "air.region.enabled=false", "air.deposition.pm25=0"]
    scenario = load_scenario(SCENARIO, [*SHORT, *off])
    n = state.calendar.n_hours
    flat = {k: np.broadcast_to(v.mean(axis=0), v.shape).copy()
            for k, v in state.source_emissions.items()}  # fmt: skip
    steady = dataclasses.replace(
        state, scenario=scenario, source_emissions=flat,
        weather=constant_weather(n, wind_m_s=2.4, mixing_height_m=600.0),
    )  # fmt: skip
    out = air.compute(steady, counterfactual=None)
    e_kg_h = sum(v[0, 0] for v in flat.values())  # PM2.5, kg/h
    q = e_kg_h * 1e9 / 3600.0 / 21.3e6  # µg/m²/s
    expected = q * 5000.0 / (2.4 * 600.0)  # C = q·L/(u·H), DOMAIN.md §4
    got = out.dataset["pm25_by_origin"].sel(scale="district", formation="primary").values
    assert got[-1] == pytest.approx(expected, rel=1e-9)
    assert 0.5 < expected < 1.5  # ~170 t/yr: a little under 1 µg/m³
    assert float(out.dataset["air_concentration_by_scale"].sel(scale="region").max()) == 0.0


def _halve_road_dust(ctx: ProcessContext) -> None:
    ctx.ledger.declare(activity_factor_stream("dust.roads"), 0.5)


def test_a_district_only_change_leaves_city_and_region_concentrations_unchanged(
    state: RunState,
) -> None:
    measured = simulate_state(state.scenario, hooks=(_halve_road_dust,))
    out = air.compute(measured, counterfactual=state)
    ref = air.compute(state, counterfactual=None)
    got, base = out.dataset["air_concentration_by_scale"], ref.dataset["air_concentration_by_scale"]
    # road dust is primary PM only: no precursor of the city's secondary PM moves either
    np.testing.assert_array_equal(got.sel(scale="city"), base.sel(scale="city"))
    np.testing.assert_array_equal(got.sel(scale="region"), base.sel(scale="region"))
    assert float((got.sel(scale="district") - base.sel(scale="district")).sel(
        air_pollutant="PM2.5").mean()) < 0.0  # fmt: skip
    # the whole change is the district's; the city's and region's shares are exactly 0
    by_actor = out.summary["pm25_change_by_actor_ug_m3"]
    total = out.summary["pm25_annual_mean_ug_m3"] - ref.summary["pm25_annual_mean_ug_m3"]
    assert by_actor["district"] == pytest.approx(total, abs=2e-3)
    assert by_actor["city"] == 0.0
    assert by_actor["region"] == 0.0


def test_actor_split_of_plan2024_sums_to_the_change_without_measures() -> None:
    plan = Path(__file__).parents[2] / "scenarios" / "plan2024.yaml"
    st = simulate_state(load_scenario(plan, SHORT))
    summary = air.compute(st, counterfactual=st.without_measures()).summary
    for key, metric in (("pm25_change_by_actor_ug_m3", "pm25_annual_mean_ug_m3"),
                        ("good_days_change_by_actor", "good_days_ratio")):  # fmt: skip
        parts = summary[key]
        assert set(parts) == {"district", "city", "region"}
        total = summary[metric] - summary["no_measures"][metric]
        assert sum(parts.values()) == pytest.approx(total, abs=2e-3)
    assert summary["pm25_change_by_actor_ug_m3"]["city"] < 0.0
    assert summary["pm25_change_by_actor_ug_m3"]["region"] < 0.0
    assert summary["actors_with_measures"] == ["district", "city", "region"]
    # the district alone lies between no measures and all three actors
    alone = summary["district_alone"]["pm25_annual_mean_ug_m3"]
    assert summary["pm25_annual_mean_ug_m3"] < alone < summary["no_measures"][
        "pm25_annual_mean_ug_m3"]  # fmt: skip


def test_outcome_dataset_and_summary_are_consistent(state: RunState) -> None:
    out = air.compute(state)
    ds = out.dataset
    for name, var in ds.data_vars.items():
        assert "units" in var.attrs, name
        assert "long_name" in var.attrs, name
    total = ds["air_concentration"].sel(air_pollutant="PM2.5")
    np.testing.assert_allclose(ds["pm25_by_origin"].sum(("scale", "formation")), total)
    aqi = ds["aqi"].values
    assert out.summary["good_days"] == int(np.sum(aqi <= 100))
    assert out.summary["good_days_ratio"] == pytest.approx(np.mean(aqi <= 100), abs=1e-4)
    assert out.summary["heavy_pollution_days"] == int(np.sum(aqi > 200))
    assert out.summary["pm25_annual_mean_ug_m3"] == pytest.approx(float(total.mean()), abs=1e-3)
    # a day's PM2.5 IAQI by hand: (C - 75)/(115 - 75)·50 + 100, rounded up, for 75 < C <= 115
    pm = ds["daily_concentration"].sel(air_pollutant="PM2.5").values
    i = int(np.argmax((pm > 75) & (pm <= 115)))
    assert aqi[i] >= np.ceil((pm[i] - 75) / 40 * 50 + 100 - 1e-9)
    assert set(out.summary) >= {"pm25_annual_mean_ug_m3", "good_days_ratio", "o3_8h_p90_ug_m3",
                                "heavy_pollution_days"}  # fmt: skip


def test_forecast_is_one_deterministic_value_per_day_and_regional_when_city_is_off() -> None:
    scenario = load_scenario(SCENARIO, [*SHORT, "air.city.enabled=false"])
    captured: list[np.ndarray] = []

    def hook(ctx: ProcessContext) -> None:
        captured.append(air.forecast_daily_pm25(ctx))
        captured.append(air.forecast_daily_pm25(ctx))

    st = simulate_state(scenario, hooks=(hook,))
    assert captured[0].shape == (len(st.calendar.days),)
    np.testing.assert_array_equal(captured[0], captured[1])
    params = air.air_params(scenario)
    met = air.met_arrays(st.calendar, st.weather, params)  # the haze-lowered mixing height
    p = params.region
    assert p is not None
    reg = regional_background(met.day_of_year, met.wind_m_s, met.mixing_height_m,
                              met.rain_mm_h, p, relative_humidity_pct=met.relative_humidity_pct,
                              temperature_c=met.temperature_c, solar_w_m2=met.solar_w_m2,
                              ).pm25  # fmt: skip
    np.testing.assert_allclose(captured[0], st.calendar.daily_mean(reg), rtol=1e-9)


def test_calibration_day_counts_agree_with_the_outcome_summary(state: RunState) -> None:
    from datetime import date

    from sim.calibration.observables import good_days_ratio, heavy_days

    out = air.compute(state, counterfactual=None)
    start, end = date(2024, 1, 1), date(2024, 3, 1)
    assert heavy_days(out.dataset, start, end) == out.summary["heavy_pollution_days"]
    assert good_days_ratio(out.dataset, start, end) == pytest.approx(
        out.summary["good_days_ratio"], abs=1e-4
    )
    # the smooth counts of the optimiser tend to the exact ones (AQI <= 100 <=> ratio <= 1)
    assert good_days_ratio(out.dataset, start, end, soft=1e-6) == pytest.approx(
        out.summary["good_days_ratio"], abs=1e-4
    )
    assert heavy_days(out.dataset, start, end, soft=1e-6) == pytest.approx(
        out.summary["heavy_pollution_days"], abs=1e-3
    )


def test_scorecard_air_targets_carry_the_district_alone_value_and_status() -> None:
    from sim.scenario.sections.targets import Target
    from sim.targets import score_run

    targets = [
        Target(name="pm25", metric="air.pm25_annual_mean_ug_m3", comparison="<=", value=40.0,
               tolerance=0.5, unit="ug/m3"),
        Target(name="voc", metric="total_t.VOC", comparison="<=", value=100.0, unit="t"),
    ]  # fmt: skip
    summary = {
        "air": {"pm25_annual_mean_ug_m3": 39.0, "district_alone": {"pm25_annual_mean_ug_m3": 40.4}},
        "total_t": {"VOC": 90.0},
    }
    card = score_run(targets, summary)
    assert card.targets[0].status == "met"
    assert card.targets[0].district_alone == {"value": 40.4, "status": "within tolerance"}
    assert card.targets[1].district_alone is None
    rows = card.to_dict()["targets"]
    assert rows[0]["district_alone"]["status"] == "within tolerance"
    assert "district_alone" not in rows[1]
    assert "Hongqiao alone 40.4: within tolerance" in card.lines()[1]


def test_met_arrays_lower_the_mixing_height_only_with_the_feedback_on() -> None:
    """Off: the weather's mixing height; on: ``haze_mixing_height`` of the same weather, lower
    by day and never higher."""
    from sim.air.haze_feedback import haze_mixing_height

    off = load_scenario(SCENARIO, [*SHORT, "air.haze_feedback.enabled=false"])
    st = simulate_state(off)
    plain = air.met_arrays(st.calendar, st.weather, air.air_params(off))
    np.testing.assert_array_equal(plain.mixing_height_m, st.weather.mixing_height_m)
    on = load_scenario(SCENARIO, [*SHORT, "air.haze_feedback.enabled=true"])
    params = air.air_params(on)
    assert params.haze_feedback is not None
    assert params.region is not None
    met = air.met_arrays(st.calendar, st.weather, params)
    h, _ = haze_mixing_height(
        plain.day_of_year, plain.wind_m_s, plain.mixing_height_m, plain.rain_mm_h,
        plain.solar_w_m2, params.region, params.haze_feedback,
        relative_humidity_pct=plain.relative_humidity_pct,
    )  # fmt: skip
    np.testing.assert_array_equal(met.mixing_height_m, h)
    assert np.all(met.mixing_height_m <= plain.mixing_height_m)
    night = st.weather.solar_w_m2 <= 0
    np.testing.assert_array_equal(met.mixing_height_m[night], plain.mixing_height_m[night])
    assert np.any(met.mixing_height_m < plain.mixing_height_m)
