from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
from pydantic import Field

from sim.errors import ScenarioError
from sim.scenario.base import Item, Section
from sim.scenario.loading import apply_overrides, deep_merge, read_with_extends, validate_mapping
from sim.scenario.quantity import Q


class Cohort(Item):
    count: Annotated[float, Q("vehicles")] = Field(ge=0)
    km: Annotated[float, Q("km")] = 10.0


class Fleet(Section):
    fleet: tuple[Cohort, ...] = ()
    silt_g_m2: Annotated[float, Q("g/m2")] = Field(0.6, ge=0)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_deep_merge_merges_mappings_and_replaces_lists() -> None:
    base = {"a": {"x": 1, "y": 2}, "l": [1, 2, 3], "q": {"value": 1, "source": "s"}}
    child = {"a": {"y": 5}, "l": [9], "q": {"value": 2}}
    assert deep_merge(base, child) == {"a": {"x": 1, "y": 5}, "l": [9], "q": {"value": 2}}


def test_extends_merges_parent_and_names_child_after_its_file(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", "name: base\nsources: {a: 1, b: {c: 2}}\n")
    (tmp_path / "bundles").mkdir()
    child = write(
        tmp_path / "bundles" / "more.yaml", "extends: ../base.yaml\nsources: {b: {d: 3}}\n"
    )
    data = read_with_extends(child)
    assert data == {"name": "more", "sources": {"a": 1, "b": {"c": 2, "d": 3}}}


def test_extends_cycle_is_detected(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "extends: b.yaml\n")
    write(tmp_path / "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError, match=r"cycle detected: a\.yaml -> b\.yaml -> a\.yaml"):
        read_with_extends(tmp_path / "a.yaml")


def test_relative_paths_resolve_against_the_file_that_wrote_them(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "base.yaml", "meteorology: {path: obs.csv}\n")
    child = write(tmp_path / "c.yaml", "extends: sub/base.yaml\n")
    assert read_with_extends(child)["meteorology"]["path"] == str(
        (tmp_path / "sub" / "obs.csv").resolve()
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [1, 2\n", "YAML syntax error (line 2"),
        ("- 1\n- 2\n", "top level must be a mapping"),
        ("extends: missing.yaml\n", "extends = 'missing.yaml': file not found"),
        ("extends: 5\n", "expected a relative file path"),
    ],
)
def test_bad_files_raise_one_clear_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path / "bad.yaml", text)
    with pytest.raises(ScenarioError) as info:
        read_with_extends(path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file not found"):
        read_with_extends(tmp_path / "nope.yaml")


DATA = {
    "fleet": [{"name": "car", "count": 10}, {"name": "truck", "count": {"value": 3, "source": "x"}}]
}


def test_override_by_index_and_by_name() -> None:
    data, origins = apply_overrides(DATA, ["fleet[0].count=20", "fleet[truck].count=7"])
    assert data["fleet"][0]["count"] == 20
    # a sourced value replaced keeps its unit slot but records the override as its source
    assert data["fleet"][1]["count"] == {"value": 7, "source": "--set fleet[truck].count"}
    assert ("fleet", 1, "count") in origins
    assert DATA["fleet"][0]["count"] == 10  # input untouched


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("fleet[bus].count=1", "no item named 'bus'"),
        ("fleet[5].count=1", "index 5 out of range"),
        ("fleet.count=1", "is not a mapping"),
        ("nothing", "expected dotted.path=value"),
        ("=3", "empty path"),
        ("fleet[0].count=[1", "is not valid YAML"),
    ],
)
def test_bad_overrides(override: str, expected: str) -> None:
    with pytest.raises(ScenarioError, match=expected.replace("[", r"\[")):
        apply_overrides(DATA, [override])


def test_validation_errors_name_file_field_and_expectation() -> None:
    bad = {"fleet": [{"name": "car", "count": 1}, {"name": "t", "count": -5}], "silt_g_m2": "x"}
    with pytest.raises(ScenarioError) as info:
        validate_mapping(Fleet, bad, "base.yaml")
    lines = info.value.problems
    assert "base.yaml: fleet[1].count = -5: Input should be greater than or equal to 0" in lines
    assert any(line.startswith("base.yaml: silt_g_m2 = 'x':") for line in lines)


def test_unknown_key_and_wrong_unit() -> None:
    with pytest.raises(ScenarioError) as info:
        validate_mapping(Fleet, {"silt": 1, "silt_g_m2": {"value": 1, "unit": "kg/m2"}}, "f.yaml")
    text = str(info.value)
    assert "f.yaml: silt = 1: unknown key" in text
    assert "unit 'kg/m2' given, 'g/m2' expected" in text


def test_errors_from_overrides_are_attributed_to_set() -> None:
    data, origins = apply_overrides({"fleet": []}, ["silt_g_m2=-1", "colour=red"])
    with pytest.raises(ScenarioError) as info:
        validate_mapping(Fleet, data, "f.yaml", origins)
    text = str(info.value)
    assert "f.yaml (--set silt_g_m2=-1): silt_g_m2 = -1" in text
    assert "f.yaml (--set colour=red): colour = 'red': unknown key" in text
