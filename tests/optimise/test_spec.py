"""Optimisation files: validated like scenarios, --set works, bad input is one line and exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from _support.paths import REPO
from sim.cli import cli
from sim.errors import ScenarioError
from sim.optimise.spec import load_optimisation

SHIPPED = REPO / "optimise" / "pm25_goodays_80.yaml"


def _write(folder: Path, **changes: Any) -> Path:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["scenario_file"] = str(REPO / "scenarios" / "plan2024.yaml")
    data["levers"] = data["levers"][:2]
    data.update(changes)
    path = folder / "question.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_shipped_question_loads_with_set_overrides() -> None:
    spec = load_optimisation(SHIPPED, ["search.evaluations=10", "verify.ensemble=20"])
    assert spec.search.evaluations == 10
    assert spec.verify.ensemble == 20
    assert spec.constraints == {"pm25_annual_mean": 0.8, "good_days_ratio": 0.8}
    assert len(spec.levers) == 13


def test_constraint_on_an_unknown_target_is_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, constraints={"pm10_annual_mean": 0.8})
    with pytest.raises(ScenarioError) as err:
        load_optimisation(path)
    (line,) = err.value.problems
    assert line.startswith(f"{path}: constraints.pm10_annual_mean: not a target")


def test_too_few_members_for_the_wilson_bound_is_rejected(tmp_path: Path) -> None:
    # 12/12 members give the Wilson lower bound 12 / (12 + 1.645^2) = 0.816 >= 0.8, 10/10 give
    # 0.787: at least ceil(1.645^2 x 0.8 / 0.2) = ceil(10.82) = 11 members.
    path = _write(tmp_path)
    with pytest.raises(ScenarioError) as err:
        load_optimisation(path, ["search.members=10"])
    assert "use at least 11" in err.value.problems[0]


def test_lever_out_of_the_scenario_bounds_is_rejected(tmp_path: Path) -> None:
    levers = [{"name": "share", "key": "policies.retire_china3.target_fraction", "range": [0, 2]}]
    path = _write(tmp_path, levers=levers)
    with pytest.raises(ScenarioError) as err:
        load_optimisation(path)
    (line,) = err.value.problems
    assert "levers[share].key = 'policies.retire_china3.target_fraction' with 2" in line


def test_cli_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, search={"evaluations": 10, "members": 12, "sead": 3})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["optimise", str(path), "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "search.sead = 3: unknown key" in result.output
    assert not out.exists()
