"""The regional ozone regime with the literature HOx production (issue 14, point 1).

- Aged regional air is in photostationary state, NO/NOx = J/(J + k[O3]) (Leighton 1961), worked
  out here by hand: 160 µg/m³ O3 is 160e-12·6.02214e23/47.997 = 2.0074e12 molecule/cm³, so
  k[O3] = 1.9e-14·2.0074e12 = 0.038141 /s and NO/NOx = 8e-3/(8e-3 + 0.038141) = 0.17338.
- With P(HOx) = 3 ppb/h (Tan et al. 2019; Thornton et al. 2002) summer regional air at the
  reference precursors (NOx 10, VOC 15, CO 500 µg/m³) on a 32 °C afternoon is transitional to
  NOx-limited: cutting the region's NOx by half lowers its O3 production (non-urban North China
  NOx-limited in summer, Song et al. 2023); in winter the same air is VOC-limited and gains O3;
  urban-core air (NOx 80 µg/m³) stays VOC-limited (Tan et al. 2019, ACP 19:3493).
- The regional O3 handed to the boxes is net of the regional production they add back, so the
  sum is the regional O3 (no double counting).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.air.background import RegionParams, regional_background, regional_o3_factor
from sim.air.ozone import (
    OzoneParams,
    nox_limited,
    ozone_production_ug_m3_h,
    photostationary_no_fraction,
)

LITERATURE = OzoneParams(hox_production_ppb_h=3.0)
REGION = RegionParams(gases_ug_m3=(10.0, 5.0, 500.0, 15.0, 5.0), o3_produced_share=0.5)


def _nox(factor: float) -> np.ndarray:
    r = np.ones(7)
    r[2] = factor
    return r


def test_photostationary_no_fraction_matches_the_hand_calculation():
    assert photostationary_no_fraction(160.0, 800.0, LITERATURE) == pytest.approx(0.17338, 1e-4)
    assert photostationary_no_fraction(160.0, 0.0, LITERATURE) == 0.0
    # less ozone, more NO: 80 µg/m³ gives 8e-3/(8e-3 + 0.0190705) = 0.29553
    assert photostationary_no_fraction(80.0, 800.0, LITERATURE) == pytest.approx(0.29553, 1e-4)


def test_cutting_regional_nox_in_summer_lowers_regional_o3():
    summer = regional_o3_factor(_nox(0.5), REGION, LITERATURE, 32.0, 160.0)
    assert summer < 1.0
    # at the fitted July regional O3 (145 µg/m³) the air is at the peak: still no gain
    assert regional_o3_factor(_nox(0.5), REGION, LITERATURE, 32.0, 145.0) < 1.0
    assert regional_o3_factor(_nox(1.5), REGION, LITERATURE, 32.0, 160.0) < 1.0  # at the peak


def test_winter_regional_air_is_voc_limited_and_gains_o3_when_nox_is_cut():
    assert regional_o3_factor(_nox(0.5), REGION, LITERATURE, 2.0, 100.0) > 1.0


def test_urban_core_stays_voc_limited_at_the_literature_hox_production():
    assert not nox_limited(80.0, 60.0, 800.0, 32.0, LITERATURE, 1000.0)
    cut = ozone_production_ug_m3_h(40.0, 60.0, 800.0, 32.0, LITERATURE, 1000.0)
    assert cut > ozone_production_ug_m3_h(80.0, 60.0, 800.0, 32.0, LITERATURE, 1000.0)


def test_regional_o3_to_the_boxes_is_net_of_the_production_they_add_back():
    n = 48
    hour = np.arange(n) % 24
    sun = np.maximum(0.0, 800.0 * np.sin(np.pi * (hour - 6) / 12))
    temp = 27.0 + 5.0 * np.sin(np.pi * (hour - 9) / 12)
    kw = {
        "relative_humidity_pct": np.full(n, 50.0), "temperature_c": temp, "solar_w_m2": sun,
        "relative_emissions": np.ones((n, 7)),
    }  # fmt: skip
    # regional O3 above three hours of its own production, so the net stays positive
    region = RegionParams(gases_ug_m3=REGION.gases_ug_m3, o3_ug_m3=250.0)
    args = (np.full(n, 190.0), np.full(n, 2.5), np.full(n, 1000.0), np.zeros(n), region)
    gross = regional_background(*args, **kw)
    net = regional_background(*args, ozone=LITERATURE, **kw)
    g = net.gases
    made = LITERATURE.accumulation_time_h * ozone_production_ug_m3_h(
        g[:, 0], g[:, 3], sun, temp, LITERATURE, g[:, 2]
    )
    assert np.all(made[sun == 0.0] == 0.0)
    assert np.all(net.o3 > 0.0)
    np.testing.assert_allclose(net.o3 + made, gross.o3, rtol=1e-12)
