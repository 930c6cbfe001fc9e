"""Hourly emissions of an actor that is not the district: the rest of Tianjin, or the region.

An actor has an annual inventory by sub-sector and pollutant ``I[s, p]`` (t/yr), the typical time
profiles of :mod:`sim.air.profiles` and its own dated measures. A measure ``k`` changes the
emissions of one sub-sector (or all) and one pollutant (or all) by a relative amount ``c_k``,
reached along a linear ramp from ``t0_k`` to ``t1_k``:

    E[t, p] = Σ_s I[s, p] · 1000/8766 · W[t, s] · Π_k (1 + c_k · r_k(t)),
    r_k(t)  = clip((t - t0_k)/(t1_k - t0_k), 0, 1)          (a step at t0_k when t1_k = t0_k),

in kg/h. Measures on the same cell multiply. An actor's measures change its own inventory only:
nothing here reads the district's emissions.

The regional actor enters the air response through the *relative* change of its emissions
against the reference inventory the background was calibrated with (:func:`relative_change`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.scenario.vocabulary import HOURS_PER_YEAR, KG_PER_T

__all__ = [
    "ActorChange",
    "actor_emissions_kg_h",
    "change_factors",
    "ramp",
    "relative_change",
    "with_changes",
]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class ActorChange:
    """One dated measure of an actor (module docstring).

    Attributes
    ----------
    sub_sector, pollutant
        Column indices into the inventory ``(n_sub_sectors, n_pollutants)``; None = all.
    relative_change
        ``c``, e.g. -0.1 for a 10 % cut (> -1 ... any, >= -1).
    start_h, full_h
        Hours since the start of the run at which the ramp starts and is complete.
    """

    sub_sector: int | None
    pollutant: int | None
    relative_change: float
    start_h: float
    full_h: float

    def __post_init__(self) -> None:
        if self.relative_change < -1.0:
            raise ValueError(f"relative_change(={self.relative_change}) must be >= -1.")
        if self.full_h < self.start_h:
            raise ValueError(f"full_h(={self.full_h}) must be >= start_h(={self.start_h}).")


def ramp(hours: ArrayLike, start_h: float, full_h: float) -> F64:
    """``clip((t - t0)/(t1 - t0), 0, 1)``; a step at ``t0`` when ``t1 == t0``."""
    t = np.asarray(hours, dtype=np.float64)
    if full_h <= start_h:
        return np.asarray((t >= start_h).astype(np.float64))
    return np.asarray(np.clip((t - start_h) / (full_h - start_h), 0.0, 1.0))


def change_factors(
    hours: ArrayLike, changes: Sequence[ActorChange], shape: tuple[int, int]
) -> F64 | None:
    """``Π_k (1 + c_k·r_k(t))``, shape ``(n_hours, *shape)``; None when there is no change."""
    if not changes:
        return None
    t = np.asarray(hours, dtype=np.float64)
    out = np.ones((t.shape[0], *shape))
    for c in changes:
        rows = slice(None) if c.sub_sector is None else c.sub_sector
        cols = slice(None) if c.pollutant is None else c.pollutant
        factor = 1.0 + c.relative_change * ramp(t, c.start_h, c.full_h)
        view = out[:, rows, cols]
        view *= factor.reshape(-1, *([1] * (view.ndim - 1)))
        out[:, rows, cols] = view
    return out


def actor_emissions_kg_h(
    inventory_t_yr: ArrayLike,
    weights: ArrayLike,
    changes: Sequence[ActorChange] = (),
    hours: ArrayLike | None = None,
) -> F64:
    """Hourly emissions of an actor summed over sub-sectors, kg/h, ``(n_hours, n_pollutants)``.

    Parameters
    ----------
    inventory_t_yr
        ``I``, t/yr, ``(n_sub_sectors, n_pollutants)``, >= 0.
    weights
        ``W``, time-profile weights with mean 1, ``(n_hours, n_sub_sectors)``
        (:func:`sim.air.profiles.hourly_weights`).
    changes
        The actor's measures (module docstring); none: the inventory as it is.
    hours
        Hours since the start of the run of each row, for the ramps; default ``0, 1, 2 ...``.

    Notes
    -----
    Only the cells a measure touches are recomputed: ``E = W·I' + Σ_cells W_s·I'_sp·(F_sp - 1)``
    with ``I'`` in kg/h and ``F_sp = Π_k (1 + c_k·r_k)`` over the measures on cell ``(s, p)``;
    the same numbers as :func:`change_factors` over the whole table, without building it.
    """
    inv = np.asarray(inventory_t_yr, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if np.any(inv < 0):
        raise ValueError("inventory_t_yr must be >= 0.")
    if w.shape[1] != inv.shape[0]:
        raise ValueError(f"weights {w.shape} do not match inventory {inv.shape}.")
    rate = inv * (KG_PER_T / HOURS_PER_YEAR)
    out = np.asarray(w @ rate)
    return out if not changes else with_changes(out, rate, w, changes, hours)


def with_changes(
    base_kg_h: F64,
    rate_kg_h: F64,
    weights: F64,
    changes: Sequence[ActorChange],
    hours: ArrayLike | None = None,
) -> F64:
    """``base_kg_h`` (the inventory without measures, ``W·I'``) with the measures applied.

    ``rate_kg_h``: the inventory ``I'`` in kg/h ``(n_sub_sectors, n_pollutants)``. Only the
    cells a measure touches are recomputed: ``E = W·I' + Σ_cells W_s·I'_sp·(F_sp - 1)`` with
    ``F_sp = Π_k (1 + c_k·r_k)`` over the measures on cell ``(s, p)`` (a copy; ``base_kg_h``
    is not changed).
    """
    w = weights
    out = np.array(base_kg_h, dtype=np.float64)
    t = np.arange(w.shape[0], dtype=np.float64) if hours is None else np.asarray(hours, float)
    cells: dict[tuple[int, int], F64] = {}
    ramps: dict[tuple[float, float], F64] = {}  # measures on one schedule share their ramp
    for c in changes:
        key = (c.start_h, c.full_h)
        if key not in ramps:
            ramps[key] = ramp(t, c.start_h, c.full_h)
        factor = 1.0 + c.relative_change * ramps[key]
        rows = range(rate_kg_h.shape[0]) if c.sub_sector is None else (c.sub_sector,)
        cols = range(rate_kg_h.shape[1]) if c.pollutant is None else (c.pollutant,)
        for s in rows:
            for p in cols:
                if rate_kg_h[s, p] > 0.0:
                    cells[s, p] = cells[s, p] * factor if (s, p) in cells else factor
    # cells sharing one factor (one measure over several sub-sectors) in one product
    groups: dict[tuple[int, int], tuple[F64, list[int]]] = {}
    for (s, p), factor in cells.items():
        groups.setdefault((p, id(factor)), (factor, []))[1].append(s)
    for (p, _), (factor, subs) in groups.items():
        if len(subs) == 1:
            out[:, p] += w[:, subs[0]] * (rate_kg_h[subs[0], p] * (factor - 1.0))
        else:
            out[:, p] += (w[:, subs] @ rate_kg_h[subs, p]) * (factor - 1.0)
    return out


def relative_change(emission_kg_h: ArrayLike, reference_kg_h: ArrayLike) -> F64:
    """``E/E_ref`` hour by hour and pollutant by pollutant; 1 where the reference is 0."""
    e = np.asarray(emission_kg_h, dtype=np.float64)
    ref = np.asarray(reference_kg_h, dtype=np.float64)
    shape = np.broadcast_shapes(e.shape, ref.shape)
    return np.divide(e, ref, out=np.ones(shape), where=ref > 0.0)
