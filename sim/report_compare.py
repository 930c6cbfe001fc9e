"""The comparison page: bundles ranked, the targets that differ, figures, families, inputs.

Called by whoever saved the comparison (the ``sim compare`` command, or :func:`rebuild_report`),
never by :mod:`sim.compare` itself. By default the target table shows only the targets whose
result (status or probability of meeting) differs between bundles; all targets are one click
away in a ``<details>``. Bundle names are shown in full.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.display_names import check_lang, display
from sim.report import calibration_section, write_figures
from sim.report_format import money, number, quantity, value_text
from sim.report_html import figures_html, inputs_html, page, scorecard_html, table_html
from sim.report_i18n import criterion_text, tr

if TYPE_CHECKING:
    from sim.compare import Comparison

__all__ = [
    "bundles_frame",
    "differing_targets",
    "rebuild_comparison_report",
    "targets_frame",
    "write_comparison_report",
]

_POLLUTANTS = ("PM2.5", "VOC", "NOx", "COD")


def differing_targets(comparison: Comparison) -> list[str]:
    """Targets whose status or probability of meeting is not the same in every bundle."""
    seen: dict[str, set[tuple[str, float | None]]] = {}
    for card in comparison.scorecards:
        for t in card.targets:
            seen.setdefault(t.name, set()).add((t.status, t.probability_met))
    return [name for name, results in seen.items() if len(results) > 1]


def targets_frame(comparison: Comparison, lang: str, only: list[str] | None = None) -> pd.DataFrame:
    """Targets (rows) by bundles (columns): "P(met) · median" (single runs: "status · value")."""
    rows = []
    order = [t.name for t in comparison.scorecards[0].targets]
    for name in order if only is None else [n for n in order if n in only]:
        row: dict[str, str] = {tr("target", lang): display("target", name, lang)}
        for bundle, card in zip(comparison.names, comparison.scorecards, strict=True):
            t = next((x for x in card.targets if x.name == name), None)
            if t is None:
                row[bundle] = "–"
                continue
            head = (
                quantity(t.probability_met, "1", lang)
                if t.probability_met is not None and card.members > 1
                else tr(t.status, lang)
            )
            row[bundle] = f"{head} · {value_text(t, lang)}"
        rows.append(row)
    return pd.DataFrame(rows)


def bundles_frame(comparison: Comparison, lang: str) -> pd.DataFrame:
    """The ranked bundle table with human headers and formatted numbers."""
    b = comparison.bundles_table()
    out = pd.DataFrame(
        {
            tr("rank", lang): b["rank"].astype(int),
            tr("bundle", lang): b["bundle"],
            tr("annualised_cost", lang): [money(v, lang) for v in b["annualised_cost_cny"]],
            tr("targets_met", lang): [
                f"{number(v)} / {int(n)}"
                for v, n in zip(b["expected_targets_met"], b["targets_evaluated"], strict=True)
            ],
        }
    )
    for pol in _POLLUTANTS:
        name = display("pollutant", pol, lang)
        out[tr("reduction", lang, p=name) + " (t)"] = [number(v) for v in b[f"reduction_t_{pol}"]]
        out[tr("booked_per_t", lang, p=name)] = [money(v, lang) for v in b[f"cost_per_t_{pol}"]]
    return out


def _verdict(comparison: Comparison, differ: list[str], lang: str) -> str:
    """First bundle by the criterion, its expected targets met and cost; the differing targets."""
    b = comparison.bundles_table()
    best = str(b["bundle"].iloc[0])
    expected = number(b["expected_targets_met"].iloc[0])
    evaluated = int(b["targets_evaluated"].iloc[0])
    cost = money(b["annualised_cost_cny"].iloc[0], lang)
    names = ("、" if lang == "zh" else ", ").join(display("target", n, lang) for n in differ)
    criterion = criterion_text(comparison.criterion, lang)
    if lang == "zh":
        text = (
            f"按{criterion}排名，第一的方案是 {best}：评估的 {evaluated} 项目标中预期达标 "
            f"{expected} 项，年化成本每年 {cost}。"
        )
        return text + (
            f"各方案结果不同的目标：{names}。" if differ else tr("targets_none_differ", lang)
        )
    text = (
        f"Ranked by {criterion}, the first bundle is {best}: {expected} of its {evaluated} "
        f"evaluated targets expected to be met, at an annualised cost of {cost} a year. "
    )
    return text + (
        f"Targets whose result differs between bundles: {names}."
        if differ
        else tr("targets_none_differ", lang)
    )


def _figures(comparison: Comparison, out: Path, lang: str) -> dict[str, str]:
    from sim.plots import _style, cost_effectiveness, probability_by_bundle, scorecard_chart

    ds = comparison.dataset()
    with _style():
        figs = {
            "probability_by_bundle": probability_by_bundle(ds, lang),
            "cost_effectiveness": cost_effectiveness(ds, lang),
            **{
                f"scorecard_{n}": scorecard_chart(c, lang)
                for n, c in zip(comparison.names, comparison.scorecards, strict=True)
            },
        }
    return write_figures(out, {k: v for k, v in figs.items() if v is not None})


def _sections(comparison: Comparison, svgs: dict[str, str], lang: str) -> list[str]:
    differ = differing_targets(comparison)
    total = len(comparison.scorecards[0].targets)
    first = comparison.ensembles[0]
    main = {k: v for k, v in svgs.items() if not k.startswith("scorecard_")}
    members = tr("n_members", lang, n=first.size) if first.size > 1 else tr("one_run", lang)
    criterion = criterion_text(comparison.criterion, lang)
    cards = "".join(
        f"<details><summary>{escape(tr('scorecard', lang))}: {escape(n)}</summary>"
        f"{scorecard_html(c, lang)}"
        f"{figures_html({k: v for k, v in svgs.items() if k == f'scorecard_{n}'})}"
        "</details>"
        for n, c in zip(comparison.names, comparison.scorecards, strict=True)
    )
    return [
        f"<h1>{escape(tr('compare_title', lang, names=', '.join(comparison.names)))}</h1>",
        f"<p id='verdict' class='verdict'>{escape(_verdict(comparison, differ, lang))}</p>",
        f"<p class='key'>{escape(tr('crn', lang, members=members, seed=first.seed))}</p>",
        f"<h2>{escape(tr('bundles_ranked', lang, criterion=criterion))}</h2>",
        table_html(bundles_frame(comparison, lang), tr("cost_per_t_none", lang)),
        f"<h2>{escape(tr('targets_differ', lang, n=len(differ), total=total))}</h2>",
        table_html(targets_frame(comparison, lang, differ)) if differ else "",
        f"<details><summary>{escape(tr('targets_all', lang, total=total))}</summary>"
        f"{table_html(targets_frame(comparison, lang))}{cards}</details>",
        f"<h2>{escape(tr('figures', lang))}</h2>",
        figures_html(main) if main else f"<p>{escape(tr('no_figures', lang))}</p>",
        f"<h2>{escape(tr('scenarios', lang))}</h2><ul>"
        + "".join(
            f"<li><b>{escape(n)}</b>: {escape(e.scenario.description)}</li>"
            for n, e in zip(comparison.names, comparison.ensembles, strict=True)
        )
        + "</ul>",
        f"<h2>{escape(tr('inputs_last', lang, name=comparison.names[-1]))}</h2>",
        inputs_html(comparison.ensembles[-1].scenario.raw, lang),
        f"<h2>{escape(tr('calibration', lang))}</h2>",
        calibration_section(lang=lang),
    ]


def write_comparison_report(
    comparison: Comparison, folder: str | Path, *, figures: bool = True, lang: str = "en"
) -> Path:
    """Write the comparison's figures and ``report.html`` into ``folder`` (already saved)."""
    lang = check_lang(lang)
    out = Path(folder)
    svgs = _figures(comparison, out, lang) if figures else {}
    title = tr("compare_title", lang, names=", ".join(comparison.names))
    (out / "report.html").write_text(
        page(title, _sections(comparison, svgs, lang), lang), encoding="utf-8"
    )
    return out / "report.html"


def rebuild_comparison_report(path: Path, *, figures: bool = True, lang: str = "en") -> Path:
    """Reload the bundles of a saved comparison folder and write its report again."""
    from sim.compare import compare

    order: list[Any] = (
        json.loads((path / "bundles.json").read_text())
        if (path / "bundles.json").exists()
        else sorted(p.name for p in (path / "bundles").iterdir())
    )
    comparison = compare([path / "bundles" / n for n in order])
    return write_comparison_report(comparison, path, figures=figures, lang=lang)
