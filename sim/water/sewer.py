"""Sewers and the treatment plant: where sewage and runoff go, step by step, with their loads.

Combined areas send sewage and runoff to the interceptor, whose capacity is (1 + n0) times the
dry-weather flow (interception ratio n0, GB 50014-2021 §4.1; 2-5 in DOMAIN.md §7, L); the excess
first fills a first-flush tank and then overflows (CSO) at the mixture's concentrations. Separate
areas send runoff, plus the cross-connected share of sewage, to rain outlets (the first flush
again captured by a tank), and the rest of the sewage to the plant. A tank is well mixed and
returns its content to the plant once the rain has stopped, through spare interceptor capacity.
The plant treats up to its capacity to the effluent limits (GB 18918-2002 class 1A by default)
and bypasses the rest untreated. Water and every pollutant balance exactly:
``inflow = sum(paths) + change in storage`` (plus ``removed`` at the plant).
Concentrations are mg/L (= g/m³), loads kg per step, volumes m³ per step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "GB18918_1A_MG_L",
    "FlowResult",
    "combined_sewer",
    "first_flush_volume_m3",
    "separate_sewer",
    "treatment_plant",
]

#: GB 18918-2002 class 1A effluent limits, mg/L (DOMAIN.md §7, H; NH3-N 5, 8 below 12 °C).
GB18918_1A_MG_L: Mapping[str, float] = {
    "cod": 50.0,
    "bod5": 10.0,
    "nh3n": 5.0,
    "tn": 15.0,
    "tp": 0.5,
}

Array = NDArray[np.float64]


@dataclass(frozen=True)
class FlowResult:
    """Water and loads by path, per step.

    Attributes
    ----------
    water_m3
        Volume per step by path, m³.
    load_kg
        Load per step by pollutant, then path, kg.
    storage_m3, storage_kg
        Tank content at the end of each step (m³; kg by pollutant); zeros without a tank.
    """

    water_m3: dict[str, Array]
    load_kg: dict[str, dict[str, Array]]
    storage_m3: Array
    storage_kg: dict[str, Array]

    def concentration_mg_l(self, path: str, pollutant: str) -> Array:
        """Mean concentration of a path in each step, mg/L (0 where there is no flow)."""
        w = self.water_m3[path]
        load = self.load_kg[pollutant][path]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(np.where(w > 0.0, 1e3 * load / np.where(w > 0, w, 1.0), 0.0))


def first_flush_volume_m3(depth_mm: float, impervious_area_m2: float) -> float:
    """Tank volume that holds the first ``depth_mm`` of runoff from the impervious area, m³.

    DOMAIN.md §7: 4-8 mm are usual (L); 3 mm capture 73-87 % of COD mass in Beijing (H).
    """
    if depth_mm < 0.0 or impervious_area_m2 < 0.0:
        raise ValueError("depth_mm and impervious_area_m2 must be >= 0.")
    return depth_mm * 1e-3 * impervious_area_m2


def _n_steps(*xs: ArrayLike) -> int:
    shape = np.broadcast_shapes(*(np.shape(x) for x in xs))
    if len(shape) > 1:
        raise ValueError("flows must be scalars or 1-D arrays over time steps.")
    return int(shape[0]) if shape else 1


def _steps(x: ArrayLike, n: int, name: str) -> Array:
    a = np.broadcast_to(np.asarray(x, dtype=np.float64), (n,)).copy()
    if np.any(a < 0.0) or not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite and >= 0.")
    return a


def _mixture(
    v_a: Array, c_a: Mapping[str, ArrayLike], v_b: Array, c_b: Mapping[str, ArrayLike]
) -> dict[str, Array]:
    """Loads (kg) of two volumes (m³) with concentrations (mg/L), per pollutant of either."""
    keys = sorted(set(c_a) | set(c_b))
    n = v_a.shape[0]
    return {
        k: 1e-3 * (v_a * _steps(c_a.get(k, 0.0), n, k) + v_b * _steps(c_b.get(k, 0.0), n, k))
        for k in keys
    }


def _split_with_tank(
    v_excess: Array,
    m_excess: dict[str, Array],
    v_spare: Array,
    raining: NDArray[np.bool_],
    tank_m3: float,
) -> tuple[Array, dict[str, Array], Array, dict[str, Array], Array, dict[str, Array]]:
    """Route an excess volume through a first-flush tank.

    Returns (overflow m³, overflow kg, returned m³, returned kg, storage m³, storage kg).
    """
    n = v_excess.shape[0]
    keys = list(m_excess)
    over_v, ret_v, store_v = np.zeros(n), np.zeros(n), np.zeros(n)
    over_m = {k: np.zeros(n) for k in keys}
    ret_m = {k: np.zeros(n) for k in keys}
    store_m = {k: np.zeros(n) for k in keys}
    if tank_m3 <= 0.0:
        over_m = {k: m.copy() for k, m in m_excess.items()}
        return v_excess.copy(), over_m, ret_v, ret_m, store_v, store_m
    vol = 0.0
    mass = dict.fromkeys(keys, 0.0)
    for t in range(n):
        ve = v_excess[t]
        if ve > 0.0:
            take = min(ve, tank_m3 - vol)
            share = take / ve
            for k in keys:
                mk = m_excess[k][t]
                mass[k] += mk * share
                over_m[k][t] = mk - mk * share
            vol += take
            over_v[t] = ve - take
        elif not raining[t] and vol > 0.0 and v_spare[t] > 0.0:
            out = min(vol, v_spare[t])
            share = out / vol
            for k in keys:
                mo = mass[k] * share
                ret_m[k][t] = mo
                mass[k] -= mo
            ret_v[t] = out
            vol -= out
        store_v[t] = vol
        for k in keys:
            store_m[k][t] = mass[k]
    return over_v, over_m, ret_v, ret_m, store_v, store_m


def combined_sewer(
    dt_s: float,
    sewage_m3_s: ArrayLike,
    sewage_mg_l: Mapping[str, ArrayLike],
    runoff_m3_s: ArrayLike,
    runoff_mg_l: Mapping[str, ArrayLike],
    dry_weather_flow_m3_s: float,
    interception_ratio: float = 3.0,
    tank_m3: float = 0.0,
) -> FlowResult:
    """A combined-sewer area: interceptor to the plant, first-flush tank, overflow (CSO).

    Parameters
    ----------
    dt_s
        Step, s.
    sewage_m3_s, sewage_mg_l
        Sewage flow per step and its concentrations (mg/L; scalars or per step).
    runoff_m3_s, runoff_mg_l
        Runoff entering the sewer per step and its concentrations.
    dry_weather_flow_m3_s
        Design dry-weather flow that sets the interceptor capacity (1 + n0)·Qdw, m³/s.
    interception_ratio
        n0, the multiple of dry-weather flow the interceptor takes on top of it (2-5, L).
    tank_m3
        First-flush tank volume, m³ (:func:`first_flush_volume_m3`).

    Returns
    -------
    FlowResult
        Paths ``to_plant`` (interceptor), ``tank_return`` (to the plant after the rain) and
        ``overflow`` (CSO to the river).
    """
    if dt_s <= 0.0 or dry_weather_flow_m3_s < 0.0 or interception_ratio < 0.0 or tank_m3 < 0.0:
        raise ValueError("dt_s must be > 0; capacity, ratio and tank must be >= 0.")
    n = _n_steps(sewage_m3_s, runoff_m3_s)
    v_s = _steps(sewage_m3_s, n, "sewage_m3_s") * dt_s
    v_r = _steps(runoff_m3_s, n, "runoff_m3_s") * dt_s
    m_in = _mixture(v_s, sewage_mg_l, v_r, runoff_mg_l)
    v_in = v_s + v_r
    v_cap = (1.0 + interception_ratio) * dry_weather_flow_m3_s * dt_s
    v_int = np.minimum(v_in, v_cap)
    with np.errstate(invalid="ignore", divide="ignore"):
        f_int = np.where(v_in > 0.0, v_int / np.where(v_in > 0, v_in, 1.0), 1.0)
    v_ex = v_in - v_int
    m_int = {k: m * f_int for k, m in m_in.items()}
    m_ex = {k: m - m_int[k] for k, m in m_in.items()}
    over_v, over_m, ret_v, ret_m, st_v, st_m = _split_with_tank(
        v_ex, m_ex, v_cap - v_int, v_r > 0.0, tank_m3
    )
    return FlowResult(
        water_m3={"to_plant": v_int, "tank_return": ret_v, "overflow": over_v},
        load_kg={
            k: {"to_plant": m_int[k], "tank_return": ret_m[k], "overflow": over_m[k]} for k in m_in
        },
        storage_m3=st_v,
        storage_kg=st_m,
    )


def separate_sewer(
    dt_s: float,
    sewage_m3_s: ArrayLike,
    sewage_mg_l: Mapping[str, ArrayLike],
    runoff_m3_s: ArrayLike,
    runoff_mg_l: Mapping[str, ArrayLike],
    cross_connected_share: float = 0.0,
    tank_m3: float = 0.0,
    tank_return_m3_s: float = np.inf,
) -> FlowResult:
    """A separate-sewer area: sanitary sewer to the plant, storm drain to rain outlets.

    Parameters
    ----------
    dt_s, sewage_m3_s, sewage_mg_l, runoff_m3_s, runoff_mg_l
        As in :func:`combined_sewer`.
    cross_connected_share
        Share (0-1) of sewage that reaches the storm drain through wrong connections
        (serious in most separate systems studied, DOMAIN.md §7).
    tank_m3
        First-flush tank on the storm drain, m³; it catches the first storm-drain flow while it
        rains (dry-weather cross-connected sewage passes to the outlet) and returns it to the plant.
    tank_return_m3_s
        Pumping rate from the tank to the sanitary sewer after the rain, m³/s.

    Returns
    -------
    FlowResult
        Paths ``to_plant`` (sanitary), ``tank_return`` and ``rain_outlet`` (to the river).
    """
    if dt_s <= 0.0 or not 0.0 <= cross_connected_share <= 1.0 or tank_m3 < 0.0:
        raise ValueError("dt_s must be > 0, cross_connected_share in [0, 1], tank_m3 >= 0.")
    n = _n_steps(sewage_m3_s, runoff_m3_s)
    v_s = _steps(sewage_m3_s, n, "sewage_m3_s") * dt_s
    v_r = _steps(runoff_m3_s, n, "runoff_m3_s") * dt_s
    keys = sorted(set(sewage_mg_l) | set(runoff_mg_l))
    sew = {k: 1e-3 * v_s * _steps(sewage_mg_l.get(k, 0.0), n, k) for k in keys}
    run = {k: 1e-3 * v_r * _steps(runoff_mg_l.get(k, 0.0), n, k) for k in keys}
    f = cross_connected_share
    v_plant = v_s * (1.0 - f)
    m_plant = {k: sew[k] * (1.0 - f) for k in keys}
    v_drain = v_r + v_s * f
    m_drain = {k: run[k] + (sew[k] - m_plant[k]) for k in keys}
    raining = v_r > 0.0
    v_to_tank = np.where(raining, v_drain, 0.0)
    m_to_tank = {k: np.where(raining, m, 0.0) for k, m in m_drain.items()}
    spare = np.full(n, tank_return_m3_s * dt_s)
    over_v, over_m, ret_v, ret_m, st_v, st_m = _split_with_tank(
        v_to_tank, m_to_tank, spare, raining, tank_m3
    )
    outlet_v = over_v + (v_drain - v_to_tank)
    outlet_m = {k: over_m[k] + (m_drain[k] - m_to_tank[k]) for k in keys}
    return FlowResult(
        water_m3={"to_plant": v_plant, "tank_return": ret_v, "rain_outlet": outlet_v},
        load_kg={
            k: {"to_plant": m_plant[k], "tank_return": ret_m[k], "rain_outlet": outlet_m[k]}
            for k in keys
        },
        storage_m3=st_v,
        storage_kg=st_m,
    )


def treatment_plant(
    dt_s: float,
    inflow_m3_s: ArrayLike,
    inflow_mg_l: Mapping[str, ArrayLike],
    capacity_m3_s: float,
    effluent_mg_l: Mapping[str, float] = GB18918_1A_MG_L,
) -> FlowResult:
    """A treatment plant: treats up to capacity to the effluent limits, bypasses the rest.

    Effluent concentration is ``min(influent, limit)`` for pollutants with a limit, the influent
    otherwise; the difference leaves as ``removed`` (sludge, air), a load path without water.

    Returns
    -------
    FlowResult
        Paths ``effluent``, ``bypass`` (untreated, to the river) and ``removed`` (loads only).
    """
    if dt_s <= 0.0 or capacity_m3_s < 0.0:
        raise ValueError(f"dt_s(={dt_s}) must be > 0 and capacity_m3_s(={capacity_m3_s}) >= 0.")
    q = np.atleast_1d(np.asarray(inflow_m3_s, dtype=np.float64))
    n = q.shape[0]
    v_in = _steps(q, n, "inflow_m3_s") * dt_s
    v_treat = np.minimum(v_in, capacity_m3_s * dt_s)
    v_bypass = v_in - v_treat
    loads: dict[str, dict[str, Array]] = {}
    for k, c in inflow_mg_l.items():
        c_in = _steps(c, n, k)
        c_out = np.minimum(c_in, effluent_mg_l[k]) if k in effluent_mg_l else c_in
        treated_in = 1e-3 * v_treat * c_in
        effluent = 1e-3 * v_treat * c_out
        loads[k] = {
            "effluent": effluent,
            "bypass": 1e-3 * v_bypass * c_in,
            "removed": treated_in - effluent,
        }
    return FlowResult(
        water_m3={"effluent": v_treat, "bypass": v_bypass, "removed": np.zeros(n)},
        load_kg=loads,
        storage_m3=np.zeros(n),
        storage_kg={k: np.zeros(n) for k in inflow_mg_l},
    )
