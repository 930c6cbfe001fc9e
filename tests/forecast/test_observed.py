"""The observed-data CSV: layouts, the per-cent conversion, and one-line errors (exit 2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from _support import REPO
from sim.errors import ScenarioError
from sim.forecasting.observed import read_observations

PERIODS = REPO / "calibration" / "observations" / "observations_tianjin_periods.csv"
HEADER = "date,pm25,pm10,no2,so2,co,o3_8h\n"


def test_jan_oct_2024_bulletin_gives_305_days_mean_39_and_209_good_days() -> None:
    obs = read_observations(PERIODS, date(2024, 11, 1))
    assert (obs.kind, obs.days, obs.pm25_mean_ug_m3, obs.good_days) == ("periods", 305, 39.0, 209)
    assert obs.good_days_ratio == pytest.approx(209 / 305)  # 68.5 % of the bulletin
    assert obs.end_day == date(2024, 11, 1)


def test_a_period_row_ending_on_or_after_as_of_leaks_the_future() -> None:
    with pytest.raises(ScenarioError, match=r"row 8, end: 2024-10-31 is on or after --as-of"):
        read_observations(PERIODS, date(2024, 10, 1))


def test_good_days_ratio_in_per_cent_converted_to_a_fraction(tmp_path: Path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("start,end,pm25,good_days_ratio,good_days\n2024-01,2024-03,45,80.0,\n")
    obs = read_observations(f, date(2024, 4, 1))
    assert obs.good_days == pytest.approx(0.8 * 91)  # Jan-Mar 2024: 91 days
    f.write_text("start,end,pm25,good_days_ratio,good_days\n2024-01,2024-03,45,0.8,\n")
    with pytest.raises(ScenarioError, match="looks like a fraction; expected per cent"):
        read_observations(f, date(2024, 4, 1))


def test_daily_rows_give_the_mean_and_the_good_days_by_hj633(tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    # PM2.5 30 -> IAQI 43 (good); 80 -> IAQI 106 (not good); 50 with an empty CO
    f.write_text(HEADER + "2024-01-01,30,40,20,5,0.5,60\n2024-01-02,80,90,30,5,0.8,60\n"
                 "2024-01-03,50,60,30,5,,60\n")  # fmt: skip
    obs = read_observations(f, date(2024, 1, 4))
    assert obs.days == 3
    assert obs.pm25_mean_ug_m3 == pytest.approx(160 / 3)
    assert obs.good_days == 2  # 30 and 50 (IAQI 72) good, 80 not
    assert np.isnan(obs.daily["co"][2])


DAY1 = "2024-01-01,30,40,20,5,0.5,60\n"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (DAY1 + "2024-01-01,31,40,20,5,0.5,60\n", "row 3, date: 2024-01-01 repeats row 2"),
        ("2024-01-01,30,40,20,5,800,60\n", r"row 2, co: 800 is outside \[0, 50\] mg/m3"),
        (DAY1 + "2024-02-01,30,40,20,5,0.5,60\n", "on or after --as-of 2024-02-01"),
        ("2024-01-01,abc,40,20,5,0.5,60\n", "row 2, pm25: expected a number"),
        ("2024-01-02,30,40,20,5,0.5,60\n", "observations start on 2024-01-02; expected 1 January"),
    ],
)  # fmt: skip
def test_daily_errors_are_one_line_naming_file_row_and_column(
    tmp_path: Path, rows: str, message: str
) -> None:
    f = tmp_path / "d.csv"
    f.write_text(HEADER + rows)
    with pytest.raises(ScenarioError, match=message) as err:
        read_observations(f, date(2024, 2, 1))
    assert len(err.value.problems) == 1
    assert "\n" not in err.value.problems[0]
    assert str(f) in err.value.problems[0]


def test_missing_columns_are_named(tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_text("date,pm25\n2024-01-01,30\n")
    with pytest.raises(ScenarioError, match=r"missing column\(s\) pm10, no2, so2, co, o3_8h"):
        read_observations(f, date(2024, 2, 1))
