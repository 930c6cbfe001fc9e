"""RH rises in stagnation (issue #14, point 3), keeping the months' mean RH."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from sim.calendar import Calendar
from sim.scenario.sections.meteorology import MeteorologyConfig
from sim.weather import synthetic_weather

YEAR = Calendar(datetime(2024, 1, 1), datetime(2025, 1, 1))


def test_stagnant_hours_are_about_15_points_more_humid_than_the_others():
    """Zheng et al. 2015 (ACP 15:2969): polluted stagnant periods 20-40 points more humid; the
    model adds 15 points to stagnant hours (dry hours unaffected by rain clipping dominate)."""
    cfg = MeteorologyConfig()
    gaps, means = [], []
    for seed in range(6):
        w = synthetic_weather(YEAR, cfg, np.random.default_rng(seed))
        dry = w.rain_mm_h < 0.1
        gaps.append(
            w.relative_humidity_pct[w.stagnant & dry].mean()
            - w.relative_humidity_pct[~w.stagnant & dry].mean()
        )
        means.append(w.relative_humidity_pct.mean())
    assert 10.0 < np.mean(gaps) < 20.0
    # the annual mean stays at the configured monthly climate's (within a couple of points)
    assert abs(np.mean(means) - np.mean(cfg.relative_humidity_pct)) < 3.0
