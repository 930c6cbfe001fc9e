"""The chemistry of :mod:`sim.air.secondary` and :mod:`sim.air.ozone` over many rows at once,
stepped by compiled code.

:func:`inorganic_rows`, :func:`ozone_production_rows` and :func:`ozone_no2_rows` give the numbers
of :func:`sim.air.secondary.partition_inorganic`, :func:`sim.air.ozone.ozone_production_ug_m3_h`
and :func:`sim.air.ozone.ozone_no2_hourly` for arrays ``(..., n_hours)`` sharing one weather: the
weather's part is computed once per hour (:func:`sim.air.secondary.partition_weather`,
:func:`production_weather`, :func:`sim.air.ozone.partition_weather`) and the rest hour by hour
by the kernels of :mod:`sim.air.kernels` (tests/air/test_kernels.py compares them).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.air.kernels import (
    as_rows,
    inorganic_partition,
    no2_o3_partition,
    ozone_production,
    production_weather_rows,
)
from sim.air.ozone import (
    OzoneParams,
    hox_production_molec_cm3_s,
    molec_cm3_per_ug_m3,
    oh_reactivity_per_s,
    partition_weather,
)
from sim.air.secondary import M_NH3, M_NH4, M_NO2, M_NO3, M_O3, M_SO4

__all__ = [
    "inorganic_rows",
    "ozone_no2_rows",
    "ozone_production_rows",
    "production_constants",
    "production_weather",
]


def _f(x: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(x, dtype=np.float64)


def ozone_no2_rows(
    o3_background_ug_m3: NDArray[np.float64], produced_ug_m3: NDArray[np.float64],
    nox_ug_m3: NDArray[np.float64], solar_w_m2: ArrayLike, temperature_c: ArrayLike,
    params: OzoneParams,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:  # fmt: skip
    """O3 and NO2 (µg/m³) of :func:`ozone_no2_hourly` with ``produced_ug_m3`` given, for
    arrays ``(..., n_hours)`` of one shape and the weather ``(n_hours,)``: the same partition
    stepped by compiled code (:func:`sim.air.kernels.no2_o3_partition`)."""
    if np.any(o3_background_ug_m3 < 0) or np.any(nox_ug_m3 < 0):
        raise ValueError("o3_background_ug_m3 and nox_ug_m3 must be >= 0.")
    shape = o3_background_ug_m3.shape
    pot = np.add(o3_background_ug_m3, produced_ug_m3).reshape(-1, shape[-1])
    nox = np.ascontiguousarray(nox_ug_m3, dtype=np.float64).reshape(-1, shape[-1])
    o3_ppb, no2_ppb, j, k = (
        as_rows(w, shape) for w in partition_weather(solar_w_m2, temperature_c, params)
    )
    o3, no2 = no2_o3_partition(pot, nox, o3_ppb, no2_ppb, j, k, params.no2_fraction_fresh)
    return o3.reshape(shape), no2.reshape(shape)


def ozone_production_rows(
    nox_ug_m3: NDArray[np.float64], voc_ug_m3: NDArray[np.float64], co_ug_m3: NDArray[np.float64],
    solar_w_m2: ArrayLike, temperature_c: ArrayLike, params: OzoneParams,
    no_fraction: ArrayLike | None = None,
) -> NDArray[np.float64]:  # fmt: skip
    """:func:`ozone_production_ug_m3_h` for arrays ``(..., n_hours)`` of one shape, the weather
    and ``no_fraction`` ``(n_hours,)`` (or scalars): the same radical budget stepped by compiled
    code (:func:`sim.air.kernels.ozone_production`), the weather's part computed once."""
    shape = nox_ug_m3.shape
    nox, voc, co = (np.ascontiguousarray(a, dtype=np.float64).reshape(-1, shape[-1])
                    for a in (nox_ug_m3, voc_ug_m3, co_ug_m3))  # fmt: skip
    f_no = _f(params.no_fraction if no_fraction is None else no_fraction)
    q, ch4, bvoc, f_no = (
        as_rows(w, shape) for w in (*production_weather(solar_w_m2, temperature_c, params), f_no)
    )
    k = production_constants(params)
    return ozone_production(nox, voc, co, q, ch4, bvoc, f_no, k).reshape(shape)


