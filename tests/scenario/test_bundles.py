"""The shipped bundles are the plan's measures split by family: each entry equals plan2024's."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import sim
from _support import REPO

BUNDLES = sorted((REPO / "scenarios" / "bundles").glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLES, ids=lambda p: p.stem)
def test_every_bundle_entry_equals_the_plans_entry(path: Path) -> None:
    plan = sim.load_scenario(REPO / "scenarios" / "plan2024.yaml").raw["policies"]
    own = yaml.safe_load(path.read_text(encoding="utf-8"))["policies"]
    bundle = sim.load_scenario(path).raw["policies"]
    assert own, path
    for key in own:
        assert bundle[key] == plan[key], f"{path.name}: policies.{key} differs from plan2024.yaml"


def test_the_bundles_cover_every_measure_of_the_plan() -> None:
    plan = sim.load_scenario(REPO / "scenarios" / "plan2024.yaml").raw["policies"]
    covered = {
        k for p in BUNDLES for k in yaml.safe_load(p.read_text(encoding="utf-8"))["policies"]
    }
    assert covered == set(plan)
