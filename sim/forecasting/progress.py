"""Progress to date for ``sim forecast --progress FILE``: what each measure has done by ``as_of``.

The YAML (docs/forecast.md)::

    as_of: 2024-09-01            # optional; when given it must equal --as-of
    measures:
      retire_china3: {vehicles_retired: 900}
      outlet_remediation: {share: 0.5}
      first_flush_tanks:
        commissioned: {tank_a: 2024-05-20, tank_b: null}   # null: not commissioned by as_of

Each ``<measure>.<what>`` number names a progress stream of the run (``progress.<measure>.<what>``,
:func:`sim.ledger.progress_stream`); ``commissioned`` gives projects (the subjects of the
measure's events) with the date they were commissioned, or null. The figures are compared with
the scenario's schedule at ``as_of`` (:func:`behind_schedule`), and the members restart from
them (:mod:`sim.spinup`, through ``run.reported_progress``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from sim.errors import ScenarioError

__all__ = ["Reported", "behind_schedule", "read_progress", "scheduled_values"]


@dataclass(frozen=True)
class Reported:
    """What a progress file reports: quantities and project dates (or None: not yet)."""

    quantities: dict[str, float]
    projects: dict[str, date | None]


def _projects(p: Path, measure: str, items: Any, as_of: date) -> dict[str, date | None]:
    if not isinstance(items, Mapping):
        raise ScenarioError(f"{p}: measures.{measure}.commissioned: expected {{<project>: date}}")
    out: dict[str, date | None] = {}
    for subject, when in items.items():
        if when is not None and not isinstance(when, date):
            raise ScenarioError(f"{p}: measures.{measure}.commissioned.{subject}: expected a "
                                f"date YYYY-MM-DD or null, got {when!r}")  # fmt: skip
        if when is not None and when >= as_of:
            raise ScenarioError(f"{p}: measures.{measure}.commissioned.{subject}: {when} is not "
                                f"before --as-of {as_of}")  # fmt: skip
        out[f"{measure}.{subject}"] = when
    return out


def read_progress(path: str | Path, as_of: date) -> Reported:
    """The quantities and project dates of a progress YAML, validated (one-line errors)."""
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
    projects: dict[str, date | None] = {}
    for measure, items in data["measures"].items():
        if not isinstance(items, Mapping):
            raise ScenarioError(f"{p}: measures.{measure}: expected a mapping of quantities")
        if len([k for k in items if k != "commissioned"]) > 1:
            raise ScenarioError(f"{p}: measures.{measure}: one progress quantity per measure")
        for what, value in items.items():
            if what == "commissioned":
                projects.update(_projects(p, str(measure), value, as_of))
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ScenarioError(
                    f"{p}: measures.{measure}.{what}: expected a number, got {value!r}"
                )
            if not math.isfinite(value) or value < 0:
                raise ScenarioError(f"{p}: measures.{measure}.{what}: expected >= 0, got {value}")
            out[f"{measure}.{what}"] = float(value)
    return Reported(out, projects)


def scheduled_values(ledger: Any, as_of_h: float) -> dict[str, float]:
    """Every progress stream's scheduled value at the start of hour ``as_of_h`` (a ledger)."""
    out = {}
    for name in ledger.stream_names:
        if name.startswith("progress."):
            s = ledger.stream(name)
            k = int(np.searchsorted(np.asarray(s.times_h), as_of_h, side="left") - 1)
            out[name] = float(np.sum(s.values[max(k, 0)]))
    return out


def behind_schedule(
    reported: Mapping[str, float], scheduled: Mapping[str, float], path: str | Path = "progress"
) -> list[dict[str, Any]]:
    """Reported progress against the schedule (``scheduled``: stream -> value at as_of).

    Returns one row per reported quantity, ``behind_by`` > 0 when behind the schedule.
    """
    names = sorted(scheduled)
    rows = []
    for key, value in reported.items():
        stream = f"progress.{key}"
        if stream not in names:
            known = ", ".join(n.removeprefix("progress.") for n in names) or "none"
            raise ScenarioError(f"{path}: measures.{key}: no such progress (known: {known})")
        plan = scheduled[stream]
        rows.append(
            {
                "progress": key,
                "reported": value,
                "scheduled": round(plan, 3),
                "behind_by": round(plan - value, 3),
                "behind": bool(value < plan - 1e-9),
            }
        )
    return rows
