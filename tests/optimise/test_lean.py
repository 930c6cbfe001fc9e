"""The lean run a candidate-member needs: the same figures as a full run, fewer computed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from _support.paths import PLAN2024 as PLAN
from sim.api import run, run_summary
from sim.optimise.runners import needs, scored, scoring_base
from sim.scenario import scenario_from_mapping
from sim.scenario.loading import read_with_extends
from sim.sweep.executors import LocalPoolExecutor
from sim.sweep.spec import SummaryOutcome
from sim.sweep.worker import Payload, RunTask

#: One month of the plan: every family's measures start, the run is short.
MONTH = {"run.end": "2024-02-01"}


@pytest.fixture(scope="module")
def plan_mapping() -> dict[str, Any]:
    return read_with_extends(PLAN)


@pytest.fixture(scope="module")
def full_and_lean(plan_mapping: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    scenario = scenario_from_mapping(plan_mapping, origin=str(PLAN), overrides=MONTH)
    full = run(scenario, seed=3, attribution=True).summary
    lean = run_summary(scenario, seed=3, outcomes={"air"}, attribution=True)
    return full, lean


def test_lean_summary_sections_equal_the_full_runs(
    full_and_lean: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    full, lean = full_and_lean
    for section in ("air", "costs", "measure_costs_cny", "measures"):
        assert lean[section] == full[section], section
    assert (lean["scenario"], lean["seed"]) == (full["scenario"], 3)


def test_lean_summary_skips_the_outcomes_not_asked(
    full_and_lean: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    full, lean = full_and_lean
    assert "water" in full
    assert "water" not in lean
    assert "total_t" not in lean  # no emission tables: no Dataset was built


def test_needs_reads_the_metrics_heads(plan_mapping: dict[str, Any]) -> None:
    base = scoring_base(plan_mapping, ["pm25_annual_mean", "good_days_ratio"])
    assert [t["name"] for t in base["targets"]["items"]] == ["pm25_annual_mean", "good_days_ratio"]
    assert needs(scenario_from_mapping(base, origin=str(PLAN))) == (frozenset({"air"}), False)
    voc = scoring_base(plan_mapping, ["voc_reduction", "sections_class_iii_or_better"])
    outcomes, attribution = needs(scenario_from_mapping(voc, origin=str(PLAN)))
    assert attribution  # voc_reduction reads measures.voc.*
    assert outcomes == frozenset({"water"})  # water.share_class_iii_or_better
    assert plan_mapping["targets"]["items"]  # the base itself is not changed
    assert len(plan_mapping["targets"]["items"]) > len(base["targets"]["items"])


def test_scored_meets_as_the_full_runs_scorecard(
    plan_mapping: dict[str, Any], full_and_lean: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    full, _ = full_and_lean
    names = ["pm25_annual_mean", "good_days_ratio"]
    out = scored(scoring_base(plan_mapping, names), str(PLAN), MONTH, 3).summary
    assert set(out["met"]) == set(names)
    # By hand from the full run's figures: <= 40 ug/m3 (tolerance is not "met"), >= 0.67.
    assert out["met"]["pm25_annual_mean"] == float(full["air"]["pm25_annual_mean_ug_m3"] <= 40)
    assert out["met"]["good_days_ratio"] == float(full["air"]["good_days_ratio"] >= 0.67)
    assert out["costs"]["annualised_cost_cny"] == full["costs"]["annualised_cost_cny"]


def test_a_kept_pool_runs_every_map_on_the_same_worker_processes(tmp_path: Path) -> None:
    payload = Payload(
        {"unit_cost": [1.0], "effect": [1.0], "baseline": 1.0, "threshold": 0.0, "noise_sd": 0.0},
        "toy",
        (SummaryOutcome(name="c", summary="costs.annualised_cost_cny"),),
        "sim.optimise.runners:run_toy",
    )
    tasks = [RunTask(i, f"r{i}", i, {"x0": float(i)}) for i in range(6)]
    kept = LocalPoolExecutor(2, keep=True)
    try:
        first = {c.output.worker for c in kept.map(tasks, payload, 0) if c.output}
        second = {c.output.worker for c in kept.map(tasks, payload, 0) if c.output}
    finally:
        kept.close()
    assert second <= first  # no new process for the second map
    fresh = LocalPoolExecutor(2)
    one = {c.output.worker for c in fresh.map(tasks, payload, 0) if c.output}
    two = {c.output.worker for c in fresh.map(tasks, payload, 0) if c.output}
    assert not one & two  # a pool per map: new processes


def test_scored_draws_the_fitted_parameters_like_an_ensemble_member(
    plan_mapping: dict[str, Any],
) -> None:
    # A threshold half-way between the central run's PM2.5 and the member's drawn run's: the
    # candidate-member is judged on the drawn run (the fitted parameters' uncertainty is in
    # every P(met)), so it is met exactly when the drawn run is below the threshold.
    from sim.ensemble import member_scenario

    week = {"run.end": "2024-01-08"}
    scenario = scenario_from_mapping(plan_mapping, origin=str(PLAN), overrides=week)
    drawn, params = member_scenario(scenario, 3)
    assert params
    central = run_summary(scenario, seed=3, outcomes={"air"})["air"]["pm25_annual_mean_ug_m3"]
    member = run_summary(drawn, seed=3, outcomes={"air"})["air"]["pm25_annual_mean_ug_m3"]
    assert central != member
    base = scoring_base(plan_mapping, ["pm25_annual_mean"])
    target = base["targets"]["items"][0]
    base["targets"]["items"][0] = {**target, "value": (central + member) / 2, "tolerance": 0}
    out = scored(base, str(PLAN), week, 3).summary
    assert out["met"]["pm25_annual_mean"] == float(member <= (central + member) / 2)
