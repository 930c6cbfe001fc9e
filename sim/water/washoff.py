"""Pollutant build-up on urban surfaces over dry days, and wash-off by runoff (first flush).

SWMM 5.2 Reference Manual Vol. III (Water Quality), ch. 2-3: exponential and saturation build-up,
exponential wash-off; Beijing roof and road event mean concentrations and first-flush shares
(DOMAIN.md §7, H) as defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ROAD",
    "ROOF",
    "SurfaceQuality",
    "buildup_exponential",
    "buildup_saturation",
    "first_flush_share",
    "washoff_coefficient_per_mm",
    "washoff_exponential",
]


@dataclass(frozen=True)
class SurfaceQuality:
    """Event mean concentrations and first-flush shares of one surface type.

    Attributes
    ----------
    cod_emc_mg_l, nh3n_emc_mg_l
        Event mean concentrations of COD and ammonia nitrogen, mg/L.
    first_flush_depth_mm, first_flush_share
        ``first_flush_share`` of the event load leaves in the first ``first_flush_depth_mm`` of
        runoff; sets the wash-off coefficient (:func:`washoff_coefficient_per_mm`).
    capture_3mm_share
        Share of COD mass held by capturing the first 3 mm (reported separately; not implied by
        the single-coefficient curve).
    source
        Where the numbers come from.
    """

    cod_emc_mg_l: float
    nh3n_emc_mg_l: float
    first_flush_depth_mm: float
    first_flush_share: float
    capture_3mm_share: float
    source: str


#: Beijing roof runoff (DOMAIN.md §7, H): COD 81.7, NH4-N 2.94 mg/L; 80 % of load in 10 mm.
ROOF = SurfaceQuality(81.7, 2.94, 10.0, 0.80, 0.87, "Beijing roof runoff EMC, DOMAIN.md §7 (H)")
#: Beijing road runoff (DOMAIN.md §7, H): COD 276, NH4-N 1.71 mg/L; 80 % of load in 15 mm.
ROAD = SurfaceQuality(276.0, 1.71, 15.0, 0.80, 0.73, "Beijing road runoff EMC, DOMAIN.md §7 (H)")


def buildup_exponential(
    dry_days: ArrayLike, max_kg_ha: float, rate_per_d: float, initial_kg_ha: float = 0.0
) -> NDArray[np.float64]:
    """Exponential build-up B = Bmax - (Bmax - B0)·exp(-k·t), kg/ha (SWMM EXP build-up)."""
    t = np.asarray(dry_days, dtype=np.float64)
    return np.asarray(max_kg_ha - (max_kg_ha - initial_kg_ha) * np.exp(-rate_per_d * t))


def buildup_saturation(
    dry_days: ArrayLike, max_kg_ha: float, half_days: float, initial_kg_ha: float = 0.0
) -> NDArray[np.float64]:
    """Saturation build-up B = Bmax·(t+t0)/(K + t + t0), kg/ha (SWMM SAT), t0 from B0."""
    if not 0.0 <= initial_kg_ha < max_kg_ha:
        raise ValueError(f"initial_kg_ha(={initial_kg_ha}) must be in [0, max_kg_ha).")
    t0 = half_days * initial_kg_ha / (max_kg_ha - initial_kg_ha)
    t = np.asarray(dry_days, dtype=np.float64) + t0
    return np.asarray(max_kg_ha * t / (half_days + t))


def washoff_exponential(
    buildup_kg_ha: float,
    runoff_mm_h: ArrayLike,
    dt_s: float,
    coeff: float,
    exponent: float = 1.0,
) -> tuple[NDArray[np.float64], float]:
    """Exponential wash-off dB/dt = -C1·q^C2·B, exact per step (SWMM EXP wash-off).

    Parameters
    ----------
    buildup_kg_ha
        Build-up at the start, kg/ha.
    runoff_mm_h
        Runoff rate per step, mm/h over the area.
    dt_s
        Step, s.
    coeff, exponent
        C1 (1/h per (mm/h)^C2) and C2.

    Returns
    -------
    tuple
        Load washed off in each step (kg/ha) and the build-up left (kg/ha).
    """
    q = np.asarray(runoff_mm_h, dtype=np.float64)
    decay = np.cumsum(coeff * q**exponent * dt_s / 3600.0)
    remaining = buildup_kg_ha * np.exp(-decay)
    before = np.concatenate([[buildup_kg_ha], remaining[:-1]])
    return before - remaining, float(remaining[-1]) if remaining.size else buildup_kg_ha


def washoff_coefficient_per_mm(share: float, depth_mm: float) -> float:
    """k (1/mm) such that a share of the load leaves in the first ``depth_mm`` of runoff.

    Exponential wash-off with C2 = 1 is ``M(x)/B0 = 1 - exp(-k·x)`` for cumulative runoff x (mm),
    so ``k = -ln(1 - share)/depth_mm``; ROOF gives 0.161 /mm, ROAD 0.107 /mm.
    """
    if not 0.0 < share < 1.0 or depth_mm <= 0.0:
        raise ValueError(f"share(={share}) must be in (0, 1) and depth_mm(={depth_mm}) > 0.")
    return -math.log(1.0 - share) / depth_mm


def first_flush_share(
    captured_mm: ArrayLike, event_runoff_mm: float, k_per_mm: float
) -> NDArray[np.float64]:
    """Share of an event's wash-off load carried by its first ``captured_mm`` of runoff.

    ``(1 - exp(-k·x)) / (1 - exp(-k·D))`` for an event of D mm runoff, x clipped to [0, D].
    """
    x = np.clip(np.asarray(captured_mm, dtype=np.float64), 0.0, event_runoff_mm)
    return np.asarray(np.expm1(-k_per_mm * x) / np.expm1(-k_per_mm * event_runoff_mm))
