"""Sewers and the plant: hand-worked routing and exact water and pollutant balances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.water.sewer import (
    GB18918_1A_MG_L,
    FlowResult,
    combined_sewer,
    first_flush_volume_m3,
    separate_sewer,
    treatment_plant,
)

SEWAGE = {"cod": 300.0, "nh3n": 30.0, "tp": 4.0}
RUNOFF = {"cod": 150.0, "nh3n": 2.0, "tp": 0.4}


def assert_balanced(
    res: FlowResult, v_in: float, m_in: dict[str, float], removed: bool = False
) -> None:
    """inflow = sum over paths + final storage, to 1e-9 relative, for water and each pollutant."""
    v_out = sum(float(v.sum()) for v in res.water_m3.values()) + float(res.storage_m3[-1])
    assert v_out == pytest.approx(v_in, rel=1e-9, abs=1e-12)
    for k, m in m_in.items():
        m_out = sum(float(x.sum()) for x in res.load_kg[k].values()) + float(res.storage_kg[k][-1])
        assert m_out == pytest.approx(m, rel=1e-9, abs=1e-12)


def test_interceptor_takes_one_plus_n0_times_dry_weather_flow() -> None:
    # Qdw 0.1 m3/s, n0 = 2: capacity 0.3 m3/s; sewage 0.1 + runoff 0.5 -> 0.3 to plant, 0.3 CSO
    res = combined_sewer(3600.0, [0.1], SEWAGE, [0.5], RUNOFF, 0.1, interception_ratio=2.0)
    assert res.water_m3["to_plant"][0] == pytest.approx(0.3 * 3600)
    assert res.water_m3["overflow"][0] == pytest.approx(0.3 * 3600)
    # the overflow carries the mixture: COD (0.1*300 + 0.5*150)/0.6 = 175 mg/L
    assert res.concentration_mg_l("overflow", "cod")[0] == pytest.approx(175.0)


def test_dry_weather_flow_stays_in_the_interceptor() -> None:
    res = combined_sewer(3600.0, np.full(24, 0.1), SEWAGE, np.zeros(24), RUNOFF, 0.1)
    assert res.water_m3["overflow"].sum() == 0.0
    assert res.load_kg["cod"]["to_plant"].sum() == pytest.approx(24 * 360 * 0.3)


def test_first_flush_tank_catches_first_overflow_and_returns_it_after_rain() -> None:
    tank = first_flush_volume_m3(5.0, 100_000.0)  # 5 mm over 10 ha: 500 m3
    assert tank == pytest.approx(500.0)
    runoff = np.array([0.3, 0.3, 0.0, 0.0, 0.0])  # excess 0.2 m3/s x 3600 s = 720 m3 per hour
    res = combined_sewer(3600.0, 0.1, SEWAGE, runoff, RUNOFF, 0.1, 1.0, tank_m3=tank)
    np.testing.assert_allclose(res.water_m3["overflow"], [220.0, 720.0, 0, 0, 0])
    # spare capacity after the rain: 0.1 m3/s x 3600 = 360 m3 per hour
    np.testing.assert_allclose(res.water_m3["tank_return"], [0, 0, 360.0, 140.0, 0])
    np.testing.assert_allclose(res.storage_m3, [500.0, 500.0, 140.0, 0.0, 0.0])
    c_mix = (0.1 * 300 + 0.3 * 150) / 0.4
    assert res.concentration_mg_l("tank_return", "cod")[2] == pytest.approx(c_mix)


def test_separate_area_sends_cross_connected_sewage_to_rain_outlets() -> None:
    res = separate_sewer(3600.0, [0.1, 0.1], SEWAGE, [0.0, 0.4], RUNOFF, cross_connected_share=0.2)
    np.testing.assert_allclose(res.water_m3["to_plant"], [288.0, 288.0])
    np.testing.assert_allclose(res.water_m3["rain_outlet"], [72.0, 72.0 + 1440.0])
    assert res.concentration_mg_l("rain_outlet", "nh3n")[0] == pytest.approx(30.0)


def test_plant_treats_to_class_1a_and_bypasses_the_rest() -> None:
    res = treatment_plant(3600.0, [1.0, 3.0], {"cod": [250.0, 250.0], "nh3n": [3.0, 30.0]}, 2.0)
    np.testing.assert_allclose(res.water_m3["effluent"], [3600.0, 7200.0])
    np.testing.assert_allclose(res.water_m3["bypass"], [0.0, 3600.0])
    assert res.concentration_mg_l("effluent", "cod")[1] == pytest.approx(GB18918_1A_MG_L["cod"])
    assert res.concentration_mg_l("effluent", "nh3n")[0] == pytest.approx(3.0)  # already below 5
    assert res.concentration_mg_l("bypass", "nh3n")[1] == pytest.approx(30.0)


flows = arrays(np.float64, 48, elements=st.floats(0.0, 5.0))
conc = st.floats(0.0, 500.0)


@settings(max_examples=60, deadline=None)
@given(
    sewage=flows,
    runoff=flows,
    c_s=conc,
    c_r=conc,
    n0=st.floats(0.0, 6.0),
    qdw=st.floats(0.0, 3.0),
    tank=st.floats(0.0, 50_000.0),
)
def test_combined_sewer_balances_water_and_loads(sewage, runoff, c_s, c_r, n0, qdw, tank) -> None:
    res = combined_sewer(
        600.0, sewage, {"cod": c_s, "tp": c_s / 50}, runoff, {"cod": c_r}, qdw, n0, tank
    )
    v_in = float((sewage + runoff).sum() * 600.0)
    m_cod = float((sewage * c_s + runoff * c_r).sum() * 600.0 * 1e-3)
    m_tp = float((sewage * c_s / 50).sum() * 600.0 * 1e-3)
    assert_balanced(res, v_in, {"cod": m_cod, "tp": m_tp})


@settings(max_examples=60, deadline=None)
@given(
    sewage=flows,
    runoff=flows,
    c_s=conc,
    c_r=conc,
    share=st.floats(0.0, 1.0),
    tank=st.floats(0.0, 50_000.0),
    pump=st.floats(0.0, 2.0),
)
def test_separate_sewer_balances_water_and_loads(
    sewage, runoff, c_s, c_r, share, tank, pump
) -> None:
    res = separate_sewer(600.0, sewage, {"nh3n": c_s}, runoff, {"nh3n": c_r}, share, tank, pump)
    v_in = float((sewage + runoff).sum() * 600.0)
    m_in = float((sewage * c_s + runoff * c_r).sum() * 600.0 * 1e-3)
    assert_balanced(res, v_in, {"nh3n": m_in})


@settings(max_examples=60, deadline=None)
@given(inflow=flows, c=arrays(np.float64, 48, elements=conc), cap=st.floats(0.0, 5.0))
def test_plant_balances_water_and_loads(inflow, c, cap) -> None:
    res = treatment_plant(600.0, inflow, {"cod": c, "tp": c / 100}, cap)
    v_in = float(inflow.sum() * 600.0)
    assert_balanced(
        res,
        v_in,
        {"cod": float((inflow * c).sum() * 0.6), "tp": float((inflow * c / 100).sum() * 0.6)},
    )
