"""Household measures: fume purifiers installed, fouling in steps, cleaning; restaurant siting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.api import load_scenario
from sim.engine import RunState, simulate_state
from sim.policies.household import fouled_removal
from sim.sources.base import POLLUTANTS

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "scenarios" / "baseline.yaml"
PM25 = POLLUTANTS.index("PM2.5")
VOC = POLLUTANTS.index("VOC")
DAY_H = 24.0
#: Baseline restaurants: (count, stove heads, purifier share, removal) by size.
SIZES = {
    "large": (33, 8, 0.74, 0.63),
    "medium": (115, 4, 0.66, 0.50),
    "small": (672, 1.5, 0.51, 0.31),
}


def run(policies: dict[str, Any]) -> RunState:
    return simulate_state(
        load_scenario(BASELINE, {f"policies.{k}": v for k, v in policies.items()})
    )


@pytest.fixture(scope="module")
def baseline() -> RunState:
    return simulate_state(load_scenario(BASELINE))


def large_only(**measure: Any) -> dict[str, Any]:
    """Every large restaurant gets a new 0.85 purifier on 1 January (old ones all replaced)."""
    target = {
        "name": "large",
        "target_purifier_share": 1.0,
        "upgrade_share": 1.0,
        "installed_by": "2024-01-01",
        "design_removal_efficiency": 0.85,
    }
    return {"sizes": [target], "decay_per_step": 0.25, "decay_step_days": 30, **measure}


def test_fouling_loses_a_fixed_share_of_the_removal_above_the_floor() -> None:
    assert fouled_removal(0.85, 0.63, 0.25, 0) == 0.85
    assert fouled_removal(0.85, 0.63, 0.25, 1) == pytest.approx(0.63 + 0.22 * 0.75)
    assert fouled_removal(0.85, 0.63, 0.25, 3) == pytest.approx(0.63 + 0.22 * 0.75**3)
    assert fouled_removal(0.85, 0.63, 1.0, 1) == pytest.approx(0.63)


def test_without_cleaning_removal_decays_in_monthly_steps_to_the_floor() -> None:
    state = run({"restaurant_fumes": large_only(cleaning_interval_days=None)})
    removal = state.ledger.hourly("household.restaurants.removal_efficiency")[:, 0]
    share = state.ledger.hourly("household.restaurants.purifier_share")[:, 0]
    assert np.all(share == 1.0)
    day = np.arange(state.calendar.n_hours) // 24
    expected = 0.63 + (0.85 - 0.63) * 0.75 ** (day // 30)
    assert removal == pytest.approx(expected, rel=1e-12)


def test_cleaning_restores_the_design_removal_at_each_interval() -> None:
    state = run({"restaurant_fumes": large_only(cleaning_interval_days=60)})
    removal = state.ledger.hourly("household.restaurants.removal_efficiency")[:, 0]
    day = np.arange(state.calendar.n_hours) // 24
    since_cleaning = day % 60
    expected = 0.63 + (0.85 - 0.63) * 0.75 ** (since_cleaning // 30)
    assert removal == pytest.approx(expected, rel=1e-12)
    assert state.ledger.hourly("progress.restaurant_fumes.cleanings")[-1] == 366 // 60


def test_restaurant_pm_falls_by_the_purifier_formula(baseline: RunState) -> None:
    # In January (no fouling step yet) large restaurants emit 1 - 1.0 x 0.85 instead of
    # 1 - 0.74 x 0.63 of their uncontrolled PM2.5; the other sizes are unchanged.
    state = run({"restaurant_fumes": large_only(cleaning_interval_days=None)})
    controlled = {k: c * h * (1 - s * r) for k, (c, h, s, r) in SIZES.items()}
    new = dict(controlled, large=33 * 8 * (1 - 0.85))
    jan = slice(0, 30 * 24)
    got = state.source_emissions["household.restaurants"][jan, PM25].sum()
    base = baseline.source_emissions["household.restaurants"][jan, PM25].sum()
    assert got / base == pytest.approx(sum(new.values()) / sum(controlled.values()), rel=1e-12)
    assert np.array_equal(
        state.source_emissions["household.restaurants"][:, VOC],
        baseline.source_emissions["household.restaurants"][:, VOC],
    )


def test_installation_reaches_the_target_share_in_monthly_steps() -> None:
    target = {
        "name": "small",
        "target_purifier_share": 0.9,
        "installed_by": "2024-07-01",
        "design_removal_efficiency": 0.6,
        "install_cost_cny": 1000,
    }
    state = run({"restaurant_fumes": {"sizes": [target], "decay_per_step": 0.0}})
    share = state.ledger.hourly("household.restaurants.purifier_share")[:, 2]
    assert share[0] == 0.51
    assert np.all(np.diff(share) >= 0.0)
    assert share[-1] == pytest.approx(0.9)
    capital = sum(e.quantities["capital_cny"] for e in state.ledger.events if e.kind == "cost")
    assert capital == pytest.approx(1000 * 672 * (0.9 - 0.51))


def test_siting_refuses_openings_without_touching_emissions(baseline: RunState) -> None:
    state = run({"restaurant_siting": {"openings_per_year": 50, "blocked_share": 1.0}})
    refused = [e for e in state.ledger.events if e.kind == "refused"]
    assert 25 <= len(refused) <= 80  # Poisson mean 50 x 366/365.25
    assert state.ledger.current("progress.restaurant_siting.openings_refused") == len(refused)
    for e in refused:
        left_yr = (state.calendar.n_hours - e.time_h) / 8766.0
        assert e.quantities["avoided_pm25_t"] == pytest.approx(10.17 * 1.5 * left_yr / 1000)
    for key, arr in baseline.source_emissions.items():
        assert np.array_equal(arr, state.source_emissions[key]), key


def test_disabled_household_measures_leave_emissions_bit_for_bit(baseline: RunState) -> None:
    state = run({"restaurant_fumes": {"enabled": False, **large_only()}})
    for key, arr in baseline.source_emissions.items():
        assert np.array_equal(arr, state.source_emissions[key]), key


def test_the_household_bundle_never_raises_any_source_in_any_hour(baseline: RunState) -> None:
    state = simulate_state(load_scenario(REPO / "scenarios" / "bundles" / "household.yaml"))
    for key, arr in baseline.source_emissions.items():
        assert np.all(state.source_emissions[key] <= arr + 1e-12), key
