"""Incremental cost-effectiveness of bundles against the first (the reference), paired by member.

For bundle ``b`` and reference ``r``, member ``k`` of each shares its weather and exogenous draws,
so the paired differences are the bundle's effect:

- incremental annualised cost ``ΔC_k = C_b,k − C_r,k`` (CNY/yr, :mod:`sim.costs`);
- incremental PM2.5 ``ΔP_k = P_b,k − P_r,k`` (µg/m³, annual mean; negative = cleaner air);
- incremental cost-effectiveness ``median(ΔC) / −median(ΔP)`` (CNY per µg/m³ avoided), reported
  as n/a with the reason when the paired 90 % interval (5th-95th percentile) of ``ΔP`` contains 0
  or the bundle is not cleaner.

``p_all_met`` is the share of members in which every evaluated target is met at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from sim.scenario.sections.targets import Target
from sim.targets import MET, Scorecard, TargetScore, evaluate, target_value

__all__ = [
    "PM25_PATH",
    "bundle_economics",
    "increments",
    "member_cost",
    "member_pm25",
    "p_all_met",
    "p_all_met_scorecard",
]

#: Summary path of the annual-mean PM2.5.
PM25_PATH = ("air", "pm25_annual_mean_ug_m3")


def member_cost(summary: Mapping[str, Any]) -> tuple[float, float]:
    """Annualised resource cost and fiscal outlay of one member, CNY (0 without measures)."""
    costs = summary.get("costs")
    if not isinstance(costs, Mapping):
        return 0.0, 0.0
    return float(costs.get("annualised_cost_cny", 0.0)), float(costs.get("fiscal_outlay_cny", 0.0))


def member_pm25(summary: Mapping[str, Any]) -> float:
    """Annual-mean PM2.5 of one member, µg/m³ (NaN without an air outcome)."""
    air = summary.get(PM25_PATH[0])
    value = air.get(PM25_PATH[1]) if isinstance(air, Mapping) else None
    return float(value) if isinstance(value, (int, float)) else float("nan")


def p_all_met(targets: Sequence[Target], summaries: Sequence[Mapping[str, Any]]) -> float:
    """Share of members in which every target they evaluate is met (NaN: none evaluated)."""
    hits = []
    for s in summaries:
        values = [(t, target_value(t, s)) for t in targets]
        found = [(t, v) for t, v in values if v is not None]
        if not found:
            continue
        hits.append(all(evaluate(t, float(v))[0] == MET for t, v in found))
    return float(np.mean(hits)) if hits else float("nan")


def increments(
    reference: Sequence[Mapping[str, Any]], bundle: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Incremental cost, PM2.5 and cost-effectiveness of ``bundle`` against ``reference``.

    Members are paired by index (the shorter list sets the number of pairs). Returns the columns
    ``incremental_annualised_cost_cny``, ``incremental_pm25_ug_m3`` (median paired change),
    ``incremental_pm25_p05``/``_p95`` (paired 90 % interval), ``incremental_cost_per_ug_m3``
    (NaN when undefined) and ``incremental_note`` (why it is n/a, or empty).
    """
    pairs = list(zip(reference, bundle, strict=False))
    d_cost = np.array([member_cost(b)[0] - member_cost(r)[0] for r, b in pairs])
    d_pm = np.array([member_pm25(b) - member_pm25(r) for r, b in pairs])
    out: dict[str, Any] = {
        "incremental_annualised_cost_cny": float(np.median(d_cost)) if len(d_cost) else np.nan,
        "incremental_pm25_ug_m3": np.nan,
        "incremental_pm25_p05": np.nan,
        "incremental_pm25_p95": np.nan,
        "incremental_cost_per_ug_m3": np.nan,
        "incremental_note": "",
    }
    ok = d_pm[np.isfinite(d_pm)]
    if ok.size == 0:
        out["incremental_note"] = "n/a: no PM2.5 outcome"
        return out
    if not np.any(d_cost) and not np.any(ok):
        out["incremental_note"] = "reference (or identical to it)"
        out["incremental_pm25_ug_m3"] = 0.0
        return out
    lo, hi = float(np.percentile(ok, 5)), float(np.percentile(ok, 95))
    med = float(np.median(ok))
    out.update(incremental_pm25_ug_m3=med, incremental_pm25_p05=lo, incremental_pm25_p95=hi)
    if lo <= 0.0 <= hi:
        out["incremental_note"] = (
            f"n/a: the paired 90 % interval of the PM2.5 change [{lo:.4g}, {hi:.4g}] contains 0"
        )
    elif med > 0:
        out["incremental_note"] = f"n/a: PM2.5 is higher than the reference's by {med:.4g} ug/m3"
    else:
        out["incremental_cost_per_ug_m3"] = out["incremental_annualised_cost_cny"] / -med
    return out


def p_all_met_scorecard(card: Scorecard) -> float:
    """:func:`p_all_met` from an ensemble scorecard's per-member values."""
    rows = [s for s in card.targets if s.values]
    n = max((len(s.values) for s in rows), default=0)
    hits = []
    for k in range(n):
        found = [(s, s.values[k]) for s in rows if k < len(s.values) and s.values[k] is not None]
        if not found:
            continue
        hits.append(all(evaluate(_as_target(s), float(v))[0] == MET for s, v in found))  # type: ignore[arg-type]
    return float(np.mean(hits)) if hits else float("nan")


def _as_target(s: TargetScore) -> Target:
    return Target(
        name=s.name, metric=s.metric, comparison=s.comparison,
        value=s.threshold, tolerance=s.tolerance, unit=s.unit,
    )  # fmt: skip


def bundle_economics(
    reference: Sequence[Mapping[str, Any]],
    bundle: Sequence[Mapping[str, Any]],
    card: Scorecard | Sequence[Target],
) -> dict[str, Any]:
    """The economic columns of one bundle's row in ``bundles.csv`` (medians over members)."""
    costs = np.array([member_cost(s) for s in bundle]).reshape(-1, 2)
    pm25 = np.array([member_pm25(s) for s in bundle])
    finite = pm25[np.isfinite(pm25)]
    return {
        "annualised_cost_cny": float(np.median(costs[:, 0])) if len(costs) else 0.0,
        "fiscal_outlay_cny": float(np.median(costs[:, 1])) if len(costs) else 0.0,
        "pm25_ug_m3": float(np.median(finite)) if finite.size else float("nan"),
        "p_all_met": (
            p_all_met_scorecard(card) if isinstance(card, Scorecard) else p_all_met(card, bundle)
        ),
        **increments(reference, bundle),
    }


def incremental_cost(
    reference: Sequence[Mapping[str, Any]],
    bundle: Sequence[Mapping[str, Any]],
    booked: Callable[[dict[str, Any]], float],
) -> float:
    """Median paired increase of annualised cost, CNY/yr; of ``booked`` cash for summaries
    written before costs were annualised (no ``costs`` section)."""
    pairs = list(zip(reference, bundle, strict=False))
    if not pairs:
        return float("nan")
    if all("costs" in r and "costs" in b for r, b in pairs):
        return float(np.median([member_cost(b)[0] - member_cost(r)[0] for r, b in pairs]))
    return float(np.median([booked(dict(b)) - booked(dict(r)) for r, b in pairs]))
