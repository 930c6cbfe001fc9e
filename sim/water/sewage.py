"""Water sources: domestic, commercial and hospital wastewater, and dumping into rain drains.

Dry-weather flow of an area is ``population × per-capita flow × diurnal factor`` (domestic) plus a
commercial share and the hospitals' flow; each source carries its own COD, NH3-N and TP
concentrations, and the area's sewage is their flow-weighted mixture (DOMAIN.md §7: 150-250 L per
person-day, L; raw sewage COD 200-400, NH3-N 20-40 mg/L, M). Flows are m³/s, concentrations mg/L.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["DIURNAL_PROFILE", "POLLUTANTS", "SewageSource", "diurnal_factor", "mix_sources"]

#: Pollutants carried through sewers and rivers.
POLLUTANTS: tuple[str, ...] = ("cod", "nh3n", "tp")

# fmt: off
#: Relative domestic sewage flow by local hour (mean 1). Assumed: the usual double-peaked urban
#: curve (morning 07-09, evening 19-21), night minimum about 0.4 of the mean.
DIURNAL_PROFILE: tuple[float, ...] = (
    0.60, 0.48, 0.42, 0.40, 0.42, 0.55,
    0.85, 1.30, 1.45, 1.30, 1.15, 1.15,
    1.20, 1.10, 1.00, 0.95, 1.00, 1.10,
    1.25, 1.40, 1.35, 1.20, 0.95, 0.75,
)
# fmt: on


def diurnal_factor(hour_of_day: ArrayLike, profile: tuple[float, ...] = DIURNAL_PROFILE) -> NDArray:
    """Flow factor (mean 1 over a day) for each local hour 0-23."""
    p = np.asarray(profile, dtype=np.float64)
    if p.shape != (24,) or np.any(p < 0.0) or p.sum() <= 0.0:
        raise ValueError("profile must hold 24 non-negative weights with a positive sum.")
    h = np.asarray(hour_of_day, dtype=np.int64)
    return np.asarray((p / p.mean())[h])


@dataclass(frozen=True)
class SewageSource:
    """One wastewater source of an area: mean flow and concentrations.

    Attributes
    ----------
    flow_m3_s
        Mean flow, m³/s.
    mg_l
        Concentrations by pollutant (``cod``, ``nh3n``, ``tp``), mg/L.
    diurnal
        Whether the flow follows the diurnal profile (domestic, commercial) or is constant.
    """

    flow_m3_s: float
    mg_l: Mapping[str, float]
    diurnal: bool = True

    def __post_init__(self) -> None:
        if self.flow_m3_s < 0.0 or any(v < 0.0 for v in self.mg_l.values()):
            raise ValueError(f"flow_m3_s(={self.flow_m3_s}) and concentrations must be >= 0.")


def mix_sources(
    sources: list[SewageSource],
    factor: NDArray[np.float64],
) -> tuple[NDArray[np.float64], dict[str, NDArray[np.float64]]]:
    """Hourly flow (m³/s) and pollutant loads (g/s) of a set of sources.

    Parameters
    ----------
    sources
        The sources of one area.
    factor
        Diurnal flow factor per hour, shape ``(n_hours,)``.

    Returns
    -------
    tuple
        Flow per hour and load per pollutant per hour (g/s = mg/L × m³/s).
    """
    n = factor.shape[0]
    flow = np.zeros(n)
    loads = {p: np.zeros(n) for p in POLLUTANTS}
    for s in sources:
        q = s.flow_m3_s * (factor if s.diurnal else np.ones(n))
        flow += q
        for p in POLLUTANTS:
            loads[p] += q * s.mg_l.get(p, 0.0)
    return flow, loads
