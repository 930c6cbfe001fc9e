"""Figures of targets and bundles: the scorecard, the probability by bundle, cost-effectiveness.

A missed target is always visible: a red bar at its probability, and at zero a red cross with
its label, never a blank row. Legends sit outside the data (below the axes). A single run's chart
says met or not in this run; only ensembles speak of probabilities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.display_names import check_lang, display
from sim.report_format import percent, plan_text, value_text

if TYPE_CHECKING:
    from sim.targets import Scorecard, TargetScore

__all__ = ["cost_effectiveness", "new_figure", "probability_by_bundle", "scorecard_chart"]

_GREEN, _RED, _GREY = "tab:green", "tab:red", "lightgrey"
#: Words: id -> (English, Chinese).
_W: dict[str, tuple[str, str]] = {
    "run_title": ("Targets of {s}: met or not in this run", "{s}各项目标：本次模拟是否达标"),
    "ens_title": (
        "Targets of {s}: probability met ({n} weather years)",
        "{s}各项目标：达标概率（{n} 个气象年）",
    ),
    "run_axis": ("met (1) or not (0) in this run", "本次模拟达标（1）或未达标（0）"),
    "ens_axis": ("probability of meeting the target", "达标概率"),
    "met": ("met", "达标"),
    "likely_met": ("likely met (≥ 50 %)", "大概率达标（≥50%）"),
    "missed": ("not met", "未达标"),
    "likely_missed": ("likely missed (< 50 %)", "大概率未达标（<50%）"),
    "zero": ("never met (0 %)", "从未达标（0%）"),
    "not_evaluated": ("not evaluated", "未评估"),
    "by_bundle": ("Probability of meeting each target, by bundle", "各方案各目标的达标概率"),
    "bundle": ("bundle", "方案"),
    "cost_title": ("Cost-effectiveness: cost per tonne reduced", "成本效益：每吨减排费用"),
    "cost_axis": ("cost per tonne reduced (CNY/t)", "每吨减排费用（元/吨）"),
    "pollutant": ("pollutant", "污染物"),
    "no_cut": (
        "no cut against the first bundle (the reference): no cost per tonne",
        "相对第一个方案（参照）无减排：不计算每吨费用",
    ),
}


def _w(key: str, lang: str, **fields: Any) -> str:
    pair = _W[key]
    text = pair[1] if check_lang(lang) == "zh" else pair[0]
    return text.format(**fields) if fields else text


def new_figure(title: str, size: tuple[float, float] = (8.0, 4.0)) -> tuple[Figure, Any]:
    """A constrained-layout figure with one axes and a title (no pyplot state)."""
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title)
    return fig, ax


def _share(t: TargetScore) -> float | None:
    if t.status == "not evaluated":
        return None
    if t.probability_met is not None:
        return t.probability_met
    return 1.0 if t.status in ("met", "within tolerance") else 0.0


def _note(t: TargetScore, share: float | None, ensemble: bool, lang: str) -> str:
    if share is None:
        return _w("not_evaluated", lang)
    value = value_text(t, lang)
    plan = plan_text(t, lang)
    head = percent(share, lang) if ensemble else _w("met" if share >= 0.5 else "missed", lang)
    return f"{head} · {value}（{plan}）" if lang == "zh" else f"{head} · {value} ({plan})"


def scorecard_chart(card: Scorecard, lang: str = "en") -> Figure | None:
    """Each target: met or not (a run) or the probability of meeting it (an ensemble).

    Bars are green when met (or likely met), red when not; a target never met is a red cross at
    zero; a target not evaluated is a grey label. Each row is annotated with the median value
    against the plan.
    """
    if not card.targets:
        return None
    ensemble = card.members > 1
    names = [display("target", t.name, lang) for t in card.targets]
    title = (
        _w("ens_title", lang, s=card.scenario, n=card.members)
        if ensemble
        else _w("run_title", lang, s=card.scenario)
    )
    fig, ax = new_figure(title, (10.0, 1.6 + 0.42 * len(names)))
    y = np.arange(len(names))
    for yi, t in zip(y, card.targets, strict=True):
        share = _share(t)
        colour = _GREY if share is None else (_GREEN if share >= 0.5 else _RED)
        if share is not None and share > 0:
            ax.barh(yi, share, color=colour, height=0.7)
        elif share == 0:
            ax.plot([0.0], [yi], marker="X", color=_RED, markersize=11, clip_on=False)
        ax.text(
            1.02,
            yi,
            _note(t, share, ensemble, lang),
            va="center",
            fontsize=8,
            color=colour if colour != _GREY else "dimgrey",
            transform=ax.get_yaxis_transform(),
        )
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "25%", "50%", "75%", "100%"])
    ax.set_xlabel(_w("ens_axis" if ensemble else "run_axis", lang))
    handles = [
        Patch(color=_GREEN, label=_w("likely_met" if ensemble else "met", lang)),
        Patch(color=_RED, label=_w("likely_missed" if ensemble else "missed", lang)),
        Line2D([], [], color=_RED, marker="X", ls="", label=_w("zero", lang)),
        Patch(color=_GREY, label=_w("not_evaluated", lang)),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8)
    return fig


def cost_effectiveness(comparison: xr.Dataset, lang: str = "en") -> Figure | None:
    """Cost per tonne reduced, per bundle and pollutant (CNY/t); log scale."""
    names = [v for v in comparison.data_vars if str(v).startswith("cost_per_t_")]
    if not names:
        return None
    bundles = [str(b) for b in comparison["bundle"].values]
    fig, ax = new_figure(_w("cost_title", lang), (9.0, 2.5 + 0.35 * len(bundles)))
    height = 0.8 / len(names)
    y = np.arange(len(bundles))
    drawn = False
    for i, name in enumerate(names):
        values = comparison[name].values.astype(float)
        ok = np.isfinite(values) & (values > 0)
        drawn = drawn or bool(ok.any())
        pol = str(name).removeprefix("cost_per_t_")
        ax.barh(y[ok] + i * height, values[ok], height, label=display("pollutant", pol, lang))
    for yi, b in zip(y, bundles, strict=True):
        if not any(np.isfinite(comparison[n].sel(bundle=b).values) for n in names):
            ax.text(0.01, yi + 0.4 - height / 2, _w("no_cut", lang), va="center", fontsize=8,
                    color="dimgrey", transform=ax.get_yaxis_transform())  # fmt: skip
    ax.set_yticks(y + 0.4 - height / 2, bundles)
    ax.invert_yaxis()
    ax.set_xlabel(_w("cost_axis", lang))
    if drawn:
        ax.set_xscale("log")
    ax.legend(title=_w("pollutant", lang), loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def probability_by_bundle(comparison: xr.Dataset, lang: str = "en") -> Figure | None:
    """Probability of meeting each target, bundles side by side; zero is a red cross."""
    if "probability_met" not in comparison:
        return None
    da = comparison["probability_met"]
    bundles = [str(b) for b in da["bundle"].values]
    targets = [display("target", str(t), lang) for t in da["target"].values]
    rows = len(targets) * len(bundles)
    fig, ax = new_figure(_w("by_bundle", lang), (9.0, 2.0 + 0.18 * rows + 0.25 * len(targets)))
    height = 0.8 / len(bundles)
    y = np.arange(len(targets))
    for i, b in enumerate(bundles):
        values = da.sel(bundle=b).values.astype(float)
        bars = ax.barh(y + i * height, np.nan_to_num(values), height, label=b)
        colour = bars.patches[0].get_facecolor() if bars.patches else _RED
        for yi, v in zip(y + i * height, values, strict=True):
            if np.isnan(v):
                ax.text(0.01, yi, _w("not_evaluated", lang), va="center", fontsize=7, color="grey")
            elif v == 0:
                ax.plot([0.0], [yi], marker="X", ls="", color=colour, markeredgecolor=_RED,
                        markersize=9, markeredgewidth=1.5, clip_on=False)  # fmt: skip
    ax.set_yticks(y + 0.4 - height / 2, targets)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "25%", "50%", "75%", "100%"])
    ax.set_xlabel(_w("ens_axis", lang) + " · " + _w("zero", lang) + ": ✕")
    ax.legend(title=_w("bundle", lang), loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    return fig
