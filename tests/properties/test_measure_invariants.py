"""Measure invariants: no negative emissions; a measure never raises emissions it should cut."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _support import tiny_scenario
from sim.engine import RunState, simulate_state

SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
unit = st.floats(0.0, 1.0)


@lru_cache(maxsize=1)
def baseline() -> RunState:
    return simulate_state(tiny_scenario(industry=True))


def check(policies: dict[str, Any]) -> None:
    state = simulate_state(tiny_scenario(policies, industry=True))
    base = baseline()
    for key, arr in state.source_emissions.items():
        assert (arr >= 0).all(), f"{key} negative"
        # no hour of any source above the baseline (tiny float slack)
        assert (arr <= base.source_emissions[key] * (1 + 1e-12) + 1e-15).all(), key


@st.composite
def retirement(draw: st.DrawFn) -> dict[str, Any]:
    six = draw(unit)
    return {
        "pace": draw(st.sampled_from(["quota", "hazard"])),
        "target_fraction": draw(unit),
        "compliance": draw(unit),
        "hazard_per_year": draw(st.floats(0.0, 20.0)),
        "end_of_life_share": draw(unit),
        "replaced_china6_share": six,
        "replaced_nev_share": draw(unit) * (1 - six),
        "deadline": draw(st.sampled_from(["2024-01-02", "2024-01-20", "2024-03-01"])),
    }


@st.composite
def alerts(draw: st.DrawFn) -> dict[str, Any]:
    targets = ["mobile.on_road", "mobile.non_road", "mobile.evaporative", "industrial.printing"]
    actions = [
        {"name": f"a{i}", "target": t, "yellow": draw(unit), "orange": draw(unit),
         "red": draw(unit)}
        for i, t in enumerate(draw(st.lists(st.sampled_from(targets), unique=True, max_size=4)))
    ]  # fmt: skip
    low = draw(st.floats(20.0, 80.0))
    return {
        "forecast": {"error_sigma": draw(st.floats(0.0, 1.0))},
        "thresholds_ug_m3": {"yellow": low, "orange": low + 10, "red": low + 20},
        "actions": actions,
        "compliance": draw(unit),
    }


@SETTINGS
@given(retire=retirement(), response=alerts())
def test_retirement_and_alerts_never_raise_or_negate_emissions(
    retire: dict[str, Any], response: dict[str, Any]
) -> None:
    check({"retire_china3": retire, "emergency_response": response})


@SETTINGS
@given(
    share=unit,
    k=st.floats(1.0, 10.0),
    checks=st.floats(0.0, 1e5),
    p=unit,
    fuel_share=unit,
    failing=unit,
    working=st.floats(0.8, 1.0),
    rate=st.floats(0.0, 5.0),
)
def test_repair_measures_never_raise_emissions(
    share: float,
    k: float,
    checks: float,
    p: float,
    fuel_share: float,
    failing: float,
    working: float,
    rate: float,
) -> None:
    check(
        {
            "inuse_supervision": {
                "baseline_tampered_share": share,
                "tampered_nox_multiplier": k,
                "tampered_pm_multiplier": k,
                "checks_per_month": checks,
                "detection_probability": p,
                "repair_days": 3,
            },
            "fuel_quality": {"baseline_noncompliant_share": fuel_share, "checks_per_month": 20,
                             "nox_multiplier": k},
            "nonroad_registration": {"baseline_noncompliant_share": share, "effectiveness": p,
                                     "noncompliant_multiplier": k},
            "vapour_recovery": {"baseline_failing_share": failing, "working_efficiency": working,
                                "failing_efficiency": working * p, "stations_per_month": 40},
            "forklift_electric": {"replacement_per_year": rate},
            "public_fleet_nev": {"fleets": [{"name": "b", "vehicle_class": "bus",
                                             "vehicles_per_month": 1 + 30 * p}]},
        }
    )  # fmt: skip


def test_a_measure_that_says_it_raises_emissions_can() -> None:
    # a "supervision" whose repaired vehicles were *cleaner* (multiplier < 1) raises emissions:
    # the invariant is about measures that cut, not a limit the model imposes
    policies = {"inuse_supervision": {"baseline_tampered_share": 0.5,
                                      "tampered_nox_multiplier": 0.5, "checks_per_month": 1e5,
                                      "detection_probability": 1.0}}  # fmt: skip
    state = simulate_state(tiny_scenario(policies, industry=True))
    nox = state.source_emissions["mobile.on_road"][:, 2].sum()
    assert nox > baseline().source_emissions["mobile.on_road"][:, 2].sum()
    assert np.isfinite(nox)
