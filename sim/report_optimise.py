"""The report of ``sim optimise``: ``report.html`` in the optimisation's folder.

One page in English or Chinese (``--lang``) with the question, the frontier figure (inline SVG,
text kept as text, as the run reports' figures), the best bundle in plain words (which measures,
what intensities, its annualised cost and fiscal outlay, its verified P(met) with the interval per
constrained target), the verified bundles beside the plan as written, and how often search and
verification disagreed on feasibility. Every probability shown is the verified one
(``verification.json``); the page holds no time or host, so the same question and seeds give the
same page.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from sim.display_names import check_lang, display
from sim.optimise.outputs import frontier_figure
from sim.optimise.search import SearchResult
from sim.optimise.spec import OptimiseSpec
from sim.optimise.verify import Verified, disagreements
from sim.report_format import money
from sim.report_html import figures_html, page, table_html
from sim.report_i18n import PHRASES, tr

__all__ = ["bundle_words", "optimise_section", "write_report"]

_POLICY = "policies."


def _interval(t: dict[str, Any]) -> str:
    """``p [low, high]`` of a verified probability, two decimals."""
    return f"{t['p_met']:.2f} [{t['p_low']:.2f}, {t['p_high']:.2f}]"


def _yes(flag: bool, lang: str) -> str:
    return tr("yes" if flag else "no", lang)


def _target(name: str, lang: str) -> str:
    return display("target", name, lang)


def _setting(field: str, lang: str) -> str:
    key = f"opt_field_{field}"
    return tr(key, lang) if key in PHRASES else field


def bundle_words(spec: OptimiseSpec, values: dict[str, Any], lang: str = "en") -> list[str]:
    """A bundle's levers in plain words: measures on, measures off, intensities of those on.

    A lever with key ``policies.<measure>.enabled`` names the measure (its display name); a lever
    below ``policies.<measure>.`` is an intensity of it, shown only when it is set (a measure off
    leaves its intensities to the base, value None); any other lever is ``name = value``.
    """
    sep = "、" if check_lang(lang) == "zh" else ", "
    on: list[str] = []
    off: list[str] = []
    settings: list[str] = []
    for lever in spec.levers:
        value = values.get(lever.name)
        parts = lever.key.split(".")
        if lever.key.startswith(_POLICY) and len(parts) == 3:
            measure = display("measure", parts[1], lang)
            if parts[2] == "enabled":
                (on if value else off).append(measure)
            elif value is not None:
                settings.append(f"{measure}: {_setting(parts[2], lang)} = {value}")
        elif value is not None:
            settings.append(f"{lever.name} = {value}")
    out = []
    if on:
        out.append(tr("opt_on", lang, names=sep.join(on)))
    if off:
        out.append(tr("opt_off", lang, names=sep.join(off)))
    if settings:
        out.append(tr("opt_settings", lang, items="; ".join(settings)))
    return out


def _best_html(spec: OptimiseSpec, best: Verified, lang: str) -> str:
    d = best.to_dict()
    c = f"{d['confidence']:.0%}"
    lines = bundle_words(spec, best.verified.values, lang)
    lines.append(
        tr(
            "opt_cost",
            lang,
            annual=money(d["annualised_cost_cny"], lang),
            fiscal=money(d["fiscal_outlay_cny"], lang),
        )
    )
    for name, t in d["targets"].items():
        lines.append(
            tr(
                "opt_p",
                lang,
                target=_target(name, lang),
                p=f"{t['p_met']:.2f}",
                c=c,
                low=f"{t['p_low']:.2f}",
                high=f"{t['p_high']:.2f}",
                need=spec.constraints.get(name, "–"),
            )
        )
    lines.append(tr("opt_feasible", lang, yes=_yes(d["feasible"], lang)))
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f"<h2>{escape(tr('opt_best', lang))}</h2><ul id='best'>{items}</ul>"


def _side_table(spec: OptimiseSpec, verified: list[Verified], lang: str) -> str:
    rows = []
    for v in verified:
        d = v.to_dict()
        label = tr(f"opt_label_{v.label}", lang, name=Path(spec.scenario_file).stem)
        row: dict[str, str] = {
            tr("bundle", lang): label,
            tr("opt_annualised", lang): money(d["annualised_cost_cny"], lang),
            tr("opt_fiscal", lang): money(d["fiscal_outlay_cny"], lang),
        }
        for name, t in d["targets"].items():
            need = spec.constraints.get(name, "–")
            row[tr("opt_p_col", lang, target=_target(name, lang), need=need)] = _interval(t)
        row[tr("opt_p_all", lang)] = _interval(d["all"])
        search = "–" if v.search_feasible is None else _yes(v.search_feasible, lang)
        row[tr("opt_feasible_col", lang)] = f"{search} / {_yes(v.feasible, lang)}"
        rows.append(row)
    key = tr(
        "opt_side_key", lang, ensemble=spec.verify.ensemble, c=f"{spec.verify.confidence:.0%}"
    )
    return f"<h2>{escape(tr('opt_side', lang))}</h2>" + table_html(pd.DataFrame(rows), key)


def optimise_section(
    spec: OptimiseSpec, found: SearchResult, verified: list[Verified], lang: str = "en"
) -> str:
    """The optimisation's section: question, figure, best bundle, verified table, disagreements."""
    from sim.plots import figure_svg

    lang = check_lang(lang)
    if spec.objective == "min_cost":
        joined = ("；" if lang == "zh" else "; ").join(
            tr("opt_constraint", lang, target=_target(n, lang), p=p)
            for n, p in spec.constraints.items()
        )
        question = tr("opt_min_cost", lang, constraints=joined)
    else:
        budget = money(spec.budget.max_cny if spec.budget else None, lang)
        question = tr("opt_max_p", lang, budget=budget)
    facts = tr(
        "opt_facts",
        lang,
        evaluations=found.evaluations,
        members=spec.search.members,
        frontier=sum(v.label == "frontier" for v in verified),
        ensemble=spec.verify.ensemble,
        c=f"{spec.verify.confidence:.0%}",
    )
    n_bad, n = disagreements(verified)
    svg = figure_svg(frontier_figure(spec, found, verified, lang))
    best = next((v for v in verified if v.label == "best"), None)
    parts = [
        f"<section id='optimise'><h1>{escape(tr('opt_title', lang, name=spec.name))}</h1>",
        f"<p class='verdict'>{escape(question)}</p><p class='key'>{escape(facts)}</p>",
        f"<h2>{escape(tr('opt_figure', lang))}</h2>" + figures_html({"frontier": svg}),
        _best_html(spec, best, lang) if best is not None else "",
        _side_table(spec, verified, lang),
        f"<p id='disagreements'>{escape(tr('opt_disagree', lang, n=n_bad, total=n))}</p>",
        "</section>",
    ]
    return "".join(parts)


def write_report(
    spec: OptimiseSpec,
    found: SearchResult,
    verified: list[Verified],
    folder: Path,
    lang: str = "en",
) -> Path:
    """``folder/report.html``: :func:`optimise_section` on its own page in ``lang``."""
    path = Path(folder) / "report.html"
    html = page(
        tr("opt_title", lang, name=spec.name), [optimise_section(spec, found, verified, lang)], lang
    )
    path.write_text(html, encoding="utf-8")
    return path
