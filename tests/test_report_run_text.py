"""Printed run blocks (air, water, measures) in English and Chinese, from a hand-made summary."""

from __future__ import annotations

from sim.report_run_text import ASSUMPTION_ZH, run_lines
from sim.report_text import WIDTH, text_width

SUMMARY = {
    "air": {
        "pm25_annual_mean_ug_m3": 40.944, "good_days_ratio": 0.7022, "good_days": 257,
        "days": 366, "o3_8h_p90_ug_m3": 181.73, "heavy_pollution_days": 5,
        "pm25_by_scale_ug_m3": {"district": 2.152, "city": 20.785, "region": 18.007},
        "pm25_change_by_actor_ug_m3": {"district": -0.2117, "city": -0.1929, "region": -0.17},
        "good_days_change_by_actor": {"district": -0.00137, "city": 0.0, "region": -0.0041},
        "district_alone": {"pm25_annual_mean_ug_m3": 41.3066, "good_days_ratio": 0.7077},
        "assumption": "the district's measures act on its own emissions only",
    },
    "water": {
        "sections": {"haihe_sancha": "IV", "ziya_outlet": "III"},
        "share_class_iii_or_better": 0.5, "outlet_remediation_share": 0.703,
        "cod_load_t": 1405.2, "nh3n_load_t": 37.9, "plant_bypass_cod_t": 193.0, "cso_days": 32,
        "cod_reduction_t": 177.0, "nh3n_reduction_t": 15.9,
    },
    "measures": {
        "voc": {
            "reduction_t": {"PM2.5": 0.0, "PM10": 0.0, "NOx": 0.0, "VOC": 20.49, "SO2": 0.0},
            "cost_per_t": {"VOC": 145126.23},
            "annualised_cost_cny": 4.63e6,
            "by_measure": {"voc_retrofit": {
                "annualised_cost_cny": 2484000.0, "fiscal_outlay_cny": 0.0,
                "full_year_reduction_t": {"VOC": 18.95}, "pm25_full_year_ug_m3": 0.0002,
            }},
        },
    },
    "costs": {"annualised_cost_cny": 64107217.43, "fiscal_outlay_cny": 336968920.5},
}  # fmt: skip


def test_english_blocks_carry_the_hand_checked_figures() -> None:
    text = "\n".join(run_lines(SUMMARY, "en"))
    flat = " ".join(text.split())  # prose is wrapped at 100 columns
    assert "Air: PM2.5 40.9 µg/m³ (district 2.2, rest of Tianjin 20.8, region 18.0)" in flat
    assert "good days 70.2% (257/366)" in flat
    # Shapley split as printed; the good-days change in percentage points: -0.00137 -> -0.1
    assert "PM2.5 district -0.21, city -0.19, region -0.17 µg/m³" in flat
    assert "good days district -0.1, city +0.0, region -0.4 percentage" in flat
    assert "Hongqiao alone (city and region as in the baseline): PM2.5 41.3 µg/m³" in flat
    assert "Assumption: the district's measures act on its own emissions only" in flat
    assert "Water: annual class by section: Haihe at Sancha IV, Ziya River outlet III" in flat
    assert "COD 177 t, NH3-N 15.9 t" in flat
    # VOC family: 20.49 t; 145,126 CNY/t -> 145 kCNY/t; 4.63e6 CNY/yr -> 4.63 MCNY/yr
    family = next(line for line in text.splitlines() if line.startswith("Industrial sources"))
    assert family.split()[-2:] == ["0.00", "4.63"]
    assert "20.49" in family
    row = next(line for line in text.splitlines() if line.startswith("VOC treatment"))
    # 2,484 kCNY/yr; 18.95 t VOC; 2.484e6 / 0.0002 / 1e6 = 12,420 MCNY per µg/m³
    assert row.split()[-7:] == ["2484", "0", "0.00", "0.00", "18.95", "0.0002", "12420.0"]
    assert "Total: annualised cost 64.1 MCNY a year; public spending this year 337 MCNY" in flat


def test_chinese_blocks_use_the_plans_names_and_fit_the_terminal() -> None:
    lines = run_lines(SUMMARY, "zh")
    text = "\n".join(lines)
    assert "空气：PM2.5年均 40.9 微克/立方米（本区 2.2，天津其他地区 20.8，区域 18.0）" in text
    assert ASSUMPTION_ZH in "".join(text.split())
    assert "海河三岔口 IV类，子牙河出口 III类" in text
    assert "挥发性有机物" in text  # the plan's own name of the VOC retrofit measure
    assert "合计：年化成本每年 6,411 万元；本年度财政支出 33,697 万元" in text
    for lang in ("en", "zh"):
        assert max(text_width(line) for line in run_lines(SUMMARY, lang)) <= WIDTH


def test_a_run_without_air_water_or_measures_prints_nothing() -> None:
    assert run_lines({"emissions_t": {}}, "en") == []
