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

from sim.water.stores import pipe_store_hours, tank_hours

__all__ = ["DrainageInputs", "DrainageResult", "area_total", "pipe_storage", "route_drainage"]

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


def _tank(
    wet: tuple[NDArray[np.int64], Array, Array],
    spare_v: Array,
    raining: NDArray[np.bool_],
    tank_m3: Array,
) -> tuple[Array, Array, Array, Array, Array]:
    """Route wet-weather discharge through first-flush tanks (compiled hourly loop,
    :func:`sim.water.stores.tank_hours`). ``wet``: the rain hours and the discharge's volume and
    load in them.

    Returns the share of each hour's discharge captured ``(n_t, n_a)``, the returned volume and
    load, and the storage (m³, kg) at the end of each hour.
    """
    rows, wet_v, wet_m = wet
    n_t, n_a = spare_v.shape
    n_p = wet_m.shape[-1]
    row_of = np.full(n_t, -1, dtype=np.int64)
    row_of[rows] = np.arange(rows.size)
    out_v = [np.zeros((n_t, n_a)) for _ in range(3)]
    out_m = [_zero_loads((n_t, n_a, n_p)) for _ in range(2)]
    tank_hours(wet_v, wet_m, row_of, spare_v, raining, np.broadcast_to(tank_m3, (n_t, n_a)),
               out_v[0], out_v[1], out_m[0], out_v[2], out_m[1])  # fmt: skip
    return out_v[0], out_v[1], out_m[0], out_v[2], out_m[1]


def pipe_storage(
    excess_m3: Array, excess_kg: Array, spare_m3: Array, capacity_m3: Array
) -> tuple[Array, Array, Array, Array, Array, Array]:
    """Route the combined excess through in-pipe storage (a well-mixed reservoir per area).

    Each hour the excess ``e`` joins the stored volume ``S``; what exceeds the capacity ``C``
    overflows at the mixture's concentration; then the store drains up to the spare interceptor
    capacity ``s``: ``S <- min(S + e, C) - min(min(S + e, C), s)``, the load in proportion. A
    scalar recurrence per area, stepped by compiled code (:func:`sim.water.stores.pipe_store_hours`)
    over the hours with excess or water in store.

    Returns
    -------
    tuple
        Overflow volume and load, returned (to the interceptor) volume and load, and the
        stored volume and load at the end of each hour; shapes as ``excess_m3``/``excess_kg``.
    """
    n_t, n_a = excess_m3.shape
    over_v, ret_v, sto_v = excess_m3.copy(), np.zeros((n_t, n_a)), np.zeros((n_t, n_a))
    over_m = excess_kg.copy(order="K")  # loads keep their (pollutant-major) layout
    ret_m, sto_m = _zero_loads(excess_kg.shape), _zero_loads(excess_kg.shape)
    pipe_store_hours(excess_m3, excess_kg, spare_m3, np.broadcast_to(capacity_m3, (n_t, n_a)),
                     over_v, over_m, ret_v, ret_m, sto_v, sto_m)  # fmt: skip
    return over_v, over_m, ret_v, ret_m, sto_v, sto_m


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


def _combined_part(
    x: DrainageInputs, in_v: Array, in_m: Array, dt_s: float
) -> tuple[Array, Array, Array, Array, Array, tuple[Array, Array, Array, Array] | None]:
    """The combined part: the interceptor takes up to its capacity at the mixture's
    concentrations; the excess goes through in-pipe storage (:func:`pipe_storage`).

    Returns the intercepted volume, the intercepted share of the area's inflow, the spare
    interceptor capacity left, the excess over the weirs (volume, load) and the in-pipe
    storage's (returned volume, returned load, stored volume, stored load; None without
    in-pipe storage).
    """
    c = x.combined_fraction
    cin_v = c * in_v
    cap_v = np.broadcast_to(x.interceptor_m3_s * dt_s, cin_v.shape)
    int_v = np.minimum(cin_v, cap_v)
    f_int = np.where(cin_v > 0.0, int_v / np.where(cin_v > 0.0, cin_v, 1.0), 1.0)
    spare = np.maximum(cap_v - int_v, 0.0)
    n_t, n_a = cin_v.shape
    exc_v, exc_m = cin_v - int_v, in_m * (c * (1.0 - f_int))[..., None]
    pipes = None if x.pipe_storage_m3 is None else np.broadcast_to(x.pipe_storage_m3, (n_t, n_a))
    if pipes is None or float(pipes.max()) <= 0.0:
        return int_v, c * f_int, spare, exc_v, exc_m, None
    exc_v, exc_m, pr_v, pr_m, psto_v, psto_m = pipe_storage(exc_v, exc_m, spare, pipes)
    return int_v, c * f_int, spare - pr_v, exc_v, exc_m, (pr_v, pr_m, psto_v, psto_m)


