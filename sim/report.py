"""``report.html``: one self-contained page for a policy team, in English or Chinese.

It opens with the verdict (:mod:`sim.report_verdict`), then the scorecard (table and chart), the
figures (inline SVG, text kept as text), the measures' reductions and costs by family, the
scenario, every numeric input with its source (collapsed, by section) and the model's calibration
quality (``calibration/fitted/*.yaml`` when present). It reads saved results only (the results
Dataset, the summaries and the scorecard written beside them), so ``sim report RUN_DIR`` rebuilds
it without running anything. The comparison page is :mod:`sim.report_compare`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from sim.display_names import check_lang, display
from sim.report_format import money, number
from sim.report_html import (
    actors_html,
    figures_html,
    inputs_html,
    page,
    scorecard_html,
    table_html,
    water_sections_html,
)
from sim.report_i18n import tr
from sim.report_verdict import verdict
from sim.targets import Scorecard, scenario_targets, score_ensemble, score_run

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.scenario.schema import Scenario
    from sim.scenario.sections.targets import Target

__all__ = [
    "QUESTION",
    "calibration_section",
    "measures_frame",
    "run_report_html",
    "write_figures",
    "write_run_outputs",
]

log = logging.getLogger(__name__)

QUESTION = tr("question", "en")
#: Pollutants shown in the measures table.
_TABLE_POLLUTANTS = ("PM2.5", "NOx", "VOC")
#: Smallest cut (t) for which a cost per tonne is shown.
MIN_CUT_T = 0.1


def measures_frame(summaries: Sequence[Mapping[str, Any]], lang: str = "en") -> pd.DataFrame:
    """One row per measure family: its measures, cuts of PM2.5/NOx/VOC in the run, the annualised
    cost and the cost per tonne of PM2.5 (annualised cost over the full-year cut).

    Medians over members. Costs are annualised (capital × capital recovery factor plus O&M,
    docs/costs.md); a summary without them falls back to the cost booked in the run. Cost per
    tonne is shown only for cuts of at least :data:`MIN_CUT_T`.
    """
    cuts: dict[tuple[str, str], list[float]] = {}
    members: dict[str, list[str]] = {}
    for s in summaries:
        for fam, m in (s.get("measures") or {}).items():
            if not isinstance(m, Mapping):
                continue
            members[fam] = list(m.get("measures") or members.get(fam, []))
            for pol, v in (m.get("reduction_t") or {}).items():
                cuts.setdefault((fam, pol), []).append(float(v))
            full = (m.get("full_year_reduction_t") or m.get("reduction_t") or {}).get("PM2.5")
            cuts.setdefault((fam, "full_pm25"), []).append(float(full or 0.0))
            annual = m.get("annualised_cost_cny", m.get("cost_cny", 0.0))
            cuts.setdefault((fam, "cost"), []).append(float(annual or 0.0))
    rows = []
    for fam in members:
        med = {k[1]: float(np.median(v)) for k, v in cuts.items() if k[0] == fam}
        row: dict[str, str] = {
            tr("family", lang): display("family", fam, lang),
            tr("measure", lang): ("、" if lang == "zh" else ", ").join(
                display("measure", m, lang) for m in members[fam]
            ),
        }
        for pol in _TABLE_POLLUTANTS:
            row[tr("reduction", lang, p=display("pollutant", pol, lang)) + " (t)"] = number(
                med.get(pol)
            )
        row[tr("annualised_cost", lang)] = money(med.get("cost"), lang)
        pm = med.get("full_pm25", 0.0)
        per_t = med["cost"] / pm if pm >= MIN_CUT_T and med.get("cost") else None
        row[tr("cost_per_t", lang, p="PM2.5")] = money(per_t, lang)
        rows.append(row)
    return pd.DataFrame(rows)


def calibration_section(roots: Sequence[Path] = (), lang: str = "en") -> str:
    """HTML of the fitted calibration files (``calibration/fitted/*.yaml``) found near ``roots``."""
    seen: set[Path] = set()
    parts = []
    for root in [*roots, Path.cwd()]:
        for base in [root, *root.parents]:
            folder = base / "calibration" / "fitted"
            if folder.is_dir() and folder.resolve() not in seen:
                seen.add(folder.resolve())
                for path in sorted(folder.glob("*.yaml")):
                    text = path.read_text(encoding="utf-8")
                    parts.append(
                        f"<details><summary>{escape(path.name)}</summary>"
                        f"<pre>{escape(text[:6000])}</pre></details>"
                    )
                break
    if not parts:
        return f"<p>{escape(tr('calibration_none', lang))}</p>"
    return "".join(parts)


def _facts(scenario: Scenario, summaries: Sequence[Mapping[str, Any]], lang: str) -> str:
    first = summaries[0] if summaries else {}
    n = len(summaries)
    members = tr("n_members", lang, n=n) if n > 1 else tr("one_run", lang)
    facts = tr(
        "run_facts",
        lang,
        district=scenario.district.name,
        start=f"{scenario.run.start:%Y-%m-%d}",
        end=f"{scenario.run.end:%Y-%m-%d}",
        seed=first.get("seed", scenario.run.seed),
        members=members,
        hash=scenario.scenario_hash,
        version=first.get("sim_version", ""),
    )
    return (
        f"<p><b>{escape(scenario.name)}</b>: {escape(scenario.description)}</p>"
        f"<p class='key'>{escape(facts)}</p>"
    )


def run_report_html(
    *,
    scenario: Scenario,
    summaries: Sequence[Mapping[str, Any]],
    scorecard: Scorecard,
    figures: Mapping[str, str],
    title: str | None = None,
    lang: str = "en",
    extra: Sequence[str] = (),
) -> str:
    """The report page of one run (one summary) or an ensemble (one per member).

    ``figures`` are SVG texts by name (:func:`sim.plots.figure_svg`); the scorecard chart, if
    present, is shown beside the scorecard table and the rest under "Figures".
    """
    lang = check_lang(lang)
    origin = Path(scenario.origin).parent if scenario.origin != "<memory>" else Path.cwd()
    figs = dict(figures)
    chart = figs.pop("scorecard", None)
    measures = measures_frame(summaries, lang)
    sections = [
        f"<h1>{escape(title or tr('report_title', lang, name=scenario.name))}</h1>",
        f"<p id='verdict' class='verdict'>{escape(verdict(scorecard, summaries, lang))}</p>",
        f"<p class='key'><b>{escape(tr('question', lang))}</b></p>",
        *extra,  # sections of other commands (sim.report_forecast)
        f"<h2>{escape(tr('scorecard', lang))}</h2>",
        scorecard_html(scorecard, lang),
        figures_html({"scorecard": chart}) if chart else "",
        actors_html(summaries, lang),
        water_sections_html(summaries, lang),
        (
            f"<h2>{escape(tr('measures', lang))}</h2>"
            + table_html(measures, tr("cost_per_t_none", lang))
            if not measures.empty
            else ""
        ),
        f"<h2>{escape(tr('figures', lang))}</h2>",
        figures_html(figs) if figs else f"<p>{escape(tr('no_figures', lang))}</p>",
        f"<h2>{escape(tr('scenario', lang))}</h2>",
        _facts(scenario, summaries, lang),
        f"<h2>{escape(tr('inputs', lang))}</h2>",
        inputs_html(scenario.raw, lang),
        f"<h2>{escape(tr('calibration', lang))}</h2>",
        calibration_section([origin], lang),
    ]
    return page(tr("report_title", lang, name=scenario.name), sections, lang)


def write_figures(folder: Path, figs: Mapping[str, Figure]) -> dict[str, str]:
    """Write ``figures/<name>.png``; return the figures as inline SVG texts for the report."""
    from sim.plots import figure_png, figure_svg

    (folder / "figures").mkdir(exist_ok=True)
    svgs = {}
    for name, fig in figs.items():
        (folder / "figures" / f"{name}.png").write_bytes(figure_png(fig))
        svgs[name] = figure_svg(fig)
    return svgs


def write_run_outputs(
    folder: str | Path,
    *,
    scenario: Scenario,
    dataset: xr.Dataset,
    summaries: Sequence[Mapping[str, Any]],
    events: pd.DataFrame | None = None,
    figures: bool = True,
    targets: Sequence[Target] | None = None,
    lang: str = "en",
) -> Scorecard:
    """Write ``scorecard.json``, ``dispatch.csv``, ``figures/*.png`` and ``report.html``.

    ``targets`` default to the scenario's. Returns the scorecard (the ensemble's when there is
    more than one summary).
    """
    from sim.dispatch import weekly_dispatch

    lang = check_lang(lang)
    out = Path(folder)
    targets = scenario_targets(scenario) if targets is None else tuple(targets)
    if len(summaries) == 1:
        card = score_run(targets, summaries[0])
    else:
        card = score_ensemble(targets, list(summaries), scenario.name)
    card.write(out / "scorecard.json")
    weekly_dispatch(dataset, targets).to_csv(out / "dispatch.csv", index=False)
    if len(summaries) == 1 and "outlet_cod_before_t" in dataset:  # water outlets one by one
        cols = ("area", "kind", "remediated_on", "cod_before_t", "cod_after_t", "nh3n_before_t")
        table = {"outlet": dataset["outlet"].values}
        table |= {c: dataset[f"outlet_{c}"].values for c in (*cols, "nh3n_after_t")}
        pd.DataFrame(table).to_csv(out / "outlets.csv", index=False)
    svgs: dict[str, str] = {}
    if figures:
        from sim.plots import run_figures

        pm25 = next((t.value for t in targets if t.metric == "air.pm25_annual_mean_ug_m3"), None)
        svgs = write_figures(out, run_figures(dataset, events, card, pm25, lang))
    if len(summaries) == 1:  # marginal abatement cost curves (sim.mac_curve)
        from sim.mac_curve import write_mac

        svgs |= write_figures(out, write_mac(out, summaries[0], figures=figures, lang=lang))
    html = run_report_html(
        scenario=scenario, summaries=summaries, scorecard=card, figures=svgs, lang=lang
    )
    (out / "report.html").write_text(html, encoding="utf-8")
    return card
