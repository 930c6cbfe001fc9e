"""Vehicle measures: retirement, in-use checks, public fleets, forklifts, fuel, vapour recovery."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from _support import tiny_scenario
from sim.engine import RunState, simulate_state
from sim.errors import ScenarioError
from sim.policies.vehicles import defect_multiplier
from sim.sources.base import POLLUTANTS
from sim.sources.mobile import MobileSources

P = {name: i for i, name in enumerate(POLLUTANTS)}
ALL_NOW = {"start": "2024-01-01", "deadline": "2024-01-02", "target_fraction": 1.0}


def run(policies: dict[str, Any] | None = None, months: int = 1) -> RunState:
    return simulate_state(tiny_scenario(policies, months=months))


def on_road(state: RunState) -> np.ndarray:
    return state.source_emissions["mobile.on_road"].sum(axis=0)


@pytest.fixture(scope="module")
def base() -> RunState:
    return run()


def test_retiring_all_china3_at_t0_with_china6_removes_share_times_factor_gap(
    base: RunState,
) -> None:
    state = run({"retire_china3": {**ALL_NOW, "replaced_china6_share": 1, "replaced_nev_share": 0}})
    # PM2.5 g/yr by hand: car III 100*10000*0.011 = 11000, car V 100*10000*0.006 = 6000,
    # HT III 10*50000*0.5*0.243 = 60750, HT V 20*25000*0.027 = 13500, HT VI 5*25000*0.027 = 3375;
    # buses (heavy-truck factors) IV 20*20000*0.138 = 55200, V 50*20000*0.027 = 27000.
    total = 11000 + 6000 + 60750 + 13500 + 3375 + 55200 + 27000
    # sum over China III cohorts of share x (1 - EF_VI / EF_III)
    expected = 11000 / total * (1 - 0.006 / 0.011) + 60750 / total * (1 - 0.027 / 0.243)
    got = 1 - on_road(state)[P["PM2.5"]] / on_road(base)[P["PM2.5"]]
    assert got == pytest.approx(expected, rel=1e-12)
    # January of a flat-profile leap year: 744 of 8,784 hours; g -> kg
    assert on_road(base)[P["PM2.5"]] == pytest.approx(total * 744 / 8784 / 1000, rel=1e-12)


def test_retiring_all_china3_without_replacement_removes_their_whole_share(
    base: RunState,
) -> None:
    state = run({"retire_china3": {**ALL_NOW, "replaced_china6_share": 0, "replaced_nev_share": 0}})
    counts = state.ledger.current(MobileSources.FLEET_COUNT)
    assert counts.sum() == pytest.approx(305 - 110)
    total = 11000 + 6000 + 60750 + 13500 + 3375 + 55200 + 27000
    got = 1 - on_road(state)[P["PM2.5"]] / on_road(base)[P["PM2.5"]]
    assert got == pytest.approx((11000 + 60750) / total, rel=1e-12)


def test_quota_pace_reaches_target_by_deadline_in_equal_monthly_tranches() -> None:
    cfg = {
        "start": "2024-01-01",
        "deadline": "2024-04-01",
        "target_fraction": 0.6,
        "subsidy_cny_per_vehicle": 5000,
    }
    state = run({"retire_china3": cfg}, months=4)
    retired = [
        e for e in state.ledger.events if e.process == "retire_china3" and e.kind == "retired"
    ]
    assert [e.time_h / 24 for e in retired] == [0, 31, 60]  # 1 Jan, 1 Feb, 1 Mar 2024
    assert [e.quantities["vehicles"] for e in retired] == pytest.approx([22.0] * 3)  # 0.6*110/3
    assert state.ledger.current("progress.retire_china3.vehicles_retired") == pytest.approx(66.0)
    costs = [e.quantities for e in state.ledger.events if e.kind == "cost"]
    # the subsidy is a transfer, not a resource cost (no residual value given)
    assert sum(c.get("transfer_cny", 0.0) for c in costs) == pytest.approx(66 * 5000)
    assert sum(c["capital_cny"] for c in costs) == 0.0


def test_hazard_pace_never_retires_more_than_the_target() -> None:
    cfg = {"pace": "hazard", "hazard_per_year": 50.0, "target_fraction": 0.5}
    state = run({"retire_china3": cfg}, months=3)
    assert state.ledger.current("progress.retire_china3.vehicles_retired") <= 55.0 + 1e-9
    assert state.ledger.current("progress.retire_china3.vehicles_retired") >= 50.0


def test_disabled_vehicle_measures_leave_emissions_bit_for_bit(base: RunState) -> None:
    off = {"enabled": False}
    state = run(
        {
            "retire_china3": {**ALL_NOW, **off},
            "inuse_supervision": off,
            "public_fleet_nev": {**off, "fleets": [{"name": "b", "vehicle_class": "bus",
                                                    "vehicles_per_month": 5}]},
            "forklift_electric": off,
            "nonroad_registration": off,
            "fuel_quality": off,
            "vapour_recovery": off,
        }
    )  # fmt: skip
    assert state.source_emissions.keys() == base.source_emissions.keys()
    for key, arr in base.source_emissions.items():
        assert np.array_equal(arr, state.source_emissions[key]), key
    assert state.ledger.events == base.ledger.events


def test_supervision_that_finds_every_tampered_vehicle_leaves_clean_over_average_factor() -> None:
    cfg = {
        "baseline_tampered_share": 0.1,
        "tampered_nox_multiplier": 4.0,
        "tampered_pm_multiplier": 3.0,
        "checks_per_month": 1e6,
        "detection_probability": 1.0,
        "repair_days": 1,
    }
    state = run({"inuse_supervision": cfg})
    m = state.ledger.current(MobileSources.FLEET_MULTIPLIER)
    ht5 = 5 * 8 + 5  # heavy_truck x china5 in (class, standard) order
    assert m[ht5, P["NOx"]] == pytest.approx(1 / (0.9 + 0.1 * 4.0))
    assert m[ht5, P["PM2.5"]] == pytest.approx(1 / (0.9 + 0.1 * 3.0))
    assert m[ht5, P["CO"]] == 1.0
    assert m[5 * 8 + 3, P["NOx"]] == 1.0  # China III has no SCR to tamper with
    assert m[0 * 8 + 5, P["NOx"]] == 1.0  # cars are not covered
    assert (m <= 1.0).all()


def test_defect_multiplier_is_one_at_the_baseline_share_and_falls_with_repairs() -> None:
    k = np.array([1.0, 4.0])
    assert defect_multiplier(0.2, 0.2, k) == pytest.approx(np.ones((1, 2)))
    assert defect_multiplier(0.0, 0.2, k)[0, 1] == pytest.approx(1 / 1.6)


def test_public_fleet_replaces_oldest_buses_first_at_the_pace() -> None:
    fleets = [{"name": "buses", "vehicle_class": "bus", "vehicles_per_month": 10}]
    state = run({"public_fleet_nev": {"fleets": fleets}}, months=3)
    counts = state.ledger.current(MobileSources.FLEET_COUNT)
    bus = 2 * 8
    assert counts[bus + 4] == 0.0  # China IV: 20, gone after two tranches
    assert counts[bus + 5] == pytest.approx(40.0)  # China V: 50 - 10
    assert counts[bus + 7] == pytest.approx(30.0)  # new-energy
    assert state.ledger.current("progress.public_fleet_nev.vehicles_replaced") == 30.0


def test_forklifts_go_electric_at_the_replacement_rate() -> None:
    state = run({"forklift_electric": {"replacement_per_year": 1.2}}, months=3)
    counts = state.ledger.current(MobileSources.NON_ROAD_COUNT)
    keep = math.exp(-0.1) ** 3  # 1 - p per month, three monthly tranches
    assert counts[1] == pytest.approx(100 * keep)
    assert counts[2] == pytest.approx(50 * keep)
    assert counts[3] == pytest.approx(10 + 150 * (1 - keep))


def test_vapour_recovery_checks_every_station_and_lifts_efficiency_to_all_working() -> None:
    cfg = {"stations": 5, "stations_per_month": 10, "baseline_failing_share": 0.2,
           "repair_days": 1, "working_efficiency": 0.95, "failing_efficiency": 0.5}  # fmt: skip
    state = run({"vapour_recovery": cfg})
    # one of five stations fails: mean 0.8*0.95 + 0.2*0.5 = 0.86; once it is repaired the
    # source's 0.8 becomes 1 - 0.2 * (1 - 0.95) / (1 - 0.86)
    eff = float(state.ledger.current(MobileSources.EVAP_CONTROL))
    assert eff == pytest.approx(1 - 0.2 * 0.05 / 0.14)
    assert state.ledger.current("progress.vapour_recovery.checks") == 5.0
    assert state.ledger.current("progress.vapour_recovery.repairs") == 1.0


def test_nonroad_registration_cuts_noncompliant_share_by_effectiveness() -> None:
    cfg = {"baseline_noncompliant_share": 0.2, "noncompliant_multiplier": 3.0,
           "effectiveness": 0.5, "months": 2}  # fmt: skip
    state = run({"nonroad_registration": cfg}, months=2)
    m = state.ledger.current(MobileSources.NON_ROAD_MULTIPLIER)
    assert m[0, P["NOx"]] == pytest.approx((0.9 + 0.1 * 3) / (0.8 + 0.2 * 3))
    assert m[2, P["NOx"]] == 1.0  # LPG forklifts are not covered


def test_unknown_forklift_group_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError, match="forklift_electric"):
        run({"forklift_electric": {"groups": ["no_such_group"]}})
