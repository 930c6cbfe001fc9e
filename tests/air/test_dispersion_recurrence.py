"""The loop-free linear recurrence and the time-last box against plain hour-by-hour loops."""

from __future__ import annotations

import numpy as np
import pytest

from sim.air.dispersion import box_increment, box_series, linear_recurrence


def _loop(mult: np.ndarray, add: np.ndarray, init: np.ndarray) -> np.ndarray:
    x = np.empty(np.broadcast_shapes(mult.shape, add.shape))
    c = np.broadcast_to(init, x.shape[:-1]).copy()
    for t in range(x.shape[-1]):
        c = mult[..., t] * c + add[..., t]
        x[..., t] = c
    return x


@pytest.mark.parametrize("n", [1, 23, 24, 25, 48, 1000, 8784])
def test_recurrence_matches_the_loop_for_any_length(n: int) -> None:
    rng = np.random.default_rng(n)
    mult, add = rng.uniform(0.0, 1.0, (3, n)), rng.uniform(0.0, 5.0, (2, 3, n))
    init = rng.uniform(0.0, 2.0, (2, 3))
    np.testing.assert_allclose(linear_recurrence(mult, add, init), _loop(mult, add, init),
                               rtol=1e-13)  # fmt: skip


def test_recurrence_keeps_its_precision_when_a_day_forgets_everything() -> None:
    # hourly decays down to 1e-30: a day's product reaches 1e-700 (no float holds it); the
    # blocks shrink so that 1/P stays finite, and nothing is floored that still matters
    rng = np.random.default_rng(7)
    n = 24 * 30
    mult = 10.0 ** rng.uniform(-30.0, 0.0, (2, n))
    add = rng.uniform(0.0, 1.0, (2, n))
    got = linear_recurrence(mult, add, np.ones(2))
    np.testing.assert_allclose(got, _loop(mult, add, np.ones(2)), rtol=1e-13)
    assert np.all(np.isfinite(got))


def test_time_last_box_of_several_series_equals_the_time_first_box() -> None:
    rng = np.random.default_rng(3)
    n = 24 * 10 + 5
    emission = rng.uniform(0, 10, (2, 3, n))  # (variants, pollutants, hours)
    wind, height = rng.uniform(0.3, 8, n), rng.uniform(50, 2000, n)
    vd, loss = np.array([0.0, 0.002, 0.01]), rng.uniform(0, 1e-4, (3, n))
    got = box_series(emission, wind, height, 21.3e6, 5000.0, vd[:, None], loss)
    for k in range(2):
        ref = box_increment(emission[k].T, wind, height, 21.3e6, 5000.0, vd, loss.T)
        np.testing.assert_allclose(got[k], ref.T, rtol=1e-13)
