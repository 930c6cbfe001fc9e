"""The compiled kernels (sim.air.kernels, through their wrappers) against the numpy references
and hour-by-hour loops of the exact solution, on random inputs with fixed seeds."""

from __future__ import annotations

import numpy as np
import pytest

from sim.air.background import accumulate
from sim.air.chemistry_rows import (
    inorganic_rows,
    ozone_no2_rows,
    ozone_production_rows,
    production_weather,
)
from sim.air.dispersion import KG_H_TO_UG_S, box_series
from sim.air.kernels import (
    as_rows,
    box_hour_means,
    box_hour_means_of_rates,
    by_scale_rows,
    mean_over_time,
)
from sim.air.ozone import (
    OzoneParams,
    hox_production_molec_cm3_s,
    oh_reactivity_per_s,
    ozone_no2_hourly,
    ozone_production_ug_m3_h,
    photostationary_no_fraction,
)
from sim.air.response import AMBIENT, EMITTED, AirResponse
from sim.air.secondary import SecondaryParams, partition_inorganic, partition_weather
from sim.air.weather_factors import trailing_max

N = 24 * 20


def _weather(rng: np.random.Generator, n: int = N) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    hour = np.arange(n) % 24
    sun = np.maximum(0.0, np.sin((hour - 6) / 12 * np.pi)) * rng.uniform(100, 1000, n)
    return sun, rng.uniform(-15, 38, n), rng.uniform(15, 100, n)


def _box_loop(e: np.ndarray, u: np.ndarray, h: np.ndarray, area: float, length: float,
              vd: np.ndarray, k: np.ndarray, c0: float) -> np.ndarray:  # fmt: skip
    """Hour means of dC/dt = E/(A·H) - λ·C, stepped hour by hour from its exact solution."""
    out = np.empty(np.broadcast_shapes(e.shape, k.shape))
    c = np.full(out.shape[:-1], c0)
    for t in range(out.shape[-1]):
        lam = u[t] / length + vd[..., 0] / h[t] + k[..., t]
        c_star = e[..., t] * KG_H_TO_UG_S / (area * h[t]) / lam
        g = (1.0 - np.exp(-lam * 3600.0)) / (lam * 3600.0)
        out[..., t] = c_star + (c - c_star) * g
        c = c_star + (c - c_star) * np.exp(-lam * 3600.0)
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_box_hour_means_of_many_series_equal_the_hour_by_hour_exact_solution(seed: int) -> None:
    rng = np.random.default_rng(seed)
    e = rng.uniform(0.0, 50.0, (3, 7, N))
    u, h = rng.uniform(0.3, 8.0, N), rng.uniform(80.0, 2000.0, N)
    vd = rng.uniform(0.0, 0.01, (7, 1))
    k = rng.uniform(0.0, 1e-4, (7, N))
    got = box_series(e, u, h, 2.1e7, 5000.0, vd, k, 0.7)
    ref = _box_loop(e, u, h, 2.1e7, 5000.0, vd, k, 0.7)
    np.testing.assert_allclose(got, ref, rtol=1e-11, atol=1e-14)


def test_regional_accumulation_equals_the_hour_by_hour_exact_solution() -> None:
    rng = np.random.default_rng(3)
    source, loss = rng.uniform(0.0, 3.0, (2, 6, N)), rng.uniform(0.005, 2.0, (6, N))
    ref = np.empty(source.shape)
    c = source[..., 0] / loss[:, 0]
    for t in range(N):
        c_star, lam = source[..., t] / loss[:, t], loss[:, t]
        ref[..., t] = c_star + (c - c_star) * (1.0 - np.exp(-lam)) / lam
        c = c_star + (c - c_star) * np.exp(-lam)
    np.testing.assert_allclose(accumulate(source, loss), ref, rtol=1e-11)


@pytest.mark.parametrize("seed", [0, 1])
def test_inorganic_kernel_equals_the_numpy_partition(seed: int) -> None:
    rng = np.random.default_rng(seed)
    _, temp, rh = _weather(rng)
    shape = (2, 3, 2, N)  # NH3-poor and NH3-rich hours alike
    sulfate, nitrate = rng.uniform(0, 30, shape), rng.uniform(0, 60, shape)
    nh3 = rng.uniform(0, 40, shape) * rng.choice([0.05, 1.0, 3.0], shape)
    params = SecondaryParams(aqueous_kp_factor=0.4)
    ref = partition_inorganic(sulfate, nitrate, nh3, temp, rh, params)
    got = inorganic_rows(sulfate, nitrate, nh3, *partition_weather(temp, rh, params))
    np.testing.assert_allclose(got, ref.sulfate + ref.nitrate + ref.ammonium, rtol=1e-12,
                               atol=1e-12)  # fmt: skip
    assert np.any(ref.nitrate == 0.0)
    assert np.any(ref.nitrate > 1.0)


