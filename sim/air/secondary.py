"""Secondary PM2.5 (sulfate, nitrate, ammonium, SOA): hourly conversion and partitioning.

A transparent shortcut meant to be calibrated (``sim calibrate``), not a chemical transport model.
Concentrations are µg/m³ (NOx as NO2 mass, VOC as non-methane VOC mass), temperature °C, relative
humidity %, global irradiance W/m². Gas-phase conversions between µg/m³ and ppb assume 1 atm.
The molar masses here are built from atomic weights so conversions conserve S and N; the ozone
scheme (:mod:`sim.air.ozone`) uses them too.

References
----------
Seinfeld, J.H. and Pandis, S.N. (2016), *Atmospheric Chemistry and Physics*, 3rd ed. (S&P):
§6.4 (SO2 + OH), §6.5/§7.4 (aqueous sulfate), §10.4.3 (NH4NO3 equilibrium, eq. 10.91), ch. 14 (SOA
yields).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "M_NH3",
    "M_NH4",
    "M_NO2",
    "M_NO3",
    "M_O3",
    "M_SO2",
    "M_SO4",
    "SecondaryPM",
    "SecondaryParams",
    "conversion_rates_per_h",
    "nh4no3_kp_ppb2",
    "partition_inorganic",
    "partition_weather",
    "secondary_pm",
    "soa_yield",
]

_R_L_ATM = 0.0820574  # L·atm/(mol·K)
#: Standard atomic weights, g/mol (IUPAC 2021, abridged): the molar masses below are built from
#: them so that converting SO2 to SO4 or NO2 to NO3 conserves S and N exactly.
_S, _N, _O, _H = 32.06, 14.007, 15.999, 1.008
#: Molar masses, g/mol.
M_SO2, M_SO4 = _S + 2 * _O, _S + 4 * _O
M_NO2, M_NO3 = _N + 2 * _O, _N + 3 * _O
M_NH3, M_NH4, M_O3 = _N + 3 * _H, _N + 4 * _H, 3 * _O


def _f(x: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(x, dtype=np.float64)


def _rh_factor(rh_pct: ArrayLike, threshold_pct: float) -> NDArray[np.float64]:
    """0 below ``threshold_pct``, rising as the square of the excess to 1 at 100 % RH."""
    x = np.clip((_f(rh_pct) - threshold_pct) / (100.0 - threshold_pct), 0.0, 1.0)
    return np.asarray(x * x)


@dataclass(frozen=True)
class SecondaryParams:
    """Parameters of :func:`secondary_pm`; confidence marks as in DOMAIN.md (H/M/L).

    Attributes
    ----------
    oh_ref_molec_cm3
        OH at ``solar_ref_w_m2``, molecule/cm³ (L: summer midday in polluted China, 5e6-1.5e7).
    solar_ref_w_m2
        Irradiance at which OH equals ``oh_ref_molec_cm3`` (assumed: clear-sky summer noon).
    k_so2_oh_cm3_s, k_no2_oh_cm3_s
        SO2 + OH and NO2 + OH rate constants at 1 atm, 298 K (M: S&P Table B.1, ~9e-13, ~1.1e-11).
    k_voc_oh_cm3_s, voc_molar_mass_g_mol
        Mean OH rate constant and molar mass of the anthropogenic VOC mix (L: aromatics/alkanes).
    so2_aqueous_max_per_h
        Aqueous/aerosol-water SO2 oxidation at 100 % RH, 1/h (L: North China haze studies report
        a few %/h; calibrate).
    nox_night_max_per_h
        Dark NOx conversion via N2O5 hydrolysis at 100 % RH, 1/h (L; calibrate).
    rh_threshold_pct
        RH below which the wet pathways are off (L).
    soa_yield, soa_enthalpy_kj_mol
        SOA mass yield at 25 °C and the effective vaporisation enthalpy of its temperature
        dependence (L: S&P ch. 14 yields of a few %; ΔH ~ 30 kJ/mol as in volatility-basis models).
    nh4no3_drh_pct, aqueous_kp_factor
        NH4NO3 deliquescence RH at 25 °C (H: 61.8 %, S&P §10.4.3) and the factor on Kp above it
        (L: aqueous NH4NO3 is less volatile than the solid).
    """

    oh_ref_molec_cm3: float = 5.0e6
    solar_ref_w_m2: float = 800.0
    k_so2_oh_cm3_s: float = 9.0e-13
    k_no2_oh_cm3_s: float = 1.1e-11
    k_voc_oh_cm3_s: float = 8.0e-12
    voc_molar_mass_g_mol: float = 90.0
    so2_aqueous_max_per_h: float = 0.03
    nox_night_max_per_h: float = 0.03
    rh_threshold_pct: float = 60.0
    soa_yield: float = 0.03
    soa_enthalpy_kj_mol: float = 30.0
    nh4no3_drh_pct: float = 61.8
    aqueous_kp_factor: float = 0.3


@dataclass(frozen=True)
class SecondaryPM:
    """Secondary PM2.5 components, µg/m³, each of the input shape."""

    sulfate: NDArray[np.float64]
    nitrate: NDArray[np.float64]
    ammonium: NDArray[np.float64]
    soa: NDArray[np.float64]

    @property
    def total(self) -> NDArray[np.float64]:
        """Sum of the four components, µg/m³."""
        return np.asarray(self.sulfate + self.nitrate + self.ammonium + self.soa)


def conversion_rates_per_h(
    temperature_c: ArrayLike,
    rh_pct: ArrayLike,
    solar_w_m2: ArrayLike,
    params: SecondaryParams = SecondaryParams(),
) -> dict[str, NDArray[np.float64]]:
    """Pseudo-first-order conversion rates of SO2, NOx and VOC, 1/h.

    ``OH = OH_ref·S/S_ref``; ``k_SO2 = k_OH,SO2·OH + k_aq·f(RH)``; ``k_NOx = k_OH,NO2·OH +
    k_N2O5·f(RH)·(1 - min(S/S_ref, 1))``; ``k_VOC = k_OH,VOC·OH``, with ``f(RH)`` 0 below the
    threshold and rising quadratically to 1 at saturation. ``temperature_c`` is accepted for
    symmetry and future use (the rate constants are taken at 298 K).
    """
    del temperature_c
    sun = np.maximum(_f(solar_w_m2), 0.0) / params.solar_ref_w_m2
    oh = params.oh_ref_molec_cm3 * sun
    wet = _rh_factor(rh_pct, params.rh_threshold_pct)
    return {
        "SO2": params.k_so2_oh_cm3_s * oh * 3600.0 + params.so2_aqueous_max_per_h * wet,
        "NOx": params.k_no2_oh_cm3_s * oh * 3600.0
        + params.nox_night_max_per_h * wet * (1.0 - np.minimum(sun, 1.0)),
        "VOC": params.k_voc_oh_cm3_s * oh * 3600.0,
    }


def soa_yield(
    temperature_c: ArrayLike, params: SecondaryParams = SecondaryParams()
) -> NDArray[np.float64]:
    """SOA mass yield of the oxidised VOC, ``min(Y·exp(ΔH/R·(1/T - 1/298)), 1)``."""
    t_k = _f(temperature_c) + 273.15
    temp_factor = np.exp(params.soa_enthalpy_kj_mol * 1e3 / 8.314 * (1.0 / t_k - 1.0 / 298.15))
    return np.asarray(np.minimum(params.soa_yield * temp_factor, 1.0))


def nh4no3_kp_ppb2(temperature_c: ArrayLike) -> NDArray[np.float64]:
    """Dissociation constant of solid NH4NO3, ppb² (S&P 2016 eq. 10.91, after Mozurkewich 1993).

    ``ln Kp = 84.6 - 24220/T - 6.1·ln(T/298)``; about 29 ppb² at 25 °C, 0.03 ppb² at 0 °C.
    """
    t = _f(temperature_c) + 273.15
    return np.asarray(np.exp(84.6 - 24220.0 / t - 6.1 * np.log(t / 298.0)))


def secondary_pm(
    so2_ug_m3: ArrayLike,
    nox_ug_m3: ArrayLike,
    voc_ug_m3: ArrayLike,
    nh3_ug_m3: ArrayLike,
    temperature_c: ArrayLike,
    rh_pct: ArrayLike,
    solar_w_m2: ArrayLike,
    reaction_time_h: ArrayLike,
    params: SecondaryParams = SecondaryParams(),
) -> SecondaryPM:
    """Secondary PM formed from precursors over a reaction time, hour by hour.

    A fraction ``1 - exp(-k·τ)`` of each precursor is oxidised (:func:`conversion_rates_per_h`):
    SO2 to sulfate (×96/64 by mass), NOx to total nitrate (×62/46), VOC to SOA (yield
    ``Y·exp(ΔH/R·(1/T - 1/298))``, at most 1). Ammonia neutralises sulfate first (2 NH4 per SO4);
    the free ammonia ``A`` and total nitrate ``N`` (ppb) then form NH4NO3 where ``A·N > Kp``, the
    particulate amount ``x`` solving ``(A - x)(N - x) = Kp`` (S&P §10.4.3):
    ``x = ((A + N) - sqrt((A - N)² + 4·Kp))/2``. Above the deliquescence RH, ``Kp`` is multiplied
    by ``aqueous_kp_factor``.

    Sulfate and SOA are linear in their precursor; nitrate and ammonium are not (NH3 limitation,
    equilibrium).

    Parameters
    ----------
    so2_ug_m3, nox_ug_m3, voc_ug_m3, nh3_ug_m3
        Precursor concentrations, µg/m³ (NOx as NO2; NH3 is the total available ammonia).
    temperature_c, rh_pct, solar_w_m2
        Meteorology, broadcast with the precursors.
    reaction_time_h
        Time the air has spent reacting, h: the box residence time ``L/u`` for a local increment,
        longer (a day or more) for regional air.
    params
        :class:`SecondaryParams`.
    """
    tau = _f(reaction_time_h)
    if np.any(tau < 0):
        raise ValueError("reaction_time_h must be >= 0.")
    for name, value in (
        ("so2", so2_ug_m3),
        ("nox", nox_ug_m3),
        ("voc", voc_ug_m3),
        ("nh3", nh3_ug_m3),
    ):
        if np.any(_f(value) < 0):
            raise ValueError(f"{name}_ug_m3 must be >= 0.")
    rates = conversion_rates_per_h(temperature_c, rh_pct, solar_w_m2, params)
    converted = {key: -np.expm1(-rate * tau) for key, rate in rates.items()}
    sulfate = _f(so2_ug_m3) * converted["SO2"] * (M_SO4 / M_SO2)
    nitrate_total = _f(nox_ug_m3) * converted["NOx"] * (M_NO3 / M_NO2)
    soa = _f(voc_ug_m3) * converted["VOC"] * soa_yield(temperature_c, params)

    inorganic = partition_inorganic(
        sulfate, nitrate_total, nh3_ug_m3, temperature_c, rh_pct, params
    )
    shape = np.broadcast_shapes(inorganic.sulfate.shape, soa.shape)
    return SecondaryPM(
        sulfate=np.broadcast_to(inorganic.sulfate, shape).copy(),
        nitrate=np.broadcast_to(inorganic.nitrate, shape).copy(),
        ammonium=np.broadcast_to(inorganic.ammonium, shape).copy(),
        soa=np.broadcast_to(soa, shape).copy(),
    )


def partition_inorganic(
    sulfate_ug_m3: ArrayLike,
    nitrate_total_ug_m3: ArrayLike,
    nh3_ug_m3: ArrayLike,
    temperature_c: ArrayLike,
    rh_pct: ArrayLike,
    params: SecondaryParams = SecondaryParams(),
) -> SecondaryPM:
    """Particulate sulfate, nitrate and ammonium from sulfate, total nitrate and total ammonia.

    Ammonia neutralises sulfate first (2 NH4 per SO4); the free ammonia ``A`` and total nitrate
    ``N`` (HNO3 + NO3⁻, ppb) form NH4NO3 where ``A·N > Kp``, the particulate amount ``x`` solving
    ``(A - x)(N - x) = Kp`` (S&P 2016 §10.4.3): ``x = ((A + N) - sqrt((A - N)² + 4·Kp))/2``.
    Above the deliquescence RH, ``Kp`` is multiplied by ``aqueous_kp_factor``. The partition
    conserves N and NH3: gas HNO3 is ``N - x`` and gas NH3 ``A - x`` (SOA is 0 here).

    Parameters
    ----------
    sulfate_ug_m3, nitrate_total_ug_m3, nh3_ug_m3
        Sulfate (as SO4), total nitrate (as NO3) and total ammonia (as NH3), µg/m³.
    temperature_c, rh_pct
        Temperature (°C) and relative humidity (%).
    params
        :class:`SecondaryParams` (``aqueous_kp_factor``, ``nh4no3_drh_pct``).
    """
    sulfate = _f(sulfate_ug_m3)
    nh3_umol = _f(nh3_ug_m3) / M_NH3
    nh4_sulfate_umol = np.minimum(2.0 * sulfate / M_SO4, nh3_umol)
    ppb_per_umol, kp = partition_weather(temperature_c, rh_pct, params)
    a_ppb = (nh3_umol - nh4_sulfate_umol) * ppb_per_umol
    n_ppb = _f(nitrate_total_ug_m3) / M_NO3 * ppb_per_umol
    x_ppb = np.maximum(0.0, 0.5 * ((a_ppb + n_ppb) - np.sqrt((a_ppb - n_ppb) ** 2 + 4.0 * kp)))
    x_umol = x_ppb / ppb_per_umol
    shape = np.broadcast_shapes(sulfate.shape, x_umol.shape)
    return SecondaryPM(
        sulfate=np.broadcast_to(sulfate, shape).copy(),
        nitrate=np.broadcast_to(x_umol * M_NO3, shape).copy(),
        ammonium=np.broadcast_to((nh4_sulfate_umol + x_umol) * M_NH4, shape).copy(),
        soa=np.zeros(shape),
    )


def partition_weather(
    temperature_c: ArrayLike, rh_pct: ArrayLike, params: SecondaryParams = SecondaryParams()
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The weather's part of :func:`partition_inorganic`: ppb per µmol/m³ (``R·T`` at 1 atm) and
    the NH4NO3 ``Kp`` (ppb², times ``aqueous_kp_factor`` above the deliquescence RH)."""
    ppb_per_umol = _R_L_ATM * (_f(temperature_c) + 273.15)
    kp = nh4no3_kp_ppb2(temperature_c)
    kp = np.where(_f(rh_pct) >= params.nh4no3_drh_pct, kp * params.aqueous_kp_factor, kp)
    return np.asarray(ppb_per_umol), np.asarray(kp)
