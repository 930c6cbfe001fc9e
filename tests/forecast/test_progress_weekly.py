"""Progress YAML (validated, compared with the schedule) and the weekly re-forecast table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from _support import PLAN2024
from sim.errors import ScenarioError
from sim.forecasting.observed import from_daily_array
from sim.forecasting.progress import behind_schedule, read_progress
from sim.forecasting.weekly import cut

#: the schedule at as-of (one engine run's progress streams)
SCHEDULED = {"progress.retire_china3.vehicles_retired": 465.0}


def test_reported_progress_behind_the_schedule_by_the_difference(tmp_path: Path) -> None:
    f = tmp_path / "p.yaml"
    f.write_text("as_of: 2024-02-01\nmeasures:\n  retire_china3: {vehicles_retired: 400}\n")
    reported = read_progress(f, date(2024, 2, 1))
    assert reported.quantities == {"retire_china3.vehicles_retired": 400.0}
    (row,) = behind_schedule(reported.quantities, SCHEDULED, f)
    assert row["scheduled"] == pytest.approx(465.0)
    assert row["behind_by"] == pytest.approx(65.0)
    assert row["behind"] is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("as_of: 2024-03-01\nmeasures: {}\n", "as_of: 2024-03-01 differs from --as-of 2024-02-01"),
        ("measures:\n  retire_china3: {vehicles_retired: -1}\n", "expected >= 0"),
        ("measures:\n  retire_china3: {vehicles_retired: many}\n", "expected a number"),
        ("nothing: 1\n", "expected a mapping with 'measures:"),
    ],
)
def test_progress_errors_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "p.yaml"
    f.write_text(text)
    with pytest.raises(ScenarioError, match=message):
        read_progress(f, date(2024, 2, 1))


def test_unknown_progress_names_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"no such progress \(known: retire_china3"):
        behind_schedule({"retire_china4.x": 1.0}, SCHEDULED, tmp_path / "p.yaml")


def test_weekly_cut_keeps_the_days_before_the_week_end() -> None:
    daily = np.zeros((40, 6))
    daily[:, 0] = np.arange(40, dtype=float) + 1.0  # PM2.5 1..40
    daily[:, 5] = 60.0
    obs = from_daily_array(daily, date(2024, 1, 1))
    part = cut(obs, date(2024, 1, 8))  # 1-7 January
    assert part.days == 7
    assert part.pm25_mean_ug_m3 == pytest.approx(4.0)  # mean of 1..7
    assert part.good_days == 7
    assert part.end_day == date(2024, 1, 8)


def test_weekly_table_has_a_row_per_week_and_the_as_of_date() -> None:
    from sim.api import load_scenario
    from sim.forecasting.run import Forecast
    from sim.forecasting.weekly import weekly_table
    from sim.forecasting.yearend import year_end

    model = np.zeros((4, 366, 6))
    model[..., 0] = 30.0  # PM2.5 30 every day: IAQI 43, good; annual mean 30 <= 40
    model[..., 5] = 60.0
    obs = from_daily_array(model[0, :21], date(2024, 1, 1))  # observed 1-21 January
    ye = year_end(model, obs, np.random.default_rng(0))
    scen = load_scenario(PLAN2024)
    fc = Forecast(scen, date(2024, 1, 22), obs, ye, [{}] * 4, None, "", [], None, model, 1)  # type: ignore[arg-type]
    rows = weekly_table(fc)
    # 1 January 2024 is a Monday: data through Sundays 7 and 14 January, then the as-of date
    assert [r["as_of"] for r in rows] == ["2024-01-08", "2024-01-15", "2024-01-22"]
    assert [r["observed_days"] for r in rows] == [7, 14, 21]
    assert all(r["p_met.pm25_annual_mean"] == 1.0 for r in rows)
    assert all(r["p_met.voc_reduction"] is None for r in rows)
