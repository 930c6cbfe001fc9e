"""Per-measure effects: why the PM2.5 responses are evaluated one by one; the episodic rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.air.response import air_response
from sim.api import load_scenario
from sim.engine import RunState, simulate_state
from sim.measure_effects import full_year_delta_kg_h
from sim.outcomes.air import air_params, met_arrays
from sim.sources.base import POLLUTANTS

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def state() -> RunState:
    return simulate_state(load_scenario(REPO / "scenarios" / "baseline.yaml"))


def test_primary_pm_is_linear_in_emissions_but_secondary_is_not(state: RunState) -> None:
    params = air_params(state.scenario)
    met = met_arrays(state.calendar, state.weather, params)
    e = state.sector_emissions().sum(axis=1)
    a, b = e * 0.3, e * 0.5

    def origin(x: np.ndarray) -> np.ndarray:
        return air_response(x, None, met, params).pm25_by_origin[:, 0, :]  # district

    zero = origin(np.zeros_like(e))
    both, one, two = origin(a + b) - zero, origin(a) - zero, origin(b) - zero
    # primary district PM2.5 adds up (a box model): one batched linear evaluation would do
    np.testing.assert_allclose(both[:, 0], one[:, 0] + two[:, 0], rtol=1e-9, atol=1e-12)
    # secondary PM2.5 does not: each measure's response is evaluated on its own
    gap = np.abs(both[:, 1] - one[:, 1] - two[:, 1]).max()
    assert gap > 1e-3 * np.abs(both[:, 1]).max()


def test_episodic_full_year_is_the_in_year_effect_over_the_active_share(state: RunState) -> None:
    cf = {k: v * 1.1 for k, v in state.source_emissions.items()}  # 10 % more without it
    in_year, full = full_year_delta_kg_h(state, cf, episodic=True, active_share=0.25)
    np.testing.assert_allclose(full, in_year * 4.0)
    total = sum(v.sum(axis=0) for v in state.source_emissions.values())
    np.testing.assert_allclose(in_year.sum(axis=0), 0.1 * total, rtol=1e-12)
    # ramp: a constant relative cut is its own full-year rate
    _, ramp = full_year_delta_kg_h(state, cf, episodic=False, active_share=0.25)
    np.testing.assert_allclose(ramp.sum(axis=0), 0.1 * total, rtol=1e-9, atol=1e-9)
    assert len(POLLUTANTS) == in_year.shape[1]
