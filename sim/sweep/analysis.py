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


def _figure(width: float, height: float, ncols: int = 1) -> tuple[Any, Any]:
    """A figure of the object API (no pyplot, no backend switch) and its axes row."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    axes = fig.subplots(1, ncols, squeeze=False)
    return fig, axes[0]


def _tornado(table: pd.DataFrame, outcome: str, path: Path) -> None:
    for method, index in _MAIN_INDEX:
        sel = table[(table.method == method) & (table["index"] == index)]
        if not sel.empty:
            break
    else:
        return
    sel = sel.sort_values("value")
    fig, (ax,) = _figure(6, 0.4 * len(sel) + 1.2)
    ax.barh(sel.parameter, sel.value, xerr=sel.conf.fillna(0), color="tab:blue", alpha=0.8)
    ax.set_xlabel(f"{method} {index}")
    ax.set_title(f"Sensitivity of {outcome}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def _curves(curves: pd.DataFrame, path: Path) -> None:
    levers = list(dict.fromkeys(curves.lever))
    fig, axes = _figure(4 * len(levers), 3.2, len(levers))
    for ax, lever in zip(axes, levers, strict=True):
        for target, grp in curves[curves.lever == lever].groupby("target", sort=False):
            ax.plot(grp.centre, grp.p_met, marker="o", label=str(target))
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(lever)
        ax.set_ylabel("P(target met)")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def minimum_samples(method: str, k: int) -> dict[str, int]:
    """Fewest complete samples each sensitivity method needs for ``k`` parameters.

    RBD-FAST and Borgonovo's delta work on any sample of at least ``max(10, 2k + 2)`` points
    (:func:`sim.sweep.sensitivity.indices_for`); Sobol' (Saltelli) needs a complete design of
    ``N (2k + 2)`` points with N >= 2, Morris a complete set of at least 2 trajectories of
    ``k + 1`` points.
    """
    out = {"rbd_fast": max(10, 2 * k + 2)}
    if method == "sobol":
        out["sobol"] = 2 * (2 * k + 2)
    if method == "morris":
        out["morris"] = 2 * (k + 1)
    return out


def _check_enough(folder: Path, design: dict[str, Any], y_all: list[np.ndarray]) -> None:
    """Refuse (exit 2, nothing written) a sweep with too few complete samples for any index."""
    k = len(design["names"])
    need = minimum_samples(design["method"], k)
    complete = np.logical_and.reduce([np.isfinite(y) for y in y_all])
    n_ok, n = int(complete.sum()), complete.size
    enough = n_ok >= need["rbd_fast"] or (n_ok == n and any(n >= v for v in need.values()))
    if not enough:
        mins = ", ".join(f"{m} {v}" for m, v in need.items())
        raise SweepError(
            f"{folder}: {n_ok} complete samples of {n} are too few for a sensitivity analysis "
            f"of {k} parameters (minimum: {mins}); run a larger sweep (design.n)"
        )


def _sensitivity_rows(name: str, tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    rows = []
    for method, table in tables.items():
        for param, row in table.iterrows():
            for col in table.columns:
                if col.endswith("_conf"):
                    continue
                conf = row.get(f"{col}_conf", np.nan)
                rows.append(
                    {"outcome": name, "method": method, "parameter": param, "index": col,
                     "value": float(row[col]), "conf": float(conf)}
                )  # fmt: skip
    return rows


def _sensitivity(
    ds: Any, meta: dict[str, Any], ys: dict[str, np.ndarray], delta: bool
) -> pd.DataFrame:
    """Every index of every scalar outcome, one row per (outcome, method, parameter, index)."""
    spec, design = meta["spec"], meta["design"]
    unit_all = np.asarray(design["unit"], dtype=np.float64)
    rows: list[dict[str, Any]] = []
    for name, y in ys.items():
        tables = indices_for(
            design["method"],
            unit_all,
            y,
            design["names"],
            second_order=bool(spec["design"].get("second_order", False)),
            levels=int(spec["design"].get("levels", 4)),
            seed=int(design["seed"]),
            delta=delta,
        )
        rows.extend(_sensitivity_rows(name, tables))
    columns = ["outcome", "method", "parameter", "index", "value", "conf"]
    return pd.DataFrame(rows, columns=columns)


def _main_indices(sens: pd.DataFrame, scalars: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in scalars:
        sub = sens[sens.outcome == name]
        for method, index in _MAIN_INDEX:
            pick = sub[(sub.method == method) & (sub["index"] == index)]
            if not pick.empty:
                out[name] = {
                    "method": method,
                    "index": index,
                    **dict(zip(pick.parameter, pick.value.round(4), strict=True)),
                }
                break
    return out


def _targets_part(
    ds: Any, meta: dict[str, Any], out: Path, p_sought: float, figures: bool
) -> dict[str, Any]:
    """P(met) curves by lever, and the PRIM box of lever values meeting every target."""
    targets: dict[str, dict[str, Any]] = meta["spec"].get("targets") or {}
    if not targets:
        return {}
    design, levers = meta["design"], meta["levers"]
    names: list[str] = design["names"]
    unit_all = np.asarray(design["unit"], dtype=np.float64)
    n_samples = unit_all.shape[0]
    sample = ds["sample"].values.astype(int)
    met_by = {t: met(ds[t].values, rule) for t, rule in targets.items() if t in ds}
    stacked = np.vstack(list(met_by.values()))
    met_by["all"] = np.where(np.isnan(stacked).any(axis=0), np.nan, stacked.min(axis=0))
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
    part: dict[str, Any] = {"p_met": {t: _mean(m) for t, m in met_by.items()}}
    if levers:
        p_sample = _per_sample(met_by["all"], sample, n_samples)
        x = np.column_stack([_per_sample(lever_values[lv], sample, n_samples) for lv in levers])
        good = np.isfinite(p_sample)
        box, stats = prim_box(x[good], p_sample[good] >= p_sought, levers)
        box.to_csv(out / "discovery.csv", index=False)
        part["discovery"] = {"box": box.to_dict(orient="records"), **stats}
    return part


def _mean(values: np.ndarray) -> float | None:
    """Mean of the finite values; None (JSON null, not NaN) when there is none."""
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else None


def _finite_json(node: Any) -> Any:
    """``node`` with every NaN or infinite number replaced by None (strict JSON)."""
    if isinstance(node, dict):
        return {k: _finite_json(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [_finite_json(v) for v in node]
    if isinstance(node, (float, np.floating)):
        return float(node) if np.isfinite(node) else None
    if isinstance(node, np.integer):
        return int(node)
    return node


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

    Raises
    ------
    SweepError
        (exit code 2, nothing written) When there is no scalar outcome, or too few complete
        samples for any sensitivity method (:func:`minimum_samples`).
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
    scalars = [str(v) for v in ds.data_vars if ds[v].dims == ("run",)]
    if not scalars:
        raise SweepError(f"{folder}: no scalar outcome to analyse")
    n_samples = len(meta["design"]["unit"])
    sample = ds["sample"].values.astype(int)
    ys = {n: _per_sample(ds[n].values.astype(np.float64), sample, n_samples) for n in scalars}
    _check_enough(folder, meta["design"], list(ys.values()))
    sens = _sensitivity(ds, meta, ys, delta)
    out = folder / "analysis"
    (out / "figures").mkdir(parents=True, exist_ok=True)
    sens.to_csv(out / "sensitivity.csv", index=False)
    if figures:
        for name in scalars:
            path = out / "figures" / f"tornado_{_safe(name)}.png"
            _tornado(sens[sens.outcome == name], name, path)
    spec = meta["spec"]
    p_sought = float(spec.get("probability", 0.9) if probability is None else probability)
    summary: dict[str, Any] = {
        "sweep": meta["name"],
        "runs": int(ds.sizes["run"]),
        "runs_ok": int((ds["status"].values == "ok").sum()),
        "probability_sought": p_sought,
        "sensitivity": _main_indices(sens, scalars),
    }
    summary.update(_targets_part(ds, meta, out, p_sought, figures))
    text = json.dumps(_finite_json(summary), indent=1, allow_nan=False)
    (out / "summary.json").write_text(text, encoding="utf-8")
    return out
