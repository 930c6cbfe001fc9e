"""The drainage network: hand-worked routing and exact balances of water and pollutants."""

from __future__ import annotations

import numpy as np
import pytest

from sim.water.network import DrainageInputs, DrainageResult, route_drainage

OUT = ("overflow", "rain_outlet", "cross_connection", "to_plant", "tank_return")


def _inputs(n_t: int = 6, **kw: object) -> DrainageInputs:
    z = np.zeros((n_t, 2))
    sew = np.full((n_t, 2), 0.1)
    base = dict(
        sewage_m3_s=sew,
        sewage_g_s=sew[..., None] * np.array([300.0, 30.0, 4.0]),
        runoff_m3_s=z,
        runoff_g_s=np.zeros((n_t, 2, 3)),
        dumping_m3_s=z.copy(),
        dumping_g_s=np.zeros((n_t, 2, 3)),
        combined_fraction=np.tile([1.0, 0.0], (n_t, 1)),
        cross_connected_share=np.tile([0.0, 0.2], (n_t, 1)),
        remediated_share=z.copy(),
        offseason_closure=z.copy(),
        tank_m3=z.copy(),
        interceptor_m3_s=np.array([0.3, 0.3]),
        plant_capacity_m3_s=1.0,
        effluent_mg_l=np.array([50.0, 5.0, 0.5]),
    )
    base.update(kw)
    return DrainageInputs(**base)  # type: ignore[arg-type]


def assert_balanced(r: DrainageResult) -> None:
    v_out = sum(r.water_m3[p].sum() for p in OUT) + r.storage_m3[-1].sum()
    assert v_out == pytest.approx(r.inflow_m3.sum(), rel=1e-12)
    m_out = sum(r.load_kg[p].sum(axis=(0, 1)) for p in OUT) + r.storage_kg[-1].sum(axis=0)
    np.testing.assert_allclose(m_out, r.inflow_kg.sum(axis=(0, 1)), rtol=1e-12)
    plant_in = (r.water_m3["to_plant"] + r.water_m3["tank_return"]).sum()
    assert r.plant_m3["effluent"].sum() + r.plant_m3["bypass"].sum() == pytest.approx(plant_in)


def test_dry_weather_cross_connection_reaches_the_river_unless_outlets_remediated() -> None:
    r = route_drainage(_inputs())
    # separate area: 0.1 m3/s x 20 % = 0.02 m3/s = 72 m3 per hour through rain outlets
    np.testing.assert_allclose(r.water_m3["cross_connection"][:, 1], 72.0)
    assert r.water_m3["overflow"].sum() == 0.0
    r2 = route_drainage(_inputs(remediated_share=np.ones((6, 2))))
    assert r2.water_m3["cross_connection"].sum() == 0.0
    assert_balanced(r2)


def test_storm_overflows_above_interceptor_and_tank_returns_after_rain() -> None:
    runoff = np.zeros((6, 2))
    runoff[:2] = 0.4  # combined area: 0.1 + 0.4 = 0.5 m3/s against 0.3 -> 0.2 m3/s = 720 m3/h
    tank = np.full((6, 2), 1000.0)
    r = route_drainage(_inputs(runoff_m3_s=runoff, tank_m3=tank))
    np.testing.assert_allclose(r.water_m3["overflow"][:2, 0], [0.0, 440.0])
    # spare interceptor after the rain: (0.3 - 0.1) x 3600 = 720 m3/h; tank holds 1000 m3
    np.testing.assert_allclose(r.water_m3["tank_return"][2:4, 0], [720.0, 280.0])
    assert_balanced(r)


def test_plant_bypasses_above_capacity_and_meets_effluent_limits() -> None:
    r = route_drainage(_inputs(plant_capacity_m3_s=0.15))
    # plant receives 0.1 + 0.08 = 0.18 m3/s: 0.15 treated, 0.03 bypassed
    np.testing.assert_allclose(r.plant_m3["bypass"], 0.03 * 3600)
    np.testing.assert_allclose(r.plant_kg["effluent"][:, 0], 0.15 * 3600 * 50e-3)
