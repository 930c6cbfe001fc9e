"""The wash-off loop as first written (one numpy step per runoff hour). Kept only as the
reference the recurrence form in :func:`sim.water.system.washoff_g_s` is tested against.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from sim.scenario.distributions import draw
from sim.scenario.sections.water import WaterConfig
from sim.water.sewage import POLLUTANTS

__all__ = ["washoff_stepwise"]

Array = NDArray[np.float64]


def washoff_stepwise(
    cfg: WaterConfig,
    runoff_m3_s: Array,
    cleared: list[tuple[float, Array]],
    rng: np.random.Generator,
) -> Array:
    """Wash-off load per hour, area and pollutant, g/s (exponential build-up and wash-off)."""
    w = cfg.washoff
    bmax_ha = np.array([float(draw(getattr(w, f"{p}_max_kg_ha"), rng)) for p in POLLUTANTS])
    rate_h = float(draw(w.buildup_rate_per_d, rng)) / 24.0
    k_mm = float(draw(w.k_per_mm, rng))
    areas = cfg.drainage_areas
    imp_ha = np.array([a.area_km2 * 100.0 * a.impervious_fraction for a in areas])
    area_m2 = np.array([a.area_km2 * 1e6 for a in areas])
    bmax = imp_ha[:, None] * bmax_ha[None]  # kg
    b = bmax.copy()  # start of the year: built up
    out = np.zeros((*runoff_m3_s.shape, len(POLLUTANTS)))
    wet = np.flatnonzero(runoff_m3_s.sum(axis=1) > 0.0)
    events = sorted(cleared, key=lambda e: e[0])
    last = 0.0
    ev = 0
    for t in wet.tolist():
        while ev < len(events) and events[ev][0] <= t:
            te, share = events[ev]
            b = bmax - (bmax - b) * math.exp(-rate_h * max(te - last, 0.0))
            b = b * (1.0 - share[:, None])
            last = max(last, te)
            ev += 1
        b = bmax - (bmax - b) * math.exp(-rate_h * max(t - last, 0.0))
        depth_mm = runoff_m3_s[t] * 3600.0 / area_m2 * 1e3
        washed = b * -np.expm1(-k_mm * depth_mm)[:, None]
        out[t] = washed * 1e3 / 3600.0  # kg/h -> g/s
        b = b - washed
        last = t + 1.0
    return out
