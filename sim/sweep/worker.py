"""One run of a sweep, as executed on a worker: build the scenario, simulate, extract outcomes.

The task function :func:`execute` is a plain top-level function of picklable arguments, so the
same code runs in a local process pool and on Dask workers. It raises :class:`RunFailed` (a
picklable exception carrying the error text) when the run fails, so that Dask's ``retries`` and
the local pool's resubmission both see a failure.
"""

from __future__ import annotations

import importlib
import math
import os
import socket
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.sweep.spec import DatasetOutcome, SummaryOutcome

__all__ = [
    "OutcomeValues",
    "Payload",
    "RunFailed",
    "RunTask",
    "execute",
    "extract_outcomes",
    "resolve_summary",
    "simulate",
    "simulate_with_attribution",
]

#: Outcome name -> (values, dims, coords); coords: dim -> labels as texts.
OutcomeValues = dict[str, tuple[NDArray[np.float64], tuple[str, ...], dict[str, list[str]]]]


class RunFailed(Exception):
    """A run that raised; ``args[0]`` is the error text (type, message, last frames)."""


@dataclass(frozen=True)
class Payload:
    """What every run of a sweep shares (sent once per worker on Dask)."""

    base: dict[str, Any]
    origin: str
    outcomes: tuple[SummaryOutcome | DatasetOutcome, ...]
    runner: str = "sim.sweep.worker:simulate"


@dataclass(frozen=True)
class RunTask:
    """One run: its index and id, seed and the scenario overrides of its sample."""

    index: int
    run_id: str
    seed: int
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RunOutput:
    """What a worker sends back: outcome values and run facts (small; no Dataset)."""

    index: int
    run_id: str
    outcomes: OutcomeValues
    elapsed_s: float
    worker: str
    missing: tuple[str, ...] = ()


def resolve_summary(summary: Mapping[str, Any], path: str) -> Any:
    """The value at dotted ``path`` in ``summary``; keys may contain dots (``total_t.PM2.5``).

    At each level the longest key that is a prefix of the rest of the path wins.

    Raises
    ------
    KeyError
        With the keys available where the path stops matching.
    """
    node: Any = summary
    rest = path
    while rest:
        if isinstance(node, list):
            head, _, tail = rest.partition(".")
            if not head.isdigit() or int(head) >= len(node):
                raise KeyError(f"{path}: no item {head!r} in a list of {len(node)}")
            node, rest = node[int(head)], tail
            continue
        if not isinstance(node, Mapping):
            raise KeyError(f"{path}: {rest!r} is below a value, not a mapping")
        matches = [k for k in node if rest == str(k) or rest.startswith(f"{k}.")]
        if not matches:
            raise KeyError(
                f"{path}: no key {rest.split('.')[0]!r} (keys: {sorted(map(str, node))})"
            )
        key = max(matches, key=lambda k: len(str(k)))
        node, rest = node[key], rest[len(str(key)) + 1 :]
    return node


def _as_float(value: Any) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool):
        return float(value)
    return float(value)


def _dataset_outcome(dataset: Any, spec: DatasetOutcome) -> Any:
    if spec.variable not in dataset:
        raise KeyError(f"{spec.variable}: not a variable (have {sorted(map(str, dataset))})")
    da = dataset[spec.variable]
    if spec.select:
        da = da.sel(spec.select)
    dims = list(da.dims) if spec.over == "all" else [d for d in spec.over if d in da.dims]
    if dims:
        da = getattr(da, spec.reduce)(dim=dims)
    if "time" in da.dims and not spec.hourly:
        raise KeyError(f"{spec.name}: keeps the hourly time dimension; set hourly: true")
    return da


def extract_outcomes(
    summary: Mapping[str, Any],
    dataset: Any,
    outcomes: tuple[SummaryOutcome | DatasetOutcome, ...],
    *,
    strict: bool = False,
) -> tuple[OutcomeValues, tuple[str, ...]]:
    """Outcome values of one run, and the names of outcomes it lacks (NaN unless ``strict``)."""
    out: OutcomeValues = {}
    missing: list[str] = []
    for spec in outcomes:
        try:
            if isinstance(spec, SummaryOutcome):
                value = np.asarray(_as_float(resolve_summary(summary, spec.summary)))
                out[spec.name] = (value, (), {})
            else:
                da = _dataset_outcome(dataset, spec)
                coords = {
                    str(d): [str(v) for v in np.asarray(da[d].values)]
                    for d in da.dims
                    if d in da.coords
                }
                out[spec.name] = (
                    np.asarray(da.values, dtype=np.float64),
                    tuple(map(str, da.dims)),
                    coords,
                )
        except (KeyError, TypeError, ValueError) as exc:
            if strict:
                raise KeyError(f"outcome {spec.name}: {exc}") from None
            missing.append(spec.name)
            out[spec.name] = (np.asarray(math.nan), (), {})
    return out, tuple(missing)


def simulate(
    base: dict[str, Any],
    origin: str,
    overrides: dict[str, Any],
    seed: int,
    attribution: bool = False,
) -> Any:
    """The default runner: validate the scenario with ``overrides`` and run it with ``seed``.

    The attribution by measure family (one extra engine run per family) is skipped unless asked.
    Like an ensemble member, the run draws the fitted parameters with its seed
    (:func:`sim.ensemble.member_scenario`), so a sweep's or an optimisation's probabilities carry
    the fitted parameters' uncertainty beside the weather's and the inputs'; the levers' values
    are the centres of the draws.
    """
    from sim.api import run
    from sim.ensemble import member_scenario
    from sim.scenario import scenario_from_mapping

    scenario = scenario_from_mapping(base, origin=origin, overrides=overrides)
    scenario, _ = member_scenario(scenario, seed)
    return run(scenario, seed=seed, attribution=attribution)


def simulate_with_attribution(
    base: dict[str, Any], origin: str, overrides: dict[str, Any], seed: int
) -> Any:
    """The runner for sweeps whose outcomes read ``measures.*`` (the attribution by family)."""
    return simulate(base, origin, overrides, seed, attribution=True)


def _runner(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found


def _error_text(exc: BaseException) -> str:
    problems = getattr(exc, "problems", None)
    if problems:
        return f"{type(exc).__name__}: " + " | ".join(problems)
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    where = " <- ".join(f"{os.path.basename(f.filename)}:{f.lineno} {f.name}" for f in frames[::-1])
    return f"{type(exc).__name__}: {exc} (at {where})"


def execute(task: RunTask, payload: Payload) -> RunOutput:
    """Run one task; raise :class:`RunFailed` with the error text if it fails."""
    t0 = time.perf_counter()
    try:
        result = _runner(payload.runner)(payload.base, payload.origin, task.overrides, task.seed)
        values, missing = extract_outcomes(result.summary, result.dataset, payload.outcomes)
    except Exception as exc:
        raise RunFailed(_error_text(exc)) from None
    return RunOutput(
        index=task.index,
        run_id=task.run_id,
        outcomes=values,
        elapsed_s=time.perf_counter() - t0,
        worker=f"{socket.gethostname()}:{os.getpid()}",
        missing=missing,
    )
