"""What ``sim run`` prints after the emissions table, in English or Chinese, from the summary.

Three blocks, each present only when the run has it:

- **air**: annual PM2.5 by scale, good days, O3-8h p90, heavy days; the change by whose measures
  (the Shapley split of ``air.pm25_change_by_actor_ug_m3``); the district acting alone, with the
  assumption that decides it named in words;
- **water**: each section's annual class, the loads to the rivers (plant bypass included), CSO
  days and the reduction by the water measures;
- **measures**: the reductions attributable to each family (t in the run) with the annualised
  cost and the cost per tonne of a full year; then each measure's full-year figures.

Presentation only: it reads the summary written by the run (``summary.json``), never a model.
Numbers are formatted as in the report (:mod:`sim.report_format`); lines are at most
:data:`sim.report_text.WIDTH` columns, Chinese characters counting two.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from typing import Any

from sim.display_names import check_lang, display
from sim.report_format import money, number
from sim.report_text import WIDTH, pad, text_width

__all__ = ["ASSUMPTION_ZH", "SHOWN", "run_lines"]

#: Pollutants shown in the family table (t).
SHOWN: tuple[str, ...] = ("PM2.5", "PM10", "NOx", "VOC", "SO2")
#: A family's cost per tonne is shown where it cuts at least this much (t): a side effect of a
#: few kilograms would print a meaningless figure; summary.json keeps every value.
MIN_SHOWN_T = 0.1
#: The air outcome's assumption (``air.assumption``) in Chinese.
ASSUMPTION_ZH = "本区措施只作用于本区自身排放；天津其他地区和区域仅通过其自身所列措施起作用"


def _wrap(lines: list[str], lang: str) -> list[str]:
    """Prose lines wrapped to :data:`WIDTH` columns; continuation lines indented."""
    out: list[str] = []
    for line in lines:
        if text_width(line) <= WIDTH:
            out.append(line)
        elif lang == "zh":  # break after Chinese punctuation, never inside a number
            lead = " " * (len(line) - len(line.lstrip()))
            current = lead
            for piece in re.split(r"(?<=[；，。）：])", line.strip()):
                if text_width(current) + text_width(piece) > WIDTH and current.strip():
                    out.append(current)
                    current = lead + "  "
                current += piece
            out.append(current)
        else:
            lead = " " * (len(line) - len(line.lstrip()))
            out += textwrap.wrap(line.strip(), WIDTH, initial_indent=lead,
                                 subsequent_indent=lead + "  ", break_on_hyphens=False)  # fmt: skip
    return out


def _pp(fraction: float) -> str:
    """A change of a ratio in percentage points, signed."""
    return f"{100 * fraction:+.1f}"


def _air_lines(air: Mapping[str, Any], lang: str) -> list[str]:
    scale = air["pm25_by_scale_ug_m3"]
    pm25, good = air["pm25_annual_mean_ug_m3"], air["good_days_ratio"]
    if lang == "zh":
        lines = [
            f"空气：PM2.5年均 {pm25:.1f} 微克/立方米（本区 {scale['district']:.1f}，天津其他地区 "
            f"{scale['city']:.1f}，区域 {scale['region']:.1f}）；优良天数比率 {good:.1%}"
            f"（{air['good_days']}/{air['days']}）；O3日最大8小时第90百分位 "
            f"{air['o3_8h_p90_ug_m3']:.0f} 微克/立方米；重污染天数 {air['heavy_pollution_days']}",
        ]
    else:
        lines = [
            f"Air: PM2.5 {pm25:.1f} µg/m³ (district {scale['district']:.1f}, rest of Tianjin "
            f"{scale['city']:.1f}, region {scale['region']:.1f}); good days {good:.1%} "
            f"({air['good_days']}/{air['days']}); O3-8h p90 {air['o3_8h_p90_ug_m3']:.0f} µg/m³; "
            f"heavy-pollution days {air['heavy_pollution_days']}",
        ]
    dpm, dgood = air.get("pm25_change_by_actor_ug_m3"), air.get("good_days_change_by_actor")
    if dpm is not None and dgood is not None:
        d, c, r = (dpm[k] for k in ("district", "city", "region"))
        gd, gc, gr = (_pp(dgood[k]) for k in ("district", "city", "region"))
        lines.append(
            f"  各方措施带来的变化（Shapley分解，同一气象、无措施情形对照）：PM2.5 本区 {d:+.2f}、"
            f"天津其他地区 {c:+.2f}、区域 {r:+.2f} 微克/立方米；优良天数比率 本区 {gd}、"
            f"天津其他地区 {gc}、区域 {gr} 个百分点"
            if lang == "zh"
            else f"  Change by whose measures (Shapley split, same weather without measures): "
            f"PM2.5 district {d:+.2f}, city {c:+.2f}, region {r:+.2f} µg/m³; good days "
            f"district {gd}, city {gc}, region {gr} percentage points"
        )
    alone = air.get("district_alone")
    if alone is not None:
        a_pm, a_good = alone["pm25_annual_mean_ug_m3"], alone["good_days_ratio"]
        lines.append(
            f"  仅本区实施（天津其他地区和区域维持基准情景）：PM2.5 {a_pm:.1f} 微克/立方米，"
            f"优良天数比率 {a_good:.1%}。假设：{ASSUMPTION_ZH}"
            if lang == "zh"
            else f"  Hongqiao alone (city and region as in the baseline): PM2.5 {a_pm:.1f} µg/m³, "
            f"good days {a_good:.1%}. Assumption: {air.get('assumption', '')}"
        )
    return lines


def _water_lines(water: Mapping[str, Any], lang: str) -> list[str]:
    sections = water["sections"]
    iii = water["share_class_iii_or_better"]
    if lang == "zh":
        names = "，".join(f"{display('section', n, lang)} {c}类" for n, c in sections.items())
        lines = [
            f"水：各断面年均水质类别：{names}",
            f"  达到或优于Ⅲ类比例 {iii:.0%}；"
            f"入河排污口整治 {water['outlet_remediation_share']:.1%}；"
            f"入河COD {number(water['cod_load_t'])} 吨、氨氮 {number(water['nh3n_load_t'])} 吨"
            f"（污水厂超越 COD {number(water['plant_bypass_cod_t'])} 吨）；溢流天数 "
            f"{water['cso_days']}",
        ]
    else:
        names = ", ".join(f"{display('section', n, lang)} {c}" for n, c in sections.items())
        lines = [
            f"Water: annual class by section: {names}",
            f"  class III or better {iii:.0%}; outlets remediated "
            f"{water['outlet_remediation_share']:.1%}; to the rivers COD "
            f"{number(water['cod_load_t'])} t, NH3-N {number(water['nh3n_load_t'])} t (plant "
            f"bypass {number(water['plant_bypass_cod_t'])} t COD); CSO days {water['cso_days']}",
        ]
    cod, nh3n = water.get("cod_reduction_t"), water.get("nh3n_reduction_t")
    if cod is not None and nh3n is not None and (cod or nh3n):
        lines.append(
            f"  水污染治理措施（重点工程）削减：COD {number(cod)} 吨，氨氮 {number(nh3n)} 吨"
            if lang == "zh"
            else f"  reduction by the water measures (key projects): COD {number(cod)} t, "
            f"NH3-N {number(nh3n)} t"
        )
    return lines


def _family_lines(measures: Mapping[str, Any], lang: str) -> list[str]:
    zh = lang == "zh"
    cost_head = "年化百万元" if zh else "MCNY/yr"
    head = pad("措施类别" if zh else "family", 24) + "".join(pad(p, 9, True) for p in SHOWN)
    head += pad(cost_head, 12, True)
    title = (
        "各类措施的减排量（吨，运行期内）及年化成本；下一行为全年每吨成本（千元/吨）"
        if zh
        else "Reductions by measure family (t in the run) and annualised cost; below each: "
        "kCNY per t (full year)"
    )
    lines = ["", title, head, "-" * text_width(head)]
    for family, fam in measures.items():
        if not isinstance(fam, Mapping) or "reduction_t" not in fam:
            continue
        red, per = fam["reduction_t"], fam.get("cost_per_t") or {}
        cost = fam.get("annualised_cost_cny", fam.get("cost_cny", 0.0)) or 0.0
        row = pad(display("family", family, lang), 24)
        row += "".join(pad(f"{red.get(p, 0.0):.2f}", 9, True) for p in SHOWN)
        lines.append(row + pad(f"{cost / 1e6:.2f}", 12, True))
        cells = (
            "-" if per.get(p) is None or red.get(p, 0.0) < MIN_SHOWN_T else f"{per[p] / 1e3:.0f}"
            for p in SHOWN
        )
        lines.append(pad("", 24) + "".join(pad(c, 9, True) for c in cells))
    return lines


def _measure_lines(measures: Mapping[str, Any], lang: str) -> list[str]:
    rows = [
        (m, e)
        for fam in measures.values()
        if isinstance(fam, Mapping)
        for m, e in (fam.get("by_measure") or {}).items()
    ]
    if not rows:
        return []
    zh = lang == "zh"
    cols = (
        ("年化千元", "财政千元", "PM2.5吨", "NOx吨", "VOC吨", "微克", "百万/微克")
        if zh
        else ("kCNY/yr", "fiscal k", "PM2.5 t", "NOx t", "VOC t", "µg/m³", "MCNY/µg")
    )
    head = pad("措施" if zh else "measure", 32) + "".join(pad(c, 9, True) for c in cols)
    title = (
        "各项措施的全年等效效果（年化成本按8%贴现率）"
        if zh
        else "By measure, full-year equivalent (annualised cost at 8 %)"
    )
    lines = ["", title, head, "-" * text_width(head)]
    for measure, e in rows:
        full = e.get("full_year_reduction_t") or {}
        ug = float(e.get("pm25_full_year_ug_m3") or 0.0)
        annual = float(e.get("annualised_cost_cny") or 0.0)
        per = f"{annual / ug / 1e6:.1f}" if ug > 1e-6 else "-"
        cells = (
            f"{annual / 1e3:.0f}", f"{float(e.get('fiscal_outlay_cny') or 0.0) / 1e3:.0f}",
            f"{full.get('PM2.5', 0.0):.2f}", f"{full.get('NOx', 0.0):.2f}",
            f"{full.get('VOC', 0.0):.2f}", f"{ug:.4f}", per,
        )  # fmt: skip
        lines.append(
            pad(display("measure", measure, lang), 32) + "".join(pad(c, 9, True) for c in cells)
        )
    return lines


def run_lines(summary: Mapping[str, Any], lang: str = "en") -> list[str]:
    """The printed air, water and measures blocks of a run's ``summary`` in ``lang``.

    Examples
    --------
    >>> run_lines({"water": {"sections": {"haihe_sancha": "IV"},
    ...     "share_class_iii_or_better": 0.0, "outlet_remediation_share": 0.7,
    ...     "cod_load_t": 1405.2, "nh3n_load_t": 40.0, "plant_bypass_cod_t": 193.0,
    ...     "cso_days": 32}}, "en")[0]
    'Water: annual class by section: Haihe at Sancha IV'
    """
    lang = check_lang(lang)
    lines: list[str] = []
    if isinstance(summary.get("air"), Mapping):
        lines += _wrap(_air_lines(summary["air"], lang), lang)
    if isinstance(summary.get("water"), Mapping):
        lines += _wrap(_water_lines(summary["water"], lang), lang)
    measures = summary.get("measures")
    if isinstance(measures, Mapping) and measures:
        lines += _family_lines(measures, lang) + _measure_lines(measures, lang)
    costs = summary.get("costs") or {}
    if costs.get("annualised_cost_cny"):
        annual, fiscal = costs["annualised_cost_cny"], costs.get("fiscal_outlay_cny") or 0.0
        lines.append(
            f"合计：年化成本每年 {money(annual, lang)}；本年度财政支出 {money(fiscal, lang)}"
            if lang == "zh"
            else f"Total: annualised cost {money(annual, lang)} a year; public spending this "
            f"year {money(fiscal, lang)}"
        )
    return lines
