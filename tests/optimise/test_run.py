"""The whole command on a toy model: outputs, verification with fresh members, resume."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from _support.optimise_toy import LINEAR, TOY_RUNNER, toy_spec
from sim.ensemble import member_seed
from sim.optimise import optimise
from sim.optimise.search import search_seeds
from sim.optimise.verify import verify_seeds

LEVERS = [
    {"name": "x0", "key": "x0", "range": [0, 10]},
    {"name": "x1", "key": "x1", "range": [0, 10]},
]


def _spec():  # type: ignore[no-untyped-def]
    return toy_spec(
        {**LINEAR, "noise_sd": 0.5}, LEVERS, search={"evaluations": 60, "members": 12, "seed": 5}
    )


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("opt") / "toy"
    optimise(_spec(), out, workers=1, runner=TOY_RUNNER)
    return out


def test_verification_members_are_fresh_seeds() -> None:
    spec = _spec()
    assert not set(search_seeds(spec)) & set(verify_seeds(spec))
    assert verify_seeds(spec)[0] == member_seed(5, 12)


def test_outputs_hold_the_verified_best_and_the_frontier(toy_run: Path) -> None:
    rows = list(csv.DictReader((toy_run / "frontier.csv").open(encoding="utf-8")))
    assert list(rows[0]) == [
        "annualised_cost_cny", "fiscal_outlay_cny", "p_all_met", "p_toy", "x0", "x1",
    ]  # fmt: skip
    costs = [float(r["annualised_cost_cny"]) for r in rows]
    probs = [float(r["p_all_met"]) for r in rows]
    assert costs == sorted(costs)
    assert probs == sorted(probs)
    data = json.loads((toy_run / "verification.json").read_text(encoding="utf-8"))
    best = data["best"]["toy"]
    assert best["members"] == 64
    assert best["p_low"] <= best["p_met"] <= best["p_high"]
    # Hand check of the Wilson lower bound from the count: (p + z²/2n - z sqrt(...)) / (1 + z²/n).
    k, n, z = best["met"], 64, 1.6448536
    p = k / n
    low = (p + z * z / (2 * n) - z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (
        1 + z * z / n
    )
    assert best["p_low"] == pytest.approx(low, abs=1e-6)
    labels = [b["label"] for b in data["bundles"]]
    assert labels[0] == "best"
    assert labels[-1] == "base"
    assert (toy_run / "figures" / "frontier.png").stat().st_size > 1000


def test_best_yaml_extends_the_base_with_the_levers_and_figures(toy_run: Path) -> None:
    text = (toy_run / "best.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Best bundle of")
    assert "P(toy met) =" in text
    data = yaml.safe_load(text)
    assert data["extends"].endswith("toy")
    assert set(data) >= {"x0", "x1"}


def test_killed_search_resumes_to_the_same_answer(toy_run: Path, tmp_path: Path) -> None:
    import shutil

    out = tmp_path / "toy"
    shutil.copytree(toy_run, out)
    manifest = out / "runs" / "manifest.jsonl"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text("".join(lines[: len(lines) // 3]), encoding="utf-8")  # killed a third in
    report = optimise(_spec(), out, workers=1, runner=TOY_RUNNER, resume=True)
    assert report.runs_reused >= len(lines) // 3  # and repeats of a candidate
    assert report.runs_now == len(lines) - len(lines) // 3
    for name in ("frontier.csv", "verification.json", "best.yaml"):
        assert (out / name).read_bytes() == (toy_run / name).read_bytes()


def test_existing_folder_without_resume_is_refused(toy_run: Path) -> None:
    from sim.errors import SweepError

    with pytest.raises(SweepError, match="--resume"):
        optimise(_spec(), toy_run, workers=1, runner=TOY_RUNNER)
