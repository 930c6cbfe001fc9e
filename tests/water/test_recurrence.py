"""Linear recurrences by a prefix scan: against a plain loop and the geometric closed form."""

from __future__ import annotations

import numpy as np
import pytest

from sim.water.recurrence import PrefixScan, linear_recurrence


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
    got = linear_recurrence(np.exp(log_a), b, x0)
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
    with pytest.raises(ValueError, match="decay"):
        linear_recurrence(np.array([-0.1]), np.array([0.0]), 0.0)


def test_prefix_scan_solves_each_series_of_its_decays_like_a_plain_loop() -> None:
    rng = np.random.default_rng(5)
    a = np.exp(-rng.uniform(0.0, 25.0, (4, 366, 3, 5)))  # 4 series, time second
    scan = PrefixScan(a, axis=1)
    b = rng.uniform(0.0, 10.0, (366, 3, 5))
    x0 = rng.uniform(size=5)
    ref = _loop(a[2], b, x0)
    np.testing.assert_allclose(scan.solve(b, x0, (2,)), ref, rtol=1e-13)
    with pytest.raises(ValueError, match="steps"):
        scan.solve(b[:10], x0, (2,))


def test_prefix_scan_skips_only_passes_below_its_tolerance() -> None:
    # decays exp(-4) per step: spans of 16 steps multiply to exp(-64) < 2^-60, so passes with
    # strides 16, 32, ... are skipped; the result still matches the loop to 2^-60 of its size
    rng = np.random.default_rng(9)
    a = np.full((300, 2), np.exp(-4.0))
    a[100:150, 1] = 0.9  # a slow stretch in the second series: nothing skipped there
    b = rng.uniform(0.0, 5.0, (300, 2))
    ref = _loop(a, b, np.array([1.0, 2.0]))
    fast = PrefixScan(a[:, :1].T.copy(), axis=1, tol=2.0**-60)
    got = fast.solve(b[:, 0], 1.0, (0,))
    np.testing.assert_allclose(got, ref[:, 0], rtol=1e-14, atol=2.0**-60 * 5.0)
    slow = PrefixScan(a.T.copy(), axis=1, tol=2.0**-60)
    np.testing.assert_allclose(slow.solve(b[:, 1], 2.0, (1,)), ref[:, 1], rtol=1e-13)
    # a tolerance above the one-step decay skips every pass: visibly rougher, within its bound
    rough = PrefixScan(a[:, :1].T.copy(), axis=1, tol=0.5).solve(b[:, 0], 1.0, (0,))
    err = np.abs(rough - ref[:, 0]).max()
    assert 1e-3 < err <= 0.5 * np.abs(ref[:, 0]).max()
