"""What ``sim optimise`` writes: frontier.csv, best.yaml, verification.json, the frontier figure.

Files hold no time or host (``optimise.json`` has the timings), so the same question and seeds give
the same files.
"""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path
from typing import Any

import yaml
from matplotlib.figure import Figure

from sim.optimise.evaluate import Evaluation
from sim.optimise.search import SearchResult, frontier
from sim.optimise.spec import OptimiseSpec
from sim.optimise.verify import Verified, disagreements
from sim.scenario.loading import apply_overrides

__all__ = ["frontier_figure", "summary_lines", "write_outputs"]

_MCNY = 1e6


def _num(x: float) -> float | None:
    return None if not math.isfinite(x) else round(float(x), 6)


def write_frontier(spec: OptimiseSpec, found: SearchResult, path: Path) -> list[Evaluation]:
    """One row per non-dominated bundle of the search (its members' figures)."""
    front = frontier(found.archive.values())
    names = list(spec.constraints)
    header = ["annualised_cost_cny", "fiscal_outlay_cny", "p_all_met"]
    header += [f"p_{t}" for t in names] + [p.name for p in spec.levers]
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        for ev in front:
            row: list[Any] = [round(ev.cost_cny(), 2), round(ev.fiscal_cny(), 2), ev.p_all()]
            row += [ev.p(t) for t in names] + [ev.values.get(p.name) for p in spec.levers]
            out.writerow(row)
    return front


def _best_mapping(spec: OptimiseSpec, best: Evaluation, folder: Path) -> dict[str, Any]:
    base_file = Path(spec.scenario_file).resolve()
    mapping: dict[str, Any] = {
        "extends": os.path.relpath(base_file, folder.resolve()),
        "name": f"{spec.name}_best",
        "description": f"The bundle `sim optimise {spec.origin}` found: {spec.description}".strip(),
        **spec.scenario_changes,
    }
    try:
        mapping, _ = apply_overrides(mapping, best.overrides)
    except Exception:  # a key indexing a list of the base: write the whole scenario instead
        mapping, _ = apply_overrides(spec.base, best.overrides)
        mapping["name"] = f"{spec.name}_best"
    return mapping


def write_best(spec: OptimiseSpec, best: Verified, path: Path) -> None:
    """A scenario that extends the base with the best levers, its verified figures as comments."""
    d = best.to_dict()
    lines = [
        f"# Best bundle of {spec.origin} ({spec.objective}), verified with "
        f"{d['all']['members']} fresh members:",
        f"#   annualised cost {d['annualised_cost_cny'] / _MCNY:.3f} MCNY/yr, fiscal outlay "
        f"{d['fiscal_outlay_cny'] / _MCNY:.3f} MCNY",
    ]
    for name, t in d["targets"].items():
        need = spec.constraints.get(name)
        lines.append(
            f"#   P({name} met) = {t['p_met']:.3f}, {d['confidence']:.0%} Wilson interval "
            f"[{t['p_low']:.3f}, {t['p_high']:.3f}]" + (f" (required {need})" if need else "")
        )
    a = d["all"]
    lines.append(f"#   P(all met) = {a['p_met']:.3f} [{a['p_low']:.3f}, {a['p_high']:.3f}]")
    lines.append(f"#   feasible by the verified lower bounds: {'yes' if d['feasible'] else 'no'}")
    body = yaml.safe_dump(
        _best_mapping(spec, best.verified, path.parent), sort_keys=False, allow_unicode=True
    )
    path.write_text("\n".join(lines) + "\n" + body, encoding="utf-8")


