"""Vectorised runoff of many areas against the single-catchment stepping of sim.water.runoff
(itself checked against SWMM 5.2 in test_runoff.py; the full year against SWMM is in
test_year_swmm.py)."""

from __future__ import annotations

from dataclasses import replace

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


def _showers_after_dry_spells() -> np.ndarray:
    rng = np.random.default_rng(7)
    rain = np.zeros(24 * 40)
    for start in (30, 200, 205, 500, 800):
        rain[start : start + 6] = rng.uniform(1.0, 15.0, 6)
    return rain


def test_hourly_volumes_match_the_single_catchment_stepping_within_one_percent() -> None:
    rain = _showers_after_dry_spells()
    q = areas_runoff(_areas(), rain, substeps=4)
    for j, c in enumerate(_areas()):
        ref, _ = runoff_series(c, rain)
        assert q[:, j].sum() == pytest.approx(ref.sum(), rel=0.01)


@pytest.mark.parametrize("evap_mm_d", [2.0, 6.0])
def test_evaporation_of_each_area_is_honoured_like_the_single_catchment_stepping(
    evap_mm_d: float,
) -> None:
    # runoff_series takes min(depth, e·dt) in every stepped step and evaporates dry spells in
    # closed form; depression storage recovers between the showers, so runoff falls
    rain = _showers_after_dry_spells()
    areas = [replace(c, evaporation_mm_d=evap_mm_d) for c in _areas()]
    q = areas_runoff(areas, rain, substeps=4)
    dry = areas_runoff(_areas(), rain, substeps=4)
    for j, c in enumerate(areas):
        ref, _ = runoff_series(c, rain)
        assert q[:, j].sum() == pytest.approx(ref.sum(), rel=0.005)
        assert q[:, j].sum() < dry[:, j].sum()
    # a series given to areas_runoff overrides each area's constant
    series = areas_runoff(_areas(), rain, 4, 3600.0, np.full(rain.size, evap_mm_d))
    np.testing.assert_allclose(series, q, rtol=1e-12, atol=1e-15)


def test_impervious_area_at_equilibrium_returns_rain_rate() -> None:
    # a fully impervious area under long steady rain: runoff -> rain x area (mass conservation)
    c = Subcatchment(
        1e4, 1.0, 100.0, 0.01, 0.015, 0.1, 0.0, 0.0, 50.0, 5.0, 4.0, pct_zero_imperv=100.0
    )
    q = areas_runoff([c], np.full(48, 10.0), substeps=4)
    assert q[-1, 0] == pytest.approx(10e-3 / 3600 * 1e4, rel=1e-6)


def test_no_rain_no_runoff() -> None:
    assert not areas_runoff(_areas(), np.zeros(100)).any()


def _year_of_rain(seed: int, n_hours: int = 24 * 60) -> np.ndarray:
    """Storms of 1-12 h every few days, some light (below the MIN_RUNOFF-like rates)."""
    rng = np.random.default_rng(seed)
    rain = np.zeros(n_hours)
    t = 5
    while t < n_hours - 12:
        length = int(rng.integers(1, 12))
        rain[t : t + length] = rng.choice([0.02, 0.5, 3.0, 20.0]) * rng.uniform(0.2, 1.5, length)
        t += length + int(rng.choice([1, 3, 10, 40, 120]))
    return rain


def _varied_areas() -> list[Subcatchment]:
    return [
        *_areas(),
        Subcatchment(2e6, 0.9, 3000.0, 0.003, 0.015, 0.1, 0.0, 5.0, 76.2, 12.7, 4.0),
        Subcatchment(1e6, 0.4, 1000.0, 0.01, 0.015, 0.0, 2.0, 5.0, 10.0, 2.0, 2.0),  # n_perv 0
        Subcatchment(1e6, 0.5, 1000.0, 0.01, 0.015, 0.1, 2.0, 1.0, 20.0, 20.0, 0.0),  # no decay
        Subcatchment(1e6, 0.6, 1000.0, 0.01, 0.0, 0.1, 2.0, 5.0, 76.2, 12.7, 4.0),  # n_imperv 0
    ]


@pytest.mark.parametrize(("seed", "substeps"), [(3, 2), (5, 4)])
def test_scalar_stepping_matches_the_vectorised_scheme_it_replaced(
    seed: int, substeps: int
) -> None:
    # Same scheme (implicit Euler + Newton to rounding, closed-form dry stretches); the old
    # numpy code also booked ~1e-16 m3/s rounding residues in dry hours, hence the atol.
    from ._catchments_reference import areas_runoff_stepwise

    rain = _year_of_rain(seed)
    ref = areas_runoff_stepwise(_varied_areas(), rain, substeps)
    new = areas_runoff(_varied_areas(), rain, substeps)
    np.testing.assert_allclose(new, ref, rtol=1e-12, atol=1e-12 * ref.max())
    np.testing.assert_allclose(new.sum(axis=0), ref.sum(axis=0), rtol=1e-13)


def test_runoff_volume_balances_rain_minus_infiltration_on_impervious_area() -> None:
    # fully impervious, no storage: over the year every drop runs off (the last recession
    # residue below MIN_RUNOFF stays ponded, at most x_stop)
    c = Subcatchment(1e4, 1.0, 100.0, 0.01, 0.015, 0.1, 0.0, 0.0, 50.0, 5.0, 4.0,
                     pct_zero_imperv=100.0)  # fmt: skip
    rain = _year_of_rain(8)
    q = areas_runoff([c], rain, substeps=2)
    rain_m3 = rain.sum() * 1e-3 * 1e4
    alpha = c.alphas[0]
    x_stop = (0.001 * 0.0254 / 3600.0 / alpha) ** 0.6
    assert rain_m3 - x_stop * 1e4 <= q.sum() * 3600.0 <= rain_m3 * (1 + 1e-12)
