"""River segments: closed forms (mixing, CSTR, Streeter-Phelps, saturation, reaeration)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from sim.water.river import (
    RiverRates,
    RiverSegment,
    cstr_steady_state,
    do_saturation_mg_l,
    mix,
    plug_flow_tanks,
    reaeration_per_d,
    route_river,
    streeter_phelps,
    temperature_corrected,
)


def test_mixing_rule() -> None:
    q, c = mix(20.0, 4.0, 5.0, 40.0)  # river 20 m3/s at 4 mg/L, outfall 5 m3/s at 40 mg/L
    assert q == pytest.approx(25.0)
    assert c == pytest.approx((20 * 4 + 5 * 40) / 25)  # 11.2
    _, c0 = mix([0.0], [1.0], [0.0], [2.0])
    assert c0[0] == 0.0


def test_cstr_steady_state_closed_form() -> None:
    assert cstr_steady_state(30.0, 0.2, 2.5) == pytest.approx(20.0)


def test_do_saturation_table_values() -> None:
    # APHA Standard Methods 4500-O table (Benson & Krause): 14.621, 11.288, 9.092, 7.559 mg/L
    np.testing.assert_allclose(
        do_saturation_mg_l([0, 10, 20, 30]), [14.621, 11.288, 9.092, 7.559], atol=2e-3
    )


def test_oconnor_dobbins_and_temperature_correction() -> None:
    assert reaeration_per_d(0.25, 1.0) == pytest.approx(3.93 * 0.5)
    assert reaeration_per_d(0.04, 4.0) == pytest.approx(3.93 * 0.2 / 8)
    assert temperature_corrected(0.2, 1.047, 30.0) == pytest.approx(0.2 * 1.047**10)


def test_streeter_phelps_matches_ode_and_critical_time() -> None:
    l0, d0, kd, ka = 20.0, 1.0, 0.3, 0.7
    sol = solve_ivp(
        lambda t, y: [-kd * y[0], kd * y[0] - ka * y[1]],
        (0, 10),
        [l0, d0],
        t_eval=np.linspace(0, 10, 41),
        rtol=1e-10,
        atol=1e-12,
    )
    np.testing.assert_allclose(streeter_phelps(l0, d0, kd, ka, sol.t), sol.y[1], rtol=1e-7)
    tc = math.log(ka / kd * (1 - d0 * (ka - kd) / (kd * l0))) / (ka - kd)
    t = np.linspace(tc - 0.01, tc + 0.01, 3)
    d = streeter_phelps(l0, d0, kd, ka, t)
    assert d[1] > d[0]
    assert d[1] > d[2]


def test_streeter_phelps_limit_when_rates_are_equal() -> None:
    assert streeter_phelps(10.0, 0.0, 0.5, 0.5, 2.0) == pytest.approx(0.5 * 10 * 2 * math.exp(-1))


def test_constant_inputs_reach_cstr_chain_steady_state() -> None:
    segs = [RiverSegment(1000.0, 20.0, 2.0)] * 3  # 40,000 m3 each
    q = 5.0
    res = route_river(
        segs, 1.0, np.full(200, 20.0), q, {"cod": 30.0, "nh3n": 2.0, "tp": 0.3, "do": 8.0}
    )
    tau_d = 40_000 / q / 86400
    np.testing.assert_allclose(
        res.cod_mg_l[-1], 30.0 / (1 + 0.2 * tau_d) ** np.arange(1, 4), rtol=1e-9
    )
    np.testing.assert_allclose(
        res.nh3n_mg_l[-1], 2.0 / (1 + 0.1 * tau_d) ** np.arange(1, 4), rtol=1e-9
    )
    np.testing.assert_allclose(res.tp_mg_l[-1], 0.3, rtol=1e-12)  # conservative


def test_lateral_inflow_mixes_into_its_segment() -> None:
    seg = [RiverSegment(100.0, 10.0, 1.0)]
    rates = RiverRates(k_cod_per_d=0.0, k_nh3n_per_d=0.0)
    res = route_river(
        seg,
        1.0,
        np.full(50, 20.0),
        4.0,
        {"cod": 10.0, "nh3n": 0.5, "tp": 0.1, "do": 8.0},
        lateral_flow_m3_s=[[1.0]],
        lateral_mg_l={"cod": 60.0},
        rates=rates,
    )
    assert res.cod_mg_l[-1, 0] == pytest.approx((4 * 10 + 1 * 60) / 5)
    assert res.flow_m3_s[-1, 0] == pytest.approx(5.0)


def test_still_segment_reproduces_streeter_phelps() -> None:
    cs = float(do_saturation_mg_l(20.0))
    rates = RiverRates(k_cod_per_d=0.25, k_nh3n_per_d=0.0)
    zero = {"cod": 0.0, "nh3n": 0.0, "tp": 0.0, "do": 0.0}
    res = route_river(
        [RiverSegment(500.0, 10.0, 2.0)],
        0.25,
        np.full(40, 20.0),
        0.0,
        zero,
        rates=rates,
        initial_mg_l={"cod": 25.0, "nh3n": 0.0, "tp": 0.0, "do": cs - 1.5},
        reaeration_override_per_d=0.6,
    )
    t = 0.25 * np.arange(1, 41)
    np.testing.assert_allclose(
        cs - res.do_mg_l[:, 0], streeter_phelps(25.0, 1.5, 0.25, 0.6, t), rtol=1e-9
    )


def test_nitrification_uses_4_57_g_o2_per_g_n() -> None:
    # still water, no COD, no reaeration: deficit grows by 4.57 x the NH3-N nitrified
    cs = float(do_saturation_mg_l(20.0))
    zero = {"cod": 0.0, "nh3n": 0.0, "tp": 0.0, "do": 0.0}
    res = route_river(
        [RiverSegment(500.0, 10.0, 2.0)],
        1.0,
        np.full(3, 20.0),
        0.0,
        zero,
        initial_mg_l={"cod": 0.0, "nh3n": 1.0, "tp": 0.0, "do": cs},
        reaeration_override_per_d=0.0,
    )
    nitrified = 1.0 - res.nh3n_mg_l[-1, 0]
    assert nitrified == pytest.approx(1 - math.exp(-0.3))
    assert cs - res.do_mg_l[-1, 0] == pytest.approx(4.57 * nitrified, rel=1e-9)


# --- the vectorised routing against the step-by-step scheme it replaced --------------------


def _random_case(seed: int, n: int = 120) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    storm = rng.random((n, 3)) < 0.2
    return dict(
        segments=[
            RiverSegment(2400.0, 17.0, 2.5),
            RiverSegment(2000.0, 60.0, 3.0),
            RiverSegment(800.0, 10.0, 1.0),
        ],
        dt_d=1.0,
        temperature_c=rng.uniform(0.0, 30.0, n),
        upstream_flow_m3_s=rng.uniform(0.0, 5.0, n) * (rng.random(n) > 0.1),
        upstream_mg_l={
            "cod": rng.uniform(5, 40, n),
            "nh3n": rng.uniform(0, 3, n),
            "tp": 0.2,
            "do": rng.uniform(2, 12, n),
        },
        lateral_flow_m3_s=rng.uniform(0.0, 30.0, (n, 3)) * storm,
        lateral_mg_l={
            "cod": rng.uniform(50, 300, (n, 3)),
            "nh3n": rng.uniform(5, 30, (n, 3)),
            "tp": 3.0,
            "do": 1.0,
        },
        rates=RiverRates(0.25, 0.12),
        reaeration_min_per_d=0.8,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_routing_matches_step_by_step_scheme(seed: int) -> None:
    from ._river_reference import route_river_stepwise

    case = _random_case(seed)
    ref = route_river_stepwise(**case)  # type: ignore[arg-type]
    new = route_river(**case)  # type: ignore[arg-type]
    np.testing.assert_array_equal(new.flow_m3_s, ref.flow_m3_s)
    for name in ("cod_mg_l", "nh3n_mg_l", "tp_mg_l", "do_mg_l"):
        # documented tolerance: 1e-10 relative (observed ~1e-14)
        np.testing.assert_allclose(
            getattr(new, name), getattr(ref, name), rtol=1e-10, atol=1e-12, err_msg=name
        )


def test_vectorised_routing_matches_step_by_step_in_still_water_with_override() -> None:
    from ._river_reference import route_river_stepwise

    case = _random_case(4, n=40)
    case.update(upstream_flow_m3_s=0.0, lateral_flow_m3_s=None, lateral_mg_l=None,
                reaeration_override_per_d=0.6, dt_d=0.25)  # fmt: skip
    ref = route_river_stepwise(**case)  # type: ignore[arg-type]
    new = route_river(**case)  # type: ignore[arg-type]
    for name in ("cod_mg_l", "nh3n_mg_l", "tp_mg_l", "do_mg_l"):
        np.testing.assert_allclose(getattr(new, name), getattr(ref, name), rtol=1e-10, atol=1e-12)


# --- degradable and refractory COD, sediment oxygen demand, tanks for plug flow ---------------


def test_refractory_cod_passes_unchanged_and_only_degradable_cod_uses_oxygen() -> None:
    # a still segment for 3 days: degradable COD L0 = 6 decays as exp(-kd t) and its oxygen
    # demand follows Streeter-Phelps; the 14 mg/L refractory rest does not change
    seg = [RiverSegment(1000.0, 10.0, 2.0)]
    up = {"cod": 20.0, "bodu": 6.0, "nh3n": 0.0, "tp": 0.1, "do": 8.0}
    n = 72
    res = route_river(seg, 1 / 24, np.full(n, 20.0), 0.0, up, rates=RiverRates(0.25, 0.1),
                      reaeration_override_per_d=0.5)  # fmt: skip
    t = np.arange(1, n + 1) / 24
    np.testing.assert_allclose(res.bodu_mg_l[:, 0], 6.0 * np.exp(-0.25 * t), rtol=1e-12)
    np.testing.assert_allclose(res.cod_mg_l[:, 0] - res.bodu_mg_l[:, 0], 14.0, rtol=1e-12)
    cs = do_saturation_mg_l(20.0)
    deficit = streeter_phelps(6.0, cs - 8.0, 0.25, 0.5, t)
    np.testing.assert_allclose(cs - res.do_mg_l[:, 0], deficit, rtol=1e-10)


def test_sediment_oxygen_demand_sets_the_still_water_deficit_to_sod_over_depth_and_ka() -> None:
    # no oxygen users in the water: dD/dt = SOD/H - ka·D  ->  D* = SOD/(H·ka) = 2/(2·0.5) = 2
    seg = [RiverSegment(1000.0, 10.0, 2.0)]
    up = {"cod": 0.0, "nh3n": 0.0, "tp": 0.0, "do": float(do_saturation_mg_l(20.0))}
    rates = RiverRates(0.2, 0.1, sod_g_m2_d=2.0)
    res = route_river(seg, 1.0, np.full(60, 20.0), 0.0, up, rates=rates,
                      reaeration_override_per_d=0.5)  # fmt: skip
    assert do_saturation_mg_l(20.0) - res.do_mg_l[-1, 0] == pytest.approx(2.0, rel=1e-9)
    # temperature: SOD·1.065^(T-20) against ka·1.024^(T-20)
    warm = route_river(seg, 1.0, np.full(60, 25.0), 0.0, up, rates=rates,
                       reaeration_override_per_d=0.5)  # fmt: skip
    expected = 2.0 * 1.065**5 / (2.0 * 0.5 * 1.024**5)
    assert do_saturation_mg_l(25.0) - warm.do_mg_l[-1, 0] == pytest.approx(expected, rel=1e-9)


def test_one_tank_misses_the_plug_flow_deficit_by_a_quarter() -> None:
    # ka·τ ≈ 1.7: a single CSTR's steady deficit is 25-30 % below Streeter-Phelps at τ
    assert plug_flow_tanks(2.08, 0.2, 0.1, 0.8, tolerance=0.25) > 1
    assert plug_flow_tanks(2.08, 0.2, 0.1, 0.8, tolerance=0.35) == 1
    assert plug_flow_tanks(2.08, 0.2, 0.1, 0.8, tolerance=0.05) <= 10


def test_the_runs_river_tanks_keep_the_plug_flow_deficit_error_under_five_percent() -> None:
    # every baseline river at its mean through-flow, steady inputs, no lateral inflow: the
    # deficit at the end of the chain of tanks against Streeter-Phelps at the travel time
    from pathlib import Path

    from sim.outcomes.water_model import tanks_per_segment
    from sim.scenario import load_scenario

    cfg = load_scenario(Path(__file__).parents[2] / "scenarios" / "baseline.yaml").water
    assert cfg is not None
    rates = RiverRates(0.2, 0.1)
    tanks = tanks_per_segment(cfg, rates)
    flows = {"ziya": 4.0, "south_canal": 2.0, "north_canal": 2.0, "haihe": 8.0}  # yaml
    cs = float(do_saturation_mg_l(20.0))
    for r in cfg.rivers:
        q = flows[r.name] * float(np.mean(r.flow_monthly))
        segs = [
            RiverSegment(sg.length_m / n, sg.width_m, sg.depth_m)
            for sg, n in zip(r.segments, tanks[r.name], strict=True)
            for _ in range(n)
        ]
        sg0 = r.segments[0]
        ka = max(float(reaeration_per_d(q / (sg0.width_m * sg0.depth_m), sg0.depth_m)), 0.8)
        up = {"cod": 10.0, "nh3n": 1.0, "tp": 0.1, "do": cs}
        res = route_river(segs, 0.05, np.full(300, 20.0), q, up, rates=rates,
                          reaeration_override_per_d=ka)  # fmt: skip
        tau = sum(s.volume_m3 for s in segs) / q / 86400.0
        plug = streeter_phelps(10.0, 0.0, 0.2, ka, tau) + streeter_phelps(4.57, 0.0, 0.1, ka, tau)
        err = (cs - res.do_mg_l[-1, -1]) / float(plug) - 1.0
        assert abs(err) < 0.05, (r.name, len(segs), err)
