"""The verdict: one paragraph in plain words that opens the report and the printed summary.

Which targets are met (a single run: met or not in that weather year; an ensemble: in what share
of weather years), which are missed and by how much, what the measures cost, and what decides the
outcome (the measure family with the largest attributable cut, and the share of PM2.5 that comes
from outside the district when the run records it). It reads the scorecard and the run summaries
only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.display_names import check_lang, display
from sim.report_format import money, percent, plan_text, quantity, value_text
from sim.targets import Scorecard, TargetScore

__all__ = ["measures_cost", "top_family", "verdict"]

_SEP = {"en": ", ", "zh": "、"}


def measures_cost(summaries: Sequence[Mapping[str, Any]]) -> tuple[str, float, float] | None:
    """Median over members of what the measures cost: ``("annualised", CNY/yr, fiscal CNY)``
    from the summary's ``costs`` (capital × capital recovery factor plus O&M, docs/costs.md), or
    ``("booked", CNY, nan)`` for a summary without it; None when nothing is booked."""
    annual, fiscal, booked_totals = [], [], []
    for s in summaries:
        costs = s.get("costs") or {}
        if costs.get("annualised_cost_cny") is not None:
            annual.append(float(costs["annualised_cost_cny"]))
            fiscal.append(float(costs.get("fiscal_outlay_cny") or 0.0))
            continue
        booked = s.get("measure_costs_cny") or {}
        if booked:
            booked_totals.append(float(sum(booked.values())))
            continue
        fams = [m for m in (s.get("measures") or {}).values() if isinstance(m, Mapping)]
        if fams:
            booked_totals.append(float(sum(float(m.get("cost_cny", 0.0)) for m in fams)))
    if annual and any(a > 0 for a in annual):
        return "annualised", float(np.median(annual)), float(np.median(fiscal))
    if booked_totals:
        return "booked", float(np.median(booked_totals)), float("nan")
    return None


def _cost_sentence(cost: tuple[str, float, float], members: int, lang: str) -> str:
    kind, value, fiscal = cost
    median_en, median_zh = (" (median)", "（中位数）") if members > 1 else ("", "")
    if lang == "zh":
        if kind == "booked":
            return f"措施费用{median_zh}为 {money(value, lang)}。"
        return (
            f"措施年化成本{median_zh}为每年 {money(value, lang)}"
            f"（资本按8%贴现率年化，加运行维护费），本年度财政支出 {money(fiscal, lang)}。"
        )
    if kind == "booked":
        return f"The measures cost {money(value, lang)}{median_en}."
    return (
        f"The measures cost {money(value, lang)} a year annualised{median_en} (capital at an 8 % "
        f"discount rate plus operation and maintenance); public spending this year "
        f"{money(fiscal, lang)}."
    )


def top_family(
    summaries: Sequence[Mapping[str, Any]], pollutant: str = "PM2.5"
) -> tuple[str, float, float] | None:
    """(family, median cut in t, share of all families' cut) of the largest ``pollutant`` cut."""
    cuts: dict[str, list[float]] = {}
    for s in summaries:
        for fam, m in (s.get("measures") or {}).items():
            if isinstance(m, Mapping):
                value = (m.get("reduction_t") or {}).get(pollutant)
                if value is not None:
                    cuts.setdefault(fam, []).append(float(value))
    medians = {f: float(np.median(v)) for f, v in cuts.items()}
    total = sum(v for v in medians.values() if v > 0)
    if not medians or total <= 0:
        return None
    fam = max(medians, key=lambda f: medians[f])
    return fam, medians[fam], medians[fam] / total


def _likely_met(t: TargetScore) -> bool:
    if t.probability_met is not None:
        return t.probability_met >= 0.5
    return t.status in ("met", "within tolerance")


def _item(t: TargetScore, lang: str, ensemble: bool) -> str:
    name = display("target", t.name, lang)
    if ensemble and t.probability_met is not None:
        share = percent(t.probability_met, lang)
        return f"{name}（{share}）" if lang == "zh" else f"{name} ({share})"
    if t.status == "not met" and t.value is not None:
        shown = value_text(t, lang)
        plan = plan_text(t, lang)
        if lang == "zh":
            return f"{name}（{shown}，规划 {plan}）"
        return f"{name} ({shown}, plan {plan})"
    return name


def _targets_sentences(card: Scorecard, lang: str) -> list[str]:
    """Missed targets first (with their value or probability), then the met ones."""
    ensemble = card.members > 1
    done = [t for t in card.targets if t.status not in ("not evaluated", "partial year")]
    partial = sum(t.status == "partial year" for t in card.targets)
    met = [t for t in done if _likely_met(t)]
    missed = [t for t in done if not _likely_met(t)]
    skipped = len(card.targets) - len(done) - partial
    sep = _SEP[lang]
    missed_text = sep.join(_item(t, lang, ensemble) for t in missed)
    met_text = sep.join(_item(t, lang, ensemble) for t in met)
    n = len(card.targets)
    if lang == "zh":
        where = f"在 {card.members} 个气象年中" if ensemble else "本次模拟中"
        out = [f"{n} 项目标中，{where}{len(met)} 项{'大概率' if ensemble else ''}达标，"]
        out[0] += f"{len(missed)} 项{'大概率' if ensemble else ''}未达标"
        out[0] += f"：{missed_text}。" if missed else "。"
        if met:
            out.append(f"达标{'（括号内为达标概率）' if ensemble else ''}：{met_text}。")
        if skipped:
            out.append(f"{skipped} 项未评估（本次模拟不产生该数值）。")
        if partial:
            out.append(f"{partial} 项年度目标未评判（模拟期不足一整年）。")
        return out
    where = (
        f"(met in fewer than half of {card.members} weather years; share met in brackets)"
        if ensemble
        else "in this run"
    )
    verb = "is" if len(missed) == 1 else "are"
    out = [
        f"Of {n} targets, {len(missed)} {verb} {'likely ' if ensemble else ''}missed {where}"
        + (f": {missed_text}." if missed else ".")
    ]
    if met:
        what = "Met (share of weather years)" if ensemble else "Met"
        out.append(f"{what}: {met_text}.")
    if skipped:
        out.append(f"{skipped} not evaluated (this run does not produce the number).")
    if partial:
        out.append(f"{partial} annual targets not judged: the run covers part of the year.")
    return out


def _outside_share(summaries: Sequence[Mapping[str, Any]]) -> float | None:
    shares = []
    for s in summaries:
        air = s.get("air") or {}
        by_scale = air.get("pm25_by_scale_ug_m3") if isinstance(air, Mapping) else None
        if isinstance(by_scale, Mapping) and by_scale:
            total = float(sum(float(v) for v in by_scale.values()))
            local = float(by_scale.get("district", 0.0))
            if total > 0:
                shares.append(1.0 - local / total)
    return float(np.median(shares)) if shares else None


def verdict(card: Scorecard, summaries: Sequence[Mapping[str, Any]], lang: str = "en") -> str:
    """The verdict paragraph (plain text) of a run or an ensemble."""
    lang = check_lang(lang)
    parts = _targets_sentences(card, lang)
    cost = measures_cost(summaries)
    top = top_family(summaries)
    outside = _outside_share(summaries)
    if lang == "zh":
        if cost is not None:
            parts.append(_cost_sentence(cost, card.members, lang))
        if top is not None:
            fam, cut, share = top
            parts.append(
                f"PM2.5减排量最大的措施类别是{display('family', fam, lang)}"
                f"（{quantity(cut, 't', lang)}，占各措施PM2.5减排量的{percent(share, lang)}）。"
            )
        if outside is not None:
            parts.append(
                f"PM2.5年均浓度中约{percent(outside, lang)}来自区外（天津其他地区及区域传输）。"
            )
        return "".join(parts)
    if cost is not None:
        parts.append(_cost_sentence(cost, card.members, lang))
    if top is not None:
        fam, cut, share = top
        parts.append(
            f"The largest PM2.5 cut comes from {display('family', fam, lang)} "
            f"({quantity(cut, 't', lang)}, {percent(share, lang)} of the measures' PM2.5 cut)."
        )
    if outside is not None:
        parts.append(
            f"About {percent(outside, lang)} of the annual PM2.5 comes from outside the district "
            "(the rest of Tianjin and the region)."
        )
    return " ".join(parts)
