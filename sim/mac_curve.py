"""Marginal abatement cost curves of a run's measures, from its summary.

Two curves (docs/costs.md, "How to read the curve"):

- ``mac_pm25``: measures sorted by annualised CNY per µg/m³ of annual-mean PM2.5 avoided (full
  year); each bar is as wide as the µg/m³ the measure buys and as tall as its cost per µg/m³, so
  the area of a bar is its annualised cost and the running width is the cumulative PM2.5 gain;
- ``mac_voc``: the same in tonnes of VOC a year (the plan's VOC target counts tonnes).

Measures with no positive effect are listed in the CSV (cost per unit empty) but have no bar.
Measures are taken alone, so widths add up only as far as the measures do not interact (the
family's ``interaction_t`` says how far).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from sim.display_names import check_lang, display

__all__ = ["CURVES", "curve_rows", "mac_figure", "write_mac"]

#: Curve name -> (summary key of the width, unit of the width, axis label).
CURVES: dict[str, tuple[str, str, str]] = {
    "mac_pm25": ("pm25_full_year_ug_m3", "ug/m3", "annual-mean PM2.5 avoided (µg/m³)"),
    "mac_voc": ("full_year_reduction_t.VOC", "t/yr", "VOC avoided, full year (t/yr)"),
}
#: Figure words: id -> (English, Chinese).
_WORDS: dict[str, tuple[str, str]] = {
    "mac_pm25": ("annual-mean PM2.5 avoided (µg/m³)", "PM2.5年均浓度降低量（微克/立方米）"),
    "mac_voc": ("VOC avoided, full year (t/yr)", "VOCs全年减排量（吨/年）"),
    "axis_mac_pm25": ("annualised cost, MCNY per µg/m³", "年化成本（百万元/（微克/立方米））"),
    "axis_mac_voc": ("annualised cost, MCNY per t", "年化成本（百万元/吨）"),
    "title": (
        "Marginal abatement cost curve (measures alone, 8 % discount rate)",
        "边际减排成本曲线（各措施单独计算，贴现率8%）",
    ),
}
_FIELDS = (
    "rank", "family", "measure", "width", "unit", "annualised_cost_cny", "cost_per_unit",
    "cumulative_width", "fiscal_outlay_cny",
)  # fmt: skip


def _get(entry: Mapping[str, Any], key: str) -> float:
    value: Any = entry
    for part in key.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return float(value) if isinstance(value, (int, float)) else 0.0


def curve_rows(summary: Mapping[str, Any], curve: str) -> list[dict[str, Any]]:
    """Rows of one curve: measures with a positive effect by rising cost per unit, then others."""
    key, unit, _ = CURVES[curve]
    rows = []
    for family, fam in (summary.get("measures") or {}).items():
        if not isinstance(fam, Mapping):
            continue
        for measure, entry in (fam.get("by_measure") or {}).items():
            width = _get(entry, key)
            cost = _get(entry, "annualised_cost_cny")
            per = cost / width if width > 1e-9 else None
            rows.append(
                {
                    "family": family, "measure": measure, "width": round(width, 6),
                    "unit": unit, "annualised_cost_cny": round(cost, 2),
                    "cost_per_unit": None if per is None else round(per, 2),
                    "fiscal_outlay_cny": round(_get(entry, "fiscal_outlay_cny"), 2),
                }
            )  # fmt: skip
    acting = sorted((r for r in rows if r["cost_per_unit"] is not None),
                    key=lambda r: (r["cost_per_unit"], r["measure"]))  # fmt: skip
    rest = sorted((r for r in rows if r["cost_per_unit"] is None), key=lambda r: r["measure"])
    total = 0.0
    for k, r in enumerate(acting + rest, start=1):
        total += r["width"] if r["cost_per_unit"] is not None else 0.0
        r["rank"], r["cumulative_width"] = k, round(total, 6)
    return acting + rest


def _word(key: str, lang: str) -> str:
    pair = _WORDS[key]
    return pair[1] if check_lang(lang) == "zh" else pair[0]


def mac_figure(rows: list[dict[str, Any]], curve: str, lang: str = "en") -> Figure | None:
    """The step-bar curve, labelled in ``lang``; None when no measure has a positive effect."""
    acting = [r for r in rows if r["cost_per_unit"] is not None]
    if not acting:
        return None
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    ax = fig.add_subplot()
    left = 0.0
    for r in acting:
        height = r["cost_per_unit"] / 1e6
        ax.bar(left, height, width=r["width"], align="edge", edgecolor="black", linewidth=0.5)
        if r["width"] > 0.03 * acting[-1]["cumulative_width"]:
            name = display("measure", r["measure"], lang)
            ax.text(left + r["width"] / 2, height, name, rotation=90, ha="center",
                    va="bottom", fontsize=7)  # fmt: skip
        left += r["width"]
    ax.set_yscale("log")
    ax.set_xlabel(_word(curve, lang))
    ax.set_ylabel(_word(f"axis_{curve}", lang))
    ax.set_title(_word("title", lang))
    return fig


def write_mac(
    folder: str | Path, summary: Mapping[str, Any], *, figures: bool = True, lang: str = "en"
) -> dict[str, Figure]:
    """Write ``<curve>.csv`` into ``folder`` for every curve; return the figures (labelled in
    ``lang``) to save."""
    out = Path(folder)
    figs: dict[str, Figure] = {}
    for curve in CURVES:
        rows = curve_rows(summary, curve)
        if not rows:
            continue
        with (out / f"{curve}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=_FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        fig = mac_figure(rows, curve, lang) if figures else None
        if fig is not None:
            figs[curve] = fig
    return figs
