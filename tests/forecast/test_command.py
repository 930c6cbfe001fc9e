"""``sim forecast``: the files it writes, and one-line errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from _support import PLAN2024, REPO
from sim.cli import cli

PERIODS = REPO / "calibration" / "observations" / "observations_tianjin_periods.csv"


def test_bad_observations_exit_2_with_one_line_and_nothing_written(tmp_path: Path) -> None:
    out = tmp_path / "fc"
    res = CliRunner().invoke(
        cli,
        ["forecast", str(PLAN2024), "--as-of", "2024-10-01", "--observed", str(PERIODS),
         "-o", str(out)],
    )  # fmt: skip
    assert res.exit_code == 2
    assert "row 8, end: 2024-10-31 is on or after --as-of 2024-10-01" in res.output
    assert "Traceback" not in res.output
    assert not out.exists()


def test_bad_as_of_exits_2(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli, ["forecast", str(PLAN2024), "--as-of", "1 Nov", "--observed", str(PERIODS)]
    )
    assert res.exit_code == 2
    assert "--as-of: expected a date YYYY-MM-DD" in res.output


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fc") / "nov"
    res = CliRunner().invoke(
        cli,
        ["forecast", str(PLAN2024), "--as-of", "2024-11-01", "--observed", str(PERIODS),
         "--ensemble", "3", "-o", str(out), "-q", "--weekly"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    return out


def test_forecast_json_holds_the_issue_keys_for_every_target(written: Path) -> None:
    d = json.loads((written / "forecast.json").read_text())
    assert d["as_of"] == "2024-11-01"
    assert d["observed_days"] == 305  # 1 Jan - 31 Oct 2024
    names = [
        "pm25_annual_mean", "good_days_ratio", "voc_reduction", "sections_class_iii_or_better",
        "no_section_worse_than_v", "cod_reduction", "nh3n_reduction", "outlets_remediated",
        "construction_land_safe_use", "large_site_monitoring", "new_forklifts_new_energy",
    ]  # fmt: skip
    assert list(d["targets"]) == names
    for key in ("pm25_annual_mean_ug_m3", "good_days_ratio"):
        assert set(d[key]) == {"median", "p05", "p95"}
    # the mean of Nov-Dec that brings 305 days at 39 to 40 over 366 days: (40*366-39*305)/61
    need = d["still_needed"]["pm25_mean_remaining_days_to_reach_target_ug_m3"]
    assert need == pytest.approx((40 * 366 - 39 * 305) / 61, abs=0.01)
    # good days: ceil(0.67 * 366) = 246 (the plan's target ratio) minus the 209 observed
    assert d["still_needed"]["good_days_still_needed"] == 246 - 209
    target = next(t for t in d["targets"].values() if t["metric"] == "air.good_days_ratio")
    assert target["p_met"] is not None
    assert any("fitted air-parameter uncertainty" in n for n in d["notes"])
    assert any("the scenario's own schedule to the as-of date" in n for n in d["notes"])


def test_forecast_members_draw_different_fitted_parameters(written: Path) -> None:
    draws = json.loads((written / "forecast.json").read_text())["parameter_draws"]
    assert len(draws) == 3
    assert draws[0]  # the calibrated parameters are drawn (issue 14's distribution)
    assert set(draws[0]) == set(draws[1])
    assert all(draws[0][k] != draws[1][k] for k in draws[0])


def test_same_seed_gives_byte_identical_forecast_folders(written: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    res = CliRunner().invoke(
        cli,
        ["forecast", str(PLAN2024), "--as-of", "2024-11-01", "--observed", str(PERIODS),
         "--ensemble", "3", "-o", str(again), "-q", "--weekly"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    names = sorted(p.relative_to(written) for p in written.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert Path("forecast.json") in names
    for name in names:
        assert (written / name).read_bytes() == (again / name).read_bytes(), name


def test_forecast_csv_and_fan_chart_are_written(written: Path) -> None:
    lines = (written / "forecast.csv").read_text().splitlines()
    assert lines[0] == "date,observed,pm25_median_ug_m3,pm25_p05_ug_m3,pm25_p95_ug_m3"
    assert len(lines) == 1 + 366
    assert lines[305].startswith("2024-10-31,1,39.000")
    assert lines[306].startswith("2024-11-01,0,")
    assert (written / "figures" / "forecast_fan.png").stat().st_size > 1000


def test_dispatch_csv_carries_the_forecast_p_met_in_the_week_of_the_last_observed_day(
    written: Path,
) -> None:
    import csv

    d = json.loads((written / "forecast.json").read_text())
    rows = list(csv.DictReader((written / "dispatch.csv").open(encoding="utf-8")))
    assert len(rows) >= 52  # the members' own weekly dispatch, the whole year
    assert "on_track.pm25_annual_mean" in rows[0]
    # period rows: one re-forecast, as of 1 November; 31 October 2024 is in ISO week 44
    filled = [r for r in rows if r["forecast_p_met.good_days_ratio"] != ""]
    assert [r["iso_week"] for r in filled] == ["2024-W44"]
    assert float(filled[0]["forecast_p_met.good_days_ratio"]) == pytest.approx(
        d["targets"]["good_days_ratio"]["p_met"], abs=5e-5
    )  # written to 4 decimals
    assert filled[0]["forecast_as_of"] == "2024-11-01"


def test_report_html_has_the_forecast_section_and_the_fan_chart_inline(written: Path) -> None:
    html = (written / "report.html").read_text(encoding="utf-8")
    assert "<h2 id='forecast'>Forecast as of 2024-11-01: are we on track?</h2>" in html
    assert "<figure id='fig-forecast_fan' class='figure'><svg" in html
    assert "What is observed and what is assumed" in html
    assert html.index("id='forecast'") < html.index("<h2>Scorecard</h2>")