def _zero_loads(shape: tuple[int, ...]) -> Array:
    """Zero loads ``(n_t, n_a, n_p)`` laid out pollutant-major, as the loads this module makes
    (arithmetic between arrays of one layout needs no copies)."""
    return np.moveaxis(np.zeros((shape[-1], *shape[:-1])), 0, -1)


def _plant(
    plant_v: Array, plant_m: Array, capacity_m3: float, effluent_mg_l: Array
) -> tuple[dict[str, Array], dict[str, Array], Array, Array]:
    """Treat what reaches the plant (per area and hour) up to its capacity; bypass the rest.

    Returns the district's plant volumes and loads by path (``effluent``, ``bypass``,
    ``removed``) and each area's share of the bypass (volume, load), in proportion to what it
    sent that hour.
    """
    p_in_v = area_total(plant_v)
    p_in_m = area_total(plant_m)
    treat_v = np.minimum(p_in_v, capacity_m3)
    f_t = np.where(p_in_v > 0.0, treat_v / np.where(p_in_v > 0.0, p_in_v, 1.0), 0.0)
    treated_m = p_in_m * f_t[:, None]
    conc_in = np.where(
        p_in_v[:, None] > 0.0, p_in_m / np.where(p_in_v > 0, p_in_v, 1.0)[:, None], 0.0
    )
    eff_m = np.minimum(
        treat_v[:, None] * np.minimum(conc_in, effluent_mg_l[None] * 1e-3), treated_m
    )
    by = 1.0 - f_t
    plant_m3 = {"effluent": treat_v, "bypass": p_in_v - treat_v}
    plant_kg = {"effluent": eff_m, "bypass": p_in_m - treated_m, "removed": treated_m - eff_m}
    return plant_m3, plant_kg, plant_v * by[:, None], plant_m * by[:, None, None]


def route_drainage(x: DrainageInputs, dt_s: float = 3600.0) -> DrainageResult:
    """Route one run's hourly sewage, runoff and dumping through the network and the plant.

    Every path is an algebraic split of the hour's inflows (shares of sewage, runoff and
    dumping, worked out on ``(n_hours, n_areas)`` arrays and applied once to each load); only
    in-pipe storage (:func:`pipe_storage`) and the first-flush tanks (:func:`_tank`) need a
    recurrence, and only where they hold water.
    """
    g = dt_s * 1e-3  # g/s -> kg per step
    sep = 1.0 - x.combined_fraction
    s_v, r_v, d_v = x.sewage_m3_s * dt_s, x.runoff_m3_s * dt_s, x.dumping_m3_s * dt_s
    s_g, r_g, d_g = x.sewage_g_s, x.runoff_g_s, x.dumping_g_s
    raining: NDArray[np.bool_] = np.asarray((x.runoff_m3_s > 0.0).any(axis=1))
    wet = raining[:, None]
    in_v = s_v + r_v + d_v
    in_m = s_g + r_g
    in_m += d_g
    in_m *= g
    int_v, c_int, spare, exc_v, exc_m, piped = _combined_part(x, in_v, in_m, dt_s)
    # separate part
    xs = x.cross_connected_share
    san_v = sep * s_v * (1.0 - xs)
    xc_v = sep * (s_v * xs + d_v)
    st_v = sep * r_v
    # dry hours: remediated outlets and the off-season rule send storm-drain flow to the plant
    held = np.where(wet, 0.0, 1.0 - (1.0 - x.remediated_share) * (1.0 - x.offseason_closure))
    # to the plant: intercepted mixture, pipe-storage return, separate sewage, storm-drain flow
    # held back
    plant_v = int_v + san_v + xc_v * held
    plant_m = in_m * c_int[..., None]
    plant_m += s_g * ((sep * (1.0 - xs) + sep * xs * held) * g)[..., None]
    plant_m += d_g * (sep * held * g)[..., None]
    if piped is not None:
        plant_v += piped[0]
        plant_m += piped[1]
    water, load, stored = _outlets(x, (exc_v, exc_m), (xc_v, st_v), held, spare, raining, g)
    if piped is not None:
        stored = (stored[0] + piped[2], stored[1] + piped[3])
    cap = x.plant_capacity_m3_s * dt_s
    in_v_plant, in_m_plant = plant_v, plant_m
    if np.any(water["tank_return"]):  # what the tanks return reaches the plant too
        in_v_plant, in_m_plant = plant_v + water["tank_return"], plant_m + load["tank_return"]
    plant_m3, plant_kg, by_v, by_m = _plant(in_v_plant, in_m_plant, cap, x.effluent_mg_l)
    return DrainageResult(
        water_m3={**water, "to_plant": plant_v},
        load_kg={**load, "to_plant": plant_m},
        storage_m3=stored[0],
        storage_kg=stored[1],
        inflow_m3=in_v,
        inflow_kg=in_m,
        plant_m3=plant_m3,
        plant_kg=plant_kg,
        wet=raining,
        bypass_m3=by_v,
        bypass_kg=by_m,
    )


