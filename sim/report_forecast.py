"""The forecast section of ``report.html`` (``sim forecast``): are we on track?

The section holds the fan chart (inline SVG), P(year-end met) of every target with a traffic
light, what is still needed, the measures behind schedule and, in words, what is observed and what
is assumed. :func:`write_report` writes the forecast folder's ``report.html``: the run report of
the members (conditioned scorecard, inputs, calibration) with this section after the verdict.
English and Chinese (:mod:`sim.report_i18n`, :mod:`sim.display_names`).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from sim.display_names import check_lang, display
from sim.report_html import figures_html
from sim.report_i18n import tr

__all__ = ["LIGHTS", "forecast_section", "light", "write_report"]

#: Traffic light of P(year-end met): (lowest P, colour key, CSS colour), first match wins.
LIGHTS: tuple[tuple[float, str, str], ...] = (
    (0.8, "light_green", "#2a9d3a"),
    (0.5, "light_amber", "#e0a100"),
    (0.0, "light_red", "#c62828"),
)


def light(p: float | None) -> tuple[str, str]:
    """The light (phrase key, colour) of a probability; grey when the target is not evaluated."""
    if p is None:
        return "light_none", "#999999"
    for lowest, key, colour in LIGHTS:
        if p >= lowest:
            return key, colour
    return LIGHTS[-1][1], LIGHTS[-1][2]


def _targets(d: Mapping[str, Any], lang: str) -> str:
    head = "".join(
        f"<th>{escape(tr(k, lang))}</th>" for k in ("target", "p_met", "median", "range", "light")
    )
    rows = []
    for name, t in d["targets"].items():
        key, colour = light(t["p_met"])
        p = "–" if t["p_met"] is None else f"{t['p_met']:.0%}"
        spread = "–" if t["p05"] is None else f"{t['p05']:.4g} – {t['p95']:.4g}"
        median = "–" if t["median"] is None else f"{t['median']:.4g}"
        dot = f"<span style='color:{colour}'>&#9679;</span> {escape(tr(key, lang))}"
        cells = [escape(display("target", name, lang)), p, median, spread, dot]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"<div class='box'><table><tr>{head}</tr>{''.join(rows)}</table></div>"


def _needed(d: Mapping[str, Any], lang: str) -> str:
    need = d["still_needed"]
    items = []
    if "pm25_mean_remaining_days_to_reach_target_ug_m3" in need:
        items.append(tr("fc_need_pm25", lang, days=need["remaining_days"],
                        need=need["pm25_mean_remaining_days_to_reach_target_ug_m3"],
                        expect=need["pm25_mean_remaining_days_forecast_ug_m3"]))  # fmt: skip
    if "good_days_still_needed" in need:
        items.append(tr("fc_need_good", lang, n=f"{need['good_days_still_needed']:g}",
                        days=need["remaining_days"]))  # fmt: skip
    behind = [m for m in need["measures_behind_schedule"] if m["behind"]]
    for m in behind:
        late = isinstance(m["scheduled"], str)  # a project: dates, late by days
        by = tr("fc_days", lang, n=m["behind_by"]) if late else m["behind_by"]
        items.append(tr("fc_behind", lang, what=m["progress"], reported=m["reported"],
                        scheduled=m["scheduled"], by=by))  # fmt: skip
    if not behind:
        key = "fc_none_behind" if need["measures_behind_schedule"] else "fc_no_progress"
        items.append(tr(key, lang))
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _words(d: Mapping[str, Any], lang: str) -> str:
    obs = d["observed"]
    kind = tr("fc_daily" if obs["kind"] == "daily" else "fc_periods", lang)
    observed = tr("fc_observed", lang, days=d["observed_days"], first=obs["first_day"],
                  end=obs["end_day"], kind=kind, pm=obs["pm25_mean_ug_m3"])  # fmt: skip
    a = d["anomaly"]
    assumed = tr("fc_assumed", lang, members=d["members"], r=a["mean_log"],
                 level=a["level_log"], tau=a["prior_sd_log"])  # fmt: skip
    notes = "".join(f"<li>{escape(n)}</li>" for n in d["notes"])
    return f"<p>{escape(observed)}</p><p>{escape(assumed)}</p><ul class='key'>{notes}</ul>"


def forecast_section(d: Mapping[str, Any], fan_svg: str, lang: str = "en") -> str:
    """The forecast section (HTML) from ``forecast.json``'s content and the fan chart's SVG."""
    lang = check_lang(lang)
    pm, good = d["pm25_annual_mean_ug_m3"], d["good_days_ratio"]
    head = tr("fc_headline", lang, pm=pm["median"], pm05=pm["p05"], pm95=pm["p95"],
              good=good["median"], good05=good["p05"], good95=good["p95"])  # fmt: skip
    return "".join([
        f"<h2 id='forecast'>{escape(tr('fc_title', lang, as_of=d['as_of']))}</h2>",
        f"<p class='verdict'>{escape(head)}</p>",
        _targets(d, lang),
        f"<h3>{escape(tr('fc_still_needed', lang))}</h3>",
        _needed(d, lang),
        figures_html({"forecast_fan": fan_svg}),
        f"<h3>{escape(tr('fc_observed_assumed', lang))}</h3>",
        _words(d, lang),
    ])  # fmt: skip


def write_report(
    folder: Path, d: Mapping[str, Any], fan_svg: str, run: Mapping[str, Any], lang: str = "en"
) -> Path:
    """``report.html`` of a forecast: the members' run report with the forecast section.

    ``d`` is ``forecast.json``'s content; ``run`` holds the report's ``scenario``, the members'
    conditioned ``summaries`` and their ``scorecard`` (:func:`sim.report.run_report_html`).
    """
    from sim.report import run_report_html

    section = forecast_section(d, fan_svg, lang)
    html = run_report_html(**run, figures={}, lang=lang, extra=(section,))
    path = folder / "report.html"
    path.write_text(html, encoding="utf-8")
    return path