@pytest.mark.parametrize("seed", [0, 1])
def test_o3_no2_kernel_equals_the_numpy_partition_day_and_night(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sun, temp, _ = _weather(rng)
    shape = (5, N)
    bg, nox = rng.uniform(0, 150, shape), rng.uniform(0, 300, shape) * rng.choice([0, 1], shape)
    made = rng.uniform(-40, 80, shape)  # a box's production change may be negative
    params = OzoneParams(no2_fraction_fresh=0.15)
    ref = ozone_no2_hourly(bg, nox, np.zeros(shape), sun, temp, params, produced_ug_m3=made)
    got = ozone_no2_rows(bg, made, nox, sun, temp, params)
    for g, r in zip(got, ref, strict=True):
        np.testing.assert_allclose(g, r, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="must be >= 0"):
        ozone_no2_rows(-bg, made, nox, sun, temp, params)


@pytest.mark.parametrize("aged", [False, True])
def test_o3_production_kernel_equals_the_numpy_radical_budget(aged: bool) -> None:
    rng = np.random.default_rng(5)
    sun, temp, _ = _weather(rng)
    shape = (4, N)
    nox = rng.uniform(0, 200, shape) * rng.choice([0.0, 0.01, 1.0], shape)  # NOx- to VOC-limited
    voc, co = rng.uniform(0, 80, shape), rng.uniform(0, 2000, shape)
    params = OzoneParams(bvoc_ppb=1.5)
    f_no = photostationary_no_fraction(rng.uniform(20, 200, N), sun, params) if aged else None
    ref = ozone_production_ug_m3_h(nox, voc, sun, temp, params, co, f_no)
    got = ozone_production_rows(nox, voc, co, sun, temp, params, f_no)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-13)
    assert np.all(got[:, sun == 0.0] == 0.0)
    assert np.all(got[nox > 1.0] >= 0.0)


def test_trailing_max_equals_the_maximum_of_each_window() -> None:
    v = np.random.default_rng(9).normal(size=100)
    ref = [v[max(0, t - 23) : t + 1].max() for t in range(100)]
    np.testing.assert_array_equal(trailing_max(v, 24), ref)
    assert trailing_max(np.zeros(0), 24).shape == (0,)


@pytest.mark.parametrize("seed", [0, 1])
def test_box_coefficients_made_in_the_loop_equal_the_numpy_coefficients_exactly(seed: int) -> None:
    # the fused kernel against the hour means of coefficients made by numpy (the former path)
    rng = np.random.default_rng(seed)
    e = rng.uniform(0.0, 50.0, (3, 7, N))
    u, h = rng.uniform(0.3, 8.0, N), rng.uniform(80.0, 2000.0, N)
    vd, k = rng.uniform(0.0, 0.01, (7, 1)), rng.uniform(0.0, 1e-4, (7, N))
    area, length = 2.1e7, 5000.0
    lam_dt = (u / length + vd / h + k) * 3600.0
    decay = np.exp(-lam_dt)
    to_c_star = (KG_H_TO_UG_S * 3600.0 / area) / (h * lam_dt)
    g = (1.0 - decay) / lam_dt
    init = rng.uniform(0.0, 5.0, 21)
    ref = box_hour_means(
        as_rows(decay, e.shape), as_rows(to_c_star * (1.0 - decay), e.shape), as_rows(g, e.shape),
        as_rows(to_c_star * (1.0 - g), e.shape), as_rows(e, e.shape), init,
    )  # fmt: skip
    got = box_hour_means_of_rates(
        as_rows(lam_dt, e.shape), as_rows(decay, e.shape), as_rows(h, lam_dt.shape),
        KG_H_TO_UG_S * 3600.0 / area, as_rows(e, e.shape), init,
    )  # fmt: skip
    np.testing.assert_array_equal(got, ref)


