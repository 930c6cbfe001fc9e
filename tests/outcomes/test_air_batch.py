"""plan2024 for a year: each coalition of the batched air outcome against its own single run.

The outcome evaluates the 8 coalitions of district, city and region (each with or without its
own measures) in one batch (:func:`sim.air.batch.evaluate`, :func:`daily_batch`); here each
coalition is run alone through the single-response path (:func:`sim.air.response.air_response`
and :func:`daily_table`) and its annual PM2.5, O3-8h p90 and good days must agree.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from sim.air.actors import actor_emissions_kg_h, relative_change
from sim.air.aqi import o3_8h_percentile
from sim.air.batch import evaluate, weathered
from sim.air.profiles import hourly_weights
from sim.air.response import air_response, background
from sim.calendar import Calendar
from sim.engine import RunState, simulate_state
from sim.outcomes import air
from sim.outcomes.air_actors import annual_figures, coalitions, daily_batch, daily_table
from sim.outcomes.air_inputs import _district_emissions, _reference_t, _weights, actor_inputs
from sim.scenario import load_scenario
from sim.scenario.sections.air import REGION_INVENTORY_KT

PLAN = Path(__file__).parents[2] / "scenarios" / "plan2024.yaml"


@pytest.fixture(scope="module")
def plan() -> tuple[RunState, RunState]:
    state = simulate_state(load_scenario(PLAN))
    counterfactual = state.without_measures()
    assert counterfactual is not None
    return state, counterfactual


@pytest.fixture(scope="module")
def single(plan: tuple[RunState, RunState]) -> dict[frozenset[str], dict]:
    return _single_runs(*plan)


def _single_runs(state: RunState, counterfactual: RunState) -> dict[frozenset[str], dict]:
    """Each coalition run alone: its emissions, its own background, one air response, its AQI."""
    cfg, cal = state.scenario.air, state.calendar
    params = air.air_params(state.scenario)
    met = air.met_arrays(cal, state.weather, params)
    district = [_district_emissions(counterfactual), _district_emissions(state)]
    city = [air.actor_emissions(cfg.city, cal, with_measures=m) for m in (False, True)]
    region = [air.actor_emissions(cfg.region, cal, with_measures=m) for m in (False, True)]
    reference = actor_emissions_kg_h(_reference_t(REGION_INVENTORY_KT), _weights(cal))
    backgrounds = [background(met, params, relative_change(e, reference)) for e in region]
    out = {}
    for i, j, k in np.ndindex(2, 2, 2):
        bits = zip(("district", "city", "region"), (i, j, k), strict=True)
        on = frozenset(a for a, bit in bits if bit)
        total = air_response(district[i], city[j], met, params, backgrounds[k]).total
        daily = daily_table(total, cal)
        good = daily["aqi"].good
        out[on] = {
            "pm25": float(total[:, 0].mean()),
            "o3_p90": float(o3_8h_percentile(daily["mda8"])),
            "good_days": int(good.sum()),
        }
    return out


def test_every_coalition_of_plan2024_equals_its_single_run(
    plan: tuple[RunState, RunState], single: dict[frozenset[str], dict]
) -> None:
    state, counterfactual = plan
    cal = state.calendar
    params = air.air_params(state.scenario)
    met = air.met_arrays(cal, state.weather, params)
    w = weathered(met, params)
    inputs = actor_inputs(state, counterfactual, met, params, w)
    assert inputs.acting == ("district", "city", "region")
    totals = evaluate(inputs.variants, met, params, w).totals.reshape(8, 6, -1)
    batch = daily_batch(totals, cal)
    figures = annual_figures(totals, batch["aqi"].aqi, batch["mda8"])
    for members, fig in zip(coalitions(inputs.acting), figures, strict=True):
        ref = single[members]
        assert fig["pm25_annual_mean_ug_m3"] == pytest.approx(ref["pm25"], rel=1e-9), members
        assert fig["o3_8h_p90_ug_m3"] == pytest.approx(ref["o3_p90"], rel=1e-9), members
        assert fig["good_days"] == ref["good_days"], members
    # the coalitions differ: the test compares eight different years, not one eight times
    assert len({round(s["pm25"], 6) for s in single.values()}) == 8


def test_plan2024_summary_reports_the_single_runs(
    plan: tuple[RunState, RunState], single: dict[frozenset[str], dict]
) -> None:
    state, counterfactual = plan
    summary = air.compute(state, counterfactual=counterfactual).summary
    for key, members in (("no_measures", frozenset()), ("district_alone", {"district"})):
        assert summary[key]["pm25_annual_mean_ug_m3"] == pytest.approx(
            single[frozenset(members)]["pm25"], abs=1e-4)  # fmt: skip
        assert summary[key]["good_days"] == single[frozenset(members)]["good_days"]
    run = single[frozenset({"district", "city", "region"})]
    assert summary["pm25_annual_mean_ug_m3"] == pytest.approx(run["pm25"], abs=1e-3)
    assert summary["good_days"] == run["good_days"]


@pytest.mark.parametrize(("start_hour", "missing"), [(0, False), (5, False), (0, True)])
def test_daily_batch_of_whole_days_equals_the_nan_aware_daily_table(
    start_hour: int, missing: bool
) -> None:
    # whole days take the reshaped fast path; a run starting at 05:00 or with a missing hour
    # the padded, NaN-aware one
    cal = Calendar(datetime(2024, 1, 1, start_hour), datetime(2024, 1, 11))
    rng = np.random.default_rng(start_hour)
    scale = np.array([150.0, 200.0, 60.0, 90.0, 3e3, 250.0])[:, None]
    totals = rng.uniform(0.0, 1.0, (3, 6, cal.n_hours)) * scale
    if missing:
        totals[1, :, 30] = np.nan
    batch = daily_batch(totals, cal, o3_with_1h=True)
    for k in range(3):
        ref = daily_table(totals[k].T, cal, o3_with_1h=True)
        np.testing.assert_allclose(batch["means"][:, k], ref["means"], rtol=1e-13)
        np.testing.assert_allclose(batch["mda8"][:, k], ref["mda8"], rtol=1e-13)
        np.testing.assert_array_equal(batch["aqi"].aqi[:, k], ref["aqi"].aqi)


def test_pm25_response_keeps_the_city_and_region_measures(
    plan: tuple[RunState, RunState], single: dict[frozenset[str], dict]
) -> None:
    # the per-measure entry point: only the district's emissions change; the rest of Tianjin
    # and the region keep their own measures (the single runs with city and region on)
    state, counterfactual = plan
    alternatives = np.stack([_district_emissions(state), _district_emissions(counterfactual)])
    pm25, good = air.pm25_response(state, alternatives)
    days = len(state.calendar.days)
    for k, members in enumerate(({"district", "city", "region"}, {"city", "region"})):
        ref = single[frozenset(members)]
        assert pm25[k] == pytest.approx(ref["pm25"], rel=1e-9)
        assert good[k] == ref["good_days"] / days


@pytest.mark.parametrize("start_hour", [0, 5])
def test_time_profiles_of_a_run_equal_the_hourly_lookup(start_hour: int) -> None:
    # whole days from midnight are made by broadcasting; a run starting at 05:00 looks each up
    cal = Calendar(datetime(2024, 2, 26, start_hour), datetime(2024, 3, 12))
    weekday = np.asarray(cal.days.day_of_week)[cal.day_index]
    ref = hourly_weights(cal.month, weekday, cal.hour_of_day)
    np.testing.assert_array_equal(_weights(cal), ref)
