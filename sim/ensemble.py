"""Ensembles: N members of one scenario with independent weather and uncertain-input draws.

Member ``k`` runs with root seed ``member_seeds(seed, k + 1)[k]`` (a child of
``SeedSequence(seed)``), so it is reproducible alone (``sim run --member K``) and the same member
of two bundles shares its weather and exogenous draws (common random numbers). Members run in a
process pool (spawn context) on the local cores; the results are assembled in member order, so
they do not depend on the number of workers.

To keep memory modest a member keeps its summary and the variables without an hourly ``time``
dimension (daily and monthly series, annual values), plus ``daily_emission`` by sector and the
daily ``progress`` of measures; hourly variables only with ``keep_hourly``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr
import yaml

from sim.results import daily_emission, write_run_facts
from sim.streams import member_seeds
from sim.targets import Scorecard, scenario_targets, score_ensemble

if TYPE_CHECKING:
    from sim.results import Result
    from sim.scenario.schema import Scenario

__all__ = [
    "ENSEMBLE_FILES",
    "Ensemble",
    "cap_jobs",
    "default_jobs",
    "member_scenario",
    "member_seed",
    "reduce_result",
    "run_ensemble",
    "run_ensembles",
    "run_member",
]

log = logging.getLogger(__name__)

#: Files of a saved ensemble folder.
ENSEMBLE_FILES = ("ensemble.nc", "members.json", "scenario.resolved.yaml")


def member_seed(seed: int, k: int) -> int:
    """Root seed of member ``k`` (0-based) of the ensemble of root ``seed``."""
    if k < 0:
        raise ValueError(f"k(={k}) must be >= 0.")
    return member_seeds(seed, k + 1)[k]


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


#: Memory one worker process needs for a one-year run with attribution (measured: ~200 MB
#: resident; 300 MB leaves room for the driver's copy of the results).
WORKER_MEMORY_BYTES = 300 * 2**20


def available_memory_bytes() -> int | None:
    """``MemAvailable`` of ``/proc/meminfo`` (Linux), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def cap_jobs(jobs: int | None, tasks: int) -> int:
    """Worker processes to use: ``jobs`` (default: all cores) capped by the cores, the memory
    available (:data:`WORKER_MEMORY_BYTES` each) and the number of ``tasks``; a warning says so
    when a requested ``jobs`` is reduced."""
    cores = default_jobs()
    memory = available_memory_bytes()
    by_memory = cores if memory is None else max(1, memory // WORKER_MEMORY_BYTES)
    limit = max(1, min(cores, by_memory))
    if jobs is not None and jobs > limit:
        log.warning(
            "-j %d reduced to %d (%d cores; %s available memory at %d MB per worker)",
            jobs, limit, cores,
            "unknown" if memory is None else f"{memory // 2**20} MB",
            WORKER_MEMORY_BYTES // 2**20,
        )  # fmt: skip
    chosen = limit if jobs is None else min(jobs, limit)
    return max(1, min(chosen, max(1, tasks)))


def reduce_result(
    result: Result, *, keep_hourly: bool = False
) -> tuple[dict[str, Any], xr.Dataset]:
    """A member's summary (with plan indicators and soil) and its memory-light Dataset."""
    summary = dict(result.summary)
    ds = result.dataset
    extra: list[xr.Dataset] = []
    daily = daily_emission(ds)
    if daily is not None and "daily_emission" not in ds:
        extra.append(daily.to_dataset(name="daily_emission"))
    if not keep_hourly:
        ds = ds.drop_vars([v for v in ds.variables if "time" in ds[v].dims])
    for part in extra:
        ds = ds.merge(part, combine_attrs="override")
    ds.attrs.pop("history", None)
    return summary, ds


def member_scenario(scenario: Scenario, seed: int) -> tuple[Scenario, dict[str, float]]:
    """The scenario a member of root ``seed`` runs, and its drawn fitted parameters.

    Fitted-parameter uncertainty (issue 14): the member draws the calibrated parameters from
    their joint distribution (:mod:`sim.calibration.uncertainty`) with its own random stream
    ``calibration.parameters``, so a member run alone (``sim run --member K``) and the same
    member inside an ensemble run the same scenario. Without a fitted distribution (or with the
    fitted parameters absent from the scenario) the scenario is returned unchanged.
    """
    from sim.calibration.uncertainty import draw_parameters, load_distribution
    from sim.streams import rng_for

    rng = rng_for(seed, "calibration.parameters")
    return draw_parameters(scenario, rng, load_distribution())


def run_member(
    scenario: Scenario, seed: int, keep_hourly: bool = False, attribution: bool = True
) -> tuple[dict[str, Any], xr.Dataset]:
    """Run one member with root ``seed``; returns its reduced summary and Dataset.

    The member draws the fitted parameters first (:func:`member_scenario`); the summary's
    ``parameter_draws`` holds them. ``attribution`` False skips the per-family counterfactual
    runs (:mod:`sim.attribution`), so targets that read ``measures.*`` are not evaluated.
    """
    from sim.api import run

    drawn_scenario, drawn = member_scenario(scenario, seed)
    result = run(drawn_scenario, seed=seed, attribution=attribution, validate=False)
    summary, ds = reduce_result(result, keep_hourly=keep_hourly)
    summary["parameter_draws"] = drawn
    return summary, ds


def _job(args: tuple[Scenario, int, int, bool, bool]) -> tuple[int, dict[str, Any], xr.Dataset]:
    scenario, k, seed, keep, attribution = args
    summary, ds = run_member(scenario, seed, keep, attribution)
    return k, summary, ds


@dataclass
class Ensemble:
    """The members of one scenario's ensemble: summaries and a Dataset with a ``member`` dim."""

    scenario: Scenario
    seed: int
    seeds: list[int]
    summaries: list[dict[str, Any]]
    dataset: xr.Dataset
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Number of members."""
        return len(self.seeds)

    def scorecard(self) -> Scorecard:
        """Probability of meeting each target, median and 5-95 % range."""
        return score_ensemble(scenario_targets(self.scenario), self.summaries, self.scenario.name)

    def save(self, folder: str | Path) -> Path:
        """Write ``ensemble.nc``, ``members.json``, ``scenario.resolved.yaml`` into ``folder``."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        self.dataset.to_netcdf(out / "ensemble.nc", engine="h5netcdf")
        members = {
            "seed": self.seed,
            "seeds": self.seeds,
            "summaries": self.summaries,
            "air": _finite_or_none(self.extras.get("air", {})),
        }
        (out / "members.json").write_text(
            json.dumps(members, indent=1, ensure_ascii=False, allow_nan=False)
        )
        (out / "scenario.resolved.yaml").write_text(
            yaml.safe_dump(self.scenario.raw, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        write_run_facts(out, self.extras.get("timings_s", {}))
        return out

    @classmethod
    def load(cls, folder: str | Path) -> Ensemble:
        """Read a saved ensemble folder back."""
        from sim.scenario import scenario_from_mapping

        path = Path(folder)
        with xr.open_dataset(path / "ensemble.nc", engine="h5netcdf") as ds:
            dataset = ds.load()
        members = json.loads((path / "members.json").read_text())
        raw = yaml.safe_load((path / "scenario.resolved.yaml").read_text(encoding="utf-8"))
        scenario = scenario_from_mapping(raw, origin=str(path / "scenario.resolved.yaml"))
        return cls(scenario, members["seed"], members["seeds"], members["summaries"], dataset)


def _progress_bar(total: int, label: str, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="run", file=sys.stderr, disable=not enabled)


def run_ensemble(
    scenario: Scenario,
    n: int,
    *,
    jobs: int | None = None,
    seed: int | None = None,
    keep_hourly: bool = False,
    progress: bool = True,
    attribution: bool = True,
) -> Ensemble:
    """Run ``n`` members of ``scenario`` on ``jobs`` local processes (default: all cores).

    Parameters
    ----------
    scenario
        A validated scenario.
    n
        Number of members (>= 1).
    jobs
        Worker processes; 1 runs in this process.
    seed
        Root seed of the ensemble; defaults to ``scenario.run.seed``.
    keep_hourly
        Keep the hourly variables of every member (memory: ~5 MB per member).
    progress
        Show a progress bar on stderr.
    attribution
        Attribute reductions to measure families in every member (one more run per family).
    """
    root = scenario.run.seed if seed is None else seed
    return run_ensembles(
        [scenario],
        n,
        jobs=jobs,
        seed=root,
        keep_hourly=keep_hourly,
        progress=progress,
        attribution=attribution,
    )[0]


def run_ensembles(
    scenarios: Sequence[Scenario],
    n: int,
    *,
    jobs: int | None = None,
    seed: int,
    keep_hourly: bool = False,
    progress: bool = True,
    attribution: bool = True,
) -> list[Ensemble]:
    """Ensembles of several scenarios with the same member seeds (common random numbers).

    All ``len(scenarios) × n`` runs share one process pool, so the workers start once.
    """
    if n < 1:
        raise ValueError(f"n(={n}) must be >= 1.")
    seeds = member_seeds(seed, n)
    tasks = [
        (scenario, b * n + k, s, keep_hourly, attribution)
        for b, scenario in enumerate(scenarios)
        for k, s in enumerate(seeds)
    ]
    jobs = min(len(tasks), default_jobs() if jobs is None else max(1, jobs))
    results: dict[int, tuple[dict[str, Any], xr.Dataset]] = {}
    t0 = time.perf_counter()
    label = scenarios[0].name if len(scenarios) == 1 else f"{len(scenarios)} bundles"
    with _progress_bar(len(tasks), label, progress) as bar:
        if jobs == 1:
            for task in tasks:
                i, summary, ds = _job(task)
                results[i] = (summary, ds)
                bar.update(1)
        else:
            from sim.watchdog import install

            with ProcessPoolExecutor(
                max_workers=jobs, mp_context=get_context("spawn"), initializer=install
            ) as pool:
                futures = [pool.submit(_job, t) for t in tasks]
                for fut in as_completed(futures):
                    i, summary, ds = fut.result()
                    results[i] = (summary, ds)
                    bar.update(1)
    from sim.validity import check_summaries

    for b, scenario in enumerate(scenarios):
        check_summaries([results[b * n + k][0] for k in range(n)], scenario.name)
    ensembles = [
        assemble(scenario, seed, seeds, [results[b * n + k] for k in range(n)])
        for b, scenario in enumerate(scenarios)
    ]
    timings = {"wall": round(time.perf_counter() - t0, 4), "jobs": jobs}
    for ens in ensembles:
        ens.extras["timings_s"] = timings
    return ensembles


def assemble(
    scenario: Scenario,
    seed: int,
    seeds: Sequence[int],
    members: Sequence[tuple[dict[str, Any], xr.Dataset]],
) -> Ensemble:
    """Stack member Datasets along ``member`` (coordinate ``member_seed``)."""
    datasets = [ds for _, ds in members]
    stacked = xr.concat(
        datasets,
        dim="member",
        data_vars="all",
        coords="minimal",
        compat="override",
        join="outer",
        combine_attrs="override",
    )
    stacked = stacked.assign_coords(
        member=("member", np.arange(len(seeds)), {"long_name": "ensemble member"}),
        member_seed=("member", np.asarray(seeds, dtype=np.int64), {"long_name": "root seed"}),
    )
    stacked.attrs["seed"] = int(seed)
    stacked.attrs["ensemble_size"] = len(seeds)
    summaries = [s for s, _ in members]
    split = _variance_split(scenario, summaries)
    stacked.attrs["air.pm25_variance_split"] = json.dumps(split)
    return Ensemble(scenario, int(seed), list(seeds), summaries, stacked, {"air": split})


def _variance_split(scenario: Scenario, summaries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """``{"pm25_variance_split": {weather, inputs, parameters}}`` (sim.calibration.uncertainty)."""
    from sim.calibration.uncertainty import variance_split

    pm25 = [s.get("air", {}).get("pm25_annual_mean_ug_m3", np.nan) for s in summaries]
    draws = [s.get("parameter_draws", {}) for s in summaries]
    paths = uncertain_paths(scenario.raw)
    bound = inputs_variance_bound(paths, summaries)
    return {"pm25_variance_split": variance_split(pm25, draws, bool(paths), bound)}


#: Scenario sections the air outcome never reads: their uncertain inputs add no PM2.5 variance.
_NOT_AIR_SECTIONS = frozenset({"water"})


def uncertain_paths(raw: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the scenario's uncertain inputs (a ``dist:`` other than ``fixed``)."""
    if isinstance(raw, dict):
        if "dist" in raw:
            return [] if raw.get("dist") == "fixed" else [prefix]
        return [p for k, v in raw.items() for p in uncertain_paths(v, f"{prefix}.{k}".lstrip("."))]
    if isinstance(raw, list):
        return [p for i, v in enumerate(raw) for p in uncertain_paths(v, f"{prefix}[{i}]")]
    return []


def inputs_variance_bound(
    paths: Sequence[str], summaries: Sequence[dict[str, Any]]
) -> float | None:
    """An upper bound on the variance of annual PM2.5 (µg²/m⁶) the uncertain inputs add.

    Inputs outside the sections the air reads add none (0). The others act only through the
    district's emissions: inputs of the district's measures (``policies``) through the change the
    district's measures make (``pm25_change_by_actor_ug_m3.district``), any other through the
    district's whole contribution (``pm25_by_scale_ug_m3.district``). The variance of that part
    over members, which the weather and the parameters move too, bounds the inputs' share from
    above. None when a member lacks the figure, or when an input sits in the air or weather
    sections themselves (it then acts on every scale: not bounded here).
    """
    sections = {p.split(".", 1)[0].split("[", 1)[0] for p in paths}
    reach = [p for p in paths if p.split(".", 1)[0].split("[", 1)[0] not in _NOT_AIR_SECTIONS]
    if not reach:
        return 0.0
    if sections & {"air", "meteorology"}:
        return None
    key = (
        "pm25_change_by_actor_ug_m3"
        if all(p.startswith("policies.") for p in reach)
        else "pm25_by_scale_ug_m3"
    )
    values = [s.get("air", {}).get(key, {}).get("district") for s in summaries]
    if not values or any(v is None for v in values):
        return None
    return float(np.var(np.asarray(values, dtype=np.float64)))


def _finite_or_none(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None (strict JSON)."""
    if isinstance(value, dict):
        return {k: _finite_or_none(v) for k, v in value.items()}
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
