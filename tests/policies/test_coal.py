"""Coal measures: conversion pace and re-burning episodes found and stopped by inspections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.api import load_scenario
from sim.engine import RunState, simulate_state
from sim.sources.base import POLLUTANTS

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "scenarios" / "baseline.yaml"
PM25 = POLLUTANTS.index("PM2.5")
#: More episodes than the baseline, so that inspections have something to find.
BUSY = {"sources.coal.reburning_episodes_per_month": 6.0}


def run(policies: dict[str, Any], extra: dict[str, Any] | None = None) -> RunState:
    overrides = {**(extra or {}), **{f"policies.{k}": v for k, v in policies.items()}}
    return simulate_state(load_scenario(BASELINE, overrides))


@pytest.fixture(scope="module")
def baseline() -> RunState:
    return simulate_state(load_scenario(BASELINE))


@pytest.fixture(scope="module")
def busy() -> RunState:
    return run({}, BUSY)


def test_conversion_removes_households_at_the_monthly_pace(baseline: RunState) -> None:
    state = run({"coal_conversion": {"households_per_month": 30}})
    households = state.ledger.hourly("coal.households")[:, 0]  # bituminous_chunk, 100 at start
    cal = state.calendar
    for day, left in (
        ("2024-01-01", 70),
        ("2024-02-01", 40),
        ("2024-03-01", 10),
        ("2024-04-01", 0),
    ):
        assert households[int(cal.hours_since_start(day))] == left
    converted = state.ledger.hourly("progress.coal_conversion.households_converted")
    assert converted[-1] == 100.0
    ratio = state.source_emissions["coal.households"][:, PM25]
    base = baseline.source_emissions["coal.households"][:, PM25]
    jan = slice(0, 31 * 24)
    assert ratio[jan] == pytest.approx(0.7 * base[jan], rel=1e-12)


def test_conversion_stops_at_its_target_and_books_cost_per_household() -> None:
    cfg = {
        "households_per_month": 30,
        "target_households": 45,
        "capital_cost_cny_per_household": 100,
    }
    state = run({"coal_conversion": cfg})
    assert state.ledger.current("coal.households")[0] == 55.0
    capital = sum(e.quantities["capital_cny"] for e in state.ledger.events if e.kind == "cost")
    assert capital == 4500.0


def test_inspections_stop_episodes_before_their_natural_end(busy: RunState) -> None:
    cfg = {"inspection_interval_days": 7, "detection_probability": 1.0, "deterred_share": 0.0}
    state = run({"reburning_prevention": cfg}, BUSY)
    starts = {
        e.subject: e
        for e in state.ledger.events
        if e.process == "coal.reburning" and e.kind == "start"
    }
    stopped = [e for e in state.ledger.events if e.kind == "stopped"]
    assert len(stopped) >= 5
    for e in stopped:
        start = starts[e.subject]
        natural_end = start.time_h + start.quantities["duration_h"]
        assert start.time_h < e.time_h < natural_end
        assert e.time_h - start.time_h <= 7 * 24  # found at the first weekly round
    # Same candidate episodes as without the measure (common random numbers) ...
    base_starts = [
        (e.time_h, e.subject)
        for e in busy.ledger.events
        if e.process == "coal.reburning" and e.kind == "start"
    ]
    assert [(s.time_h, s.subject) for s in starts.values()] == base_starts
    # ... but each burns for less time, and the stream never goes negative.
    households = state.ledger.hourly("coal.reburning_households")
    assert households.min() >= 0.0
    assert households.sum() < busy.ledger.hourly("coal.reburning_households").sum()
    assert np.all(
        state.source_emissions["coal.reburning"] <= busy.source_emissions["coal.reburning"] + 1e-12
    )


def test_stopped_households_are_removed_exactly_from_the_finding_to_the_natural_end(
    busy: RunState,
) -> None:
    cfg = {"inspection_interval_days": 7, "detection_probability": 1.0, "deterred_share": 0.0}
    state = run({"reburning_prevention": cfg}, BUSY)
    avoided_household_h = sum(
        e.quantities["households"] * e.quantities["hours_avoided"]
        for e in state.ledger.events
        if e.kind == "stopped"
    )
    before = busy.ledger.hourly("coal.reburning_households").sum()
    after = state.ledger.hourly("coal.reburning_households").sum()
    assert before - after == pytest.approx(avoided_household_h, rel=1e-9)


def test_full_deterrence_prevents_every_episode(busy: RunState) -> None:
    state = run({"reburning_prevention": {"deterred_share": 1.0}}, BUSY)
    assert not [e for e in state.ledger.events if e.process == "coal.reburning"]
    assert state.source_emissions["coal.reburning"].sum() == 0.0


def test_disabled_coal_measures_leave_emissions_bit_for_bit(baseline: RunState) -> None:
    state = run({"coal_conversion": {"enabled": False, "households_per_month": 30}})
    for key, arr in baseline.source_emissions.items():
        assert np.array_equal(arr, state.source_emissions[key]), key


def test_the_coal_bundle_never_raises_any_source_in_any_hour(baseline: RunState) -> None:
    state = simulate_state(load_scenario(REPO / "scenarios" / "bundles" / "coal.yaml"))
    for key, arr in baseline.source_emissions.items():
        assert np.all(state.source_emissions[key] <= arr + 1e-12), key


def test_running_electricity_subsidy_is_booked_as_a_transfer() -> None:
    # 30 households on 1 January at 1,200 CNY a household-year: 36,000 CNY over the leap year
    # 2024, all as transfers; none of it is operating (resource) cost
    cfg = {
        "households_per_month": 30,
        "target_households": 30,
        "subsidy_cny_per_household_year": 1200,
    }
    state = run({"coal_conversion": cfg})
    costs = [e.quantities for e in state.ledger.events if e.kind == "cost"]
    assert sum(c.get("transfer_cny", 0.0) for c in costs) == pytest.approx(
        30 * 1200 * 366 / 365.25, rel=1e-9
    )
    assert sum(c.get("operating_cny", 0.0) for c in costs) == 0.0
