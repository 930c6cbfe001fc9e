"""Sweep files: validation with one-line errors, --set, keys checked against the scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from _support.sweep import SMALL_SWEEP, write_sweep
from sim.errors import ScenarioError
from sim.sweep.spec import load_sweep
from sim.sweep.worker import resolve_summary


def test_set_overrides_values_of_the_sweep_file(small_sweep_file: Path) -> None:
    spec = load_sweep(small_sweep_file, ["design.n=64", "replications=3"])
    assert spec.design.n == 64
    assert spec.replications == 3


def test_unknown_key_is_one_clear_line(tmp_path: Path) -> None:
    path = write_sweep(tmp_path, design={"method": "lhs", "n": 4, "sed": 1})
    with pytest.raises(ScenarioError) as err:
        load_sweep(path)
    assert err.value.problems == (
        f"{path}: design.sed = 1: unknown key (not in the schema; check the spelling); "
        "did you mean 'seed'?",
    )


def test_unknown_scenario_key_is_rejected_at_load(tmp_path: Path) -> None:
    levers = [
        {"name": "pace", "key": "policies.no_such_measure.target_fraction", "range": [0.5, 1.0]}
    ]
    path = write_sweep(tmp_path, levers=levers)
    with pytest.raises(ScenarioError) as err:
        load_sweep(path)
    (line,) = err.value.problems
    assert "levers[pace].key = 'policies.no_such_measure.target_fraction'" in line
    assert "unknown key" in line


def test_value_outside_the_scenario_bounds_is_rejected_at_load(tmp_path: Path) -> None:
    levers = [
        {
            "name": "evap",
            "key": "sources.mobile.evaporative.control_efficiency",
            "range": [0.5, 1.5],
        }
    ]
    path = write_sweep(tmp_path, levers=levers)
    with pytest.raises(ScenarioError, match=r"levers\[evap\].key .* with 1.5"):
        load_sweep(path)


def test_targets_must_name_an_outcome(tmp_path: Path) -> None:
    path = write_sweep(tmp_path, targets={"air.nope": {"le": 1}})
    with pytest.raises(ScenarioError, match="not listed in outcomes"):
        load_sweep(path)


def test_a_parameter_needs_exactly_one_kind(tmp_path: Path) -> None:
    lever = {**SMALL_SWEEP["levers"][0], "values": [0.7]}
    path = write_sweep(tmp_path, levers=[lever])
    with pytest.raises(ScenarioError, match="exactly one of range, values, dist"):
        load_sweep(path)


def test_summary_paths_resolve_keys_with_dots() -> None:
    summary = {
        "total_t": {"PM2.5": 1.5, "PM10": 3.0},
        "measures": {"voc": {"reduction_t": {"VOC": 22.0}}},
        "list": [{"a": 4}],
    }
    assert resolve_summary(summary, "total_t.PM2.5") == 1.5
    assert resolve_summary(summary, "measures.voc.reduction_t.VOC") == 22.0
    assert resolve_summary(summary, "list.0.a") == 4
    with pytest.raises(KeyError, match="no key 'PM1'"):
        resolve_summary(summary, "total_t.PM1")
