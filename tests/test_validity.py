"""A run that produced NaN or infinite numbers fails with exit code 4 and writes nothing; it is
never scored "met" or "not evaluated"."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import sim.ensemble
import sim.results
from sim.cli import cli
from sim.scenario import load_scenario
from sim.streams import member_seeds
from sim.validity import InvalidResultError, check_summaries, check_summary, non_finite

WEEK = "name: tiny\nrun: {start: 2024-01-01, end: 2024-01-08, seed: 3}\n"


def test_non_finite_names_every_bad_number_by_its_path() -> None:
    summary = {"a": 1.0, "b": {"c": math.nan, "d": [1, math.inf]}, "e": None, "f": "NaN", "g": True}
    assert list(non_finite(summary)) == ["b.c", "b.d[1]"]


def test_check_summary_raises_with_exit_code_4() -> None:
    with pytest.raises(InvalidResultError, match=r"x: the run produced invalid numbers") as info:
        check_summary({"air": {"pm25_annual_mean_ug_m3": math.nan}}, "x")
    assert info.value.exit_code == 4
    assert "air.pm25_annual_mean_ug_m3" in info.value.problems[0]
    check_summary({"air": {"pm25_annual_mean_ug_m3": 40.0}}, "x")  # finite: no error


def test_one_invalid_member_fails_the_ensemble_and_is_named() -> None:
    members = [{"seed": 1, "v": 1.0}, {"seed": 2, "v": -math.inf}, {"seed": 3, "v": 2.0}]
    with pytest.raises(InvalidResultError) as info:
        check_summaries(members, "bundle")
    assert info.value.problems[0].startswith("bundle: member 1 (seed 2)")
    assert info.value.problems[-1] == "bundle: the ensemble is invalid; nothing was written"


def _nan_summary(original: Any) -> Any:
    def build(state: Any, dataset: Any) -> dict[str, Any]:
        summary = original(state, dataset)
        summary["total_t"]["PM2.5"] = math.nan
        return dict(summary)

    return build


def test_a_run_with_nan_exits_4_with_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(WEEK, encoding="utf-8")
    monkeypatch.setattr(sim.results, "build_summary", _nan_summary(sim.results.build_summary))
    result = CliRunner().invoke(
        cli, ["run", str(scenario), "-o", str(tmp_path / "out"), "--check-targets"]
    )
    assert result.exit_code == 4, result.output
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1
    assert "total_t.PM2.5" in lines[0]
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.yaml"]


def test_an_ensemble_with_one_nan_member_fails_and_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(WEEK, encoding="utf-8")
    scenario = load_scenario(path)
    bad_seed = member_seeds(3, 3)[1]
    original = sim.ensemble.run_member

    def run_member(sc: Any, seed: int, *args: Any) -> Any:
        summary, ds = original(sc, seed, *args)
        if seed == bad_seed:
            summary = {**summary, "total_t": {**summary["total_t"], "NOx": math.inf}}
        return summary, ds

    monkeypatch.setattr(sim.ensemble, "run_member", run_member)
    with pytest.raises(InvalidResultError) as info:
        sim.ensemble.run_ensemble(scenario, 3, jobs=1, progress=False, attribution=False)
    assert info.value.problems[0].startswith(f"tiny: member 1 (seed {bad_seed})")
    assert "total_t.NOx" in info.value.problems[0]
