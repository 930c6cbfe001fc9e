"""Ozone: OH reactivity, radical (HOx) budget, O3 production and the NO-NO2-O3 partition, hourly.

A transparent shortcut meant to be calibrated (``sim calibrate``), not a chemical transport model.
Concentrations are µg/m³ (NOx as NO2 mass, VOC as non-methane VOC mass), temperature °C, global
irradiance W/m². Conversions between µg/m³, ppb and molecule/cm³ assume 1 atm.

References
----------
Thornton, J.A. et al. (2002), "Ozone production rates as a function of NOx abundances and HOx
production rates in the Nashville urban plume", *J. Geophys. Res.* 107(D12), 4146 (the analytical
P(O3) used here). Kleinman, L.I. et al. (1997), *Geophys. Res. Lett.* 24, 2299 (L_N/Q regime
indicator). Leighton, P.A. (1961), *Photochemistry of Air Pollution* (NO-NO2-O3 photostationary
state). Seinfeld, J.H. and Pandis, S.N. (2016), *Atmospheric Chemistry and Physics*, 3rd ed.
(rate constants, Table B.1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.air.secondary import M_NO2, M_O3

__all__ = [
    "OzoneParams",
    "hox_production_molec_cm3_s",
    "molec_cm3_per_ug_m3",
    "nox_limited",
    "oh_reactivity_per_s",
    "ozone_hourly",
    "ozone_no2_hourly",
    "ozone_production_ug_m3_h",
    "partition_weather",
    "photostationary_no_fraction",
]

_N_A = 6.02214076e23
_R_L_ATM = 0.0820574  # L·atm/(mol·K)


def _f(x: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(x, dtype=np.float64)


def _ppb_per_ug_m3(molar_mass: float, temperature_c: ArrayLike) -> NDArray[np.float64]:
    """ppb per µg/m³ at 1 atm: ``R·T/M`` (24.47/M at 25 °C)."""
    return _R_L_ATM * (_f(temperature_c) + 273.15) / molar_mass


def molec_cm3_per_ug_m3(molar_mass: float) -> float:
    """molecule/cm³ per µg/m³: ``1e-12·N_A/M``."""
    return 1e-12 * _N_A / molar_mass


def _air_molec_cm3(temperature_c: ArrayLike) -> NDArray[np.float64]:
    """Air number density at 1 atm, molecule/cm³ (2.46e19 at 25 °C)."""
    return 101325.0 / (1.380649e-23 * (_f(temperature_c) + 273.15)) * 1e-6


@dataclass(frozen=True)
class OzoneParams:
    """Parameters of :func:`ozone_hourly`; confidence marks as in DOMAIN.md.

    Attributes
    ----------
    hox_production_ppb_h
        Radical (HOx) production ``Q`` at ``solar_ref_w_m2`` and 25 °C, ppb/h (L: 1-5 ppb/h in
        polluted summer air; Thornton et al. 2002 used 0.1-1 ppt/s; calibrate).
    solar_ref_w_m2
        Irradiance of the reference ``Q`` and ``J(NO2)`` (assumed: clear-sky summer noon).
    temperature_coeff_per_k
        ``Q`` grows as ``exp(c·(T - 25))`` (L: the observed O3-temperature slope; calibrate).
    k_voc_oh_cm3_s, voc_molar_mass_g_mol
        OH reactivity of the VOC mix (L, as :class:`SecondaryParams`).
    k_oh_no2_cm3_s, k_ho2_no_cm3_s, k_peroxy_cm3_s
        OH + NO2, HO2 + NO and effective peroxy self-reaction rate constants (M: S&P / JPL at
        298 K: 1.1e-11, 8.1e-12; ~5e-12 for HO2 + RO2 as in Thornton et al. 2002).
    no_fraction
        Daytime NO/NOx in the production term (L: 0.2-0.3 in urban air).
    o3_per_oxidation
        O3 molecules per VOC + OH reaction (M: 2, one from RO2 + NO and one from HO2 + NO).
    accumulation_time_h
        Hours of production the air carries (L: photochemical age; calibrate).
    jno2_ref_per_s
        NO2 photolysis at ``solar_ref_w_m2``, 1/s (M: ~8e-3 at high sun, S&P §5.3).
    k_no_o3_cm3_s
        NO + O3 rate constant at 298 K (M: 1.9e-14, S&P / JPL).
    no2_fraction_fresh
        NO2 share of NOx before it reacts with O3 (L: 0.1-0.3 near traffic, more in aged air).
    k_co_oh_cm3_s, k_ch4_oh_cm3_s, ch4_ppb
        CO + OH and CH4 + OH at 1 atm, 298 K (H: 2.4e-13 and 6.4e-15, S&P 2016 Table B.1 / JPL
        19-5) and methane (H: 1,923 ppb global mean 2023, WMO Greenhouse Gas Bulletin 20).
    k_bvoc_oh_cm3_s, bvoc_ppb, bvoc_temperature_coeff_per_k
        Isoprene + OH (H: 1.0e-10, Atkinson et al. 2006, ACP 6:3625), the midday isoprene of a
        30 °C summer day over North China (L: ~0.5-1.5 ppb in Beijing summer, Shao et al. 2009,
        JGR 114:D00G06) and its temperature dependence ``exp(β·(T - 30))`` (M: Guenther et al.
        1993, JGR 98:12609, β ≈ 0.1/K); it scales with sunlight like ``Q`` (light-driven).
    """

    hox_production_ppb_h: float = 3.0
    solar_ref_w_m2: float = 800.0
    temperature_coeff_per_k: float = 0.03
    k_voc_oh_cm3_s: float = 8.0e-12
    voc_molar_mass_g_mol: float = 90.0
    k_oh_no2_cm3_s: float = 1.1e-11
    k_ho2_no_cm3_s: float = 8.1e-12
    k_peroxy_cm3_s: float = 5.0e-12
    no_fraction: float = 0.25
    o3_per_oxidation: float = 2.0
    accumulation_time_h: float = 3.0
    jno2_ref_per_s: float = 8.0e-3
    k_no_o3_cm3_s: float = 1.9e-14
    no2_fraction_fresh: float = 0.2
    k_co_oh_cm3_s: float = 2.4e-13
    k_ch4_oh_cm3_s: float = 6.4e-15
    ch4_ppb: float = 1923.0
    k_bvoc_oh_cm3_s: float = 1.0e-10
    bvoc_ppb: float = 1.0
    bvoc_temperature_coeff_per_k: float = 0.1


def oh_reactivity_per_s(
    voc_ug_m3: ArrayLike,
    co_ug_m3: ArrayLike,
    solar_w_m2: ArrayLike,
    temperature_c: ArrayLike,
    params: OzoneParams = OzoneParams(),
) -> dict[str, NDArray[np.float64]]:
    """OH reactivity of the peroxy-forming species, 1/s: anthropogenic VOC, CO, CH4, isoprene.

    ``k_i·[i]`` each (molecule/cm³ from µg/m³ or ppb); isoprene is
    ``bvoc_ppb·exp(β·(T - 30))·min(S/S_ref, 1)`` (:class:`OzoneParams`), 0 at night and small
    in winter: the seasonal biogenic term.
    """
    t_c = _f(temperature_c)
    air_ppb = _air_molec_cm3(t_c) * 1e-9
    sun = np.minimum(np.maximum(_f(solar_w_m2), 0.0) / params.solar_ref_w_m2, 1.0)
    bvoc = params.bvoc_ppb * np.exp(params.bvoc_temperature_coeff_per_k * (t_c - 30.0)) * sun
    return {
        "VOC": params.k_voc_oh_cm3_s
        * _f(voc_ug_m3)
        * molec_cm3_per_ug_m3(params.voc_molar_mass_g_mol),
        "CO": params.k_co_oh_cm3_s * _f(co_ug_m3) * molec_cm3_per_ug_m3(28.01),
        "CH4": np.asarray(params.k_ch4_oh_cm3_s * params.ch4_ppb * air_ppb),
        "BVOC": np.asarray(params.k_bvoc_oh_cm3_s * bvoc * air_ppb),
    }


def hox_production_molec_cm3_s(
    solar_w_m2: ArrayLike, temperature_c: ArrayLike, params: OzoneParams
) -> NDArray[np.float64]:
    """HOx production ``Q``, molecule/cm³/s: ``Q_ref·S/S_ref·exp(c·(T - 25))``."""
    sun = np.maximum(_f(solar_w_m2), 0.0) / params.solar_ref_w_m2
    t_c = _f(temperature_c)
    return np.asarray(
        params.hox_production_ppb_h * sun * np.exp(params.temperature_coeff_per_k * (t_c - 25.0))
        * _air_molec_cm3(t_c) * 1e-9 / 3600.0
    )  # fmt: skip


def _hox(
    nox_ug_m3: ArrayLike,
    voc_ug_m3: ArrayLike,
    solar_w_m2: ArrayLike,
    temperature_c: ArrayLike,
    params: OzoneParams,
    co_ug_m3: ArrayLike = 0.0,
    no_fraction: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Q, O3-weighted OH reactivity and NO2 reactivity (1/s), and OH (molecule/cm³).

    The chain reactivity ``v`` sums :func:`oh_reactivity_per_s`; the returned one weights CO by
    1 O3 per oxidation against ``γ`` for the organics (divided by ``γ``). ``no_fraction``
    (None: ``params.no_fraction``) is the daytime NO/NOx."""
    t_c = _f(temperature_c)
    q = hox_production_molec_cm3_s(solar_w_m2, t_c, params)
    n_molec = _f(nox_ug_m3) * molec_cm3_per_ug_m3(M_NO2)
    react = oh_reactivity_per_s(voc_ug_m3, co_ug_m3, solar_w_m2, t_c, params)
    v = react["VOC"] + react["CO"] + react["CH4"] + react["BVOC"]
    f_no = _f(params.no_fraction if no_fraction is None else no_fraction)
    b = params.k_oh_no2_cm3_s * (1.0 - f_no) * n_molec
    no = f_no * n_molec
    # HO2 = v·OH/(k_HO2+NO·NO); Q = b·OH + 2·k_p·HO2²  ->  c·OH² + b·OH - Q = 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        c = 2.0 * params.k_peroxy_cm3_s * (v / (params.k_ho2_no_cm3_s * no)) ** 2
        oh = np.where((q > 0) & (no > 0), 2.0 * q / (b + np.sqrt(b * b + 4.0 * c * q)), 0.0)
    weighted = v - react["CO"] * (1.0 - 1.0 / params.o3_per_oxidation)
    return q, weighted, b, np.asarray(np.nan_to_num(oh))