def test_box_with_weather_constant_in_time_given_as_scalars_equals_the_exact_solution() -> None:
    rng = np.random.default_rng(4)
    e = rng.uniform(0.0, 50.0, (2, 7, N))
    vd, k = rng.uniform(0.0, 0.01, (7, 1)), rng.uniform(0.0, 1e-4, (7, 1))
    got = box_series(e, 3.0, 600.0, 2.1e7, 5000.0, vd, k, 0.7)
    u, h = np.full(N, 3.0), np.full(N, 600.0)
    ref = _box_loop(e, u, h, 2.1e7, 5000.0, vd, np.broadcast_to(k, (7, N)), 0.7)
    np.testing.assert_allclose(got, ref, rtol=1e-11, atol=1e-14)


@pytest.mark.parametrize("noon", [False, True])
def test_weather_part_of_o3_production_in_one_pass_equals_the_numpy_reactivities(
    noon: bool,
) -> None:
    rng = np.random.default_rng(6)
    sun, temp, _ = _weather(rng)
    sun[::17], sun[5] = -3.0, np.nan  # clipped at 0; NaN kept, as numpy.maximum does
    solar = 800.0 if noon else sun  # the regional O3 factor asks at noon sun
    params = OzoneParams(bvoc_ppb=1.5)
    q, ch4, bvoc = production_weather(solar, temp, params)
    react = oh_reactivity_per_s(0.0, 0.0, solar, temp, params)
    np.testing.assert_array_equal(q, hox_production_molec_cm3_s(solar, temp, params))
    np.testing.assert_array_equal(ch4, react["CH4"])
    np.testing.assert_array_equal(bvoc, react["BVOC"])
    assert q.shape == (N,)


def test_attribution_by_scale_in_one_pass_equals_the_numpy_expressions_exactly() -> None:
    rng = np.random.default_rng(8)
    dist, city, reg = (rng.uniform(0.0, 40.0, (7, N)) for _ in range(3))
    sec_d, sec_c, region_pm25 = (rng.uniform(0.0, 30.0, N) for _ in range(3))
    share = rng.uniform(0.3, 0.7, N)
    o3, no2 = rng.uniform(0.0, 150.0, (3, N)), rng.uniform(0.0, 80.0, (3, N))
    o3[:, ::5] = 0.0  # hours of full titration: the residue of the sequential parts is cut
    emitted = np.array([EMITTED[p] for p in ("PM2.5", "PM10", "SO2", "CO")])
    ambient = np.array([AMBIENT[p] for p in ("PM2.5", "PM10", "SO2", "CO", "O3", "NO2")])
    by_scale, origin, total = by_scale_rows(
        dist, city, reg, sec_d, sec_c, region_pm25, share, o3, no2, 1.6, emitted, ambient
    )
    # the expressions of sim.air.response.respond
    ref_origin = np.empty((N, 3, 2))
    ref_origin[:, 0, 0], ref_origin[:, 0, 1] = dist[EMITTED["PM2.5"]], sec_d
    ref_origin[:, 1, 0], ref_origin[:, 1, 1] = city[EMITTED["PM2.5"]], sec_c
    ref_origin[:, 2, 0], ref_origin[:, 2, 1] = (1.0 - share) * region_pm25, share * region_pm25
    ref = np.empty((N, 6, 3))
    ref[:, AMBIENT["PM2.5"], :] = ref_origin.sum(axis=2)
    ref[:, AMBIENT["PM10"], 0] = dist[EMITTED["PM10"]] + sec_d
    ref[:, AMBIENT["PM10"], 1] = city[EMITTED["PM10"]] + sec_c
    ref[:, AMBIENT["PM10"], 2] = 1.6 * region_pm25
    for name in ("SO2", "CO"):
        ref[:, AMBIENT[name], :] = np.stack([a[EMITTED[name]] for a in (dist, city, reg)], 1)
    for col, series in ((AMBIENT["O3"], o3), (AMBIENT["NO2"], no2)):
        ref[:, col, 2], ref[:, col, 1] = series[0], series[1] - series[0]
        ref[:, col, 0] = series[2] - series[1]
    np.testing.assert_array_equal(by_scale, ref)
    np.testing.assert_array_equal(origin, ref_origin)
    np.testing.assert_array_equal(total, AirResponse(ref, ref_origin).total.T)
    assert by_scale.flags.c_contiguous
    assert origin.flags.c_contiguous


@pytest.mark.parametrize("shape", [(N, 6, 3), (N, 3, 2), (7, 4)])
def test_mean_over_time_equals_numpy_mean_over_the_first_axis_exactly(
    shape: tuple[int, ...],
) -> None:
    values = np.random.default_rng(7).lognormal(3.0, 1.0, shape)
    np.testing.assert_array_equal(mean_over_time(values), values.mean(axis=0))