def frontier_figure(
    spec: OptimiseSpec, found: SearchResult, verified: list[Verified], lang: str = "en"
) -> Figure:
    """Annualised cost against P(all constrained targets met); base and best marked."""
    from sim.report_i18n import tr

    fig = Figure(figsize=(7.5, 4.5), layout="constrained")
    ax = fig.add_subplot()
    evs = [e for e in found.archive.values() if math.isfinite(e.cost_cny())]
    ax.scatter(
        [e.cost_cny() / _MCNY for e in evs],
        [e.p_all() for e in evs],
        s=10,
        color="0.75",
        label=tr("opt_fig_candidates", lang, n=spec.search.members),
    )
    front = frontier(evs)
    ax.step(
        [e.cost_cny() / _MCNY for e in front],
        [e.p_all() for e in front],
        where="post",
        color="tab:blue",
        label=tr("opt_fig_frontier", lang),
    )
    styles = {"best": ("D", "tab:red"), "frontier": ("o", "tab:blue"), "base": ("*", "k")}
    labels = {
        "best": tr("opt_fig_best", lang),
        "frontier": tr("opt_fig_verified", lang),
        "base": tr("opt_fig_base", lang, name=Path(spec.scenario_file).stem),
    }
    for v in verified:
        d = v.to_dict()["all"]
        marker, colour = styles[v.label]
        ax.errorbar(
            [v.verified.cost_cny() / _MCNY],
            [d["p_met"]],
            yerr=[[d["p_met"] - d["p_low"]], [d["p_high"] - d["p_met"]]],
            fmt=marker,
            color=colour,
            markersize=9 if v.label != "frontier" else 5,
            capsize=3,
            label=labels[v.label],
        )
    ax.axhline(
        max(spec.constraints.values()),
        color="0.4",
        ls=":",
        lw=1,
        label=tr("opt_fig_required", lang),
    )
    ax.set_xlabel(tr("opt_fig_x", lang))
    ax.set_ylabel(tr("opt_fig_y", lang))
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(tr("opt_fig_title", lang, name=spec.name, n=spec.verify.ensemble))
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), fontsize=7, loc="best")
    return fig


def _words(spec: OptimiseSpec, v: Verified) -> str:
    d = v.to_dict()
    probs = "; ".join(
        f"P({t}) {x['p_met']:.2f} [{x['p_low']:.2f}, {x['p_high']:.2f}]"
        for t, x in d["targets"].items()
    )
    return (
        f"{d['annualised_cost_cny'] / _MCNY:.2f} MCNY/yr (fiscal outlay "
        f"{d['fiscal_outlay_cny'] / _MCNY:.2f} MCNY); {probs}; "
        f"feasible: {'yes' if d['feasible'] else 'no'}"
    )


def summary_lines(spec: OptimiseSpec, found: SearchResult, verified: list[Verified]) -> list[str]:
    """The answer in plain words, the base as written beside it."""
    best = next((v for v in verified if v.label == "best"), None)
    base = next(v for v in verified if v.label == "base")
    out = [
        f"{spec.name}: {found.evaluations} bundles searched x {spec.search.members} members; "
        f"verified with {spec.verify.ensemble} fresh members ({spec.verify.confidence:.0%} "
        "Wilson intervals)"
    ]
    if best is None:
        out.append("  no bundle evaluated")
    else:
        levers = ", ".join(
            f"{k} = {val}" for k, val in best.verified.values.items() if val is not None
        )
        out.append(f"  best bundle: {levers}")
        out.append(f"    {_words(spec, best)}")
    out.append(f"  base as written ({Path(spec.scenario_file).stem}): {_words(spec, base)}")
    n_bad, n = disagreements(verified)
    out.append(f"  search and verification disagree on feasibility for {n_bad} of {n} bundles")
    return out


def write_outputs(
    spec: OptimiseSpec, found: SearchResult, verified: list[Verified], folder: Path
) -> dict[str, Path]:
    """frontier.csv, best.yaml, verification.json and figures/frontier.png in ``folder``."""
    from sim.plots import figure_png

    paths = {"frontier": folder / "frontier.csv", "verification": folder / "verification.json"}
    write_frontier(spec, found, paths["frontier"])
    n_bad, n = disagreements(verified)
    data = {
        "question": spec.name,
        "spec_hash": spec.spec_hash,
        "constraints": spec.constraints,
        "search": {
            "evaluations": found.evaluations,
            "members": spec.search.members,
            "confidence": spec.search.confidence,
        },
        "disagreements": {"bundles": n, "feasibility_differs": n_bad},
        "bundles": [v.to_dict() for v in verified],
    }
    best = next((v for v in verified if v.label == "best"), None)
    if best is not None:
        data["best"] = best.to_dict()["targets"]
        paths["best"] = folder / "best.yaml"
        write_best(spec, best, paths["best"])
    paths["verification"].write_text(
        json.dumps(data, indent=1, ensure_ascii=False, default=str), encoding="utf-8"
    )
    (folder / "figures").mkdir(exist_ok=True)
    paths["figure"] = folder / "figures" / "frontier.png"
    paths["figure"].write_bytes(figure_png(frontier_figure(spec, found, verified)))
    return paths
