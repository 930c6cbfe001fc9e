"""Target metrics are checked at load time against the summary's known values."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.scenario import load_scenario
from sim.scenario.sections.targets import METRICS, check_metric

ROOT = Path(__file__).resolve().parents[2]


def _leaves(node: object, path: str = "") -> list[str]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, f"{path}.{k}" if path else str(k))]
    return [path]


@pytest.fixture(scope="module")
def plan_summary() -> dict[str, object]:
    import sim

    scenario = load_scenario(ROOT / "scenarios" / "plan2024.yaml", ["run.end=2024-01-08"])
    return sim.run(scenario).summary


def test_every_scored_value_of_a_real_summary_is_a_known_metric(
    plan_summary: dict[str, object],
) -> None:
    skip = ("scenario", "scenario_hash", "seed", "sim_version", "units.", "air.units.")
    leaves = [p for p in _leaves(plan_summary) if not p.startswith(skip)]
    leaves = [p for p in leaves if not p.startswith(("soil.units.", "period.start", "period.end"))]
    leaves = [p for p in leaves if not p.endswith(".measures")]  # lists of measure names
    assert len(leaves) > 100
    unknown = [p for p in leaves if check_metric(p) is not None]
    assert unknown == []


def test_measure_families_in_the_metric_table_are_the_policy_families() -> None:
    from sim.policies import FAMILIES

    assert {m.split(".")[0] for m in METRICS["measures"]} == set(FAMILIES)


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("air.pm25_annual_mean_ugm3", "did you mean 'air.pm25_annual_mean_ug_m3'"),
        ("aire.good_days_ratio", "did you mean 'air'"),
        ("water.sections", "unknown metric"),
        ("measures.vocs.cost_cny", "did you mean 'measures.voc.cost_cny'"),
        ("events.x", "has no keys below it"),
    ],
)
def test_misspelled_metric_is_refused_with_the_closest_name(metric: str, expected: str) -> None:
    problem = check_metric(metric)
    assert problem is not None
    assert expected in problem


def test_misspelled_target_metric_fails_loading_with_exit_code_2() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(
            ROOT / "scenarios" / "plan2024.yaml",
            ["targets.items[0].metric=air.pm25_annual_mean_ugm3"],
        )
    assert info.value.exit_code == 2
    assert "unknown metric 'air.pm25_annual_mean_ugm3'" in info.value.problems[0]
