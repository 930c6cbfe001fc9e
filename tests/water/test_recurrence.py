"""Linear recurrences solved in blocks: against a plain loop and the geometric closed form."""

from __future__ import annotations

import numpy as np
import pytest

from sim.water.recurrence import linear_recurrence


def _loop(a: np.ndarray, b: np.ndarray, x0: np.ndarray) -> np.ndarray:
    out = np.empty(np.broadcast_shapes(a.shape, b.shape))
    x = np.asarray(x0, dtype=float)
    a, b = np.broadcast_arrays(a, b)
    for t in range(out.shape[0]):
        x = a[t] * x + b[t]
        out[t] = x
    return out


def test_constant_coefficients_follow_the_geometric_sum() -> None:
    # x_t = a^(t+1) x0 + b (1 - a^(t+1)) / (1 - a)
    a, b, x0 = 0.8, 2.0, 5.0
    t = np.arange(200)
    expected = a ** (t + 1) * x0 + b * (1 - a ** (t + 1)) / (1 - a)
    got = linear_recurrence(np.full(200, a), np.full(200, b), x0)
    np.testing.assert_allclose(got, expected, rtol=1e-13)
    assert got[-1] == pytest.approx(b / (1 - a), rel=1e-13)  # steady state


def test_matches_a_plain_loop_with_mixed_signs_and_columns() -> None:
    rng = np.random.default_rng(11)
    log_a = -rng.uniform(0.0, 6.0, (500, 3, 2))
    b = rng.normal(0.0, 5.0, (500, 3, 2))
    x0 = rng.normal(size=(3, 2))
    got = linear_recurrence(np.exp(log_a), b, x0, log_decay=log_a)
    ref = _loop(np.exp(log_a), b, x0)
    np.testing.assert_allclose(got, ref, rtol=1e-11, atol=1e-13 * np.abs(ref).max())


def test_long_series_whose_product_underflows_stays_exact() -> None:
    # prod a = exp(-30000): a naive cumulative product underflows to 0 after ~250 steps
    n = 10_000
    a = np.full(n, np.exp(-3.0))
    b = np.sin(np.arange(n))
    ref = _loop(a, b, np.array(1.0))
    np.testing.assert_allclose(linear_recurrence(a, b, 1.0), ref, rtol=1e-12, atol=1e-15)


def test_zero_decay_restarts_from_the_increment() -> None:
    a = np.array([0.5, 0.0, 1.0, 0.25])
    b = np.array([1.0, 3.0, 1.0, 0.0])
    np.testing.assert_allclose(linear_recurrence(a, b, 4.0), [3.0, 3.0, 4.0, 1.0], atol=1e-20)


def test_decay_broadcasts_over_trailing_axes() -> None:
    a = np.full((6, 1), 0.5)
    b = np.ones((6, 3))
    got = linear_recurrence(a, b, np.zeros(3))
    np.testing.assert_allclose(got[:, 0], 2.0 - 2.0 * 0.5 ** np.arange(1, 7))


def test_decay_outside_unit_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="decay"):
        linear_recurrence(np.array([1.5]), np.array([0.0]), 0.0)
    with pytest.raises(ValueError, match="log_decay"):
        linear_recurrence(np.array([1.0]), np.array([0.0]), 0.0, log_decay=np.array([0.1]))
