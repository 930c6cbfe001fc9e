"""Outlets one by one (issue 16): the dry-weather sewage each listed outlet sends to its river.

An outlet in the scenario's ``outlet_list`` carries ``dry_weather_m3_d`` of its area's sewage
straight to the river (illicit connections, broken or missing weirs), in combined and separate
areas alike, until it is remediated (the ``water.outlet_remediated`` stream); then that sewage
stays in the sewers. The outlet's share of its area's sewage is dw / the area's mean sewage flow,
taken from the hourly sewage at its composition, so the sewage is conserved and what the
outlet carries follows the diurnal curve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.scenario.sections.water import WaterConfig, listed_outlets

__all__ = ["OUTLET_COLUMNS", "OutletLoads", "split_outlets"]

Array = NDArray[np.float64]

#: Columns of ``outlets.csv``.
OUTLET_COLUMNS = (
    "outlet", "area", "kind", "remediated_on",
    "cod_before_t", "cod_after_t", "nh3n_before_t", "nh3n_after_t",
)  # fmt: skip


@dataclass(frozen=True)
class OutletLoads:
    """Hourly direct discharges by area (m³ and kg per hour) and the per-outlet table."""

    direct_m3: Array  # (n_hours, n_areas)
    direct_kg: Array  # (n_hours, n_areas, n_pollutants)
    table: pd.DataFrame


def split_outlets(
    cfg: WaterConfig,
    days: pd.DatetimeIndex,
    day_index: NDArray[np.int64],
    sewage: tuple[Array, Array],
    q_mean_m3_s: Array,
    remediated: Array,
    pollutants: tuple[str, ...],
    dt_s: float = 3600.0,
) -> tuple[Array, Array, OutletLoads]:
    """Split each area's hourly sewage (flow m³/s, load g/s) into what stays in the sewers and
    what its unremediated listed outlets discharge (``q_mean_m3_s``: each area's mean sewage
    flow over the run); ``remediated`` is the hourly
    ``water.outlet_remediated`` series ``(n_hours, n_listed)``."""
    sew_q, sew_g = sewage
    outlets = listed_outlets(cfg)
    n_t, n_a = sew_q.shape
    if not outlets:
        empty = pd.DataFrame(columns=list(OUTLET_COLUMNS))
        zero = np.zeros((n_t, n_a))
        return sew_q, sew_g, OutletLoads(zero, np.zeros((*zero.shape, sew_g.shape[-1])), empty)
    area = np.array([j for j, _ in outlets])
    # share of the area's sewage each outlet carries; an area's shares together at most 1
    share = np.array([o.dry_weather_m3_d / 86400.0 for _, o in outlets]) / q_mean_m3_s[area]
    total = np.bincount(area, weights=share, minlength=n_a)
    share = share / np.maximum(1.0, total[area])
    # the remediation state changes at a few hours only: work on its constant pieces
    rem = remediated[:, : len(outlets)]
    if rem.strides[0] == 0:  # one row for every hour (a constant state): one piece
        starts = np.zeros(1, dtype=np.int64)
    else:
        starts = np.r_[0, np.flatnonzero((rem[1:] != rem[:-1]).any(axis=1)) + 1]
    piece = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, n_t]))
    by_area = np.zeros((len(outlets), n_a))
    by_area[np.arange(len(outlets)), area] = share
    f = ((1.0 - rem[starts]) @ by_area)[piece]  # each area's open share (0 when all closed)
    direct_q = sew_q * f
    direct_g = sew_g * f[..., None]
    table = _table(cfg, days, day_index, sew_g, share, (starts, rem[starts]), pollutants, dt_s)
    loads = OutletLoads(direct_q * dt_s, direct_g * (dt_s * 1e-3), table)
    return sew_q - direct_q, sew_g - direct_g, loads


def _table(
    cfg: WaterConfig,
    days: pd.DatetimeIndex,
    day_index: NDArray[np.int64],
    sew_g: Array,
    share: Array,
    remediated: tuple[NDArray[np.int64], Array],
    pollutants: tuple[str, ...],
    dt_s: float,
) -> pd.DataFrame:
    """One row per listed outlet: annual COD and NH3-N to the river without and with
    remediation, t, and the day it was remediated ('' if never; the first day if at the start).
    ``remediated``: the first hour of each constant piece of the state and its value there."""
    outlets = listed_outlets(cfg)
    n_l = len(outlets)
    area = np.array([j for j, _ in outlets])
    starts, values = remediated
    done = values > 0.5  # (n_pieces, n_l)
    cols = [pollutants.index(p) for p in ("cod", "nh3n")]
    n_t, n_a = sew_g.shape[:2]
    g = np.ascontiguousarray(sew_g[..., cols]).reshape(n_t, 2 * n_a) * (dt_s * 1e-6)  # t/h
    g_piece = np.add.reduceat(g, starts, axis=0)
    before = g_piece.sum(axis=0).reshape(n_a, 2)[area] * share[:, None]
    after = ((~done).astype(np.float64).T @ g_piece).reshape(n_l, n_a, 2)[np.arange(n_l), area]
    after *= share[:, None]
    first_done: list[int] = starts[done.argmax(axis=0)].tolist()
    any_done: list[bool] = np.asarray(done.any(axis=0)).tolist()
    columns = {
        "outlet": [o.name for _, o in outlets],
        "area": [cfg.drainage_areas[j].name for j, _ in outlets],
        "kind": [o.kind for _, o in outlets],
        "remediated_on": [
            date if on else ""
            for date, on in zip(_iso_dates(days, day_index[first_done]), any_done, strict=True)
        ],
    }
    for i, p in enumerate(("cod", "nh3n")):
        columns[f"{p}_before_t"] = [round(v, 6) for v in before[:, i].tolist()]
        columns[f"{p}_after_t"] = [round(v, 6) for v in after[:, i].tolist()]
    return pd.DataFrame(columns, columns=list(OUTLET_COLUMNS))


def _iso_dates(days: pd.DatetimeIndex, index: NDArray[np.int64]) -> list[str]:
    """``days[index]`` as ``YYYY-MM-DD`` strings, in one call (no Timestamp per outlet)."""
    return [str(d) for d in np.datetime_as_string(days.values[index], unit="D")]
