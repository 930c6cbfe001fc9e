"""A sweep's (and an optimisation's) run draws the fitted parameters like an ensemble member."""

from __future__ import annotations

import sim
from _support import BASELINE
from sim.ensemble import member_seed, run_member
from sim.sweep.worker import simulate


def test_sweep_run_equals_the_ensemble_member_with_the_same_seed() -> None:
    scenario = sim.load_scenario(BASELINE, overrides=["run.end=2024-01-04", "name=short"])
    seed = member_seed(scenario.run.seed, 1)
    member, _ = run_member(scenario, seed, attribution=False)
    swept = simulate(scenario.raw, scenario.origin, {}, seed).summary
    central = sim.run(scenario, seed=seed, attribution=False).summary
    key = "pm25_annual_mean_ug_m3"
    assert swept["air"][key] == member["air"][key]
    assert swept["air"][key] != central["air"][key]  # the draw moved it
