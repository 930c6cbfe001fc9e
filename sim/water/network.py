"""The drainage network of many areas, hour by hour: sewers, first-flush tanks, outlets, plant.

Each area is partly combined (share ``c``) and partly separate. Per hour, vectorised over areas:

- combined part: ``c·(sewage + runoff + dumping)`` reaches the interceptor, capacity
  ``(1 + n0)·Qdw`` of the whole area (so separating part of an area frees interceptor capacity);
  the excess is wet-weather discharge;
- separate part: ``(1 - c)·sewage·(1 - x)`` goes to the plant; ``(1 - c)·(sewage·x + dumping)``
  (cross-connections, dumping) and ``(1 - c)·runoff`` go to the storm drain. In dry hours the storm
  drain's flow leaves through rain outlets except the share intercepted by remediated outlets
  (``r``) or held back by the rule against discharging outside the flood season (``z``); in wet
  hours storm-drain flow is wet-weather discharge;
- the combined excess first fills the sewers' own storage below the overflow weirs (in-pipe
  storage, well mixed), which drains back to the interceptor through spare capacity; only what
  does not fit overflows;
- wet-weather discharge then fills the area's first-flush tank (well mixed, taken in proportion
  to its components), the rest overflows (CSO), leaves as rain-outlet runoff or as cross-connected
  sewage; a tank empties to the plant after the rain through spare interceptor capacity;
- the plant treats up to its capacity to its effluent limits and bypasses the rest; the bypass
  is booked back to the areas in proportion to what each sent that hour (pumping stations
  discharging to their rivers when the plant is full).

Water and every pollutant balance exactly: inflow = overflow + rain_outlet + cross_connection +
to_plant + tank_return + stored; to_plant + tank_return = effluent + bypass (+ removed for loads).
Flows m³/s in, volumes m³ and loads kg per hour out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.water.network_hours import PATHS, day_sums, network_hours, plant_hours

__all__ = ["DrainageInputs", "DrainageResult", "area_total", "route_drainage"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class DrainageInputs:
    """Hourly inputs, shape ``(n_hours, n_areas)``; loads ``(n_hours, n_areas, n_pollutants)``.

    Attributes
    ----------
    sewage_m3_s, sewage_g_s
        Dry-weather sewage (domestic, commercial, hospital): flow and load (g/s).
    runoff_m3_s, runoff_g_s
        Surface runoff and its wash-off load.
    dumping_m3_s, dumping_g_s
        Illicit discharges into rain drains.
    combined_fraction, cross_connected_share, remediated_share, offseason_closure
        State shares, 0-1 (see the module docstring).
    tank_m3
        First-flush tank volume per area, m³.
    interceptor_m3_s
        Interceptor capacity per area, m³/s, shape ``(n_areas,)``.
    plant_capacity_m3_s
        Plant capacity, m³/s.
    effluent_mg_l
        Plant effluent limit per pollutant, shape ``(n_pollutants,)``.
    pipe_storage_m3
        In-pipe storage of the combined part below the overflow weirs, m³ (None: none).
    """

    sewage_m3_s: Array
    sewage_g_s: Array
    runoff_m3_s: Array
    runoff_g_s: Array
    dumping_m3_s: Array
    dumping_g_s: Array
    combined_fraction: Array
    cross_connected_share: Array
    remediated_share: Array
    offseason_closure: Array
    tank_m3: Array
    interceptor_m3_s: Array
    plant_capacity_m3_s: float
    effluent_mg_l: Array
    pipe_storage_m3: Array | None = None


@dataclass(frozen=True)
class DrainageResult:
    """Volumes (m³, ``(n_hours, n_areas)``) and loads (kg, ``(n_hours, n_areas, n_pollutants)``)
    by path; plant paths are district totals ``(n_hours,)`` / ``(n_hours, n_pollutants)``."""

    water_m3: dict[str, Array]
    load_kg: dict[str, Array]
    storage_m3: Array
    storage_kg: Array
    inflow_m3: Array
    inflow_kg: Array
    plant_m3: dict[str, Array]
    plant_kg: dict[str, Array]
    wet: NDArray[np.bool_]  # (n_hours,): hours with runoff in any area
    bypass_m3: Array  # (n_hours, n_areas): each area's share of the plant's bypass
    bypass_kg: Array  # (n_hours, n_areas, n_pollutants)
    #: daily sums by area of every path and of the bypass (``route_drainage(days=...)``):
    #: volumes (n_days, n_areas), loads (n_days, n_areas, n_pollutants)
    daily_m3: dict[str, Array] | None = None
    daily_kg: dict[str, Array] | None = None


def area_total(x: Array) -> Array:
    """Sum over the area axis (axis 1) of ``(n_hours, n_areas)`` or ``(n_hours, n_areas, n_p)``.

    ``ndarray.sum(axis=1)`` over a handful of areas runs a tiny inner loop per hour; a
    matrix-vector product over contiguous rows (pollutant-major for loads, the layout this
    module produces) is an order of magnitude faster.
    """
    arr = np.asarray(x, dtype=np.float64)
    ones = np.ones(arr.shape[1])
    if arr.ndim == 2:
        return np.asarray(np.ascontiguousarray(arr) @ ones)
    p_major = np.ascontiguousarray(np.moveaxis(arr, -1, 0))  # (n_p, n_t, n_a): no copy if so
    n_p, n_t, n_a = p_major.shape
    return np.asarray((p_major.reshape(-1, n_a) @ ones).reshape(n_p, n_t).T)


def route_drainage(
    x: DrainageInputs, dt_s: float = 3600.0, days: tuple[NDArray[np.int64], int] | None = None
) -> DrainageResult:
    """Route one run's hourly sewage, runoff and dumping through the network and the plant.

    Every path is an algebraic split of the hour's inflows; in-pipe storage and the first-flush
    tanks are recurrences in time, stepped where they hold water. All of it runs in one
    compiled pass over the hours and areas (:func:`sim.water.network_hours.network_hours`),
    the plant in a second over the hours (:func:`sim.water.network_hours.plant_hours`).
    Loads come out pollutant-major (views ``(n_hours, n_areas, n_p)`` of contiguous
    ``(n_p, n_hours, n_areas)`` blocks). ``days``: each hour's day and the number of days;
    given, the daily sums by area of every path and of the bypass are summed on the way
    (:attr:`DrainageResult.daily_m3`, :attr:`DrainageResult.daily_kg`).
    """
    n_t, n_a, n_p = np.shape(x.sewage_g_s)
    shape = (n_t, n_a)
    raining: NDArray[np.bool_] = np.asarray((np.asarray(x.runoff_m3_s) > 0.0).any(axis=1))
    tank = _f64(x.tank_m3, shape)
    pipes = _f64(0.0 if x.pipe_storage_m3 is None else x.pipe_storage_m3, shape)
    use = (float(pipes.max(initial=0.0)) > 0.0, float(tank.max(initial=0.0)) > 0.0)
    vol, load = np.empty((len(PATHS), n_t, n_a)), np.empty((len(PATHS), n_p, n_t, n_a))
    f, fm = (lambda a: _f64(a, shape)), (lambda a: _f64(a, (*shape, n_p)))
    network_hours(
        (f(x.sewage_m3_s), f(x.runoff_m3_s), f(x.dumping_m3_s)),
        (fm(x.sewage_g_s), fm(x.runoff_g_s), fm(x.dumping_g_s)),
        (f(x.combined_fraction), f(x.cross_connected_share), f(x.remediated_share),
         f(x.offseason_closure)),
        (tank, pipes), _f64(x.interceptor_m3_s, (n_a,)), raining, float(dt_s), use, vol, load,
    )  # fmt: skip
    plant_v, plant_m = np.empty((2, n_t)), np.empty((3, n_p, n_t))
    by_v, by_m = np.empty((1, *shape)), np.empty((1, n_p, *shape))
    plant_hours(vol, load, float(x.plant_capacity_m3_s * dt_s), _f64(x.effluent_mg_l, (n_p,)),
                plant_v, plant_m, by_v, by_m)  # fmt: skip
    water = {k: vol[i] for i, k in enumerate(PATHS)}
    loads = {k: np.moveaxis(load[i], 0, -1) for i, k in enumerate(PATHS)}
    daily_m3, daily_kg = (None, None) if days is None else _daily(vol, load, (by_v, by_m), days)
    return DrainageResult(
        water_m3={k: water[k] for k in _PATHS},
        load_kg={k: loads[k] for k in _PATHS},
        storage_m3=water["storage"],
        storage_kg=loads["storage"],
        inflow_m3=water["inflow"],
        inflow_kg=loads["inflow"],
        plant_m3={"effluent": plant_v[0], "bypass": plant_v[1]},
        plant_kg={"effluent": plant_m[0].T, "bypass": plant_m[1].T, "removed": plant_m[2].T},
        wet=raining,
        bypass_m3=by_v[0],
        bypass_kg=np.moveaxis(by_m[0], 0, -1),
        daily_m3=daily_m3,
        daily_kg=daily_kg,
    )


def _daily(
    vol: Array, load: Array, bypass: tuple[Array, Array], days: tuple[NDArray[np.int64], int]
) -> tuple[dict[str, Array], dict[str, Array]]:
    """Daily sums by area of the five paths and the bypass (volumes, loads), over
    the contiguous hourly blocks (compiled: :func:`sim.water.network_hours.day_sums`)."""
    day_index, n_days = np.asarray(days[0], dtype=np.int64), int(days[1])
    n_p, n_a = load.shape[1], load.shape[3]
    names = (*PATHS[:5], "bypass")
    out_v, out_m = np.zeros((6, n_days, n_a)), np.zeros((6, n_p, n_days, n_a))
    day_sums(vol[:5], day_index, out_v[:5])
    day_sums(load[:5].reshape(5 * n_p, -1, n_a), day_index, out_m[:5].reshape(5 * n_p, -1, n_a))
    day_sums(bypass[0], day_index, out_v[5:])
    day_sums(bypass[1][0], day_index, out_m[5])
    return (
        {k: out_v[i] for i, k in enumerate(names)},
        {k: np.moveaxis(out_m[i], 0, -1) for i, k in enumerate(names)},
    )


#: The network's paths (the rest of :data:`sim.water.network_hours.PATHS` is storage, inflow).
_PATHS = ("overflow", "rain_outlet", "cross_connection", "to_plant", "tank_return")


def _f64(a: Array | float, shape: tuple[int, ...]) -> Array:
    """``a`` as float64 broadcast to ``shape`` (a view where it already is one)."""
    return np.broadcast_to(np.asarray(a, dtype=np.float64), shape)
