"""Vectorised runoff of many areas against the SWMM-verified single-catchment stepping."""

from __future__ import annotations

import numpy as np
import pytest

from sim.water.catchments import areas_runoff
from sim.water.runoff import Subcatchment, runoff_series


def _areas() -> list[Subcatchment]:
    return [
        Subcatchment(
            4e6 * (1 + 0.3 * i), 0.5 + 0.1 * i, 2000.0, 0.005, 0.015, 0.1, 2.0, 5.0, 76.2, 12.7, 4.0
        )
        for i in range(3)
    ]


def test_hourly_volumes_match_swmm_scheme_within_one_percent() -> None:
    rng = np.random.default_rng(7)
    rain = np.zeros(24 * 40)
    for start in (30, 200, 205, 500, 800):
        rain[start : start + 6] = rng.uniform(1.0, 15.0, 6)
    q = areas_runoff(_areas(), rain, substeps=4)
    for j, c in enumerate(_areas()):
        ref, _ = runoff_series(c, rain)
        assert q[:, j].sum() == pytest.approx(ref.sum(), rel=0.01)


def test_impervious_area_at_equilibrium_returns_rain_rate() -> None:
    # a fully impervious area under long steady rain: runoff -> rain x area (mass conservation)
    c = Subcatchment(
        1e4, 1.0, 100.0, 0.01, 0.015, 0.1, 0.0, 0.0, 50.0, 5.0, 4.0, pct_zero_imperv=100.0
    )
    q = areas_runoff([c], np.full(48, 10.0), substeps=4)
    assert q[-1, 0] == pytest.approx(10e-3 / 3600 * 1e4, rel=1e-6)


def test_no_rain_no_runoff() -> None:
    assert not areas_runoff(_areas(), np.zeros(100)).any()
