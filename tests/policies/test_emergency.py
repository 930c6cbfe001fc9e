"""Heavy-pollution response: forecast index, alert levels, exact cuts during alert hours."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import numpy as np
import pytest

from _support import constant_weather, tiny_scenario
from sim.calendar import Calendar
from sim.engine import RunState, simulate_state
from sim.errors import ScenarioError
from sim.policies.emergency import alert_levels
from sim.policies.forecast import stagnation_index_pm25
from sim.scenario.sections.policies_emergency import AlertThresholds, Forecast

LOW = {"yellow": 40.0, "orange": 50.0, "red": 65.0}
CUTS = {"yellow": 0.2, "orange": 0.5, "red": 0.8}


def response(**extra: Any) -> dict[str, Any]:
    return {
        "emergency_response": {
            "forecast": {"error_sigma": 0.0},
            "thresholds_ug_m3": LOW,
            "actions": [
                {"name": "trucks", "target": "mobile.on_road", **CUTS},
                {"name": "machines", "target": "mobile.non_road", "yellow": 0.0, "orange": 0.0,
                 "red": 1.0},
            ],
            **extra,
        }
    }  # fmt: skip


@pytest.fixture(scope="module")
def base() -> RunState:
    return simulate_state(tiny_scenario())


@pytest.fixture(scope="module")
def alerted() -> RunState:
    return simulate_state(tiny_scenario(response()))


def test_index_is_the_reference_on_uniform_dry_days_and_grows_with_humidity() -> None:
    cal = Calendar(datetime(2024, 1, 1), datetime(2024, 1, 3))
    cfg = Forecast(reference_ug_m3=35.0, exponent=0.6, rh_coefficient=0.5)
    dry = stagnation_index_pm25(constant_weather(48, relative_humidity_pct=55.0), cal, cfg)
    assert dry == pytest.approx([35.0, 35.0])
    humid = stagnation_index_pm25(constant_weather(48, relative_humidity_pct=80.0), cal, cfg)
    assert humid == pytest.approx([35.0 * 1.25] * 2)  # 1 + 0.5 * (80 - 60) / 40


def test_index_scales_as_inverse_ventilation_to_the_exponent() -> None:
    cal = Calendar(datetime(2024, 1, 1), datetime(2024, 1, 4))
    w = constant_weather(72)
    w.mixing_height_m[24:48] = 150.0  # day 2 ventilates 4x less than days 1 and 3 (600 m)
    pm = stagnation_index_pm25(w, cal, Forecast(reference_ug_m3=40.0, exponent=0.5))
    assert pm == pytest.approx([40.0, 80.0, 40.0])  # median V is 600 m x 2.5 m/s


def test_alert_levels_follow_thresholds_inclusively() -> None:
    th = AlertThresholds(yellow=150, orange=200, red=250)
    got = alert_levels(np.array([10.0, 150.0, 199.9, 200.0, 300.0, np.nan]), th)
    assert got.tolist() == [0, 1, 1, 2, 3, 0]


def test_alerts_cut_exactly_the_listed_fraction_in_alert_hours(
    base: RunState, alerted: RunState
) -> None:
    cfg = alerted.scenario.policies.emergency_response
    assert cfg is not None
    levels = alert_levels(
        stagnation_index_pm25(alerted.weather, alerted.calendar, cfg.forecast),
        cfg.thresholds_ug_m3,
    )
    assert set(levels.tolist()) >= {0, 1, 2, 3}, "fixture weather should reach every level"
    cut = np.array([0.0, 0.2, 0.5, 0.8])[levels][alerted.calendar.day_index]
    got = alerted.source_emissions["mobile.on_road"]
    want = base.source_emissions["mobile.on_road"] * (1.0 - cut)[:, None]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    red = (levels == 3)[alerted.calendar.day_index]
    assert (alerted.source_emissions["mobile.non_road"][red] == 0).all()
    np.testing.assert_array_equal(
        alerted.source_emissions["mobile.evaporative"], base.source_emissions["mobile.evaporative"]
    )


def test_alert_days_and_episodes_are_recorded(alerted: RunState) -> None:
    events = [e for e in alerted.ledger.events if e.process == "emergency_response"]
    alerts = [e for e in events if e.kind == "alert"]
    days = alerted.ledger.current("progress.emergency_response.alert_days")
    assert alerts
    assert days >= len(alerts)
    level = alerted.ledger.hourly("progress.emergency_response.alert_level")
    assert float(days) == pytest.approx(float((level > 0).sum()) / 24)


def test_compliance_scales_the_cut(base: RunState) -> None:
    state = simulate_state(tiny_scenario(response(compliance=0.5)))
    ratio = (
        state.source_emissions["mobile.on_road"].sum()
        / base.source_emissions["mobile.on_road"].sum()
    )
    full = simulate_state(tiny_scenario(response()))
    full_ratio = (
        full.source_emissions["mobile.on_road"].sum()
        / base.source_emissions["mobile.on_road"].sum()
    )
    assert 1 - ratio == pytest.approx((1 - full_ratio) / 2, rel=1e-9)


def test_disabled_response_is_bit_for_bit_the_baseline(base: RunState) -> None:
    policies = response()
    policies["emergency_response"]["enabled"] = False
    state = simulate_state(tiny_scenario(policies))
    for key, arr in base.source_emissions.items():
        assert np.array_equal(arr, state.source_emissions[key]), key


def test_an_unknown_target_source_is_a_scenario_error() -> None:
    bad = response()
    bad["emergency_response"]["actions"][0]["target"] = "mobile.ships"
    with pytest.raises(ScenarioError, match=r"mobile\.ships"):
        simulate_state(tiny_scenario(bad))


def test_air_model_forecast_needs_an_air_section() -> None:
    policies = response()
    policies["emergency_response"]["forecast"]["method"] = "air_model"
    with pytest.raises(ScenarioError, match="air"):
        simulate_state(tiny_scenario(policies))


def test_air_model_forecast_is_the_one_the_api_passed_in_times_a_unit_error() -> None:
    from types import SimpleNamespace

    from sim.policies.forecast import forecast_pm25

    cal = Calendar(datetime(2024, 1, 1), datetime(2024, 1, 4))
    cfg = Forecast(method="air_model", error_sigma=0.0)
    ctx = SimpleNamespace(
        scenario=SimpleNamespace(air=object()),
        calendar=cal,
        pm25_forecast=lambda c: np.array([80.0, 20.0, 150.0]),
    )
    out = forecast_pm25(ctx, cfg, np.random.default_rng(0))  # type: ignore[arg-type]
    assert out == pytest.approx([80.0, 20.0, 150.0])
    with pytest.raises(ScenarioError, match="without the air model's forecast"):
        forecast_pm25(
            SimpleNamespace(**{**vars(ctx), "pm25_forecast": None}),  # type: ignore[arg-type]
            cfg,
            np.random.default_rng(0),
        )


def test_sim_run_gives_the_air_model_forecast_to_the_alerts_also_in_attribution_reruns() -> None:
    import sim
    from _support import PLAN2024
    from sim.outcomes.air import forecast_daily_pm25

    scenario = sim.load_scenario(
        PLAN2024,
        overrides=[
            "run.end=2024-01-15",
            "policies.emergency_response.forecast.method=air_model",
            "policies.emergency_response.forecast.error_sigma=0.0",
            "policies.emergency_response.thresholds_ug_m3={yellow: 20, orange: 200, red: 300}",
        ],
    )
    result = sim.run(scenario)  # attribution re-runs the year without each family
    alerts = result.events[result.events["kind"] == "alert"]
    direct = simulate_state(scenario, pm25_forecast=forecast_daily_pm25)
    expected = [e for e in direct.ledger.events if e.kind == "alert"]
    assert len(alerts) == len(expected)
    found = [json.loads(q)["forecast_ug_m3"] for q in alerts["quantities"]]
    assert found == pytest.approx([e.quantities["forecast_ug_m3"] for e in expected])
    assert len(expected) > 0
    quiet = simulate_state(scenario, pm25_forecast=lambda ctx: np.zeros(len(ctx.calendar.days)))
    assert not [e for e in quiet.ledger.events if e.kind == "alert"]
    assert "emergency" in result.summary["measures"]


def test_plan_alerts_wash_roads_and_cut_road_dust_on_alert_days() -> None:
    from pathlib import Path

    from sim.api import load_scenario

    plan = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "plan2024.yaml")
    cfg = plan.policies.emergency_response
    assert cfg is not None
    washing = [a for a in cfg.actions if a.target == "dust.roads"]
    assert [(a.yellow, a.orange, a.red) for a in washing] == [(0.04, 0.08, 0.08)]
    state = simulate_state(plan)
    factor = state.ledger.hourly("activity_factor.dust.roads")
    level = state.ledger.hourly("progress.emergency_response.alert_level")
    alert = level >= 1  # yellow 4 %, orange and red 8 % less road dust, times the compliance
    assert alert.any()
    assert np.all(factor[alert] < 1.0)
    assert np.all(factor[alert] >= 1.0 - 0.08 - 1e-12)
    assert np.all(factor[level == 0] == 1.0)
