"""The three-scale response: district box by hand, additivity of the scales, NO2/O3 partition."""

from __future__ import annotations

import numpy as np
import pytest

from sim.air.background import RegionParams
from sim.air.ozone import ozone_no2_hourly
from sim.air.response import AirParams, BoxGeometry, MetArrays, air_response

AREA, LENGTH = 21.3e6, 5000.0


def _met(n: int, **kw: float) -> MetArrays:
    values = {"wind_m_s": 2.4, "mixing_height_m": 600.0, "temperature_c": 15.0,
              "relative_humidity_pct": 50.0, "solar_w_m2": 0.0, "rain_mm_h": 0.0,
              "day_of_year": 100.0}  # fmt: skip
    values.update(kw)
    return MetArrays(**{k: np.full(n, float(v)) for k, v in values.items()})


def _district_only(**kw: object) -> AirParams:
    return AirParams(
        district=BoxGeometry(AREA, LENGTH), city=None, region=None,
        deposition_m_s=(0.0,) * 7, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def test_district_only_steady_state_is_the_box_formula_by_hand() -> None:
    # 200 t/yr of PM2.5: q = 2e14 µg / (8760·3600 s) / 21.3e6 m² = 0.29775 µg/m²/s;
    # C = q·L/(u·H) = 0.29775 · 5000 / (2.4 · 600) = 1.0338 µg/m³ (DOMAIN.md §4 "about 1")
    e = np.zeros((48, 7))
    e[:, 0] = 200e3 / 8760
    resp = air_response(e, None, _met(48), _district_only())
    q = 200e12 / (8760 * 3600) / AREA
    assert resp.by_scale[-1, 0, 0] == pytest.approx(q * LENGTH / (2.4 * 600), rel=1e-9)
    assert resp.by_scale[-1, 0, 0] == pytest.approx(1.0338, rel=1e-4)
    np.testing.assert_allclose(resp.by_scale[:, :, 1:], 0.0)  # no city, no region


def test_scales_add_up_and_pm25_origins_sum_to_pm25() -> None:
    rng = np.random.default_rng(3)
    n = 72
    e = rng.uniform(0, 50, (n, 7))
    met = _met(n, solar_w_m2=300.0, relative_humidity_pct=70.0)
    params = AirParams(district=BoxGeometry(AREA, LENGTH), city=BoxGeometry(1.2e10, 1.1e5))
    resp = air_response(e, e * 300, met, params)
    np.testing.assert_allclose(resp.pm25_by_origin.sum(axis=2), resp.by_scale[:, 0, :])
    np.testing.assert_allclose(resp.total, resp.by_scale.sum(axis=2))
    assert np.all(resp.by_scale[:, 0, :] >= 0)


def test_city_increment_scales_with_the_receptor_factor() -> None:
    n = 24
    city = np.zeros((n, 7))
    city[:, 5] = 1e5  # CO only: linear, no chemistry
    base = AirParams(district=BoxGeometry(AREA, LENGTH), city=BoxGeometry(1.2e10, 1.1e5),
                     region=None)  # fmt: skip
    a = air_response(np.zeros((n, 7)), city, _met(n), base)
    b = air_response(
        np.zeros((n, 7)),
        city,
        _met(n),
        AirParams(district=base.district, city=base.city, region=None, city_receptor_factor=1.5),
    )
    np.testing.assert_allclose(b.by_scale[:, 4, 1], 1.5 * a.by_scale[:, 4, 1])


def test_region_only_gives_the_background() -> None:
    n = 48
    params = AirParams(
        district=BoxGeometry(AREA, LENGTH),
        city=None,
        region=RegionParams(pm25_seasonal_amplitude=0.0, ventilation_ref_m2_s=2.4 * 600.0),
    )
    resp = air_response(np.zeros((n, 7)), None, _met(n), params)
    np.testing.assert_allclose(resp.by_scale[:, 0, 2], params.region.pm25_ug_m3)  # type: ignore[union-attr]
    np.testing.assert_allclose(resp.by_scale[:, 1, 2], 1.6 * 14.0)
    np.testing.assert_allclose(resp.by_scale[:, 0, :2], 0.0)


def test_at_night_no_titrates_ozone_and_oxidant_is_conserved() -> None:
    # night: O3 = max(0, Ox - NOx), NO2 = Ox - O3 (ppb). 100 µg/m³ O3 = 50.9 ppb at 15 °C;
    # NOx 40 µg/m³ = 20.5 ppb, 20 % of it NO2 already: Ox = 50.9 + 4.1 = 55.0 ppb
    o3, no2 = ozone_no2_hourly(100.0, 40.0, 20.0, 0.0, 15.0)
    to_ppb_o3 = 0.0820574 * 288.15 / 47.997
    to_ppb_no2 = 0.0820574 * 288.15 / 46.005
    ox = 100.0 * to_ppb_o3 + 0.2 * 40.0 * to_ppb_no2
    assert o3 * to_ppb_o3 == pytest.approx(ox - 40.0 * to_ppb_no2)
    assert no2 == pytest.approx(40.0)  # every NO became NO2
