"""Plan facts: measure costs summed from the ledger, large sites by the scenario's threshold."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import sim
from sim.ledger import Ledger
from sim.outcomes.plan import measure_costs_cny, monitoring_threshold_m2, plan_indicators

PLAN = Path(__file__).resolve().parents[2] / "scenarios" / "plan2024.yaml"


def test_measure_costs_add_capital_and_operating_per_measure() -> None:
    ledger = Ledger(10)
    ledger.record(0.0, "b_measure", "cost", "", capital_cny=100.0, operating_cny=0.0)
    ledger.record(1.0, "a_measure", "cost", "", capital_cny=0.0, operating_cny=2.5)
    ledger.record(2.0, "b_measure", "cost", "", capital_cny=0.0, operating_cny=1.25)
    ledger.record(3.0, "b_measure", "inspected", "", capital_cny=1e9)
    assert measure_costs_cny(ledger) == {"a_measure": 2.5, "b_measure": 101.25}


def test_large_sites_follow_the_scenarios_monitoring_threshold_not_a_fixed_5000() -> None:
    # plan2024's sites: 42000 28000 12000 18500 6200 4800 3500 4000 2500 1800 1500 3000 m².
    # Monitoring on the four sites >= 10,000 m² only; the share must follow the threshold (the
    # old code used 5,000 m² whatever the scenario said, giving 0.8 for every threshold).
    scenario = sim.load_scenario(PLAN)
    areas = np.array([s.area_m2 for s in scenario.sources.dust.construction.sites])
    assert monitoring_threshold_m2(scenario) == 5000.0
    for threshold in (3000.0, 10000.0, 5000.0):
        moved = sim.load_scenario(
            PLAN, overrides=[f"policies.site_dust_control.monitoring_threshold_m2={threshold}"]
        )
        assert monitoring_threshold_m2(moved) == threshold
        ledger = Ledger(10)
        ledger.declare("dust.site.active", np.ones(len(areas)))
        ledger.declare("dust.site.monitored", (areas >= 10000.0).astype(float))
        share = plan_indicators(ledger, moved)["large_sites_monitored_share"]
        # 3,000 m²: 9 large sites, 4 monitored -> 4/9; 10,000: 4 of 4; 5,000: 4 of 5.
        assert share == {3000.0: round(4 / 9, 4), 10000.0: 1.0, 5000.0: 0.8}[threshold], threshold