def ozone_production_ug_m3_h(
    nox_ug_m3: ArrayLike,
    voc_ug_m3: ArrayLike,
    solar_w_m2: ArrayLike,
    temperature_c: ArrayLike,
    params: OzoneParams = OzoneParams(),
    co_ug_m3: ArrayLike = 0.0,
    no_fraction: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Instantaneous O3 production ``P = γ·k_VOC[VOC]·[OH]``, µg/m³/h (Thornton et al. 2002).

    ``k_VOC[VOC]`` is the total peroxy-forming reactivity (:func:`oh_reactivity_per_s`: VOC,
    CO, CH4 and isoprene; CO counted with one O3 per oxidation).

    ``[OH]`` solves the radical budget ``Q = k_OH+NO2[NO2][OH] + 2k_p[HO2]²`` with the chain
    ``k_VOC[VOC][OH] = k_HO2+NO[HO2][NO]``. At high NOx ``P ≈ γ·Q·k_VOC[VOC]/(k_OH+NO2[NO2])``
    (VOC-limited: rises with VOC, falls with NOx); at low NOx ``P ≈ γ·k_HO2+NO[NO]·sqrt(Q/2k_p)``
    (NOx-limited: proportional to NO, independent of VOC). ``no_fraction``: daytime NO/NOx
    (None: ``params.no_fraction``; aged air: :func:`photostationary_no_fraction`).
    """
    _, v, _, oh = _hox(
        nox_ug_m3, voc_ug_m3, solar_w_m2, temperature_c, params, co_ug_m3, no_fraction
    )
    p_molec = params.o3_per_oxidation * v * oh
    return np.asarray(p_molec * 3600.0 / molec_cm3_per_ug_m3(M_O3))


def nox_limited(
    nox_ug_m3: ArrayLike,
    voc_ug_m3: ArrayLike,
    solar_w_m2: ArrayLike,
    temperature_c: ArrayLike,
    params: OzoneParams = OzoneParams(),
    co_ug_m3: ArrayLike = 0.0,
    no_fraction: ArrayLike | None = None,
) -> NDArray[np.bool_]:
    """True where radical loss is mostly to peroxides, ``L_N/Q < 0.5`` (Kleinman et al. 1997).

    There cutting NOx lowers O3 production; elsewhere (VOC-limited) it raises it. False at night.
    ``no_fraction`` as :func:`ozone_production_ug_m3_h`.
    """
    q, _, b, oh = _hox(
        nox_ug_m3, voc_ug_m3, solar_w_m2, temperature_c, params, co_ug_m3, no_fraction
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray((q > 0) & (b * oh / np.where(q > 0, q, 1.0) < 0.5))


def photostationary_no_fraction(
    o3_ug_m3: ArrayLike,
    solar_w_m2: ArrayLike,
    params: OzoneParams = OzoneParams(),
) -> NDArray[np.float64]:
    """Daytime NO/NOx of aged air in photostationary state, ``J/(J + k·[O3])`` (Leighton 1961).

    ``J = J_ref·S/S_ref`` (:class:`OzoneParams`), ``k`` the NO + O3 rate constant: about 0.16 at
    a summer noon with 80 ppb O3, more in winter's weaker ozone. Away from fresh emissions
    (regional air) this, not the urban ``no_fraction``, sets how much of NOx is NO. 0 at night.
    """
    j = params.jno2_ref_per_s * np.maximum(_f(solar_w_m2), 0.0) / params.solar_ref_w_m2
    o3_molec = np.maximum(_f(o3_ug_m3), 0.0) * molec_cm3_per_ug_m3(M_O3)
    k_o3 = params.k_no_o3_cm3_s * o3_molec
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(j + k_o3 > 0, j / np.where(j + k_o3 > 0, j + k_o3, 1.0), 0.0)
    return np.asarray(out)


def ozone_hourly(
    o3_background_ug_m3: ArrayLike,
    nox_ug_m3: ArrayLike,
    voc_ug_m3: ArrayLike,
    solar_w_m2: ArrayLike,
    temperature_c: ArrayLike,
    params: OzoneParams = OzoneParams(),
) -> NDArray[np.float64]:
    """Hourly O3, µg/m³: background plus local production, partitioned with local NOx.

    1. Potential O3: ``O3_pot = O3_bg + P·τ`` (:func:`ozone_production_ug_m3_h`, ``τ`` the
       accumulation time).
    2. Oxidant ``Ox = O3_pot + f·NOx`` and ``NOx`` (ppb) are split by the photostationary state
       ``J·[NO2] = k·[NO][O3]`` (Leighton 1961), ``J`` proportional to irradiance:
       ``k·O3² + (k·(NOx - Ox) + J)·O3 - J·Ox = 0``. At night (``J = 0``) this is full titration,
       ``O3 = max(0, O3_pot - (1 - f)·NOx)`` <= background.

    Parameters
    ----------
    o3_background_ug_m3
        Regional O3 arriving at the box, µg/m³.
    nox_ug_m3, voc_ug_m3
        Local NOx (as NO2) and VOC, µg/m³.
    solar_w_m2, temperature_c
        Irradiance (W/m²) and temperature (°C).
    params
        :class:`OzoneParams`.
    """
    return ozone_no2_hourly(
        o3_background_ug_m3, nox_ug_m3, voc_ug_m3, solar_w_m2, temperature_c, params
    )[0]


def ozone_no2_hourly(
    o3_background_ug_m3: ArrayLike,
    nox_ug_m3: ArrayLike,
    voc_ug_m3: ArrayLike,
    solar_w_m2: ArrayLike,
    temperature_c: ArrayLike,
    params: OzoneParams = OzoneParams(),
    *,
    co_ug_m3: ArrayLike = 0.0,
    produced_ug_m3: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Hourly O3 and NO2, µg/m³, from :func:`ozone_hourly`'s partition.

    NO2 is the rest of the oxidant, ``NO2 = Ox - O3`` (ppb; conserved by NO + O3 -> NO2 and
    NO2 + hν -> NO + O3), bounded by ``[0, NOx]``. ``produced_ug_m3``, when given, replaces the
    production ``P·τ`` (e.g. production bounded by each scale's residence time).
    """
    bg = _f(o3_background_ug_m3)
    if np.any(bg < 0) or np.any(_f(nox_ug_m3) < 0) or np.any(_f(voc_ug_m3) < 0):
        raise ValueError("o3_background_ug_m3, nox_ug_m3 and voc_ug_m3 must be >= 0.")
    if produced_ug_m3 is None:
        produced_ug_m3 = params.accumulation_time_h * ozone_production_ug_m3_h(
            nox_ug_m3, voc_ug_m3, solar_w_m2, temperature_c, params, co_ug_m3
        )
    pot = bg + _f(produced_ug_m3)
    to_ppb_o3, to_ppb_no2, j, k = partition_weather(solar_w_m2, temperature_c, params)
    nox_ppb = _f(nox_ug_m3) * to_ppb_no2
    ox_ppb = pot * to_ppb_o3 + params.no2_fraction_fresh * nox_ppb
    lin = k * (nox_ppb - ox_ppb) + j
    disc = np.sqrt(lin * lin + 4.0 * k * j * ox_ppb)
    # stable roots: O3 = 2·J·Ox/(disc + lin) when lin > 0, else (disc - lin)/(2k)
    with np.errstate(divide="ignore", invalid="ignore"):
        o3_ppb = np.where(lin > 0, 2.0 * j * ox_ppb / (disc + lin), (disc - lin) / (2.0 * k))
    o3_ppb = np.where(j > 0, o3_ppb, np.maximum(0.0, ox_ppb - nox_ppb))
    o3_ppb = np.maximum(np.nan_to_num(o3_ppb), 0.0)
    no2_ppb = np.clip(ox_ppb - o3_ppb, 0.0, nox_ppb)
    return np.asarray(o3_ppb / to_ppb_o3), np.asarray(no2_ppb / to_ppb_no2)


def partition_weather(
    solar_w_m2: ArrayLike, temperature_c: ArrayLike, params: OzoneParams = OzoneParams()
) -> tuple[NDArray[np.float64], ...]:
    """The weather's part of the O3 partition of :func:`ozone_no2_hourly`: ppb per µg/m³ of O3
    and of NO2, ``J(NO2)`` (1/s, proportional to irradiance) and the NO + O3 rate (1/(ppb·s))."""
    t_c = _f(temperature_c)
    sun = np.maximum(_f(solar_w_m2), 0.0) / params.solar_ref_w_m2
    return (
        _ppb_per_ug_m3(M_O3, t_c), _ppb_per_ug_m3(M_NO2, t_c), params.jno2_ref_per_s * sun,
        params.k_no_o3_cm3_s * _air_molec_cm3(t_c) * 1e-9,
    )  # fmt: skip
