"""Dust measures: AP-42 road dust, enclosure, covering, prefabrication, sites, open burning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.api import load_scenario
from sim.engine import RunState, simulate_state
from sim.policies.dust import next_round_h, site_control
from sim.sources.base import POLLUTANTS

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "scenarios" / "baseline.yaml"
PM25 = POLLUTANTS.index("PM2.5")
PM10 = POLLUTANTS.index("PM10")
DAY_H = 24.0


def run(policies: dict[str, Any]) -> RunState:
    return simulate_state(
        load_scenario(BASELINE, {f"policies.{k}": v for k, v in policies.items()})
    )


@pytest.fixture(scope="module")
def baseline() -> RunState:
    return simulate_state(load_scenario(BASELINE))


def site_names(state: RunState) -> list[str]:
    dust = state.scenario.sources.dust
    assert dust is not None
    return [s.name for s in dust.construction.sites]


def ratio(state: RunState, baseline: RunState, key: str) -> np.ndarray:
    new, old = state.source_emissions[key][:, PM10], baseline.source_emissions[key][:, PM10]
    on = old > 0
    return np.asarray(new[on] / old[on])


def test_road_cleaning_cuts_road_dust_by_the_ap42_silt_ratio(baseline: RunState) -> None:
    # sL 1.0 -> 0.4 g/m2 on day one: every hour scales by (0.4 / 1.0)^0.91 = 0.4345.
    state = run({"road_cleaning": {"reached_by": "2024-01-01", "target_silt_loading_g_m2": 0.4}})
    r = ratio(state, baseline, "dust.roads")
    assert r == pytest.approx(np.full(r.shape, 0.4**0.91), rel=1e-12)


def test_road_cleaning_reaches_its_target_in_monthly_steps(baseline: RunState) -> None:
    state = run({"road_cleaning": {"reached_by": "2024-07-01", "target_silt_loading_g_m2": 0.4}})
    silt = state.ledger.hourly("dust.roads.silt_loading_g_m2")
    step_h = (182 * DAY_H) / 6  # six monthly steps, the last on 1 July
    assert silt[0] == 1.0
    assert silt[int(step_h) + 1] == pytest.approx(1.0 - 0.6 / 6)
    assert np.all(np.diff(silt) <= 0.0)
    assert silt[-1] == pytest.approx(0.4)


def test_road_cleaning_books_cost_per_km_year(baseline: RunState) -> None:
    state = run({"road_cleaning": {"target_silt_loading_g_m2": 0.5, "cost_cny_per_km_year": 1000}})
    costs = [e.quantities["operating_cny"] for e in state.ledger.events if e.kind == "cost"]
    assert sum(costs) == pytest.approx(1000 * 140 * 8784 / 8766)  # 140 km, a leap year


def test_enclosing_every_muck_truck_cuts_their_dust_by_the_enclosure_formula(
    baseline: RunState,
) -> None:
    # 1 - enclosed x 0.9: 0.19 of open-truck dust at 90 % enclosed, 0.10 at 100 %.
    state = run({"muck_truck_enclosure": {"reached_by": "2024-01-01"}})
    r = ratio(state, baseline, "dust.muck_trucks")
    assert r == pytest.approx(np.full(r.shape, 0.10 / 0.19), rel=1e-12)


def test_covering_bare_land_scales_wind_erosion_with_the_uncovered_share(
    baseline: RunState,
) -> None:
    state = run(
        {"bare_land_cover": {"reached_by": "2024-01-01", "target_uncovered_fraction": 0.05}}
    )
    r = ratio(state, baseline, "dust.bare_land")
    assert r == pytest.approx(np.full(r.shape, 0.05 / 0.3), rel=1e-12)


def test_site_control_combines_package_and_prefabrication() -> None:
    assert site_control(0.5, None, 1.0) == 0.5
    assert site_control(0.5, 0.8, 1.0) == pytest.approx(0.8)
    assert site_control(0.9, 0.8, 1.0) == pytest.approx(0.9)  # never below the site's own
    assert site_control(0.5, None, 0.85) == pytest.approx(1 - 0.5 * 0.85)


def test_prefabrication_cuts_dust_of_sites_opening_after_the_start(baseline: RunState) -> None:
    # hospital_annex opens 2024-04-01 (4,800 m2); 30 % prefabricated x 50 % less dust -> x 0.85.
    cfg = {
        "start": "2024-03-01",
        "sites": ["hospital_annex", "metro_station_works"],
        "prefabricated_share": 0.3,
        "dust_reduction": 0.5,
    }
    state = run({"prefabricated_buildings": cfg})
    control = state.ledger.hourly("dust.site.control_efficiency")
    names = site_names(state)
    hospital, metro = names.index("hospital_annex"), names.index("metro_station_works")
    assert control[-1, hospital] == pytest.approx(1 - (1 - 0.5) * 0.85)
    assert control[-1, metro] == 0.75  # opened in 2023: untouched
    base = baseline.source_emissions["dust.construction"][:, PM10].sum()
    cut = base - state.source_emissions["dust.construction"][:, PM10].sum()
    rate = 0.025 / (365.25 / 12 * 16)  # kg PM10 per m2 per working hour
    working = (baseline.calendar.hour_of_day >= 6) & (baseline.calendar.hour_of_day < 22)
    working &= ~baseline.weather.raining
    open_h = int(baseline.calendar.hours_since_start("2024-04-01"))
    active = np.zeros(baseline.calendar.n_hours, dtype=bool)
    active[open_h : open_h + 270 * 24] = True
    expected = rate * 4800 * (1 - 0.5) * 0.15 * (working & active).sum()
    assert cut == pytest.approx(expected, rel=1e-9)


def test_inspection_rounds_fall_on_the_interval_grid() -> None:
    assert next_round_h(0.0, 0.0, 336.0) == 0.0
    assert next_round_h(1.0, 0.0, 336.0) == 336.0
    assert next_round_h(700.0, 24.0, 336.0) == 24.0 + 3 * 336.0


def test_monitored_sites_are_found_fast_and_others_at_inspection_rounds() -> None:
    cfg = {
        "package_control_efficiency": 0.8,
        "lapses_per_site_month": 2.0,
        "monitoring_install_days": 10,
        "monitored_detection_days": 1,
        "inspection_interval_days": 14,
        "detection_probability": 1.0,
    }
    state = run({"site_dust_control": cfg})
    events = [e for e in state.ledger.events if e.process == "site_dust_control"]
    lapse: dict[str, float] = {}
    monitored = {
        "xigu_redevelopment_a",
        "xigu_redevelopment_b",
        "metro_station_works",
        "old_factory_plot",
        "school_extension",
    }
    n_found = 0
    for e in events:
        if e.kind == "lapse":
            lapse[e.subject] = e.time_h
        elif e.kind == "violation_found":
            n_found += 1
            waited = e.time_h - lapse.pop(e.subject)
            if e.subject in monitored:
                assert waited == pytest.approx(DAY_H)
            else:
                assert e.time_h % (14 * DAY_H) == pytest.approx(0.0)
                assert 0.0 < waited <= 14 * DAY_H
    assert n_found > 20
    share = state.ledger.hourly("progress.site_dust_control.sites_monitored")
    assert share[0] == 5.0  # the baseline's five large sites are already networked


def test_a_lapse_falls_back_to_the_sites_own_control_until_found() -> None:
    cfg = {
        "package_control_efficiency": 0.9,
        "lapses_per_site_month": 1.0,
        "detection_probability": 0.0,
    }
    state = run({"site_dust_control": cfg})
    control = state.ledger.current("dust.site.control_efficiency")
    names = site_names(state)
    lapsed = {e.subject for e in state.ledger.events if e.kind == "lapse"}
    own = {s.name: s.control_efficiency for s in state.scenario.sources.dust.construction.sites}  # type: ignore[union-attr]
    for i, name in enumerate(names[5:], start=5):  # unmonitored sites: lapses are never found
        assert control[i] == pytest.approx(own[name] if name in lapsed else 0.9)
    assert len(lapsed & set(names[5:])) >= 3


def test_patrols_that_prevent_every_fire_leave_no_open_burning_after_they_start(
    baseline: RunState,
) -> None:
    state = run({"open_burning_patrol": {"start": "2024-07-01", "prevented_share": 1.0}})
    key = "household.open_burning"
    t0 = int(state.calendar.hours_since_start("2024-07-01"))
    assert np.array_equal(state.source_emissions[key][:t0], baseline.source_emissions[key][:t0])
    late = [
        e
        for e in state.ledger.events
        if e.process == "household.open_burning" and e.kind == "start" and e.time_h >= t0
    ]
    assert late == []
    assert baseline.source_emissions[key][t0 + 2 :].sum() > 0.0


def test_disabled_dust_measures_leave_emissions_bit_for_bit(baseline: RunState) -> None:
    state = run({"road_cleaning": {"enabled": False}, "site_dust_control": {"enabled": False}})
    for key, arr in baseline.source_emissions.items():
        assert np.array_equal(arr, state.source_emissions[key]), key


def test_the_dust_bundle_never_raises_any_source_in_any_hour(baseline: RunState) -> None:
    state = simulate_state(load_scenario(REPO / "scenarios" / "bundles" / "dust.yaml"))
    for key, arr in baseline.source_emissions.items():
        assert np.all(state.source_emissions[key] <= arr + 1e-12), key
    assert state.source_emissions["dust.roads"][:, PM25].sum() < (
        baseline.source_emissions["dust.roads"][:, PM25].sum()
    )
