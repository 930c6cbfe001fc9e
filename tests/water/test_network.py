"""The drainage network: hand-worked routing and exact balances of water and pollutants."""

from __future__ import annotations

import numpy as np
import pytest

from sim.water.network import DrainageInputs, DrainageResult, area_total, route_drainage

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


def test_pipe_storage_holds_the_first_excess_and_drains_back_through_spare_capacity() -> None:
    # combined area: excess 720 m3/h for 2 h (as above); the sewers hold 500 m3 below the weirs
    runoff = np.zeros((6, 2))
    runoff[:2] = 0.4
    pipes = np.full((6, 2), 500.0)
    r = route_drainage(_inputs(runoff_m3_s=runoff, pipe_storage_m3=pipes))
    # hour 0: 720 in, 500 kept, 220 over; hour 1: 720 more, store full, all 720 over
    np.testing.assert_allclose(r.water_m3["overflow"][:2, 0], [220.0, 720.0])
    # after the rain: 720 m3/h of spare interceptor capacity empties the 500 m3 in one hour
    np.testing.assert_allclose(r.water_m3["to_plant"][2, 0], 0.1 * 3600 + 500.0)
    np.testing.assert_allclose(r.storage_m3[:3, 0], [500.0, 500.0, 0.0])
    # the overflow of hour 0 carries the mixture's COD: 0.5 m3/s at (0.1·300)/0.5 = 60 mg/L
    assert r.load_kg["overflow"][0, 0, 0] == pytest.approx(220.0 * 0.060)
    assert_balanced(r)


def test_plant_bypass_is_booked_back_to_the_areas_in_proportion_to_their_inflow() -> None:
    # plant 0.1 m3/s against 0.1 + 0.08 m3/s of sewage: 0.08/0.18 of each area's flow bypassed
    r = route_drainage(_inputs(plant_capacity_m3_s=0.1))
    sent = r.water_m3["to_plant"][0]
    np.testing.assert_allclose(r.bypass_m3[0], sent * (0.08 * 3600) / sent.sum())
    np.testing.assert_allclose(r.bypass_m3.sum(axis=1), r.plant_m3["bypass"], rtol=1e-12)
    np.testing.assert_allclose(r.bypass_kg.sum(axis=1), r.plant_kg["bypass"], rtol=1e-12)


def test_plant_bypasses_above_capacity_and_meets_effluent_limits() -> None:
    r = route_drainage(_inputs(plant_capacity_m3_s=0.15))
    # plant receives 0.1 + 0.08 = 0.18 m3/s: 0.15 treated, 0.03 bypassed
    np.testing.assert_allclose(r.plant_m3["bypass"], 0.03 * 3600)
    np.testing.assert_allclose(r.plant_kg["effluent"][:, 0], 0.15 * 3600 * 50e-3)


def _random_inputs(seed: int, n_t: int = 300, n_a: int = 3) -> DrainageInputs:
    rng = np.random.default_rng(seed)
    shape = (n_t, n_a)
    runoff = rng.uniform(0.0, 2.0, shape) * (rng.random((n_t, 1)) < 0.15)
    return DrainageInputs(
        sewage_m3_s=rng.uniform(0.05, 0.2, shape),
        sewage_g_s=rng.uniform(1.0, 60.0, (*shape, 3)),
        runoff_m3_s=runoff,
        runoff_g_s=runoff[..., None] * rng.uniform(50.0, 300.0, (*shape, 3)),
        dumping_m3_s=rng.uniform(0.0, 0.01, shape),
        dumping_g_s=rng.uniform(0.0, 8.0, (*shape, 3)),
        combined_fraction=rng.uniform(0.0, 1.0, shape),
        cross_connected_share=rng.uniform(0.0, 0.3, shape),
        remediated_share=rng.uniform(0.0, 1.0, shape),
        offseason_closure=rng.uniform(0.0, 1.0, shape) * (rng.random(shape) < 0.5),
        tank_m3=np.full(shape, 500.0) * (rng.random(n_a) < 0.7),
        interceptor_m3_s=rng.uniform(0.2, 0.5, n_a),
        plant_capacity_m3_s=0.5,
        effluent_mg_l=np.array([50.0, 5.0, 0.5]),
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_compiled_routing_matches_the_path_by_path_reference_with_stores(seed: int) -> None:
    from dataclasses import replace

    from ._network_reference import route_drainage_direct

    x0 = _random_inputs(seed)
    # in-pipe storage: none in one area, small (fills and overflows) and large in the others
    pipes = np.broadcast_to(np.array([0.0, 300.0, 5000.0]), (300, 3))
    cases = (x0, replace(x0, tank_m3=np.zeros((300, 3))), replace(x0, pipe_storage_m3=pipes),
             replace(x0, pipe_storage_m3=pipes, tank_m3=np.zeros((300, 3))))  # fmt: skip
    for x in cases:
        new, ref = route_drainage(x), route_drainage_direct(x)
        for field in ("water_m3", "load_kg", "plant_m3", "plant_kg"):
            for path, v in getattr(ref, field).items():
                got = getattr(new, field)[path]
                np.testing.assert_allclose(got, v, rtol=1e-12, atol=1e-12 * np.abs(v).max())
        np.testing.assert_allclose(new.storage_kg, ref.storage_kg, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(new.inflow_kg, ref.inflow_kg, rtol=1e-14)
        np.testing.assert_array_equal(new.wet, ref.wet)
        assert_balanced(new)


def test_area_total_equals_sum_over_areas_for_any_layout() -> None:
    rng = np.random.default_rng(2)
    loads = rng.random((50, 4, 3))
    p_major = np.moveaxis(np.ascontiguousarray(np.moveaxis(loads, -1, 0)), 0, -1)
    np.testing.assert_allclose(area_total(loads), loads.sum(axis=1), rtol=1e-14)
    np.testing.assert_allclose(area_total(p_major), loads.sum(axis=1), rtol=1e-14)
    np.testing.assert_allclose(area_total(loads[..., 0]), loads[..., 0].sum(axis=1), rtol=1e-14)


def test_daily_sums_summed_while_routing_equal_the_hourly_paths_summed_by_day() -> None:
    from dataclasses import replace

    x = replace(_random_inputs(3), pipe_storage_m3=np.full((300, 3), 800.0))
    day_index = (np.arange(300) + 7) // 24  # a partial first and last day
    r = route_drainage(x, days=(day_index, 13))
    assert r.daily_m3 is not None
    assert r.daily_kg is not None
    hourly_v = {**{p: r.water_m3[p] for p in OUT}, "bypass": r.bypass_m3}
    hourly_m = {**{p: r.load_kg[p] for p in OUT}, "bypass": r.bypass_kg}
    assert r.daily_m3.keys() == hourly_v.keys()
    for p, v in hourly_v.items():
        by_day = np.stack([v[day_index == d].sum(axis=0) for d in range(13)])
        np.testing.assert_allclose(r.daily_m3[p], by_day, rtol=1e-12, atol=1e-9)
        by_day_m = np.stack([hourly_m[p][day_index == d].sum(axis=0) for d in range(13)])
        np.testing.assert_allclose(r.daily_kg[p], by_day_m, rtol=1e-12, atol=1e-9)
    assert r.daily_m3["overflow"].sum() > 0.0
    assert r.daily_kg["bypass"].sum() > 0.0
