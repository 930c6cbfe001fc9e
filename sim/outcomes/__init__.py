"""Outcomes computed from a finished run: air quality, water quality (and later, targets).

Contract of an outcome module ``sim.outcomes.<name>``: ``compute(state: RunState) -> Outcome``.
An outcome is computed when the scenario has a section of the same name (``scenario.air``,
``scenario.water``); soil when its measure (``policies.construction_land``) is enabled.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import xarray as xr

if TYPE_CHECKING:
    from sim.engine import RunState

__all__ = ["OUTCOMES", "Outcome", "compute_outcomes"]

#: Outcome modules, computed in this order.
OUTCOMES: tuple[str, ...] = ("air", "water", "soil")


def _wanted(state: RunState, name: str) -> bool:
    """An outcome runs when the scenario has its section (soil: when its measure is enabled)."""
    if name == "soil":
        measure = getattr(state.scenario.policies, "construction_land", None)
        return bool(getattr(measure, "enabled", False))
    return getattr(state.scenario, name, None) is not None


@dataclass
class Outcome:
    """What an outcome adds to a run's results.

    Attributes
    ----------
    dataset
        Variables merged into the results Dataset (with ``units`` and ``long_name``).
    summary
        A JSON-ready mapping stored as ``summary[<name>]``.
    lines
        Lines printed after the emission table by ``sim run``.
    elapsed_s
        Wall time of the outcome's computation (s); written to ``run.json``, never to the
        results, so that the same scenario and seed give byte-identical result files.
    """

    dataset: xr.Dataset
    summary: dict[str, Any]
    lines: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0


#: The keyword by which each outcome takes the same run without measures.
_WITHOUT_KW = {"air": "counterfactual", "water": "without_measures"}


def compute_outcomes(
    state: RunState,
    without_measures: RunState | None = None,
    only: Collection[str] | None = None,
) -> dict[str, Outcome]:
    """Every outcome whose section the scenario has (of those named in ``only``, if given).

    ``without_measures``: the same scenario and seed run without any measure (the api runs it
    once), handed to the outcomes that compare with it (air, water); None: they find it themselves.
    """
    out: dict[str, Outcome] = {}
    for name in OUTCOMES:
        if not _wanted(state, name) or (only is not None and name not in only):
            continue
        module = importlib.import_module(f"sim.outcomes.{name}")
        t0 = time.perf_counter()
        kw = (
            {_WITHOUT_KW[name]: without_measures}
            if name in _WITHOUT_KW and without_measures is not None
            else {}
        )
        outcome = module.compute(state, **kw)
        outcome.elapsed_s = time.perf_counter() - t0
        out[name] = outcome
    return out
