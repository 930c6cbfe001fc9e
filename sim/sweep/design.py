"""Sampling designs: points in the unit cube, mapped to parameter values, and one seed per run.

Every method first draws points ``u`` in ``[0, 1)^d`` (Latin hypercube and Sobol' sequences from
``scipy.stats.qmc``; Saltelli and Morris designs from SALib), then maps each column to its
parameter by the inverse CDF: a ``range`` uniformly, a list of ``values`` by equal-width bins, a
``dist`` by its quantile function. The sensitivity analysis works on ``u``, so it never needs to
know the marginals.

References: McKay, Beckman & Conover (1979) for LHS; Saltelli et al. (2010), *Comput. Phys.
Commun.* 181, 259-270 for the Sobol' design; Morris (1991), *Technometrics* 33, 161-174.
"""

from __future__ import annotations

import itertools
import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.sweep.quantiles import TAIL as _TAIL
from sim.sweep.quantiles import ppf, support
from sim.sweep.spec import Parameter, SweepSpec

__all__ = ["SweepDesign", "make_design", "ppf", "run_seed", "salib_problem", "support"]

log = logging.getLogger(__name__)


def to_values(p: Parameter, u: NDArray[np.float64]) -> list[Any]:
    """Map unit-cube coordinates ``u`` of one column to values of parameter ``p``."""
    u = np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0)
    if p.values is not None:
        idx = np.minimum((u * len(p.values)).astype(int), len(p.values) - 1)
        return [p.values[i] for i in idx]
    if p.range is not None:
        lo, hi = p.range
        x = lo + (hi - lo) * u
    else:
        assert p.dist is not None
        x = ppf(p.dist, np.clip(u, _TAIL / 10, 1.0 - _TAIL / 10))  # finite ends
    if p.integer:
        return [round(v) for v in x]
    return [float(v) for v in x]


def _grid_unit(p: Parameter) -> NDArray[np.float64]:
    """Unit coordinates of the grid points of ``p``: each value once, or ``levels`` points."""
    if p.values is not None:
        k = len(p.values)
        return (np.arange(k) + 0.5) / k
    if p.range is not None:
        return np.linspace(0.0, 1.0, p.levels)
    return (np.arange(p.levels) + 0.5) / p.levels


def salib_problem(names: list[str]) -> dict[str, Any]:
    """The SALib problem of a design: every parameter on [0, 1] (the unit cube)."""
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _unit_points(spec: SweepSpec) -> NDArray[np.float64]:
    params = spec.parameters
    d = len(params)
    design = spec.design
    rng = np.random.default_rng(np.random.SeedSequence(design.seed))
    if design.method == "lhs":
        from scipy.stats import qmc

        return np.asarray(qmc.LatinHypercube(d=d, seed=rng).random(design.n))
    if design.method == "mc":
        return rng.random((design.n, d))
    if design.method == "grid":
        axes = [_grid_unit(p) for p in params]
        return np.array(list(itertools.product(*axes)), dtype=np.float64).reshape(-1, d)
    problem = salib_problem([p.name for p in params])
    seed = int(np.random.SeedSequence(design.seed).generate_state(1)[0])
    if design.method == "sobol":
        if design.n & (design.n - 1):
            log.warning(
                "design.n = %d is not a power of two: Sobol' sequences lose their balance "
                "properties (use e.g. %d)",
                design.n,
                1 << max(0, round(math.log2(design.n))),
            )
        from SALib.sample import sobol as sobol_sample

        return np.asarray(
            sobol_sample.sample(
                problem,
                design.n,
                calc_second_order=design.second_order,
                scramble=True,
                seed=seed,
            )
        )
    from SALib.sample import morris as morris_sample

    return np.asarray(morris_sample.sample(problem, design.n, num_levels=design.levels, seed=seed))


def run_seed(design_seed: int, sample: int, replication: int, *, common: bool = False) -> int:
    """The root seed of one run: ``SeedSequence(design_seed, spawn_key=(sample, replication))``.

    Deterministic, independent of workers and completion order. With ``common`` (common random
    numbers), every sample's replication ``r`` gets the same seed.
    """
    key = (0xC0, replication) if common else (sample, replication)
    state = np.random.SeedSequence(design_seed, spawn_key=key).generate_state(2, dtype=np.uint32)
    return int(state[0]) << 31 | int(state[1]) >> 1


@dataclass(frozen=True)
class SweepDesign:
    """The samples of a sweep: unit-cube points, parameter values, and the runs they expand to.

    Attributes
    ----------
    names
        Parameter names (levers first), the design's columns.
    unit
        Points in the unit cube, shape (n_samples, n_parameters).
    values
        Parameter values per column (numbers, or texts/dates for a ``values`` list).
    replications
        Runs per sample; run ``i`` is sample ``i // replications``, replication
        ``i % replications``.
    """

    names: list[str]
    keys: list[str]
    unit: NDArray[np.float64]
    values: dict[str, list[Any]]
    replications: int
    seed: int
    common_random_numbers: bool
    method: str

    @property
    def n_samples(self) -> int:
        """Number of distinct parameter sets."""
        return int(self.unit.shape[0])

    @property
    def n_runs(self) -> int:
        """Number of runs: samples × replications."""
        return self.n_samples * self.replications

    def run_id(self, index: int) -> str:
        """The identifier of run ``index`` (zero-padded, sorts in run order)."""
        return f"r{index:06d}"

    def run(self, index: int) -> tuple[int, int, int, dict[str, Any]]:
        """Sample, replication, seed and scenario overrides of run ``index``."""
        sample, rep = divmod(index, self.replications)
        seed = run_seed(self.seed, sample, rep, common=self.common_random_numbers)
        overrides = {k: self.values[n][sample] for n, k in zip(self.names, self.keys, strict=True)}
        return sample, rep, seed, overrides

    def params(self, index: int) -> dict[str, Any]:
        """Parameter values of run ``index``, by name."""
        sample = index // self.replications
        return {n: self.values[n][sample] for n in self.names}


def make_design(spec: SweepSpec) -> SweepDesign:
    """Draw the design of ``spec`` (deterministic in ``spec.design.seed``)."""
    params = spec.parameters
    unit = _unit_points(spec)
    values = {p.name: to_values(p, unit[:, j]) for j, p in enumerate(params)}
    return SweepDesign(
        names=[p.name for p in params],
        keys=[p.key for p in params],
        unit=unit,
        values=values,
        replications=spec.replications,
        seed=spec.design.seed,
        common_random_numbers=spec.common_random_numbers,
        method=spec.design.method,
    )
