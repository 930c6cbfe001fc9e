"""Fit statistics (NMB, NME, r, benchmark verdicts), the fitted file and the figure."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml
from numpy.typing import NDArray

if TYPE_CHECKING:
    from sim.calibration.spec import CalibrationSpec

__all__ = [
    "BENCHMARKS",
    "MORIASI",
    "CalibrationResult",
    "fit_statistics",
    "hydrology_statistics",
    "plot_fit",
    "write_fitted",
]

F64 = NDArray[np.float64]

#: Benchmarks per observable: (goal, criterion), each (|NMB| max, NME max, r min or None).
#: PM: Emery et al. 2017 (JAWMA 67:582); O3 MDA8: Emery et al. 2017 (DOMAIN.md §2).
BENCHMARKS: dict[str, tuple[tuple[float, float, float | None], ...]] = {
    "pm25_mean": ((0.10, 0.35, 0.70), (0.30, 0.50, 0.40)),
    "pm10_mean": ((0.10, 0.35, 0.70), (0.30, 0.50, 0.40)),
    "o3_8h_p90": ((0.05, 0.15, None), (0.15, 0.25, None)),
}


#: Moriasi et al. 2007 (Trans. ASABE 50:885), monthly: NSE above, RSR at most, |PBIAS| below
#: (%, flow / nutrients N and P) for "very good", "good", "satisfactory" (DOMAIN.md §2).
MORIASI: tuple[tuple[str, float, float, float, float], ...] = (
    ("very good", 0.75, 0.50, 10.0, 25.0),
    ("good", 0.65, 0.60, 15.0, 40.0),
    ("satisfactory", 0.50, 0.70, 25.0, 70.0),
)


# -- statistics ------------------------------------------------------------------------------
@dataclasses.dataclass
class CalibrationResult:
    """What a calibration found."""

    parameters: dict[str, float]
    standard_errors: dict[str, float | None]
    statistics: dict[str, dict[str, Any]]
    table: pd.DataFrame
    cost: float
    evaluations: int
    success: bool
    message: str
    output: Path
    figure: Path | None
    extras: dict[str, Any] = dataclasses.field(default_factory=dict)


def hydrology_statistics(
    observed: F64, simulated: F64, *, nutrient: bool = False
) -> dict[str, Any]:
    """NSE, RSR and PBIAS with the Moriasi et al. (2007) verdict.

    ``NSE = 1 - Σ(O - S)² / Σ(O - Ō)²``; ``RSR = √Σ(O - S)² / √Σ(O - Ō)²``;
    ``PBIAS = 100 Σ(O - S) / ΣO`` (%, positive: the model underestimates). ``nutrient`` selects the
    PBIAS bands for N and P instead of those for flow. The verdict is the best band all three meet.
    """
    o, m = np.asarray(observed, float), np.asarray(simulated, float)
    spread = float(np.sum((o - o.mean()) ** 2))
    sse = float(np.sum((o - m) ** 2))
    nse = 1.0 - sse / spread if spread > 0 else None
    rsr = float(np.sqrt(sse) / np.sqrt(spread)) if spread > 0 else None
    pbias = float(100.0 * np.sum(o - m) / np.sum(o))
    verdict = "unsatisfactory" if nse is not None else "needs >= 2 distinct observations"
    if nse is not None and rsr is not None:
        for name, nse_min, rsr_max, flow_pb, nutrient_pb in MORIASI:
            if (
                nse > nse_min
                and rsr <= rsr_max
                and abs(pbias) < (nutrient_pb if nutrient else flow_pb)
            ):
                verdict = name
                break
    return {
        "nse": None if nse is None else round(nse, 4),
        "rsr": None if rsr is None else round(rsr, 4),
        "pbias_pct": round(pbias, 3),
        "moriasi": verdict,
    }


def fit_statistics(observed: F64, simulated: F64, observable: str = "") -> dict[str, Any]:
    """NMB, NME, Pearson r and the benchmark verdict (DOMAIN.md §2) of one variable.

    ``NMB = Σ(M - O)/ΣO``, ``NME = Σ|M - O|/ΣO`` (Emery et al. 2017); r needs >= 3 pairs.
    """
    o, m = np.asarray(observed, float), np.asarray(simulated, float)
    nmb = float(np.sum(m - o) / np.sum(o))
    nme = float(np.sum(np.abs(m - o)) / np.sum(o))
    r = float(np.corrcoef(o, m)[0, 1]) if o.size >= 3 and np.std(o) > 0 and np.std(m) > 0 else None
    verdict = "no benchmark"
    if observable in BENCHMARKS:
        verdict = "fails criterion"
        for name, (b_nmb, b_nme, b_r) in zip(
            ("goal", "criterion"), BENCHMARKS[observable], strict=True
        ):
            ok = abs(nmb) <= b_nmb and nme <= b_nme and (b_r is None or r is None or r >= b_r)
            if ok:
                verdict = f"meets {name}"
                break
    stats = {"n": int(o.size), "nmb": round(nmb, 4), "nme": round(nme, 4),
             "r": None if r is None else round(r, 3), "verdict": verdict}  # fmt: skip
    if "water" in observable:  # river and sewer observables: the hydrology benchmarks
        hydro = hydrology_statistics(o, m, nutrient="nh3n" in observable or "tp" in observable)
        stats.update(hydro)
        stats["verdict"] = f"Moriasi: {hydro['moriasi']}"
    return stats


def write_fitted(
    result: CalibrationResult, spec: CalibrationSpec, path: Path, x0: F64, elapsed_s: float
) -> None:
    """Write the fitted file: parameters, objective, statistics, every observation used, date."""
    doc = {
        "calibration_file": str(path),
        "scenario": spec.scenario,
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "method": spec.method,
        "seeds": list(spec.seeds),
        "assumption": (
            "climatology: each observed period is compared with the same calendar months of the "
            "simulated year; only the observed years listed under data_used enter"
        ),
        "parameters": {
            p.path: {
                "value": round(result.parameters[p.path], 6),
                "standard_error": (
                    None if result.standard_errors[p.path] is None
                    else round(float(result.standard_errors[p.path] or 0.0), 6)
                ),
                "initial": float(x0[i]),
                "lower": p.lower,
                "upper": p.upper,
            }
            for i, p in enumerate(spec.parameters)
        },
        "objective": {
            "definition": "0.5 * sum(weight * ((simulated - observed) / sigma)^2)",
            "value": round(result.cost, 6),
            "evaluations": result.evaluations,
            "success": result.success,
            "message": result.message,
            "run_time_s": round(elapsed_s, 2),
        },
        "statistics": result.statistics,
        **result.extras,
        "data_used": result.table.to_dict(orient="records"),
    }  # fmt: skip
    result.output.parent.mkdir(parents=True, exist_ok=True)
    result.output.write_text(
        "# Written by `sim calibrate`; do not edit by hand.\n"
        + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )


def plot_fit(table: pd.DataFrame, target: Path) -> None:
    """Observed vs simulated by period, one panel per observable (PNG, Agg backend)."""
    from matplotlib.figure import Figure  # no pyplot: the caller's backend is left alone

    groups = list(table.groupby("observable", sort=False))
    fig = Figure(figsize=(10, 2.8 * len(groups)))
    axes = fig.subplots(len(groups), 1, squeeze=False)
    for ax, (name, group) in zip(axes[:, 0], groups, strict=True):
        labels = [
            f"{p} ({c})" if c != name else p
            for p, c in zip(group["period"], group["column"], strict=True)
        ]
        idx = np.arange(len(group))
        ax.plot(idx, group["observed"], "o", color="k", label="observed")
        ax.plot(idx, group["simulated"], "s", color="tab:red", mfc="none", label="simulated")
        ax.set_xticks(idx, labels, rotation=60, ha="right", fontsize=7)
        ax.set_title(name, fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=110)
