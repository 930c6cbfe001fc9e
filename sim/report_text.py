"""Plain-text tables for the terminal, in English or Chinese, at most 100 columns wide.

Numbers are formatted as in the report (:mod:`sim.report_format`): thousands separators, money in
万元 or MCNY/kCNY, ratios as %, units in the headings. Chinese characters count two columns
(East Asian wide), so widths are measured with :func:`text_width`. The comparison's tables put
bundles in rows and give long names a numbered key, so 14 bundles still fit.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from sim.display_names import check_lang, display
from sim.report_format import money, number, plan_text, quantity, value_text
from sim.report_i18n import criterion_text, tr
from sim.report_verdict import verdict

if TYPE_CHECKING:
    import pandas as pd

    from sim.targets import Scorecard, TargetScore


class Comparison(Protocol):
    """What the printed comparison reads of a :class:`sim.compare.Comparison` (no import of it:
    presentation reads results, never the orchestration that made them)."""

    @property
    def names(self) -> list[str]: ...
    @property
    def scorecards(self) -> list[Scorecard]: ...
    @property
    def criterion(self) -> str: ...
    def bundles_table(self) -> pd.DataFrame: ...

__all__ = [
    "WIDTH",
    "comparison_lines",
    "decided_by_text",
    "district_alone_text",
    "pad",
    "scorecard_lines",
    "text_width",
    "totals_table",
    "verdict_lines",
]

#: Widest printed line, in terminal columns.
WIDTH = 100


def text_width(text: str) -> int:
    """Terminal columns of ``text`` (wide East Asian characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded (or cut with "…") to ``width`` columns."""
    while text_width(text) > width:
        text = text[:-2] + "…"
    fill = " " * (width - text_width(text))
    return fill + text if right else text + fill


def totals_table(summary: Mapping[str, Any], lang: str = "en") -> str:
    """Emissions over the run by sector and pollutant (t), as a fixed-width table."""
    lang = check_lang(lang)
    sectors: Mapping[str, Mapping[str, float]] = summary["emissions_t"]
    pollutants = list(summary["total_t"])
    unit = "吨" if lang == "zh" else "t"
    title = (
        f"{summary['scenario']} 排放量（{unit}，种子 {summary['seed']}，"
        f"{summary['period']['start'][:10]} 至 {summary['period']['end'][:10]}）"
        if lang == "zh"
        else f"Emissions of {summary['scenario']} ({unit}, seed {summary['seed']}, "
        f"{summary['period']['start'][:10]} to {summary['period']['end'][:10]})"
    )
    head = pad(unit, 12) + "".join(
        pad(display("pollutant", p, "en"), 10, right=True) for p in pollutants
    )
    lines = [title, head, "-" * text_width(head)]
    for sector, row in sectors.items():
        lines.append(
            pad(display("sector", sector, lang), 12)
            + "".join(pad(number(row[p]), 10, right=True) for p in pollutants)
        )
    lines.append("-" * text_width(head))
    total = summary["total_t"]
    lines.append(
        pad("合计" if lang == "zh" else "total", 12)
        + "".join(pad(number(total[p]), 10, right=True) for p in pollutants)
    )
    return "\n".join(lines)


def verdict_lines(card: Scorecard, summaries: Sequence[Mapping[str, Any]], lang: str) -> list[str]:
    """The verdict paragraph wrapped to :data:`WIDTH` columns (Chinese: by characters)."""
    text = verdict(card, summaries, lang)
    if lang == "zh":
        step = WIDTH // 2 - 1
        return [text[i : i + step] for i in range(0, len(text), step)]
    return textwrap.wrap(text, WIDTH, break_on_hyphens=False)


def scorecard_lines(card: Scorecard, lang: str = "en") -> list[str]:
    """The scorecard as a table: target, value, plan, status (ensembles: P(met))."""
    lang = check_lang(lang)
    ensemble = card.members > 1
    members = tr("n_members", lang, n=card.members) if ensemble else tr("one_run", lang)
    out = [f"{tr('scorecard', lang)}: {card.scenario} ({members})"]
    for t in card.targets:
        value = pad(value_text(t, lang), 14, right=True)
        plan = pad(plan_text(t, lang), 16)
        status = tr(t.status, lang)
        if ensemble and t.probability_met is not None:
            status += f" {tr('p_met', lang)} {quantity(t.probability_met, '1', lang)}"
        out.append(f"  {pad(display('target', t.name, lang), 40)} {value} {plan} {status}")
        if t.district_alone is not None:
            out.append(district_alone_text(t, lang))
        decided = decided_by_text(t, lang)
        if decided:
            out += _wrapped(decided, lang, "    ")
    lines = [pad(line, WIDTH).rstrip() for line in out]
    if any(t.district_alone is not None for t in card.targets):
        lines += _wrapped(tr("alone_assumption", lang), lang, "  ")
    return lines


def decided_by_text(t: TargetScore, lang: str = "en") -> str:
    """"Decided by: ..." for a target whose scenario names the assumption that decides it."""
    text = (t.decided_by_zh or t.decided_by) if lang == "zh" else t.decided_by
    return tr("decided_by", lang, text=text) if text else ""


def _wrapped(text: str, lang: str, indent: str = "") -> list[str]:
    """``text`` wrapped to :data:`WIDTH` columns (Chinese: by characters), each line indented."""
    if lang == "zh":
        step = (WIDTH - len(indent)) // 2 - 1
        return [indent + text[i : i + step] for i in range(0, len(text), step)]
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False)  # fmt: skip


def district_alone_text(t: TargetScore, lang: str = "en") -> str:
    """The line under an air target: its value and status with the district's measures alone."""
    alone = t.district_alone or {}
    value = value_text(t, lang, alone.get("value"))
    text = tr("alone_line", lang, value=value, status=tr(str(alone.get("status")), lang))
    if alone.get("probability_met") is not None:
        text += f" {tr('p_met', lang)} {quantity(alone['probability_met'], '1', lang)}"
    return "    " + text


def _key(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """Labels of the bundles: their names when short (≤ 10 columns), else B1, B2, ... with a key."""
    if max(text_width(n) for n in names) <= 10:
        return list(names), []
    labels = [f"B{i + 1}" for i in range(len(names))]
    key = [f"  {lab} = {name}" for lab, name in zip(labels, names, strict=True)]
    return labels, key


def comparison_lines(comparison: Comparison, lang: str = "en") -> list[str]:
    """The comparison for the terminal: bundles ranked, then targets by bundle, ≤ 100 columns.

    Bundles are rows labelled B1, B2, ... with a key giving their full names; targets are
    columns T1, T2, ... with their own key, split into blocks so no line exceeds :data:`WIDTH`.
    """
    lang = check_lang(lang)
    b = comparison.bundles_table()
    labels, key = _key(comparison.names)
    label_of = dict(zip(comparison.names, labels, strict=True))
    colon = "：" if lang == "zh" else ":"
    lines = [
        tr("bundles_ranked", lang, criterion=criterion_text(comparison.criterion, lang)) + colon
    ]
    head = (
        pad(tr("rank", lang), 5) + pad(tr("bundle", lang), 11)
        + pad(tr("cost_year", lang), 14, True)
        + "".join(pad(f"{p} (t)", 12, True) for p in _POLS)
        + pad(tr("per_t_short", lang, p="PM2.5"), 22, True)
    )  # fmt: skip
    lines.append(head)
    for r in b.itertuples():
        cells = [number(b.loc[r.Index, f"reduction_t_{p}"]) for p in _POLS]
        lines.append(
            pad(str(r.rank), 5) + pad(label_of[r.bundle], 11)
            + pad(money(r.annualised_cost_cny, lang), 14, True)
            + "".join(pad(c, 12, True) for c in cells)
            + pad(money(b.loc[r.Index, "cost_per_t_PM2.5"], lang), 22, True)
        )  # fmt: skip
    lines += [tr("key", lang) + colon, *key, ""] if key else [""]
    lines += _targets_block(comparison, labels, lang)
    return [line.rstrip() for line in lines]


_POLS = ("PM2.5", "VOC", "NOx", "COD")


def _cell(t: Any, ensemble: bool, lang: str) -> str:
    if t is None or t.status == "not evaluated":
        return "n/e"
    if t.probability_met is not None and ensemble:
        return str(quantity(t.probability_met, "1", lang))
    return "✓" if t.status in ("met", "within tolerance") else "✗"


def _targets_block(comparison: Comparison, labels: list[str], lang: str) -> list[str]:
    """Targets by bundle: targets in rows when the bundles fit beside them, else in columns."""
    names = [t.name for t in comparison.scorecards[0].targets]
    ensemble = comparison.scorecards[0].members > 1
    title = tr("p_met", lang) if ensemble else tr("status", lang)
    scores = [{t.name: t for t in card.targets} for card in comparison.scorecards]
    out = [
        f"{tr('targets_side', lang)}（{title}）："
        if lang == "zh"
        else f"{tr('targets_side', lang)} ({title}):"
    ]
    width = max(9, *(text_width(lab) + 2 for lab in labels))
    if 44 + width * len(labels) <= WIDTH:
        out.append(pad("", 44) + "".join(pad(lab, width, True) for lab in labels))
        for n in names:
            cells = [_cell(sc.get(n), ensemble, lang) for sc in scores]
            out.append(
                pad(display("target", n, lang), 44) + "".join(pad(c, width, True) for c in cells)
            )
        out.append(
            f"  n/e = {tr('not evaluated', lang)}; ✓ = {tr('met', lang)}; ✗ = {tr('not met', lang)}"
        )
        return out
    tlabels = [f"T{i + 1}" for i in range(len(names))]
    per_block = max(1, (WIDTH - 6) // 9)
    for start in range(0, len(names), per_block):
        block = names[start : start + per_block]
        out.append(pad("", 6) + "".join(pad(tlabels[names.index(n)], 9, True) for n in block))
        for lab, sc in zip(labels, scores, strict=True):
            cells = [_cell(sc.get(n), ensemble, lang) for n in block]
            out.append(pad(lab, 6) + "".join(pad(c, 9, True) for c in cells))
    out.append(tr("key", lang) + ":")
    out += [
        f"  {lab} = {display('target', n, lang)}" for lab, n in zip(tlabels, names, strict=True)
    ]
    out.append(
        f"  n/e = {tr('not evaluated', lang)}; ✓ = {tr('met', lang)}; ✗ = {tr('not met', lang)}"
    )
    return out
