"""Every coalition at once (sim.air.batch) against each coalition run alone (air_response)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.air.background import RegionParams
from sim.air.batch import Variants, box_variants, evaluate, region_variants, weathered
from sim.air.ozone import OzoneParams, ozone_production_ug_m3_h
from sim.air.response import AirParams, BoxGeometry, MetArrays, air_response, background

N = 24 * 6


def _met(rng: np.random.Generator) -> MetArrays:
    hour = np.arange(N) % 24
    sun = np.maximum(0.0, np.sin((hour - 6) / 12 * np.pi)) * rng.uniform(300, 900, N)
    return MetArrays(
        wind_m_s=rng.uniform(0.5, 6.0, N), mixing_height_m=rng.uniform(150, 1500, N),
        temperature_c=rng.uniform(-5, 32, N), relative_humidity_pct=rng.uniform(30, 98, N),
        solar_w_m2=sun, rain_mm_h=np.where(rng.random(N) < 0.1, rng.uniform(0, 5, N), 0.0),
        day_of_year=150.0 + np.arange(N) // 24,
    )  # fmt: skip


def _params() -> AirParams:
    return AirParams(
        district=BoxGeometry(21.3e6, 5000.0), city=BoxGeometry(1.2e10, 1.1e5),
        region=RegionParams(o3_temperature_coeff_per_k=0.05, o3_solar_exponent=0.2),
    )  # fmt: skip


def _case(seed: int) -> tuple[MetArrays, AirParams, list, list, list]:
    rng = np.random.default_rng(seed)
    met, params = _met(rng), _params()
    district = [rng.uniform(0, 60, (N, 7)) for _ in range(2)]
    city = [rng.uniform(0, 60, (N, 7)) * 400 for _ in range(2)]
    rel = [np.ones((N, 7)), rng.uniform(0.6, 1.1, (N, 7))]
    bgs = [background(met, params, r) for r in rel]
    return met, params, district, city, bgs


def _variants(met: MetArrays, params: AirParams, district: list, city: list, bgs: list) -> Variants:
    w = weathered(met, params)
    d = box_variants(np.stack(district).transpose(0, 2, 1), met, params.district, params, w)
    c = box_variants(np.stack(city).transpose(0, 2, 1), met, params.city, params, w)  # type: ignore[arg-type]
    c *= params.city_receptor_factor
    return Variants(d, c, *region_variants(bgs, N, params))


@pytest.mark.parametrize("seed", [0, 1])
def test_every_coalition_equals_its_single_response(seed: int) -> None:
    met, params, district, city, bgs = _case(seed)
    ev = evaluate(_variants(met, params, district, city, bgs), met, params, weathered(met, params))
    assert ev.totals.shape == (2, 2, 2, 6, N)
    for i, j, k in np.ndindex(2, 2, 2):
        alone = air_response(district[i], city[j], met, params, bgs[k]).total
        np.testing.assert_allclose(ev.totals[i, j, k].T, alone, rtol=1e-9, atol=1e-12)
    last = air_response(district[1], city[1], met, params, bgs[1])
    np.testing.assert_allclose(ev.by_scale, last.by_scale, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(ev.pm25_by_origin, last.pm25_by_origin, rtol=1e-9, atol=1e-12)


def test_one_variant_each_without_city_or_region_is_the_single_response() -> None:
    met, _, district, _, _ = _case(2)
    params = AirParams(district=BoxGeometry(21.3e6, 5000.0), city=None, region=None)
    w = weathered(met, params)
    d = box_variants(district[0].T[None], met, params.district, params, w)
    v = Variants(d, np.zeros_like(d), *region_variants([None], N, params))
    ev = evaluate(v, met, params, w)
    alone = air_response(district[0], None, met, params)
    np.testing.assert_allclose(ev.totals[0, 0, 0].T, alone.total, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ev.by_scale, alone.by_scale, rtol=1e-9, atol=1e-12)


def test_ozone_production_is_zero_without_sunlight() -> None:
    # what lets the batch compute production in the hours with sunlight only
    rng = np.random.default_rng(4)
    nox, voc, co = rng.uniform(0, 200, (3, 500))
    for solar in (0.0, -1.0):
        p = ozone_production_ug_m3_h(nox, voc, solar, rng.uniform(-20, 40, 500), OzoneParams(), co)
        assert np.all(p == 0.0)
