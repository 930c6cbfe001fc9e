"""Partial-year runs start from the year's state (sim.spinup), compared with the whole-year run."""

from __future__ import annotations

import numpy as np
import pytest

from _support import PLAN2024
from sim.api import load_scenario
from sim.engine import simulate_state
from sim.ledger import Ledger
from sim.spinup import crop_ledger, spinup_start
from sim.targets import PARTIAL, is_partial_year, score_run


def test_crop_ledger_matches_hand_worked_hour_means_and_event_times() -> None:
    led = Ledger(30)
    led.declare("x", 1.0)
    led.set(5.0, "x", 3.0)
    led.set(12.5, "x", 4.0)
    led.record(4.0, "p", "before")
    led.record(11.0, "p", "inside")
    led.record(25.0, "p", "after")
    out = crop_ledger(led, 10, 10)
    # hour 10-11: 3; 11-12: 3; 12-13: half 3, half 4 = 3.5; then 4.
    assert out.hourly("x")[:4].tolist() == [3.0, 3.0, 3.5, 4.0]
    assert [(e.time_h, e.kind) for e in out.events] == [(1.0, "inside")]


def test_spinup_only_after_the_first_hour_of_the_year() -> None:
    from datetime import datetime

    assert spinup_start(datetime(2024, 1, 1)) is None
    assert spinup_start(datetime(2024, 9, 1)) == datetime(2024, 1, 1)


@pytest.fixture(scope="module")
def runs() -> tuple:
    full = simulate_state(load_scenario(PLAN2024))
    part = simulate_state(load_scenario(PLAN2024, ["run.start=2024-09-01"]))
    return full, part


def test_partial_run_keeps_the_measures_state_reached_by_its_start(runs: tuple) -> None:
    full, part = runs
    offset = int(full.calendar.hours_since_start(part.calendar.start))
    assert offset == 244 * 24  # 1 Jan -> 1 Sep 2024 (leap year): 244 days
    share = "progress.outlet_remediation.share"
    # the figures: a reset gave 24 %, the whole-year run has 58 % by 1 September
    assert part.ledger.hourly(share)[0] == pytest.approx(full.ledger.hourly(share)[offset])
    assert part.ledger.hourly(share)[0] > 0.5
    retired = "progress.retire_china3.vehicles_retired"
    assert part.ledger.hourly(retired)[0] == pytest.approx(full.ledger.hourly(retired)[offset])


def test_partial_run_hours_equal_the_whole_year_runs_hours(runs: tuple) -> None:
    full, part = runs
    offset = int(full.calendar.hours_since_start(part.calendar.start))
    for key, arr in part.source_emissions.items():
        np.testing.assert_array_equal(arr, full.source_emissions[key][offset:])
    np.testing.assert_array_equal(part.weather.wind_m_s, full.weather.wind_m_s[offset:])
    for name in part.ledger.stream_names:
        np.testing.assert_allclose(part.ledger.hourly(name), full.ledger.hourly(name)[offset:])


def test_annual_targets_of_a_partial_year_are_not_judged() -> None:
    scen = load_scenario(PLAN2024)
    targets = scen.targets.items
    summary = {
        "scenario": "x",
        "period": {"start": "2024-09-01T00:00:00", "end": "2025-01-01T00:00:00"},
        "air": {"pm25_annual_mean_ug_m3": 80.0, "good_days_ratio": 0.1},
    }
    card = score_run(targets, summary)
    assert {t.status for t in card.targets} == {PARTIAL}
    assert card.all_met  # exit 0 under --check-targets
    assert card.targets[0].value == 80.0
    whole = {**summary, "period": {"start": "2024-01-01T00:00:00", "end": "2025-01-01T00:00:00"}}
    assert not is_partial_year(whole)
    assert score_run(targets, whole).targets[0].status == "not met"


def test_a_run_period_target_is_judged_on_a_partial_year() -> None:
    from sim.scenario.sections.targets import Target

    t = Target(name="total", metric="total_t.PM2.5", comparison="<=", value=5.0, period="run")
    summary = {"period": {"start": "2024-09-01T00:00:00", "end": "2024-10-01T00:00:00"},
               "total_t": {"PM2.5": 6.0}}  # fmt: skip
    row = score_run([t], summary).targets[0]
    assert (row.status, row.margin) == ("not met", -1.0)


def test_verdict_counts_partial_year_targets_apart_from_missed_ones() -> None:
    from sim.report_verdict import verdict

    targets = load_scenario(PLAN2024).targets.items[:2]
    summary = {
        "scenario": "x",
        "period": {"start": "2024-09-01T00:00:00", "end": "2025-01-01T00:00:00"},
        "air": {"pm25_annual_mean_ug_m3": 80.0, "good_days_ratio": 0.1},
    }
    text = verdict(score_run(targets, summary), [summary])
    assert "Of 2 targets, 0 are missed in this run." in text
    assert "2 annual targets not judged: the run covers part of the year." in text
