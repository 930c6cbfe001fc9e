"""Parameter draws, variance split and cross-validation statistics, against hand calculations."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from _support import BASELINE
from sim.calibration.spec import Observation
from sim.calibration.uncertainty import ParameterDistribution, draw_parameters, variance_split
from sim.calibration.validation import correlation, cross_validate, cv_statistics, seed_noise
from sim.scenario import load_scenario


def test_draws_have_the_fitted_covariance_and_centre_on_the_scenario():
    scenario = load_scenario(BASELINE)
    cov = np.array([[4.0, 1.2], [1.2, 0.81]])  # sd 2 and 0.9, correlation 0.667
    dist = ParameterDistribution(
        ("air.region.pm25_ug_m3", "air.region.o3_ug_m3"), cov, np.array([0.0, 0.0]),
        np.array([1e3, 1e3]),
    )  # fmt: skip
    centre = np.array([scenario.air.region.pm25_ug_m3, scenario.air.region.o3_ug_m3])
    z = np.array([dist.root() @ np.random.default_rng(k).standard_normal(2) for k in range(4000)])
    np.testing.assert_allclose(np.cov(z.T), cov, rtol=0.08, atol=0.05)
    new, drawn = draw_parameters(scenario, np.random.default_rng(1), dist)
    expected = centre + dist.root() @ np.random.default_rng(1).standard_normal(2)
    assert new.air.region.pm25_ug_m3 == pytest.approx(expected[0])
    assert drawn["air.region.o3_ug_m3"] == pytest.approx(expected[1])
    assert draw_parameters(scenario, np.random.default_rng(1), None) == (scenario, {})


def test_variance_split_recovers_a_known_linear_share():
    # y = 3·θ + ε, Var(3θ) = 9·1, Var(ε) = 9·1: the parameters explain one half
    rng = np.random.default_rng(0)
    theta = rng.standard_normal(20000)
    y = 3.0 * theta + 3.0 * rng.standard_normal(20000)
    split = variance_split(y, [{"p": t} for t in theta], has_uncertain_inputs=False)
    assert split["parameters"] == pytest.approx(0.5, abs=0.02)
    assert split["weather"] == pytest.approx(0.5, abs=0.02)
    assert split["inputs"] == 0.0
    assert variance_split(y, [{}] * y.size, True) == {"weather": 1.0, "inputs": None,
                                                      "parameters": 0.0}  # fmt: skip
    # an inputs bound of a tenth of Var(y) (18): inputs 0.1, weather what is left
    bounded = variance_split(y, [{"p": t} for t in theta], True, 0.1 * float(np.var(y)))
    assert bounded["inputs"] == pytest.approx(0.1, abs=1e-4)
    assert bounded["weather"] == pytest.approx(1.0 - 0.1 - bounded["parameters"], abs=1e-4)
    # inputs that cannot reach the air: exactly 0
    assert variance_split(y, [{"p": t} for t in theta], True, 0.0)["inputs"] == 0.0


def test_inputs_bound_reads_the_part_the_inputs_act_through() -> None:
    """Water inputs: 0; measure inputs: Var of the district measures' change; source inputs:
    Var of the district's contribution; air inputs: not bounded (None)."""
    from sim.ensemble import inputs_variance_bound, uncertain_paths

    raw = {"water": {"k": {"dist": "uniform", "low": 0, "high": 1}},
           "policies": {"a": {"x": {"dist": "triangular"}, "y": {"dist": "fixed", "value": 1}}},
           "sources": {"list": [{"v": 1}, {"w": {"dist": "uniform"}}]}}  # fmt: skip
    assert uncertain_paths(raw) == ["water.k", "policies.a.x", "sources.list[1].w"]
    summaries = [{"air": {"pm25_change_by_actor_ug_m3": {"district": d},
                          "pm25_by_scale_ug_m3": {"district": b}}}
                 for d, b in ((-0.2, 2.0), (-0.4, 3.0), (-0.3, 4.0))]  # fmt: skip
    assert inputs_variance_bound(["water.k"], summaries) == 0.0
    assert inputs_variance_bound(["water.k", "policies.a.x"], summaries) == pytest.approx(
        np.var([-0.2, -0.4, -0.3]))
    assert inputs_variance_bound(["policies.a.x", "sources.list[1].w"], summaries) == (
        pytest.approx(np.var([2.0, 3.0, 4.0])))
    assert inputs_variance_bound(["air.region.x"], summaries) is None


def test_correlation_and_seed_noise_by_hand():
    cov = np.array([[4.0, -3.0], [-3.0, 9.0]])
    np.testing.assert_allclose(correlation(cov), [[1.0, -0.5], [-0.5, 1.0]])
    per_seed = np.array([[10.0, 20.0], [12.0, 20.0]])  # sd 1.414 and 0, over sqrt(2): 1 and 0
    out = seed_noise(per_seed, observed=np.array([13.0, 22.0]), sigma=np.array([1.0, 2.0]))
    assert out["rms_seed_noise_over_sigma"] == pytest.approx(np.sqrt(0.5), abs=1e-4)
    assert out["rms_residual_over_sigma"] == pytest.approx(np.sqrt((4 + 1) / 2), abs=1e-4)
    assert out["seeds"] == 2
    assert out["noise_below_residual"]


def _obs(year: int, value: float) -> Observation:
    d = date(2024, 1, 1)
    return Observation("pm25", "pm25_mean", str(year), d, d, value, 1.0, 1.0, {}, "f", 0.0, year)


def test_leave_one_year_out_refits_without_the_year_it_predicts():
    """The 'model' is a constant fitted as the mean of the training values: each year is
    predicted by the mean of the others (hand-computable)."""
    obs = [_obs(2020, 10.0), _obs(2021, 20.0), _obs(2022, 30.0)]
    stats, records = cross_validate(
        obs,
        refit=lambda train: np.array([np.mean([o.observed for o in train])]),
        predict=lambda x, test: np.full(len(test), x[0]),
    )
    assert [r["predicted"] for r in records] == [25.0, 20.0, 15.0]
    # NMB = (60 - 60)/60 = 0; NME = (15 + 0 + 15)/60 = 0.5; n = 3 < 8: no r
    assert stats["pm25"] == {"nmb": 0.0, "nme": 0.5, "r": None, "n": 3}
    assert cv_statistics(np.arange(1.0, 9.0), np.arange(1.0, 9.0) * 2)["r"] == 1.0
