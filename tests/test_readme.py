"""The README's Python examples run as written (from a folder holding the shipped scenarios)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from _support import REPO


def _python_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_readme_has_python_examples() -> None:
    assert len(_python_blocks()) >= 1


def test_readme_python_examples_run_and_give_what_their_comments_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim

    (tmp_path / "scenarios").symlink_to(REPO / "scenarios", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    short = sim.load_scenario("scenarios/baseline.yaml", overrides=["run.end=2024-01-03"])
    sim.run(short, attribution=False).save("outputs/baseline")
    namespace: dict[str, object] = {}
    for block in _python_blocks():
        exec(compile(block, "README.md", "exec"), namespace)
    result = namespace["result"]
    assert isinstance(result, sim.Result)
    assert result.summary["air"]["pm25_annual_mean_ug_m3"] > 0
    assert set(result.summary["measures"]["voc"]["reduction_t"]) >= {"VOC"}
    assert result.scorecard.not_met == [t.name for t in result.scorecard.targets
                                        if t.status == "not met"]  # fmt: skip
    ds = namespace["ds"]
    assert ds["emission_rate"].dims == ("time", "sector", "pollutant")  # type: ignore[index]
    ds.close()  # type: ignore[attr-defined]
