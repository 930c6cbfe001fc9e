"""Signs the literature agrees on (issue #14, points 2 and 6).

- Less NH3 gives less particulate nitrate where ammonia limits it (S&P 2016 §10.4.3; the NH3
  control studies for North China, e.g. Liu et al. 2019, PNAS 116:7760).
- Less district VOC gives less O3 production over the district in VOC-limited urban air, and the
  district's own part is bounded by the time the air spends over it, ``L/(2u)``.
- In NOx-limited air (low NOx, summer: isoprene) cutting NOx lowers O3; in VOC-limited air it
  raises it (Sillman 1999, Atmos. Environ. 33:1821; Song et al. 2023 for North China).
- The regional secondary share of PM2.5 rises when primary PM is cut and falls when the
  precursors are.
"""

from __future__ import annotations

import numpy as np

from sim.air.background import RegionParams, regional_o3_factor, regional_secondary_share
from sim.air.ozone import OzoneParams, nox_limited, ozone_production_ug_m3_h
from sim.air.response import (
    AirParams,
    BoxGeometry,
    MetArrays,
    ScaleIncrements,
    total_concentrations,
)
from sim.air.secondary import partition_inorganic

SUMMER_NOON = {"solar_w_m2": 800.0, "temperature_c": 30.0}


def _relative(nox: float = 1.0, voc: float = 1.0, pm: float = 1.0, precursors: float = 1.0):
    r = np.ones(7)
    r[0] = pm
    r[[3, 6]] = precursors
    r[2] = nox * precursors
    r[4] = voc * precursors
    return r


def test_less_nh3_gives_less_nitrate_when_ammonia_limits():
    kw = {"temperature_c": 0.0, "rh_pct": 70.0}
    full = partition_inorganic(5.0, 30.0, 6.0, **kw)
    cut = partition_inorganic(5.0, 30.0, 4.0, **kw)
    assert full.nitrate > 0.0
    assert cut.nitrate < full.nitrate
    assert cut.ammonium < full.ammonium


def test_nox_limited_region_loses_o3_when_its_nox_is_cut():
    clean = RegionParams(gases_ug_m3=(2.0, 5.0, 300.0, 15.0, 5.0))
    assert nox_limited(2.0, 15.0, params=OzoneParams(), co_ug_m3=300.0, **SUMMER_NOON)
    assert regional_o3_factor(_relative(nox=0.7), clean, temperature_c=30.0) < 1.0


def test_voc_limited_region_gains_o3_when_its_nox_is_cut():
    urban = RegionParams(gases_ug_m3=(80.0, 5.0, 1200.0, 40.0, 5.0))
    assert not nox_limited(80.0, 40.0, params=OzoneParams(), co_ug_m3=1200.0, **SUMMER_NOON)
    assert regional_o3_factor(_relative(nox=0.7), urban, temperature_c=30.0) > 1.0


def test_regime_follows_precursors_cold_air_is_more_voc_limited():
    """Same NOx and VOC, winter (no isoprene, less radical production): VOC-limited."""
    assert nox_limited(2.0, 15.0, params=OzoneParams(), co_ug_m3=300.0, **SUMMER_NOON)
    assert not nox_limited(20.0, 15.0, 400.0, 0.0, OzoneParams(), 300.0)


def test_regional_secondary_share_follows_regional_precursors():
    p = RegionParams(secondary_fraction=0.55)
    assert regional_secondary_share(_relative(), p) == np.float64(0.55)
    assert regional_secondary_share(_relative(pm=0.5), p) > 0.55
    assert regional_secondary_share(_relative(precursors=0.5), p) < 0.55


def _one_hour(wind_m_s: float) -> MetArrays:
    one = np.ones(1)
    return MetArrays(
        wind_m_s=one * wind_m_s, mixing_height_m=one * 800.0, temperature_c=one * 30.0,
        relative_humidity_pct=one * 50.0, solar_w_m2=one * 800.0, rain_mm_h=one * 0.0,
        day_of_year=one * 180.0,
    )  # fmt: skip


def _increments(district_voc: float) -> ScaleIncrements:
    district = np.zeros((1, 7))
    district[0, [2, 4, 5]] = (40.0, district_voc, 300.0)  # NOx, VOC, CO
    city = np.zeros((1, 7))
    city[0, [2, 4, 5]] = (30.0, 20.0, 400.0)
    region = np.zeros((1, 7))
    region[0, [2, 4, 5]] = (10.0, 15.0, 500.0)
    return ScaleIncrements(district, city, region, np.full(1, 30.0), np.full(1, 120.0))


def test_less_district_voc_gives_less_o3_bounded_by_the_time_over_the_district():
    params = AirParams(district=BoxGeometry(21.3e6, 5000.0), city=None)
    met = _one_hour(wind_m_s=3.0)
    full = total_concentrations(_increments(60.0), met, params)[0, 5]
    cut = total_concentrations(_increments(30.0), met, params)[0, 5]
    assert cut < full
    # the district's share of production acts for L/(2u) = 5000/6 s = 0.231 h only: the O3
    # difference is at most that time times the difference of production rates (µg/m³/h)
    rate = [
        ozone_production_ug_m3_h(80.0, 35.0 + v, 800.0, 30.0, params.ozone, 1200.0)
        for v in (60.0, 30.0)
    ]
    assert full - cut <= (5000.0 / 6.0 / 3600.0) * (rate[0] - rate[1]) + 1e-9
