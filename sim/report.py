"""``report.html``: one self-contained page (figures embedded as base64 PNG) for a policy team.

It states the question, the scenario(s), the scorecard, the figures, the measures' reductions and
costs, every numeric input with its source (:func:`sim.scenario.provenance.list_inputs`) and the
model's calibration quality (``calibration/fitted/*.yaml`` when present). It reads saved results
only, so ``sim report RUN_DIR`` rebuilds it without running anything.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from sim.errors import SimError
from sim.targets import Scorecard, scenario_targets, score_ensemble

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.compare import Comparison
    from sim.scenario.schema import Scenario
    from sim.scenario.sections.targets import Target

__all__ = [
    "QUESTION",
    "calibration_section",
    "rebuild_report",
    "run_report_html",
    "write_comparison_report",
    "write_run_outputs",
]

log = logging.getLogger(__name__)

QUESTION = (
    "Will this bundle of measures meet this year's air and water targets — with what "
    "probability, at what cost, and which measure matters most?"
)
_CSS = """
body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em 0;font-size:0.9em}
td,th{border:1px solid #bbb;padding:3px 7px;text-align:left}
th{background:#eee} .met{background:#d9f2d9} .notmet{background:#f7d4d4}
.within{background:#fff2cc} .ne{color:#888} img{max-width:100%;margin:0.5em 0 1.5em 0}
"""
_STATUS_CLASS = {"met": "met", "not met": "notmet", "within tolerance": "within"}


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:,.4g}"
    return escape(str(value))


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_fmt(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _scorecard_html(card: Scorecard) -> str:
    rows = []
    for t in card.targets:
        css = _STATUS_CLASS.get(t.status, "ne")
        spread = "–" if t.p05 is None else f"{_fmt(t.p05)} – {_fmt(t.p95)}"
        prob = "–" if t.probability_met is None else f"{t.probability_met:.0%}"
        rows.append(
            f"<tr class='{css}'><td>{escape(t.name)}</td><td>{escape(t.description)}</td>"
            f"<td>{escape(t.metric)}</td><td>{escape(t.comparison)} {_fmt(t.threshold)}"
            f"{' ± ' + _fmt(t.tolerance) if t.tolerance else ''}</td><td>{escape(t.unit)}</td>"
            f"<td>{_fmt(t.value)}</td><td>{spread}</td><td>{prob}</td>"
            f"<td>{escape(t.status)}</td><td>{_fmt(t.margin)}</td></tr>"
        )
    head = (
        "<tr><th>target</th><th>plan</th><th>summary path</th><th>threshold</th><th>unit</th>"
        "<th>value (median)</th><th>5–95 %</th><th>P(met)</th><th>status</th>"
        "<th>margin</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def _figures_html(figures: Mapping[str, bytes]) -> str:
    return "".join(
        f"<figure><img alt='{escape(name)}' src='data:image/png;base64,"
        f"{base64.b64encode(png).decode('ascii')}'/></figure>"
        for name, png in figures.items()
    )


def _measures_frame(summaries: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    rows: dict[tuple[str, str], list[float]] = {}
    for s in summaries:
        for fam, m in (s.get("measures") or {}).items():
            if isinstance(m, Mapping):
                for pol, v in (m.get("reduction_t") or {}).items():
                    rows.setdefault((fam, f"reduction {pol} (t)"), []).append(float(v))
                if "cost_cny" in m:
                    rows.setdefault((fam, "cost (CNY)"), []).append(float(m["cost_cny"]))
        for measure, cost in (s.get("measure_costs_cny") or {}).items():
            rows.setdefault((measure, "booked cost (CNY)"), []).append(float(cost))
    return pd.DataFrame(
        [
            {"measure / family": k, "quantity": q, "median": float(np.median(v))}
            for (k, q), v in sorted(rows.items())
        ],
        columns=["measure / family", "quantity", "median"],
    )


def _inputs_frame(raw: Mapping[str, Any]) -> pd.DataFrame:
    from sim.scenario.provenance import list_inputs

    inputs = list_inputs(raw)
    return pd.DataFrame(
        [
            {
                "input": i.path,
                "value": i.value,
                "unit": i.unit or "",
                "status": i.status,
                "source": i.source or "",
            }
            for i in inputs
        ],
        columns=["input", "value", "unit", "status", "source"],
    )


def calibration_section(roots: Sequence[Path] = ()) -> str:
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
                    parts.append(f"<h3>{escape(path.name)}</h3><pre>{escape(text[:6000])}</pre>")
                break
    if not parts:
        return (
            "<p>No fitted calibration found (calibration/fitted/*.yaml): the response "
            "parameters are the scenario's defaults, uncalibrated.</p>"
        )
    return "".join(parts)


def run_report_html(
    *,
    scenario: Scenario,
    summaries: Sequence[Mapping[str, Any]],
    scorecard: Scorecard,
    figures: Mapping[str, bytes],
    title: str | None = None,
) -> str:
    """The report page of one run (one summary) or an ensemble (one per member)."""
    first = summaries[0] if summaries else {}
    members = len(summaries)
    origin = Path(scenario.origin).parent if scenario.origin != "<memory>" else Path.cwd()
    sections = [
        f"<h1>{escape(title or f'sim report: {scenario.name}')}</h1>",
        f"<p><b>The question.</b> {escape(QUESTION)}</p>",
        "<h2>Scenario</h2>",
        f"<p><b>{escape(scenario.name)}</b>: {escape(scenario.description)}<br/>district "
        f"{escape(scenario.district.name)}; period {scenario.run.start:%Y-%m-%d} to "
        f"{scenario.run.end:%Y-%m-%d}; root seed {first.get('seed', scenario.run.seed)}; "
        f"{members} member(s); scenario hash {escape(scenario.scenario_hash)}; "
        f"sim {escape(str(first.get('sim_version', '')))}</p>",
        "<h2>Scorecard</h2>",
        _scorecard_html(scorecard),
        "<h2>Figures</h2>",
        _figures_html(figures),
        "<h2>Measures: reductions and costs</h2>",
        _table(_measures_frame(summaries)),
        "<h2>Assumptions and their sources</h2>",
        _table(_inputs_frame(scenario.raw)),
        "<h2>Model calibration</h2>",
        calibration_section([origin]),
    ]
    return _page(scenario.name, sections)


def _page(name: str, sections: Sequence[str]) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>sim report: {escape(name)}"
        f"</title><style>{_CSS}</style></head><body>{''.join(sections)}</body></html>"
    )


def _pngs(figs: Mapping[str, Figure]) -> dict[str, bytes]:
    from sim.plots import figure_png

    return {name: figure_png(fig) for name, fig in figs.items()}


def write_run_outputs(
    folder: str | Path,
    *,
    scenario: Scenario,
    dataset: xr.Dataset,
    summaries: Sequence[Mapping[str, Any]],
    events: pd.DataFrame | None = None,
    figures: bool = True,
    targets: Sequence[Target] | None = None,
) -> Scorecard:
    """Write ``scorecard.json``, ``dispatch.csv``, ``figures/*.png`` and ``report.html``.

    ``targets`` default to the scenario's. Returns the scorecard (the ensemble's when there is
    more than one summary).
    """
    from sim.dispatch import weekly_dispatch

    out = Path(folder)
    targets = scenario_targets(scenario) if targets is None else tuple(targets)
    card = score_ensemble(targets, list(summaries), scenario.name)
    if len(summaries) == 1:
        from sim.targets import score_run

        card = score_run(targets, summaries[0])
    card.write(out / "scorecard.json")
    weekly_dispatch(dataset, targets).to_csv(out / "dispatch.csv", index=False)
    pngs: dict[str, bytes] = {}
    if figures:
        from sim.plots import run_figures

        pm25 = next((t.value for t in targets if t.metric == "air.pm25_annual_mean_ug_m3"), None)
        pngs = _pngs(run_figures(dataset, events, card, pm25))
        (out / "figures").mkdir(exist_ok=True)
        for name, png in pngs.items():
            (out / "figures" / f"{name}.png").write_bytes(png)
    if len(summaries) == 1:  # marginal abatement cost curves (sim.mac_curve)
        from sim.mac_curve import write_mac

        for name, png in _pngs(write_mac(out, summaries[0], figures=figures)).items():
            (out / "figures" / f"{name}.png").write_bytes(png)
            pngs[name] = png
    html = run_report_html(scenario=scenario, summaries=summaries, scorecard=card, figures=pngs)
    (out / "report.html").write_text(html, encoding="utf-8")
    return card


def write_comparison_report(
    comparison: Comparison, folder: str | Path, *, figures: bool = True
) -> Path:
    """Write the comparison's figures and ``report.html`` into ``folder``."""
    from sim.plots import cost_effectiveness, probability_by_bundle, scorecard_chart

    out = Path(folder)
    pngs: dict[str, bytes] = {}
    if figures:
        ds = comparison.dataset()
        figs = {
            "cost_effectiveness": cost_effectiveness(ds),
            "probability_by_bundle": probability_by_bundle(ds),
            **{
                f"scorecard_{n}": scorecard_chart(c)
                for n, c in zip(comparison.names, comparison.scorecards, strict=True)
            },
        }
        pngs = _pngs({k: v for k, v in figs.items() if v is not None})
        (out / "figures").mkdir(exist_ok=True)
        for name, png in pngs.items():
            (out / "figures" / f"{name}.png").write_bytes(png)
    first = comparison.ensembles[0]
    sections = [
        f"<h1>sim comparison: {escape(', '.join(comparison.names))}</h1>",
        f"<p><b>The question.</b> {escape(QUESTION)}</p>",
        f"<p>{first.size} member(s) per bundle, common root seed {first.seed} (common random "
        "numbers: member k of every bundle shares its weather and exogenous draws).</p>",
        "<h2>Scenarios</h2><ul>"
        + "".join(
            f"<li><b>{escape(n)}</b>: {escape(e.scenario.description)}</li>"
            for n, e in zip(comparison.names, comparison.ensembles, strict=True)
        )
        + "</ul>",
        f"<h2>Bundles ranked by {escape(comparison.criterion)}</h2>",
        _table(comparison.bundles_table()),
        "<h2>Targets side by side</h2>",
        _table(comparison.targets_table()),
    ]
    for name, card in zip(comparison.names, comparison.scorecards, strict=True):
        sections += [f"<h3>Scorecard: {escape(name)}</h3>", _scorecard_html(card)]
    sections += [
        "<h2>Figures</h2>",
        _figures_html(pngs),
        "<h2>Reductions and costs by measure family</h2>",
        _table(comparison.families_table()),
        "<h2>Assumptions and their sources (last bundle)</h2>",
        _table(_inputs_frame(comparison.ensembles[-1].scenario.raw)),
        "<h2>Model calibration</h2>",
        calibration_section(),
    ]
    (out / "report.html").write_text(_page("comparison", sections), encoding="utf-8")
    return out / "report.html"


def rebuild_report(folder: str | Path, *, figures: bool = True) -> Path:
    """Rebuild ``report.html`` (and scorecard, dispatch, figures) of a saved run or ensemble."""
    path = Path(folder)
    if (path / "ensemble.nc").exists():
        from sim.ensemble import Ensemble

        ens = Ensemble.load(path)
        write_run_outputs(
            path,
            scenario=ens.scenario,
            dataset=ens.dataset,
            summaries=ens.summaries,
            figures=figures,
        )
    elif (path / "results.nc").exists():
        from sim.results import Result

        result = Result.load(path)
        write_run_outputs(
            path,
            scenario=result.scenario,
            dataset=result.dataset,
            summaries=[result.summary],
            events=result.events,
            figures=figures,
        )
    elif (path / "comparison.csv").exists() and (path / "bundles").is_dir():
        from sim.compare import compare

        order = (
            json.loads((path / "bundles.json").read_text())
            if (path / "bundles.json").exists()
            else sorted(p.name for p in (path / "bundles").iterdir())
        )
        comparison = compare([path / "bundles" / n for n in order])
        write_comparison_report(comparison, path, figures=figures)
    else:
        raise _NotAResultError(f"{path}: not a sim run, ensemble or comparison folder")
    return path / "report.html"


class _NotAResultError(SimError):
    exit_code = 2