def _outlets(
    x: DrainageInputs,
    excess: tuple[Array, Array],
    storm: tuple[Array, Array],
    held: Array,
    spare: Array,
    raining: NDArray[np.bool_],
    g: float,
) -> tuple[dict[str, Array], dict[str, Array], tuple[Array, Array]]:
    """What leaves through the outlets (overflow, rain outlets, cross-connections) after the
    first-flush tanks, what the tanks return to the plant, and what they hold: volumes, loads
    by path and the storage (volume, load). ``storm``: cross-connected and storm-drain volumes
    of the separate part; ``held``: the share of dry-weather storm-drain flow sent to the plant.
    """
    exc_v, exc_m = excess
    xc_v, st_v = storm
    s_g, r_g, d_g = x.sewage_g_s, x.runoff_g_s, x.dumping_g_s
    sep, xs = 1.0 - x.combined_fraction, x.cross_connected_share
    tank = np.asarray(x.tank_m3, dtype=np.float64)
    if not (bool(tank.size) and float(tank.max()) > 0.0):  # no tanks: nothing captured
        shape_m = exc_m.shape
        cross_keep = 1.0 - held
        cross_m = s_g * (sep * xs * cross_keep * g)[..., None]
        cross_m += d_g * (sep * cross_keep * g)[..., None]
        water = {"overflow": exc_v, "rain_outlet": st_v, "cross_connection": xc_v * cross_keep,
                 "tank_return": np.zeros(exc_v.shape)}  # fmt: skip
        load = {"overflow": exc_m, "rain_outlet": r_g * (sep * g)[..., None],
                "cross_connection": cross_m, "tank_return": _zero_loads(shape_m)}  # fmt: skip
        return water, load, (np.zeros(exc_v.shape), _zero_loads(shape_m))
    # wet-weather discharge, only in the hours it rains (the tanks fill only then)
    r = np.flatnonzero(raining)
    wet_v = exc_v[r] + (st_v[r] + xc_v[r])
    xc_m = s_g[r] * (sep[r] * xs[r] * g)[..., None] + d_g[r] * (sep[r] * g)[..., None]
    wet_m = exc_m[r] + (r_g[r] * (sep[r] * g)[..., None] + xc_m)
    share, ret_v, ret_m, sto_v, sto_m = _tank((r, wet_v, wet_m), spare, raining, tank * 1.0)
    keep = 1.0 - share
    # in dry hours keep = 1 (tanks fill only while it rains); in wet hours held = 0
    cross_keep = keep * (1.0 - held)
    cross_m = s_g * (sep * xs * cross_keep * g)[..., None]
    cross_m += d_g * (sep * cross_keep * g)[..., None]
    water = {"overflow": exc_v * keep, "rain_outlet": st_v * keep,
             "cross_connection": xc_v * cross_keep, "tank_return": ret_v}  # fmt: skip
    load = {"overflow": exc_m * keep[..., None], "rain_outlet": r_g * (sep * keep * g)[..., None],
            "cross_connection": cross_m, "tank_return": ret_m}  # fmt: skip
    return water, load, (sto_v, sto_m)
