"""The report: one self-contained page, verdict first, every target, every figure inline (SVG)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from _support import BASELINE
from sim.report import write_run_outputs
from sim.report_rebuild import rebuild_report
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
    for t in TARGETS:  # names not in the display table fall back to the key
        assert f"<td>{t.name}</td>" in html
    pngs = sorted(p.name for p in (tmp_path / "figures").glob("*.png"))
    assert pngs == sorted(["pm25_monthly.png", "aqi_calendar.png", "o3_8h.png", "scorecard.png"])
    figures = re.findall(r"<figure id='fig-([a-z0-9_]+)' class='figure'><svg", html)
    assert sorted(f"{f}.png" for f in figures) == pngs
    assert "<text" in html
    assert "font-family" in html
    assert "http" not in html.split("<body>")[0]  # no external resources
    assert (tmp_path / "scorecard.json").exists()
    assert (tmp_path / "dispatch.csv").read_text().startswith("iso_week,")


def test_verdict_comes_first_and_says_what_is_missed_by_how_much(tmp_path: Path) -> None:
    scenario = Scenario(name="rep", description="hand-made")
    write_run_outputs(
        tmp_path, scenario=scenario, dataset=_dataset(), summaries=[SUMMARY], targets=TARGETS,
        figures=False,
    )  # fmt: skip
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    body = html.split("<body>")[1]
    assert re.match(r"<h1>[^<]*</h1><p id='verdict' class='verdict'>", body)
    verdict = re.search(r"<p id='verdict'[^>]*>([^<]*)</p>", body).group(1)  # type: ignore[union-attr]
    # hand count: 41.5 > 40 + 1 misses pm25; 0.8 >= 0.67 and 30 >= 22 are met
    assert "Of 3 targets, 1 is missed in this run" in verdict
    assert "pm25_annual (41.5 µg/m³, plan ≤ 40 µg/m³)." in verdict
    assert "Met: good_days, voc_cut." in verdict
    assert "The measures cost 3 MCNY." in verdict
    # measures by family: VOC cut 30 t, cost 3.0e6 CNY shown as 3 MCNY, no cost per t of PM2.5
    assert "<td>Industrial sources (VOC)</td>" in html
    assert "<td class='n'>30</td>" in html
    assert "<td class='n'>3 MCNY</td>" in html


def test_chinese_report_declares_its_language_and_uses_wan_yuan(tmp_path: Path) -> None:
    scenario = Scenario(name="rep", description="hand-made")
    write_run_outputs(
        tmp_path, scenario=scenario, dataset=_dataset(), summaries=[SUMMARY], targets=TARGETS,
        lang="zh",
    )  # fmt: skip
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html><html lang='zh-CN'>")
    assert "Noto Sans CJK SC" in html
    assert "Microsoft YaHei" in html
    assert "PingFang SC" in html
    assert "措施费用为 300 万元。" in html  # 3.0e6 CNY = 300 万元
    assert "<td>未达标</td>" in html
    assert "月均浓度" in html


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
    inputs = html.split("<details id='inputs'>")[1]
    assert "<summary>District (" in inputs  # grouped by section, collapsed
    assert "area_km2" in inputs
    assert "Hongqiao District government site" in inputs
    assert "Model calibration" in html


def test_sim_report_rebuilds_from_a_saved_run(tmp_path: Path) -> None:
    import sim

    scenario = sim.load_scenario(BASELINE, overrides=["run.end=2024-01-03"])
    folder = sim.run(scenario, attribution=False).save(tmp_path / "run")
    path = rebuild_report(folder, figures=True)
    html = path.read_text(encoding="utf-8")
    assert "sim report: baseline" in html
    assert (folder / "figures" / "emissions_by_sector.png").exists()
    assert html.count("<figure ") == len(list((folder / "figures").glob("*.png")))


def test_ensemble_verdict_gives_the_share_of_weather_years() -> None:
    from sim.report_verdict import verdict
    from sim.targets import score_ensemble

    t = Target(name="x", metric="v", comparison="<=", value=1.0)
    u = Target(name="y", metric="w", comparison=">=", value=5.0)
    members = [{"v": 0.0, "w": 1.0}, {"v": 2.0, "w": 6.0}, {"v": 0.5, "w": 1.0}, {"v": 0.2}]
    card = score_ensemble([t, u], members, "e")
    text = verdict(card, members, "en")
    # x: 3 of 4 members <= 1 -> 75 %, likely met; y: 1 of 3 evaluating members >= 5 -> 33 %
    assert text.startswith("Of 2 targets, 1 is likely missed (met in fewer than half of 4")
    assert "y (33 %)" in text
    assert "Met (share of weather years): x (75 %)." in text
    assert "x（75%）" in verdict(card, members, "zh")


def test_verdict_gives_the_annualised_cost_and_the_years_public_spending() -> None:
    # A cost is annualised: with the summary's `costs` (plan2024's figures), the verdict says
    # 64.1 MCNY a year and 337 MCNY of public spending, not the 380 MCNY booked in the year.
    from sim.report_verdict import measures_cost, verdict
    from sim.targets import score_run

    summary = {
        **SUMMARY,
        "measure_costs_cny": {"a": 3.0e8, "b": 8.0e7},
        "costs": {"annualised_cost_cny": 64107217.43, "fiscal_outlay_cny": 336968920.5},
    }
    assert measures_cost([summary]) == ("annualised", 64107217.43, 336968920.5)
    card = score_run(TARGETS, summary)
    en = verdict(card, [summary], "en")
    assert "The measures cost 64.1 MCNY a year annualised" in en
    assert "public spending this year 337 MCNY." in en
    assert "380" not in en
    zh = verdict(card, [summary], "zh")
    assert "措施年化成本为每年 6,411 万元" in zh
    assert "本年度财政支出 33,697 万元。" in zh


def test_report_names_the_district_alone_figures_whose_measures_and_annualised_costs(
    tmp_path: Path,
) -> None:
    summary = {
        **SUMMARY,
        "air": {
            "pm25_annual_mean_ug_m3": 40.9, "good_days_ratio": 0.702,
            "district_alone": {"pm25_annual_mean_ug_m3": 41.3, "good_days_ratio": 0.708},
            "pm25_change_by_actor_ug_m3": {"district": -0.21, "city": -0.19, "region": -0.17},
            "good_days_change_by_actor": {"district": -0.0014, "city": 0.0, "region": -0.0041},
        },
        # in-run cut 0.5 t PM2.5, full year 2 t; booked 9 MCNY, annualised 1 MCNY/yr
        "measures": {"dust": {
            "measures": ["road_cleaning"], "reduction_t": {"PM2.5": 0.5},
            "full_year_reduction_t": {"PM2.5": 2.0}, "cost_cny": 9.0e6,
            "annualised_cost_cny": 1.0e6,
        }},
    }  # fmt: skip
    for lang in ("en", "zh"):
        (tmp_path / lang).mkdir()
        write_run_outputs(
            tmp_path / lang, scenario=Scenario(name="rep", description="hand-made"),
            dataset=_dataset(), summaries=[summary], targets=TARGETS, figures=False, lang=lang,
        )  # fmt: skip
    en = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    zh = (tmp_path / "zh" / "report.html").read_text(encoding="utf-8")
    # 41.3 > 40 + 1: the district alone misses the PM2.5 target the plan meets within tolerance
    assert "<th>Hongqiao alone (city and region as in the baseline)</th>" in en
    assert "<td>41.3 µg/m³, not met</td>" in en
    assert "Assumption deciding the air targets" in en
    assert "district -0.21, rest of Tianjin -0.19, region -0.17 µg/m³" in en
    assert "district -0.1, rest of Tianjin +0.0, region -0.4 percentage points" in en
    # the cost is annualised: 1 MCNY/yr over the full-year 2 t = 500 kCNY per t (not 9 MCNY / 0.5)
    assert "<td class='n'>1 MCNY</td>" in en
    assert "<td class='n'>500 kCNY</td>" in en
    assert "18 MCNY" not in en
    assert "仅本区实施（天津其他地区和区域维持基准情景）" in zh
    assert "本区 -0.21、天津其他地区 -0.19、区域 -0.17 微克/立方米" in zh
    assert "年化成本（每年）" in zh


def test_water_sections_table_uses_section_and_species_names() -> None:
    from sim.report_html import water_sections_html

    water = {"sections": {"haihe_sancha": "IV"}, "deciding_species": {"haihe_sancha": "codmn"},
             "section_margin": {"haihe_sancha": {"codmn": -1.85}}}  # fmt: skip
    en = water_sections_html([{"water": water}], "en")
    zh = water_sections_html([{"water": water}], "zh")
    row = "<td>Haihe at Sancha</td><td class='n'>0.00</td><td>CODMn</td><td class='n'>-1.85</td>"
    assert row in en
    assert "<td>海河三岔口</td><td class='n'>0.00</td><td>高锰酸盐指数</td>" in zh
