"""Restart from reported progress (sim.spinup): hand-worked tranches and projects."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from _support import PLAN2024
from sim.forecasting.progress import read_progress, scheduled_values
from sim.ledger import Ledger, progress_stream
from sim.spinup import commissioned_at, retime_project, retime_quantity

DONE = progress_stream("retire_china3", "vehicles_retired")
#: 300 vehicles, 50 retired on the 1st of February to July 2024 (days of the year)
TRANCHES = (31, 60, 91, 121, 152, 182)
AS_OF_H = 152 * 24.0  # 1 June 2024: the schedule says 4 tranches (200) before it
DAYS = 366


def _scheduled() -> Ledger:
    who = {"now": ""}
    ledger = Ledger(DAYS * 24, writer=lambda: who["now"])
    ledger.declare("fleet", [300.0])
    ledger.declare(DONE, 0.0)
    who["now"] = "retire_china3"
    for day in TRANCHES:
        ledger.add(day * 24.0, "fleet", [-50.0])
        ledger.add(day * 24.0, DONE, 50.0)
        ledger.record(day * 24.0, "retire_china3", "retired", "china3", vehicles=50.0)
    return ledger


def _vehicle_days(ledger: Ledger, first: int, last: int) -> float:
    return float(ledger.hourly("fleet")[first * 24 : last * 24, 0].sum() / 24.0)


def test_behind_schedule_the_remaining_200_retire_at_the_scenarios_pace_from_as_of() -> None:
    ledger = retime_quantity(_scheduled(), "retire_china3", "vehicles_retired", 100.0, AS_OF_H)
    # by hand: 2 tranches done (Feb, Mar); the 1 Apr tranche slips 61 days to 1 June and the
    # later ones keep their spacing: 150 left from day 152, 100 from 182, 50 from 213, 0 from 243
    assert _vehicle_days(ledger, 152, DAYS) == pytest.approx(150 * 30 + 100 * 31 + 50 * 30)
    assert _vehicle_days(ledger, 0, 152) == pytest.approx(31 * 300 + 29 * 250 + 92 * 200)
    assert scheduled_values(ledger, AS_OF_H)[DONE] == pytest.approx(100.0)
    assert float(ledger.stream(DONE).values[-1]) == pytest.approx(300.0)
    retired = sorted(e.time_h / 24 for e in ledger.events if e.kind == "retired")
    assert retired == [31, 60, 152, 182, 213, 243]
    # the schedule itself: 50 left from day 152 (one tranche), 0 from day 182
    assert _vehicle_days(_scheduled(), 152, DAYS) == pytest.approx(50 * 30)


def test_a_tranche_reported_half_done_is_split_in_proportion() -> None:
    ledger = retime_quantity(_scheduled(), "retire_china3", "vehicles_retired", 125.0, AS_OF_H)
    # 25 of the 1 April tranche stay on 1 April; its other 25 retire on 1 June
    assert _vehicle_days(ledger, 0, 152) == pytest.approx(31 * 300 + 29 * 250 + 31 * 200 + 61 * 175)
    assert _vehicle_days(ledger, 152, DAYS) == pytest.approx(150 * 30 + 100 * 31 + 50 * 30)


def test_ahead_of_schedule_the_rest_is_pulled_forward_by_the_lead() -> None:
    ledger = retime_quantity(_scheduled(), "retire_china3", "vehicles_retired", 250.0, AS_OF_H)
    # the 1 June tranche counts as done before as-of; the 1 July one moves 30 days to 1 June
    assert scheduled_values(ledger, AS_OF_H)[DONE] == pytest.approx(250.0)
    assert _vehicle_days(ledger, 152, DAYS) == pytest.approx(0.0)


def test_a_project_not_commissioned_moves_by_exactly_its_slip() -> None:
    ledger = _scheduled()
    moved = retime_project(ledger, "retire_china3", "china3", None, AS_OF_H)
    # the first "china3" event (day 31) moves to as-of: 121 days later, the others unchanged
    days = sorted(e.time_h / 24 for e in moved.events)
    assert days == [60, 91, 121, 152, 152, 182]
    reported = retime_project(ledger, "retire_china3", "china3", 40 * 24.0, AS_OF_H)
    assert _vehicle_days(reported, 0, 60) == pytest.approx(40 * 300 + 20 * 250)


def test_progress_yaml_reads_project_dates_and_refuses_one_after_as_of(tmp_path: Path) -> None:
    f = tmp_path / "p.yaml"
    f.write_text(
        "measures:\n  retire_china3: {vehicles_retired: 100}\n"
        "  voc_retrofit:\n    commissioned: {auto_repair_batch_1: null, printing_upgrade: "
        "2024-05-02}\n"
    )
    got = read_progress(f, date(2024, 6, 1))
    assert got.quantities == {"retire_china3.vehicles_retired": 100.0}
    assert got.projects == {
        "voc_retrofit.auto_repair_batch_1": None,
        "voc_retrofit.printing_upgrade": date(2024, 5, 2),
    }
    f.write_text("measures:\n  voc_retrofit:\n    commissioned: {printing_upgrade: 2024-07-02}\n")
    from sim.errors import ScenarioError

    with pytest.raises(ScenarioError, match="is not before --as-of 2024-06-01"):
        read_progress(f, date(2024, 6, 1))


def test_plan2024_engine_restarts_from_the_reported_state() -> None:
    from sim.api import load_scenario
    from sim.engine import simulate_state
    from sim.scenario.sections.run import ReportedProgress

    scen = load_scenario(PLAN2024)
    plan = simulate_state(scen).ledger
    reported = ReportedProgress(
        as_of=datetime(2024, 6, 1),
        quantities={"retire_china3.vehicles_retired": 400.0},
        projects={"voc_retrofit.auto_repair_batch_1": None},
    )
    run = scen.run.model_copy(update={"reported_progress": reported})
    got = simulate_state(scen.model_copy(update={"run": run})).ledger
    assert scheduled_values(plan, AS_OF_H)[DONE] > 400.0  # behind the schedule
    assert scheduled_values(got, AS_OF_H)[DONE] == pytest.approx(400.0)
    t_plan = commissioned_at(plan.events, "voc_retrofit", "auto_repair_batch_1")
    assert t_plan is not None
    assert t_plan < AS_OF_H
    assert commissioned_at(got.events, "voc_retrofit", "auto_repair_batch_1") == AS_OF_H


def test_restart_and_year_survive_the_members_parameter_draws() -> None:
    # members re-validate the raw mapping when they draw the fitted parameters (sim.ensemble)
    import numpy as np

    from sim.api import load_scenario
    from sim.calibration.uncertainty import draw_parameters, load_distribution
    from sim.forecasting.progress import Reported
    from sim.forecasting.run import restarted, whole_year

    scen = whole_year(load_scenario(PLAN2024), 2022)
    scen = restarted(scen, date(2022, 6, 1), Reported({"retire_china3.vehicles_retired": 4.0}, {}))
    drawn, values = draw_parameters(scen, np.random.default_rng(1), load_distribution())
    assert values  # the parameters were drawn
    assert drawn.run.start == datetime(2022, 1, 1)
    assert drawn.run.end == datetime(2023, 1, 1)
    assert drawn.run.reported_progress is not None
    assert drawn.run.reported_progress.quantities == {"retire_china3.vehicles_retired": 4.0}
