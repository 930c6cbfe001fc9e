"""The report: one self-contained HTML page with every target and every figure embedded."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from _support import BASELINE
from sim.report import rebuild_report, write_run_outputs
from sim.scenario.schema import Scenario
from sim.scenario.sections.targets import Target

TARGETS = [
    Target(
        name="pm25_annual",
        metric="air.pm25_annual_mean_ug_m3",
        comparison="<=",
        value=40.0,
        tolerance=1.0,
        unit="ug/m3",
        description="about 40",
    ),
    Target(name="good_days", metric="air.good_days_ratio", comparison=">=", value=0.67),
    Target(name="voc_cut", metric="measures.voc.reduction_t.VOC", comparison=">=", value=22.0),
]


def _dataset() -> xr.Dataset:
    days = pd.date_range("2024-01-01", periods=60, freq="D")
    months = pd.date_range("2024-01-01", periods=2, freq="MS")
    return xr.Dataset(
        {
            "pm25_monthly_mean": (("month",), [45.0, 38.0]),
            "aqi_category": (("day",), np.ones(60, dtype=np.int8)),
            "o3_mda8": (("day",), np.full(60, 90.0)),
            "daily_concentration": (("day", "air_pollutant"), np.full((60, 1), 41.0)),
            "good_day": (("day",), np.ones(60, dtype=np.int8)),
        },
        coords={"day": days, "month": months, "air_pollutant": ["PM2.5"]},
    )


SUMMARY = {
    "scenario": "rep",
    "seed": 7,
    "air": {"pm25_annual_mean_ug_m3": 41.5, "good_days_ratio": 0.8},
    "measures": {"voc": {"reduction_t": {"VOC": 30.0}, "cost_cny": 3.0e6}},
}


def test_report_has_every_target_and_embeds_every_figure(tmp_path: Path) -> None:
    scenario = Scenario(name="rep", description="hand-made")
    card = write_run_outputs(
        tmp_path, scenario=scenario, dataset=_dataset(), summaries=[SUMMARY], targets=TARGETS
    )
    assert [t.status for t in card.targets] == ["not met", "met", "met"]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    for t in TARGETS:
        assert f"<td>{t.name}</td>" in html
    pngs = sorted(p.name for p in (tmp_path / "figures").glob("*.png"))
    assert pngs == sorted(["pm25_monthly.png", "aqi_calendar.png", "o3_8h.png", "scorecard.png"])
    embedded = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", html)
    assert len(embedded) == len(pngs)
    on_disk = {(tmp_path / "figures" / p).read_bytes() for p in pngs}
    assert {base64.b64decode(e) for e in embedded} == on_disk
    assert "http" not in html.split("<body>")[0]  # no external resources
    assert "<td>voc</td><td>reduction VOC (t)</td><td>30</td>" in html
    assert (tmp_path / "scorecard.json").exists()
    assert (tmp_path / "dispatch.csv").read_text().startswith("iso_week,")


def test_report_lists_assumptions_with_their_sources(tmp_path: Path) -> None:
    import sim

    scenario = sim.load_scenario(BASELINE, overrides=["run.end=2024-01-02"])
    write_run_outputs(
        tmp_path,
        scenario=scenario,
        dataset=_dataset(),
        summaries=[SUMMARY],
        targets=TARGETS,
        figures=False,
    )
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "district.area_km2" in html
    assert "Hongqiao District government site" in html
    assert "Model calibration" in html


def test_sim_report_rebuilds_from_a_saved_run(tmp_path: Path) -> None:
    import sim

    scenario = sim.load_scenario(BASELINE, overrides=["run.end=2024-01-03"])
    folder = sim.run(scenario, attribution=False).save(tmp_path / "run")
    path = rebuild_report(folder, figures=True)
    html = path.read_text(encoding="utf-8")
    assert "sim report: baseline" in html
    assert (folder / "figures" / "emissions_by_sector.png").exists()
    assert html.count("data:image/png;base64,") == len(list((folder / "figures").glob("*.png")))
