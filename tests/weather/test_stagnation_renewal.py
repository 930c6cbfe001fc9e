"""Stagnation episodes start as a quasi-periodic renewal process (sim/weather/synthetic.py).

Renewal theory (Cox 1962, *Renewal Theory*, §4.5): with intervals of mean 1 and variance
``1/k`` the count over an expected number ``T`` of starts has mean ``T`` and variance tending
to ``T/k`` -- a quarter of the Poisson variance for ``k = 4``.
"""

from __future__ import annotations

import numpy as np

from sim.weather.synthetic import STAGNATION_INTERVAL_SHAPE, _renewal_starts


def _counts(shape: float, replicates: int = 400) -> np.ndarray:
    rng = np.random.default_rng(7)
    rate = np.full(10_000, 0.01)  # T = 100 expected starts
    return np.array([_renewal_starts(rng, rate, 0, shape).size for _ in range(replicates)])


def test_renewal_counts_have_the_mean_and_the_variance_of_renewal_theory():
    k = STAGNATION_INTERVAL_SHAPE
    counts = _counts(k)
    assert abs(counts.mean() - 100.0) < 1.5
    assert 0.6 * 100.0 / k < counts.var(ddof=1) < 1.5 * 100.0 / k


def test_shape_one_is_a_poisson_process():
    counts = _counts(1.0)
    assert 75.0 < counts.var(ddof=1) < 130.0


def test_starts_follow_the_hourly_rate():
    rng = np.random.default_rng(3)
    rate = np.r_[np.full(5000, 0.02), np.zeros(5000)]  # nothing may start in the second half
    starts = _renewal_starts(rng, rate, 0, 4.0)
    assert starts.max() < 5000
    assert abs(starts.size - 100) <= 12
