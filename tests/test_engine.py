"""The engine: determinism, conservation and the hybrid discrete-event rule on the baseline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sim
from sim.engine import RunState, simulate_state
from sim.scenario.schema import Scenario
from sim.sources.base import POLLUTANTS, SECTORS, activity_factor_stream

BASELINE = Path(__file__).parents[1] / "scenarios" / "baseline.yaml"


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return sim.load_scenario(BASELINE)


@pytest.fixture(scope="module")
def state(baseline: Scenario) -> RunState:
    return simulate_state(baseline)


def test_same_seed_gives_identical_arrays(baseline: Scenario, state: RunState) -> None:
    again = simulate_state(baseline)
    assert state.source_emissions.keys() == again.source_emissions.keys()
    for key, arr in state.source_emissions.items():
        np.testing.assert_array_equal(arr, again.source_emissions[key], err_msg=key)
    np.testing.assert_array_equal(state.weather.rain_mm_h, again.weather.rain_mm_h)
    assert [e.kind for e in state.ledger.events] == [e.kind for e in again.ledger.events]


def test_another_seed_changes_weather_and_events(baseline: Scenario, state: RunState) -> None:
    other = simulate_state(baseline, seed=1)
    assert not np.array_equal(state.weather.wind_m_s, other.weather.wind_m_s)


def test_sector_sums_equal_the_sum_of_their_sources(state: RunState) -> None:
    by_sector = state.sector_emissions()
    assert by_sector.shape == (8784, len(SECTORS), len(POLLUTANTS))
    for i, sector in enumerate(SECTORS):
        parts = [a for k, a in state.source_emissions.items() if k.startswith(f"{sector}.")]
        np.testing.assert_allclose(by_sector[:, i], np.sum(parts, axis=0), rtol=0, atol=1e-12)


def test_emissions_are_never_negative_or_nan(state: RunState) -> None:
    for key, arr in state.source_emissions.items():
        assert np.isfinite(arr).all(), key
        assert (arr >= 0).all(), key


def test_every_sector_emits_in_the_baseline(state: RunState) -> None:
    totals = state.sector_emissions().sum(axis=0)
    assert (totals.sum(axis=1) > 0).all()


def test_no_process_ticks_hourly(state: RunState) -> None:
    # the hybrid rule: discrete events are few; an hourly tick would leave >= 8,784 events
    assert len(state.ledger.events) < 2000


def test_activity_factor_stream_scales_its_source(baseline: Scenario, state: RunState) -> None:
    key = "industrial.printing_packaging"
    assert key in state.source_emissions

    def halve(ctx):  # type: ignore[no-untyped-def]
        ctx.ledger.declare(activity_factor_stream(key), 1.0)
        ctx.ledger.set(100.0, activity_factor_stream(key), 0.5)

    halved = simulate_state(baseline, hooks=(halve,))
    a, b = state.source_emissions[key], halved.source_emissions[key]
    np.testing.assert_array_equal(b[:100], a[:100])
    np.testing.assert_allclose(b[100:], 0.5 * a[100:], rtol=1e-15)
    for other in state.source_emissions:
        if other != key:
            np.testing.assert_array_equal(
                halved.source_emissions[other], state.source_emissions[other]
            )
