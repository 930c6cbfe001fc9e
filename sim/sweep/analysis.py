"""``sim sweep analyse DIR``: sensitivity, probability of meeting targets, discovery, figures.

Reads ``DIR/sweep.nc`` (gathered first if missing) and writes ``DIR/analysis/``:

- ``sensitivity.csv`` — outcome, method, parameter, index, value, conf;
- ``probability_met.csv`` — P(target met) in bins of each lever;
- ``discovery.csv`` and ``summary.json`` — the lever values meeting every target with the sweep's
  ``probability`` (per sample, over its replications), and a PRIM box;
- ``figures/tornado_<outcome>.png`` and ``figures/probability_met.png``.

Scalar outcomes only (an outcome with further dimensions, e.g. by month, is skipped here).
Replications of a sample are averaged before the sensitivity analysis.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import SweepError
from sim.sweep.sensitivity import indices_for
from sim.sweep.targets import met, prim_box, probability_curves

__all__ = ["analyse"]

log = logging.getLogger(__name__)

#: The index shown in tornado charts, by method, in order of preference.
_MAIN_INDEX = (("sobol", "ST"), ("morris", "mu_star"), ("rbd_fast", "S1"), ("delta", "delta"))


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-]+", "_", name)


def _per_sample(values: np.ndarray, sample: np.ndarray, n_samples: int) -> np.ndarray:
    """Mean over the finite replications of each sample (NaN if none)."""
    sums = np.zeros(n_samples)
    counts = np.zeros(n_samples)
    ok = np.isfinite(values)
    np.add.at(sums, sample[ok], values[ok])
    np.add.at(counts, sample[ok], 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def _tornado(table: pd.DataFrame, outcome: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for method, index in _MAIN_INDEX:
        sel = table[(table.method == method) & (table["index"] == index)]
        if not sel.empty:
            break
    else:
        return
    sel = sel.sort_values("value")
    fig, ax = plt.subplots(figsize=(6, 0.4 * len(sel) + 1.2))
    ax.barh(sel.parameter, sel.value, xerr=sel.conf.fillna(0), color="tab:blue", alpha=0.8)
    ax.set_xlabel(f"{method} {index}")
    ax.set_title(f"Sensitivity of {outcome}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _curves(curves: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    levers = list(dict.fromkeys(curves.lever))
    fig, axes = plt.subplots(1, len(levers), figsize=(4 * len(levers), 3.2), squeeze=False)
    for ax, lever in zip(axes[0], levers, strict=True):
        for target, grp in curves[curves.lever == lever].groupby("target", sort=False):
            ax.plot(grp.centre, grp.p_met, marker="o", label=str(target))
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(lever)
        ax.set_ylabel("P(target met)")
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def analyse(
    folder: str | Path,
    *,
    probability: float | None = None,
    delta: bool = False,
    figures: bool = True,
) -> Path:
    """Analyse the sweep in ``folder``; return ``folder/analysis``.

    Parameters
    ----------
    probability
        Probability of meeting every target sought (default: the sweep file's ``probability``).
    delta
        Also Borgonovo's δ (slow for thousands of samples).
    figures
        Write the PNG figures.
    """
    import xarray as xr

    from sim.sweep.store import SweepStore

    folder = Path(folder)
    store = SweepStore(folder)
    meta = store.meta()
    nc = folder / "sweep.nc"
    if not nc.exists():
        store.gather()
    with xr.open_dataset(nc, engine="h5netcdf") as opened:
        ds = opened.load()
    spec = meta["spec"]
    design = meta["design"]
    names: list[str] = design["names"]
    levers: list[str] = meta["levers"]
    unit_all = np.asarray(design["unit"], dtype=np.float64)
    n_samples = unit_all.shape[0]
    sample = ds["sample"].values.astype(int)
    p_sought = float(spec.get("probability", 0.9) if probability is None else probability)
    out = folder / "analysis"
    (out / "figures").mkdir(parents=True, exist_ok=True)
    scalars = [str(v) for v in ds.data_vars if ds[v].dims == ("run",)]
    if not scalars:
        raise SweepError(f"{folder}: no scalar outcome to analyse")
    rows: list[dict[str, Any]] = []
    for name in scalars:
        y = _per_sample(ds[name].values.astype(np.float64), sample, n_samples)
        tables = indices_for(
            design["method"],
            unit_all,
            y,
            names,
            second_order=bool(spec["design"].get("second_order", False)),
            levels=int(spec["design"].get("levels", 4)),
            seed=int(design["seed"]),
            delta=delta,
        )
        for method, table in tables.items():
            for param, row in table.iterrows():
                for col in table.columns:
                    if col.endswith("_conf"):
                        continue
                    conf = row.get(f"{col}_conf", np.nan)
                    rows.append(
                        {
                            "outcome": name,
                            "method": method,
                            "parameter": param,
                            "index": col,
                            "value": float(row[col]),
                            "conf": float(conf),
                        }
                    )
    sens = pd.DataFrame(rows, columns=["outcome", "method", "parameter", "index", "value", "conf"])
    sens.to_csv(out / "sensitivity.csv", index=False)
    if figures:
        for name in scalars:
            _tornado(
                sens[sens.outcome == name], name, out / "figures" / f"tornado_{_safe(name)}.png"
            )
    summary: dict[str, Any] = {
        "sweep": meta["name"],
        "runs": int(ds.sizes["run"]),
        "runs_ok": int((ds["status"].values == "ok").sum()),
        "probability_sought": p_sought,
        "sensitivity": {},
    }
    for name in scalars:
        sub = sens[sens.outcome == name]
        for method, index in _MAIN_INDEX:
            pick = sub[(sub.method == method) & (sub["index"] == index)]
            if not pick.empty:
                summary["sensitivity"][name] = {
                    "method": method,
                    "index": index,
                    **dict(zip(pick.parameter, pick.value.round(4), strict=True)),
                }
                break
    targets: dict[str, dict[str, Any]] = spec.get("targets") or {}
    if targets:
        met_by = {t: met(ds[t].values, rule) for t, rule in targets.items() if t in ds}
        stacked = np.vstack(list(met_by.values()))
        all_met = np.where(np.isnan(stacked).any(axis=0), np.nan, stacked.min(axis=0))
        met_by["all"] = all_met
        lever_values = {
            lv: ds[lv].values.astype(np.float64)
            if ds[lv].dtype.kind in "fiu"
            else unit_all[sample, names.index(lv)]
            for lv in levers
        }
        curves = probability_curves(lever_values, met_by)
        curves.to_csv(out / "probability_met.csv", index=False)
        if figures and levers:
            _curves(curves, out / "figures" / "probability_met.png")
        p_sample = _per_sample(all_met, sample, n_samples)
        summary["p_met"] = {t: float(np.nanmean(m)) for t, m in met_by.items()}
        if levers:
            x = np.column_stack([_per_sample(lever_values[lv], sample, n_samples) for lv in levers])
            good = np.isfinite(p_sample)
            box, stats = prim_box(x[good], p_sample[good] >= p_sought, levers)
            box.to_csv(out / "discovery.csv", index=False)
            summary["discovery"] = {"box": box.to_dict(orient="records"), **stats}
    (out / "summary.json").write_text(json.dumps(summary, indent=1, default=float))
    return out
