"""Marginal abatement cost curves: order, widths and CSV, from a hand-made summary."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sim.mac_curve import curve_rows, write_mac

SUMMARY = {
    "measures": {
        "dust": {"by_measure": {
            "washing": {"annualised_cost_cny": 400.0, "pm25_full_year_ug_m3": 0.2,
                        "full_year_reduction_t": {"VOC": 0.0}, "fiscal_outlay_cny": 400.0},
            "netting": {"annualised_cost_cny": 50.0, "pm25_full_year_ug_m3": 0.01,
                        "full_year_reduction_t": {"VOC": 0.0}, "fiscal_outlay_cny": 0.0},
        }},
        "voc": {"by_measure": {
            "retrofit": {"annualised_cost_cny": 900.0, "pm25_full_year_ug_m3": 0.001,
                         "full_year_reduction_t": {"VOC": 3.0}, "fiscal_outlay_cny": 0.0},
            "coatings": {"annualised_cost_cny": 200.0, "pm25_full_year_ug_m3": 0.0,
                         "full_year_reduction_t": {"VOC": 4.0}, "fiscal_outlay_cny": 0.0},
        }},
    }
}  # fmt: skip


def test_pm25_curve_sorted_by_cost_per_ug_with_widths_adding_up() -> None:
    rows = curve_rows(SUMMARY, "mac_pm25")
    # washing 400/0.2 = 2,000; netting 50/0.01 = 5,000; retrofit 900/0.001 = 900,000
    assert [r["measure"] for r in rows] == ["washing", "netting", "retrofit", "coatings"]
    assert [r["cost_per_unit"] for r in rows] == [2000.0, 5000.0, 900000.0, None]
    assert rows[2]["cumulative_width"] == pytest.approx(0.211)
    assert rows[3]["cumulative_width"] == pytest.approx(0.211)  # no effect, no width


def test_voc_curve_in_tonnes_and_files_written(tmp_path: Path) -> None:
    rows = curve_rows(SUMMARY, "mac_voc")
    assert [(r["measure"], r["cost_per_unit"]) for r in rows[:2]] == [
        ("coatings", 50.0),  # 200 / 4 t
        ("retrofit", 300.0),  # 900 / 3 t
    ]
    figs = write_mac(tmp_path, SUMMARY)
    assert set(figs) == {"mac_pm25", "mac_voc"}
    with (tmp_path / "mac_voc.csv").open() as fh:
        assert next(csv.DictReader(fh))["measure"] == "coatings"


def test_chinese_curve_uses_the_plans_measure_names_and_chinese_axes() -> None:
    from sim.mac_curve import mac_figure

    summary = {"measures": {"vehicles": {"by_measure": {
        "retire_china3": {"annualised_cost_cny": 5e6, "pm25_full_year_ug_m3": 0.02},
    }}}}  # fmt: skip
    rows = curve_rows(summary, "mac_pm25")
    zh = mac_figure(rows, "mac_pm25", "zh")
    en = mac_figure(rows, "mac_pm25", "en")
    assert zh is not None
    assert en is not None
    ax_zh, ax_en = zh.axes[0], en.axes[0]
    assert [t.get_text() for t in ax_zh.texts] == ["推动国三及以下排放标准汽车淘汰"]
    assert [t.get_text() for t in ax_en.texts] == ["Retire China III and older vehicles"]
    assert ax_zh.get_title() == "边际减排成本曲线（各措施单独计算，贴现率8%）"
    assert ax_zh.get_xlabel() == "PM2.5年均浓度降低量（微克/立方米）"
    assert ax_en.get_ylabel() == "annualised cost, MCNY per µg/m³"
