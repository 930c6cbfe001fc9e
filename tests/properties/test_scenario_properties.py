"""Property tests of the scenario loader: overrides, merging, validation."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.scenario import scenario_from_mapping
from sim.scenario.loading import apply_overrides, deep_merge

keys = st.text(alphabet="abcdefgh_", min_size=1, max_size=6)
leaves = st.one_of(st.integers(-5, 5), st.floats(-1e3, 1e3, allow_nan=False), st.text(max_size=4))
trees = st.recursive(leaves, lambda kids: st.dictionaries(keys, kids, max_size=3), max_leaves=8)
mappings = st.dictionaries(keys, trees, max_size=4)
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@relaxed
@given(mappings)
def test_merging_with_an_empty_child_changes_nothing(base: dict[str, Any]) -> None:
    assert deep_merge(base, {}) == base
    assert deep_merge({}, base) == base


@relaxed
@given(mappings, mappings)
def test_child_leaves_win(base: dict[str, Any], child: dict[str, Any]) -> None:
    merged = deep_merge(base, child)
    for key, value in child.items():
        if not isinstance(value, dict):
            assert merged[key] == value


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2_000_000), st.floats(0.1, 1e4, allow_nan=False))
def test_valid_overrides_are_applied_and_validated(population: int, area: float) -> None:
    scenario = scenario_from_mapping(
        {"name": "p"},
        overrides=[f"district.population={population}", f"district.area_km2={area!r}"],
    )
    assert scenario.district.population == population
    assert scenario.district.area_km2 == pytest.approx(area)


@settings(max_examples=60, deadline=None)
@given(st.integers(max_value=-1))
def test_negative_population_is_always_rejected_naming_the_field(population: int) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_mapping({"name": "p"}, overrides=[f"district.population={population}"])
    assert f"district.population = {population}" in str(info.value)


@settings(max_examples=60, deadline=None)
@given(keys.filter(lambda k: k not in {"name", "population", "area_km2"}))
def test_unknown_keys_are_always_rejected(key: str) -> None:
    data, _ = apply_overrides({"name": "p"}, [f"district.{key}=1"])
    with pytest.raises(ScenarioError, match="unknown key"):
        scenario_from_mapping(data)
