"""Construction-land outcome: safe-use rate and queue statistics of the soil measure.

Computed from the ledger written by :mod:`sim.policies.soil` (its progress streams and events,
by name; no policy code is imported). The safe-use rate is the share of
plots developed this run that were cleared (surveyed, reviewed, controlled) first; when no plot
was developed it is 1 (nothing was used unsafely).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from sim.ledger import Ledger, progress_stream
from sim.outcomes import Outcome
from sim.scenario.sections.policies_soil import CONSTRUCTION_LAND as MEASURE

if TYPE_CHECKING:
    from sim.engine import RunState

__all__ = ["compute", "soil_summary"]

_DAY_H = 24.0
#: Progress streams kept as daily values in the Dataset.
_PROGRESS_KEPT = (
    "plots_arrived",
    "plots_cleared",
    "plots_developed_safe",
    "plots_developed_unsafe",
    "survey_queue",
)


def _stats(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"mean_d": None, "p90_d": None, "max_d": None}
    arr = np.asarray(values) / _DAY_H
    return {
        "mean_d": round(float(arr.mean()), 3),
        "p90_d": round(float(np.percentile(arr, 90)), 3),
        "max_d": round(float(arr.max()), 3),
    }


def soil_summary(ledger: Ledger) -> dict[str, Any]:
    """Safe use and queue statistics from the ledger; empty when the measure did not run."""
    if not ledger.has(progress_stream(MEASURE, "plots_arrived")):
        return {}
    events = [e for e in ledger.events if e.process == MEASURE]
    developed = [e for e in events if e.kind == "developed"]
    unsafe = sum(1 for e in developed if e.quantities.get("safe", 1.0) < 0.5)
    survey_w = [e.quantities["wait_h"] for e in events if e.kind == "surveyed"]
    review_w = [e.quantities["wait_h"] for e in events if e.kind == "reviewed"]
    queue = ledger.stream(progress_stream(MEASURE, "survey_queue"))
    arrived = sum(1 for e in events if e.kind == "arrived")
    cleared = int(ledger.current(progress_stream(MEASURE, "plots_cleared")))
    return {
        "units": {"waits": "d", "rate": "fraction"},
        "plots_arrived": arrived,
        "plots_surveyed": len(survey_w),
        "plots_cleared": cleared,
        "plots_contaminated": sum(
            1 for e in events if e.kind == "surveyed" and e.quantities.get("contaminated")
        ),
        "plots_developed": len(developed),
        "plots_developed_unsafe": unsafe,
        "plots_pending_end": arrived - len(developed),
        "safe_use_rate": round(1.0 - unsafe / len(developed), 4) if developed else 1.0,
        "survey_wait": _stats(survey_w),
        "review_wait": _stats(review_w),
        "survey_queue_max": int(max(float(v) for v in queue.values)),
    }


def compute(state: RunState) -> Outcome:
    """The soil outcome of a run (an empty one when the measure is absent)."""
    summary = soil_summary(state.ledger)
    data: dict[str, xr.Variable] = {}
    if summary:
        names = list(_PROGRESS_KEPT)
        hourly = np.stack([state.ledger.hourly(progress_stream(MEASURE, w)) for w in names], axis=1)
        n_days = state.calendar.n_hours // 24
        daily = hourly[: n_days * 24].reshape(n_days, 24, -1)[:, -1, :]
        data["soil_plots"] = xr.Variable(
            ("day", "soil_count"),
            daily,
            attrs={"units": "plots", "long_name": "construction-land plots at the end of each day"},
        )
    coords = {}
    if data:
        coords = {
            "soil_count": ("soil_count", names, {"long_name": "plot count"}),
            "day": (
                "day",
                pd.date_range(state.calendar.start, periods=n_days, freq="D").values,
                {"long_name": "calendar day"},
            ),
        }
    lines = []
    if summary:
        wait = summary["survey_wait"]["mean_d"]
        lines.append(
            f"soil: {summary['plots_arrived']} plots, {summary['plots_developed']} developed, "
            f"safe use {100 * summary['safe_use_rate']:.0f} %; mean survey wait "
            f"{0.0 if wait is None else wait:.1f} d"
        )
    return Outcome(xr.Dataset(data, coords=coords), summary, lines)
