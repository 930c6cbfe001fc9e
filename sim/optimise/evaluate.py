"""Evaluating candidate bundles: all with the same members, through the sweep's machinery.

A candidate (a mapping of scenario keys to lever values) is run once per member; member ``k`` has
the same seed for every candidate (common random numbers: weather and exogenous draws are shared, so
two candidates differ by their levers only). Runs go through the sweep's executors (this process, a
local pool, or Dask) and are written to the sweep's store (``runs/``: a manifest line per run), so a
killed search resumes: runs already in the store are read back, not run again.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.optimise.stats import wilson
from sim.sweep.executors import Executor
from sim.sweep.spec import SummaryOutcome
from sim.sweep.store import SweepStore
from sim.sweep.worker import Payload, RunTask

__all__ = ["Evaluation", "Evaluator", "candidate_id"]

COSTS = ("annualised_cost_cny", "fiscal_outlay_cny")


def candidate_id(overrides: dict[str, Any]) -> str:
    """A stable 12-hex-digit id of a candidate's overrides."""
    blob = json.dumps(overrides, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


@dataclass
class Evaluation:
    """One candidate's runs: per member, whether each target was met, and its costs."""

    overrides: dict[str, Any]
    values: dict[str, Any]
    targets: tuple[str, ...]
    met: NDArray[np.float64]  # members x targets: 1, 0 or NaN (not evaluated / failed)
    cost: NDArray[np.float64]  # members, annualised CNY/yr
    fiscal: NDArray[np.float64]  # members, CNY
    failed: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def members(self) -> int:
        """Members run."""
        return int(self.met.shape[0])

    def k(self, target: str) -> int:
        """Members meeting ``target`` (a NaN counts as not met)."""
        col = self.met[:, self.targets.index(target)]
        return int(np.sum(np.nan_to_num(col, nan=0.0) > 0.5))

    def p(self, target: str) -> float:
        """Share of members meeting ``target``."""
        return self.k(target) / self.members if self.members else math.nan

    def k_all(self) -> int:
        """Members meeting every target at once."""
        return int(np.sum(np.all(np.nan_to_num(self.met, nan=0.0) > 0.5, axis=1)))

    def p_all(self) -> float:
        """Share of members meeting every target at once."""
        return self.k_all() / self.members if self.members else math.nan

    def low(self, target: str, confidence: float) -> float:
        """Wilson lower bound of P(``target`` met)."""
        return wilson(self.k(target), self.members, confidence)[0]

    def cost_cny(self) -> float:
        """Median annualised cost over members, CNY/yr."""
        return float(np.nanmedian(self.cost)) if np.isfinite(self.cost).any() else math.inf

    def fiscal_cny(self) -> float:
        """Median fiscal outlay over members, CNY."""
        return float(np.nanmedian(self.fiscal)) if np.isfinite(self.fiscal).any() else math.inf


class Evaluator:
    """Runs candidates with given member seeds, reusing every run already in the store.

    Parameters
    ----------
    base, origin
        The base scenario mapping (or a toy model's parameters) and where it came from.
    targets
        The target names whose ``met`` flag is kept.
    executor
        A sweep executor (:mod:`sim.sweep.executors`).
    store
        A created :class:`~sim.sweep.store.SweepStore`, or None (nothing written).
    runner
        ``module:function`` with the sweep runners' signature (:mod:`sim.optimise.runners`).
    """

    def __init__(
        self,
        base: dict[str, Any],
        origin: str,
        targets: Sequence[str],
        executor: Executor,
        store: SweepStore | None,
        runner: str = "sim.optimise.runners:scored",
        retries: int = 1,
    ) -> None:
        self.targets = tuple(targets)
        outcomes = [SummaryOutcome(name=f"met.{t}", summary=f"met.{t}") for t in self.targets]
        outcomes += [SummaryOutcome(name=c, summary=f"costs.{c}") for c in COSTS]
        self.payload = Payload(base=base, origin=origin, outcomes=tuple(outcomes), runner=runner)
        self.executor = executor
        self.store = store
        self.retries = retries
        self.cache: dict[str, dict[str, float]] = {}
        self.runs_now = 0
        self.runs_reused = 0
        if store is not None:
            for rid in store.done():
                self.cache[rid] = {k: float(v) for k, v in store.load_run(rid).items()}

    def _task_list(
        self, batch: Sequence[dict[str, Any]], seeds: Sequence[int], tag: str
    ) -> list[RunTask]:
        tasks: dict[str, RunTask] = {}  # by run id: a candidate twice in a batch runs once
        for c, overrides in enumerate(batch):
            cid = candidate_id(overrides)
            for k, seed in enumerate(seeds):
                rid = f"{tag}-{cid}-{k:04d}"
                if rid not in self.cache and rid not in tasks:
                    tasks[rid] = RunTask(c * len(seeds) + k, rid, int(seed), dict(overrides))
        return list(tasks.values())

    def _run(self, tasks: list[RunTask], failures: dict[str, str]) -> None:
        for done in self.executor.map(tasks, self.payload, self.retries):
            task = done.task
            record = {
                "run": task.run_id,
                "seed": task.seed,
                "params": task.overrides,
                "attempts": done.attempts,
            }
            if done.output is None:
                failures[task.run_id] = done.error or "failed"
                if self.store is not None:
                    self.store.write_failure(record, failures[task.run_id])
                continue
            values = {
                k: float(np.asarray(v).item()) for k, (v, _, _) in done.output.outcomes.items()
            }
            self.cache[task.run_id] = values
            self.runs_now += 1
            if self.store is not None:
                record["elapsed_s"] = round(done.output.elapsed_s, 3)
                self.store.write_run(record, done.output.outcomes)

    def evaluate(
        self,
        batch: Sequence[dict[str, Any]],
        seeds: Sequence[int],
        tag: str,
        values: Sequence[dict[str, Any]] | None = None,
    ) -> list[Evaluation]:
        """Run every candidate of ``batch`` with every seed; read back runs already done."""
        tasks = self._task_list(batch, seeds, tag)
        self.runs_reused += len(batch) * len(seeds) - len(tasks)
        failures: dict[str, str] = {}
        if tasks:
            self._run(tasks, failures)
        out = []
        for c, overrides in enumerate(batch):
            cid = candidate_id(overrides)
            rows = [self.cache.get(f"{tag}-{cid}-{k:04d}") for k in range(len(seeds))]
            nan_row = {f"met.{t}": math.nan for t in self.targets} | dict.fromkeys(COSTS, math.nan)
            filled = [r if r is not None else nan_row for r in rows]
            met = np.array([[r[f"met.{t}"] for t in self.targets] for r in filled], dtype=float)
            out.append(
                Evaluation(
                    overrides=dict(overrides),
                    values=dict(values[c]) if values is not None else dict(overrides),
                    targets=self.targets,
                    met=met.reshape(len(seeds), len(self.targets)),
                    cost=np.array([r[COSTS[0]] for r in filled], dtype=float),
                    fiscal=np.array([r[COSTS[1]] for r in filled], dtype=float),
                    failed=sum(r is None for r in rows),
                )
            )
        return out
