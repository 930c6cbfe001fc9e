"""HTML pieces of the reports: the page, tables, the scorecard, figures, inputs in ``<details>``.

The page declares its language (``<html lang="zh-CN">`` or ``en``) and a font stack that covers
Chinese on Windows (Microsoft YaHei), macOS (PingFang SC, Hiragino Sans GB) and Linux (Noto Sans
CJK SC, Source Han Sans SC, WenQuanYi); figures are inline SVG with their text kept as text, so
the same stack draws them. Tables sit in a box that scrolls when they are wider than the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from sim.display_names import display
from sim.report_format import number, plan_text, quantity, value_text
from sim.report_i18n import tr
from sim.targets import Scorecard, TargetScore

__all__ = [
    "CJK_STACK",
    "figures_html",
    "inputs_html",
    "page",
    "scorecard_html",
    "table_html",
    "water_sections_html",
]

#: CJK fonts by platform: macOS, Windows, Linux.
CJK_STACK = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei"'
)
_LATIN = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans"'
_CSS = f"""
body{{font-family:{_LATIN}, {CJK_STACK}, sans-serif;max-width:1100px;margin:1.5em auto;
padding:0 1em;color:#222;line-height:1.45}}
html:lang(zh-CN) body{{font-family:{CJK_STACK}, {_LATIN}, sans-serif}}
svg text{{font-family:{_LATIN}, {CJK_STACK}, sans-serif !important}}
html:lang(zh-CN) svg text{{font-family:{CJK_STACK}, {_LATIN}, sans-serif !important}}
.verdict{{font-size:1.1em;background:#f4f6fa;border-left:5px solid #345;padding:0.7em 1em}}
.box{{max-width:100%;overflow-x:auto;margin:0.5em 0 1.5em 0}}
table{{border-collapse:collapse;font-size:0.9em}}
td,th{{border:1px solid #bbb;padding:3px 7px;text-align:left;vertical-align:top;
overflow-wrap:break-word}}
td.n{{text-align:right;white-space:nowrap}} td:first-child:not(.n){{min-width:7em}}
th{{background:#eee}} .met{{background:#d9f2d9}} .notmet{{background:#f7d4d4}}
.within{{background:#fff2cc}} .ne{{color:#777}}
figure{{margin:0.5em 0 1.5em 0}} figure svg{{max-width:100%;height:auto}}
details{{margin:0.4em 0}} summary{{cursor:pointer}} .key{{color:#555;font-size:0.9em}}
"""
_STATUS_CLASS = {"met": "met", "not met": "notmet", "within tolerance": "within"}
_NUMERIC = re.compile(r"^[-–+]?[\d,.]+( ?%| \S+)?$")


def page(title: str, sections: Sequence[str], lang: str = "en") -> str:
    """A complete HTML page with ``lang`` declared and the CSS font stack."""
    code = "zh-CN" if lang == "zh" else "en"
    return (
        f"<!DOCTYPE html><html lang='{code}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(sections)}</body></html>"
    )


def _cell(value: Any) -> str:
    text = number(value) if isinstance(value, (int, float)) else str(value)
    css = " class='n'" if _NUMERIC.match(text) else ""
    return f"<td{css}>{escape(text)}</td>"


def table_html(frame: pd.DataFrame, key: str = "") -> str:
    """``frame`` as a table in a horizontally scrolling box; numbers already formatted or raw."""
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in frame.itertuples(index=False)
    )
    note = f"<p class='key'>{escape(key)}</p>" if key else ""
    return f"<div class='box'><table><tr>{head}</tr>{body}</table></div>{note}"


def _plan(t: TargetScore, lang: str) -> str:
    text = plan_text(t, lang)
    if t.tolerance:
        text += f" ± {quantity(t.tolerance, t.unit, lang)}"
    return text


def scorecard_html(card: Scorecard, lang: str = "en") -> str:
    """The scorecard table: target, plan, value, (5–95 %, P(met)), status, margin."""
    ensemble = card.members > 1
    alone = any(t.district_alone is not None for t in card.targets)
    cols = ["target", "plan_value", "median" if ensemble else "value"]
    cols += ["range", "p_met"] if ensemble else []
    cols += ["status", "margin"] + (["alone_column"] if alone else [])
    head = "".join(f"<th>{escape(tr(c, lang))}</th>" for c in cols)
    rows = []
    for t in card.targets:
        cells = [escape(display("target", t.name, lang)), escape(_plan(t, lang))]
        cells.append(escape(value_text(t, lang)))
        if ensemble:
            spread = (
                "–"
                if t.p05 is None
                else f"{value_text(t, lang, t.p05)} – {value_text(t, lang, t.p95)}"
            )
            prob = "–" if t.probability_met is None else quantity(t.probability_met, "1", lang)
            cells += [escape(spread), escape(prob)]
        cells += [escape(tr(t.status, lang)), escape(quantity(t.margin, t.unit, lang))]
        if alone:
            cells.append(escape(_alone_cell(t, lang)))
        css = _STATUS_CLASS.get(t.status, "ne")
        rows.append(f"<tr class='{css}'>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    note = f"<p class='key' id='assumption'>{escape(tr('alone_assumption', lang))}</p>"
    table = f"<div class='box'><table><tr>{head}</tr>{''.join(rows)}</table></div>"
    return table + (note if alone else "") + _decided_html(card, lang)


def _decided_html(card: Scorecard, lang: str) -> str:
    """The assumptions that decide the targets' results, named beside the scorecard."""
    items = []
    for t in card.targets:
        text = (t.decided_by_zh or t.decided_by) if lang == "zh" else t.decided_by
        if text:
            name = escape(display("target", t.name, lang))
            items.append(f"<li><b>{name}</b>: {escape(text)}</li>")
    if not items:
        return ""
    title = escape(tr("decided_title", lang))
    return f"<div id='decided-by' class='key'><p><b>{title}</b></p><ul>{''.join(items)}</ul></div>"


def _alone_cell(t: TargetScore, lang: str) -> str:
    """An air target's value and status with the district's measures alone; "–" otherwise."""
    if t.district_alone is None:
        return "–"
    a = t.district_alone
    text = f"{value_text(t, lang, a.get('value'))}, {tr(str(a.get('status')), lang)}"
    if a.get("probability_met") is not None:
        text += f", {tr('p_met', lang)} {quantity(a['probability_met'], '1', lang)}"
    return text


def figures_html(figures: Mapping[str, str]) -> str:
    """Inline SVG figures (text kept as text), one ``<figure>`` each."""
    return "".join(
        f"<figure id='fig-{escape(name)}' class='figure'>{svg}</figure>"
        for name, svg in figures.items()
    )


def _section(path: str) -> str:
    return path.partition(".")[0].partition("[")[0]


def named_path(raw: Mapping[str, Any], path: str) -> str:
    """``path`` with list indices replaced by the names of the items (``fleet[bus]``).

    Examples
    --------
    >>> named_path({"a": {"fleet": [{"name": "bus"}]}}, "a.fleet[0].count")
    'a.fleet[bus].count'
    """
    node: Any = raw
    out = []
    for part in re.split(r"\.(?![^\[]*\])", path):
        key, _, rest = part.partition("[")
        node = node.get(key) if isinstance(node, Mapping) else None
        text = key
        for index in re.findall(r"(\d+)\]", rest):
            item = node[int(index)] if isinstance(node, list) and int(index) < len(node) else None
            name = item.get("name") if isinstance(item, Mapping) else None
            text += f"[{name if name is not None else index}]"
            node = item
        out.append(text)
    return ".".join(out)


def inputs_html(raw: Mapping[str, Any], lang: str = "en") -> str:
    """Every numeric input with its source, collapsed, grouped by the scenario's sections."""
    from sim.scenario.provenance import list_inputs

    inputs = list_inputs(raw)
    sections: dict[str, list[Any]] = {}
    for i in inputs:
        sections.setdefault(_section(i.path), []).append(i)
    sourced = sum(i.status == "sourced" for i in inputs)
    assumed = sum(i.status == "assumed" for i in inputs)
    summary = tr(
        "inputs_summary", lang, n=len(inputs), k=len(sections), sourced=sourced, assumed=assumed
    )
    parts = [f"<details id='inputs'><summary>{escape(summary)}</summary>"]
    for name, items in sections.items():
        rows = [
            {
                tr("input", lang): named_path(raw, i.path).partition(".")[2] or i.path,
                tr("value", lang): f"{number(i.value) if isinstance(i.value, float) else i.value}"
                + (f" {i.unit}" if i.unit else ""),
                tr("status", lang): i.status,
                tr("source", lang): i.source or "",
            }
            for i in items
        ]
        parts.append(
            f"<details><summary>{escape(display('section', name, lang))} ({len(items)})"
            f"</summary>{table_html(pd.DataFrame(rows))}</details>"
        )
    return "".join(parts) + "</details>"


_WATER_COLUMNS = {
    "en": ("section", "P(class III or better)", "deciding species", "margin to III, mg/L (median)"),
    "zh": ("断面", "达到III类及以上的概率", "定类指标", "距III类限值，mg/L（中位数）"),
}


def water_sections_html(summaries: Sequence[Mapping[str, Any]], lang: str = "en") -> str:
    """Per monitoring section: the share of runs at class III or better, the species that decides
    its class most often, and the median margin of that species to its class III limit (positive
    when better). Empty when the summaries have no water margins."""
    water = [s.get("water") or {} for s in summaries]
    water = [w for w in water if "deciding_species" in w]
    if not water:
        return ""
    rows = []
    for name in water[0]["deciding_species"]:
        good = [w["sections"][name] in ("I", "II", "III") for w in water]
        decide = pd.Series([w["deciding_species"][name] for w in water]).mode().iloc[0]
        margin = float(pd.Series([w["section_margin"][name][decide] for w in water]).median())
        rows.append((display("section", name, lang), f"{sum(good) / len(good):.2f}",
                     display("pollutant", decide, lang), f"{margin:+.2f}"))  # fmt: skip
    cols = _WATER_COLUMNS["zh" if lang == "zh" else "en"]
    title = "Water sections" if lang != "zh" else "水质断面"
    return f"<h2>{escape(title)}</h2>" + table_html(pd.DataFrame(rows, columns=list(cols)))


_ACTORS = ("district", "city", "region")


def actors_html(summaries: Sequence[Mapping[str, Any]], lang: str = "en") -> str:
    """Whose measures changed the air: the Shapley split of the change in annual PM2.5 and in
    good days over the district, the rest of Tianjin and the region (medians over members);
    empty when the runs have no split (no actor with measures)."""
    airs = [s.get("air") or {} for s in summaries]
    pm = [a["pm25_change_by_actor_ug_m3"] for a in airs if a.get("pm25_change_by_actor_ug_m3")]
    good = [a["good_days_change_by_actor"] for a in airs if a.get("good_days_change_by_actor")]
    if not pm or not good:
        return ""
    d_pm = {k: float(np.median([p[k] for p in pm])) for k in _ACTORS}
    d_good = {k: 100 * float(np.median([g[k] for g in good])) for k in _ACTORS}
    text = tr(
        "actors_text", lang,
        **{f"pm_{k}": f"{v:+.2f}" for k, v in d_pm.items()},
        **{f"gd_{k}": f"{v:+.1f}" for k, v in d_good.items()},
    )  # fmt: skip
    if len(summaries) > 1:
        text += tr("actors_median", lang)
    return f"<h2>{escape(tr('actors_title', lang))}</h2><p id='actors'>{escape(text)}</p>"