def production_weather(
    solar_w_m2: ArrayLike, temperature_c: ArrayLike, params: OzoneParams
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """The weather's part of :func:`ozone_production_ug_m3_h`: the HOx production ``Q``
    (molecule/cm³/s) and the CH4 and isoprene OH reactivities (1/s).

    Those of :func:`oh_reactivity_per_s` and :func:`hox_production_molec_cm3_s`; an hourly
    series is made in one compiled pass (:func:`sim.air.kernels.production_weather_rows`, the
    exponentials numpy's), the same numbers.
    """
    t_c, solar = _f(temperature_c), _f(solar_w_m2)
    shape = np.broadcast_shapes(t_c.shape, solar.shape)
    if len(shape) != 1:
        react = oh_reactivity_per_s(0.0, 0.0, solar, t_c, params)
        return hox_production_molec_cm3_s(solar, t_c, params), react["CH4"], react["BVOC"]
    t_c = np.ascontiguousarray(np.broadcast_to(t_c, shape))
    constants = np.array([
        params.solar_ref_w_m2, params.bvoc_ppb, params.k_ch4_oh_cm3_s * params.ch4_ppb,
        params.k_bvoc_oh_cm3_s, params.hox_production_ppb_h,
    ])  # fmt: skip
    return production_weather_rows(
        np.ascontiguousarray(np.broadcast_to(solar, shape)), t_c,
        np.exp(params.bvoc_temperature_coeff_per_k * (t_c - 30.0)),
        np.exp(params.temperature_coeff_per_k * (t_c - 25.0)), constants,
    )  # fmt: skip


def production_constants(params: OzoneParams) -> NDArray[np.float64]:
    """The constants of the compiled production (:func:`sim.air.kernels.ozone_production`)."""
    return np.array([
        params.k_voc_oh_cm3_s, molec_cm3_per_ug_m3(params.voc_molar_mass_g_mol),
        params.k_co_oh_cm3_s, molec_cm3_per_ug_m3(28.01), molec_cm3_per_ug_m3(M_NO2),
        params.k_oh_no2_cm3_s, 2.0 * params.k_peroxy_cm3_s, params.k_ho2_no_cm3_s,
        params.o3_per_oxidation, 3600.0 / molec_cm3_per_ug_m3(M_O3),
    ])  # fmt: skip


def inorganic_rows(
    sulfate_ug_m3: NDArray[np.float64], nitrate_total_ug_m3: NDArray[np.float64],
    nh3_ug_m3: NDArray[np.float64], ppb_per_umol: NDArray[np.float64], kp_ppb2: NDArray[np.float64],
) -> NDArray[np.float64]:  # fmt: skip
    """Sulfate + particulate nitrate + ammonium, µg/m³, of :func:`partition_inorganic` for
    arrays ``(..., n_hours)`` of one shape, with the hour's :func:`partition_weather`
    ``(n_hours,)``: the same equations stepped by compiled code
    (:func:`sim.air.kernels.inorganic_partition`)."""
    shape = sulfate_ug_m3.shape
    sulfate, nitrate_total, nh3 = (
        np.ascontiguousarray(a, dtype=np.float64).reshape(-1, shape[-1])
        for a in (sulfate_ug_m3, nitrate_total_ug_m3, nh3_ug_m3)
    )
    nitrate, ammonium = inorganic_partition(
        sulfate, nitrate_total, nh3, as_rows(ppb_per_umol, shape), as_rows(kp_ppb2, shape),
        np.array([M_SO4, M_NO3, M_NH3, M_NH4]),
    )  # fmt: skip
    nitrate += sulfate
    nitrate += ammonium
    return nitrate.reshape(shape)
