"""VOC measures: contractor queue, commissioning, carbon saturation and inspection, low-VOC."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.api import load_scenario
from sim.engine import RunState, simulate_state
from sim.policies.voc import adoption_steps_h, inspection_times_h, saturation_removal
from sim.sources.base import POLLUTANTS

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "scenarios" / "baseline.yaml"
VOC = POLLUTANTS.index("VOC")
#: auto_repair_spraying in the baseline: 48 t x 550 g/kg = 26,400 kg/yr before capture.
AUTO_REPAIR_KG = 48 * 550.0
DAY_H = 24.0


def run(policies: dict[str, Any]) -> RunState:
    return simulate_state(
        load_scenario(BASELINE, {f"policies.{k}": v for k, v in policies.items()})
    )


@pytest.fixture(scope="module")
def baseline() -> RunState:
    return simulate_state(load_scenario(BASELINE))


def project(name: str, days: float, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "enterprise": extra.pop("enterprise", "auto_repair_spraying"),
        "design_build_days": days,
        "new_removal_efficiency": 0.9,
        **extra,
    }


def event_times(state: RunState, process: str, kind: str) -> dict[str, float]:
    return {
        e.subject: e.time_h for e in state.ledger.events if (e.process, e.kind) == (process, kind)
    }


def test_one_contractor_serialises_projects_so_commissioning_is_the_cumulative_build_time() -> None:
    cfg = {"contractors": 1, "projects": [project("a", 10), project("b", 20), project("c", 30)]}
    done = event_times(run({"voc_retrofit": cfg}), "voc_retrofit", "commissioned")
    assert done == {"a": 240.0, "b": 720.0, "c": 1440.0}  # 10, 10+20, 10+20+30 days


def test_enough_contractors_work_in_parallel() -> None:
    cfg = {"contractors": 3, "projects": [project("a", 10), project("b", 20), project("c", 30)]}
    done = event_times(run({"voc_retrofit": cfg}), "voc_retrofit", "commissioned")
    assert done == {"a": 240.0, "b": 480.0, "c": 720.0}


def test_drawn_build_times_queue_in_order_and_slip_the_benefit() -> None:
    tri = {"dist": "triangular", "low": 20, "mode": 40, "high": 80}
    cfg = {"contractors": 1, "projects": [project("a", tri), project("b", tri)]}
    state = run({"voc_retrofit": cfg})
    started = event_times(state, "voc_retrofit", "works_started")
    done = event_times(state, "voc_retrofit", "commissioned")
    build = {
        e.subject: e.quantities["build_h"] for e in state.ledger.events if e.kind == "works_started"
    }
    assert 20 * DAY_H <= build["a"] <= 80 * DAY_H
    assert done["a"] == pytest.approx(build["a"])
    assert started["b"] == pytest.approx(done["a"])
    assert done["b"] == pytest.approx(build["a"] + build["b"])
    again = event_times(run({"voc_retrofit": cfg}), "voc_retrofit", "commissioned")
    assert again == done  # the same seed draws the same durations


def test_retrofit_voc_reduction_equals_use_content_capture_removal_over_remaining_days(
    baseline: RunState,
) -> None:
    # Commissioned at midnight of 2024-03-01 (day 60 of 366): auto repair works 8-18 every day,
    # so 306/366 of its year remains. Capture 0.6 -> 0.8, removal 0.35 -> 0.9.
    cfg = {
        "start": "2024-01-01",
        "projects": [project("a", 60, new_capture_efficiency=0.8)],
    }
    state = run({"voc_retrofit": cfg})
    key = "industrial.auto_repair_spraying"
    cut = (baseline.source_emissions[key] - state.source_emissions[key])[:, VOC].sum()
    expected = AUTO_REPAIR_KG * (0.8 * 0.9 - 0.6 * 0.35) * (366 - 60) / 366
    assert cut == pytest.approx(expected, rel=1e-9)


def test_production_stops_during_the_tie_in_and_resumes(baseline: RunState) -> None:
    cfg = {"projects": [project("a", 30, shutdown_days=5)]}
    state = run({"voc_retrofit": cfg})
    key = "industrial.auto_repair_spraying"
    voc = state.source_emissions[key][:, VOC]
    stop = slice(int(25 * DAY_H), int(30 * DAY_H))
    assert np.all(voc[stop] == 0.0)
    assert np.array_equal(voc[: stop.start], baseline.source_emissions[key][: stop.start, VOC])
    operating = state.ledger.hourly("industrial.auto_repair_spraying.operating")
    assert operating[int(30 * DAY_H)] == 1.0


def test_a_disabled_measure_leaves_emissions_bit_for_bit(baseline: RunState) -> None:
    cfg = {"enabled": False, "projects": [project("a", 10)]}
    state = run({"voc_retrofit": cfg, "voc_inspection": {"enabled": False}})
    for key, arr in baseline.source_emissions.items():
        assert np.array_equal(arr, state.source_emissions[key]), key


def test_saturation_steps_are_equal_between_fresh_and_saturated() -> None:
    assert saturation_removal(0.7, 0.35, 0, 2) == 0.7
    assert saturation_removal(0.7, 0.35, 1, 2) == pytest.approx(0.525)
    assert saturation_removal(0.7, 0.35, 2, 2) == pytest.approx(0.35)
    assert saturation_removal(0.7, 0.35, 5, 2) == pytest.approx(0.35)


def test_inspection_replaces_carbon_which_breaks_through_after_its_life() -> None:
    # Rounds every 50 days (in and out of the ozone season), certain detection, no delay;
    # one-step breakthrough after 20 days: fresh 0.7 on days [0, 20), [50, 70), [100, 120) ...
    cfg = {
        "enterprises": ["furniture_wood_coating"],
        "fresh_removal_efficiency": 0.7,
        "carbon_life_days": 20,
        "saturation_steps": 1,
        "interval_days": 50,
        "ozone_season_interval_days": 50,
        "detection_probability": 1.0,
        "replacement_delay_days": 0,
    }
    state = run({"voc_inspection": cfg})
    removal = state.ledger.hourly("industrial.furniture_wood_coating.removal_efficiency")
    day = np.arange(state.calendar.n_hours) // 24
    fresh = (day % 50) < 20
    assert np.all(removal[fresh] == 0.7)
    assert np.all(removal[~fresh] == 0.35)


def test_ozone_season_rounds_are_more_frequent(baseline: RunState) -> None:
    class Ctx:
        calendar = baseline.calendar

    times = np.array(inspection_times_h(Ctx(), 0.0, 8784.0, 60.0, 30.0))  # type: ignore[arg-type]
    months = baseline.calendar.month[times.astype(int)]
    in_ozone = np.isin(months, (5, 6, 7, 8, 9))
    gaps = np.diff(times) / DAY_H
    assert set(gaps[in_ozone[:-1]]) == {30.0}
    assert set(gaps[~in_ozone[:-1]]) == {60.0}


def test_low_voc_adoption_steps_monthly_to_the_full_share(baseline: RunState) -> None:
    assert adoption_steps_h(0.0, 0.0) == [0.0]
    steps = adoption_steps_h(0.0, 8766.0 / 2)
    assert len(steps) == 6
    assert steps[-1] == pytest.approx(4383.0)
    cfg = {
        "substitutions": [
            {
                "name": "wb",
                "enterprise": "auto_repair_spraying",
                "content_ratio": 0.6,
                "adoption_share": 0.5,
                "adopted_by": "2024-01-01",
            }
        ]
    }
    state = run({"low_voc_coatings": cfg})
    key = "industrial.auto_repair_spraying"
    ratio = state.source_emissions[key][:, VOC].sum() / baseline.source_emissions[key][:, VOC].sum()
    assert ratio == pytest.approx(1 - 0.5 * (1 - 0.6), rel=1e-12)


def test_high_voc_restriction_blocks_projects_without_touching_emissions(
    baseline: RunState,
) -> None:
    cfg = {"projects": [{"name": "p", "arrival": "2024-07-01", "voc_t_yr": 3.0}]}
    state = run({"high_voc_restriction": cfg})
    blocked = [e for e in state.ledger.events if e.kind == "blocked"]
    assert len(blocked) == 1
    hours_left = 8784 - 182 * DAY_H  # 2024-07-01 is day 182
    assert blocked[0].quantities["avoided_voc_t"] == pytest.approx(3.0 * hours_left / 8766.0)
    for key, arr in baseline.source_emissions.items():
        assert np.array_equal(arr, state.source_emissions[key]), key


def test_the_voc_bundle_never_raises_any_source_in_any_hour(baseline: RunState) -> None:
    state = simulate_state(load_scenario(REPO / "scenarios" / "bundles" / "voc_retrofit.yaml"))
    for key, arr in baseline.source_emissions.items():
        assert np.all(state.source_emissions[key] <= arr + 1e-12), key
    cut = sum(
        (baseline.source_emissions[k] - state.source_emissions[k])[:, VOC].sum()
        for k in baseline.source_emissions
    )
    assert cut > 0.0
