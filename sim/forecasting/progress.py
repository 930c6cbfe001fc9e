"""Progress to date for ``sim forecast --progress FILE``: what each measure has done by ``as_of``.

The YAML (docs/forecast.md)::

    as_of: 2024-09-01            # optional; when given it must equal --as-of
    measures:
      retire_china3: {vehicles_retired: 900}
      outlet_remediation: {outlets_remediated: 20}

Each ``<measure>.<what>`` names a progress stream of the run (``progress.<measure>.<what>``,
:func:`sim.ledger.progress_stream`); the reported figure is compared with the scenario's
schedule at ``as_of`` (the members' median), and the measures behind schedule are listed with
by how much. Not done yet: the engine does not restart from the reported state (the members
follow the scenario's own schedule, also before ``as_of``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from sim.errors import ScenarioError

__all__ = ["behind_schedule", "read_progress"]


def read_progress(path: str | Path, as_of: date) -> dict[str, float]:
    """``{"<measure>.<what>": value}`` from a progress YAML, validated (one-line errors)."""
    p = Path(path)
    if not p.is_file():
        raise ScenarioError(f"{p}: progress file not found")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{p}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("measures"), Mapping):
        raise ScenarioError(f"{p}: expected a mapping with 'measures: {{<measure>: {{...}}}}'")
    stated = data.get("as_of")
    if stated is not None and str(stated) != as_of.isoformat():
        raise ScenarioError(f"{p}: as_of: {stated} differs from --as-of {as_of}")
    out: dict[str, float] = {}
    for measure, items in data["measures"].items():
        if not isinstance(items, Mapping):
            raise ScenarioError(f"{p}: measures.{measure}: expected a mapping of quantities")
        for what, value in items.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ScenarioError(
                    f"{p}: measures.{measure}.{what}: expected a number, got {value!r}"
                )
            if not math.isfinite(value) or value < 0:
                raise ScenarioError(f"{p}: measures.{measure}.{what}: expected >= 0, got {value}")
            out[f"{measure}.{what}"] = float(value)
    return out


def behind_schedule(
    reported: Mapping[str, float], progress: Any, day_index: int, path: str | Path = "progress"
) -> list[dict[str, Any]]:
    """Reported progress against the schedule at the end of day ``day_index - 1``.

    ``progress`` is the ensemble's ``progress`` DataArray (member, day, progress_stream).
    Returns one row per reported quantity, ``behind_by`` > 0 when behind the schedule.
    """
    names = [str(s) for s in progress["progress_stream"].values] if progress is not None else []
    rows = []
    for key, value in reported.items():
        stream = f"progress.{key}"
        if stream not in names:
            known = ", ".join(n.removeprefix("progress.") for n in names) or "none"
            raise ScenarioError(f"{path}: measures.{key}: no such progress (known: {known})")
        series = progress.sel(progress_stream=stream).transpose("member", "day").values
        scheduled = float(np.median(series[:, max(day_index - 1, 0)]))
        rows.append(
            {
                "progress": key,
                "reported": value,
                "scheduled": round(scheduled, 3),
                "behind_by": round(scheduled - value, 3),
                "behind": bool(value < scheduled - 1e-9),
            }
        )
    return rows
