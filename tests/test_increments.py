"""Incremental cost-effectiveness against the reference, paired by member: hand calculations."""

from __future__ import annotations

import math
from typing import Any

import pytest

from sim.increments import bundle_economics, increments, p_all_met
from sim.scenario.sections.targets import Target


def member(cost: float, pm25: float, fiscal: float = 0.0, voc: float = 0.0) -> dict[str, Any]:
    return {
        "costs": {"annualised_cost_cny": cost, "fiscal_outlay_cny": fiscal},
        "air": {"pm25_annual_mean_ug_m3": pm25},
        "voc": voc,
    }


def test_two_bundles_by_hand() -> None:
    # reference: 10 CNY/yr in every member; PM2.5 40, 41, 42 (weather differs by member)
    ref = [member(10.0, 40.0), member(10.0, 41.0), member(10.0, 42.0)]
    # the bundle costs 6 more and is 1, 1.5 and 1 µg/m³ cleaner in the same members
    bundle = [member(16.0, 39.0), member(16.0, 39.5), member(16.0, 41.0)]
    found = increments(ref, bundle)
    assert found["incremental_annualised_cost_cny"] == 6.0
    assert found["incremental_pm25_ug_m3"] == -1.0  # median of (−1, −1.5, −1)
    # numpy's linear percentiles of (−1.5, −1, −1): 5 % −1.45, 95 % −1
    assert found["incremental_pm25_p05"] == pytest.approx(-1.45)
    assert found["incremental_pm25_p95"] == pytest.approx(-1.0)
    assert found["incremental_cost_per_ug_m3"] == pytest.approx(6.0)  # 6 CNY / 1 µg/m³
    assert found["incremental_note"] == ""


def test_interval_containing_zero_gives_n_a_with_the_reason() -> None:
    ref = [member(10.0, 40.0), member(10.0, 41.0)]
    bundle = [member(11.0, 39.0), member(11.0, 41.5)]  # −1 and +0.5: the interval holds 0
    found = increments(ref, bundle)
    assert math.isnan(found["incremental_cost_per_ug_m3"])
    assert "contains 0" in found["incremental_note"]
    assert found["incremental_annualised_cost_cny"] == 1.0


def test_dirtier_bundle_and_the_reference_itself_have_no_ratio() -> None:
    ref = [member(10.0, 40.0)]
    assert "higher" in increments(ref, [member(5.0, 41.0)])["incremental_note"]
    same = increments(ref, ref)
    assert same["incremental_note"].startswith("reference")
    assert same["incremental_pm25_ug_m3"] == 0.0


def test_p_all_met_counts_members_meeting_every_target_at_once() -> None:
    pm = Target(name="pm", metric="air.pm25_annual_mean_ug_m3", comparison="<=", value=40.0)
    voc = Target(name="voc", metric="voc", comparison=">=", value=22.0)
    # member 1 meets both; member 2 only PM2.5; member 3 only VOC; member 4 both
    members = [
        member(0, 39, voc=23),
        member(0, 39, voc=20),
        member(0, 41, voc=23),
        member(0, 40, voc=22),
    ]
    assert p_all_met([pm, voc], members) == 0.5
    # each target alone is met in 3 of 4 members, yet both at once only in 2
    assert p_all_met([pm], members) == 0.75


def test_bundle_columns_carry_costs_and_fiscal_outlay() -> None:
    ref = [member(0.0, 45.0)]
    found = bundle_economics(ref, [member(100.0, 44.0, fiscal=300.0)], ())
    assert found["annualised_cost_cny"] == 100.0
    assert found["fiscal_outlay_cny"] == 300.0
    assert found["pm25_ug_m3"] == 44.0
    assert found["incremental_cost_per_ug_m3"] == pytest.approx(100.0)
    assert math.isnan(found["p_all_met"])  # no target evaluated
