"""The water system's helpers: daily sums and the build-up/wash-off recurrence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.outcomes.water_model import _washoff
from sim.scenario import load_scenario
from sim.scenario.sections.water import WaterConfig
from sim.water.system import daily_sum

WATER = Path(__file__).parents[2] / "scenarios" / "baseline.yaml"


@pytest.fixture(scope="module")
def water_cfg() -> WaterConfig:
    sc = load_scenario(WATER)
    assert sc.water is not None
    return sc.water


def test_daily_sum_adds_each_days_hours() -> None:
    day_index = np.repeat(np.arange(3), [5, 24, 2])  # a run starting and ending mid-day
    x = np.arange(31.0)[:, None] * np.array([1.0, 2.0])
    got = daily_sum(x, day_index, 3)
    np.testing.assert_allclose(got[:, 0], [sum(range(5)), sum(range(5, 29)), 29 + 30])
    np.testing.assert_allclose(got[:, 1], 2 * got[:, 0])


def test_daily_sum_falls_back_when_hours_are_out_of_day_order() -> None:
    day_index = np.array([1, 0, 1, 2])
    np.testing.assert_allclose(
        daily_sum(np.array([1.0, 2.0, 3.0, 4.0]), day_index, 4), [2, 4, 4, 0]
    )


def test_washoff_recurrence_matches_the_hour_by_hour_loop(water_cfg: WaterConfig) -> None:
    from ._washoff_reference import washoff_stepwise

    rng = np.random.default_rng(5)
    n_t, n_a = 24 * 30, len(water_cfg.drainage_areas)
    runoff = rng.uniform(0.0, 20.0, (n_t, n_a)) * (rng.random((n_t, 1)) < 0.08)
    cleared = [
        (100.0, np.full(n_a, 0.5)),
        (100.0, np.full(n_a, 0.2)),  # two clearings at the same time
        (250.5, np.linspace(0.0, 1.0, n_a)),  # half-hour, one area emptied
        (float(np.flatnonzero(runoff.sum(axis=1))[-1]), np.full(n_a, 0.3)),  # at a wet hour
        (n_t + 5.0, np.ones(n_a)),  # after the last runoff: no effect
    ]
    for events in ([], cleared):
        new = _washoff(water_cfg, runoff, events, np.random.default_rng(1))
        ref = washoff_stepwise(water_cfg, runoff, events, np.random.default_rng(1))
        # species cod, bodu, nh3n, tp; the reference carries cod, nh3n, tp
        np.testing.assert_allclose(new[..., [0, 2, 3]], ref, rtol=1e-11, atol=1e-12 * ref.max())
        # degradable COD washes off in proportion: BOD5/COD 0.25 × BODu/BOD5 1/(1 - e^-1.15)
        ratio = 0.25 / (1.0 - np.exp(-5 * 0.23))
        np.testing.assert_allclose(new[..., 1], ratio * new[..., 0], rtol=1e-12)


def test_washoff_with_no_runoff_is_zero(water_cfg: WaterConfig) -> None:
    n_a = len(water_cfg.drainage_areas)
    out = _washoff(water_cfg, np.zeros((48, n_a)), [], np.random.default_rng(1))
    assert out.shape == (48, n_a, 4)
    assert not out.any()


def test_overflow_rule_counts_events_of_15_mm_at_1_4_mm_h() -> None:
    from sim.water.system import event_count, overflow_rule_events

    rain = np.zeros(200)
    rain[10:13] = 6.0  # 18 mm in 3 h: 6 mm/h -> meets the rule
    rain[40:60] = 0.9  # 18 mm in 20 h: 0.9 mm/h -> too slow
    rain[80:82] = 5.0  # 10 mm -> too little
    rain[100:102] = 4.0  # 8 mm, 3 dry hours, 8 mm more: one event (gap < 6 h) of 16 mm at
    rain[105:107] = 4.0  # 4 mm/h over its wet hours -> meets the rule
    assert overflow_rule_events(rain) == 2
    assert event_count(rain) == 4
    assert overflow_rule_events(rain, min_depth_mm=10.0) == 3
