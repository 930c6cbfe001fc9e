"""Ensembles: probabilities per target, reproducible members, worker-count independence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import sim
from _support import BASELINE
from sim.ensemble import Ensemble, member_seed, run_ensemble, run_member
from sim.scenario.schema import Scenario
from sim.scenario.sections.targets import Target
from sim.streams import member_seeds
from sim.targets import MET, NOT_EVALUATED, WITHIN, score_ensemble


def _short() -> Scenario:
    return sim.load_scenario(BASELINE, overrides=["run.end=2024-01-05", "name=short"])


def test_probability_met_on_a_constructed_ensemble() -> None:
    # 20 members with values 0, 1, ..., 19 against "<= 9.5" with a band of 5:
    # met for 0..9 (10 of 20), within the band for 10..14 (5 more).
    target = Target(name="x", metric="v", comparison="<=", value=9.5, tolerance=5.0)
    summaries = [{"v": float(k)} for k in range(20)] + [{}]  # one member without the value
    card = score_ensemble([target], summaries, "constructed")
    row = card.targets[0]
    assert row.members == 21
    assert row.evaluated == 20
    assert row.probability_met == pytest.approx(0.5)
    assert row.probability_met_or_within == pytest.approx(0.75)
    assert row.value == pytest.approx(9.5)  # median of 0..19
    # linear-interpolated percentiles of 0..19: 0.05 * 19 = 0.95 and 0.95 * 19 = 18.05
    assert row.p05 == pytest.approx(0.95)
    assert row.p95 == pytest.approx(18.05)
    assert row.status == MET  # the median sits on the threshold
    shifted = score_ensemble([target], [{"v": 12.0 + k} for k in range(3)]).targets[0]
    assert shifted.status == WITHIN
    assert shifted.probability_met == 0.0
    assert score_ensemble([target], [{}, {}]).targets[0].status == NOT_EVALUATED


def test_member_seed_is_the_ensembles_kth_seed() -> None:
    seeds = member_seeds(20240805, 7)
    assert [member_seed(20240805, k) for k in range(7)] == seeds
    assert len(set(seeds)) == 7


def test_member_alone_reproduces_the_ensembles_member() -> None:
    scenario = _short()
    ens = run_ensemble(scenario, 3, jobs=1, progress=False)
    assert ens.dataset.sizes["member"] == 3
    assert "time" not in ens.dataset.dims  # hourly variables are dropped by default
    assert ens.dataset["daily_emission"].sizes["day"] == 4
    summary, ds = run_member(scenario, member_seed(scenario.run.seed, 2))
    assert summary["total_t"] == ens.summaries[2]["total_t"]
    np.testing.assert_array_equal(
        ds["daily_emission"].values, ens.dataset["daily_emission"].isel(member=2).values
    )
    # members are independent draws: the weather differs, so their PM2.5 differs (four January
    # days may hold no rain in any member, so road dust alone need not differ)
    totals = [s["air"]["pm25_annual_mean_ug_m3"] for s in ens.summaries]
    assert len(set(totals)) >= 2
    # the baseline's uncertain inputs are all on the water side: they add no PM2.5 variance
    split = json.loads(ens.dataset.attrs["air.pm25_variance_split"])["pm25_variance_split"]
    assert split["inputs"] == 0.0
    assert split["weather"] + split["parameters"] == pytest.approx(1.0, abs=1e-4)


def test_two_workers_give_the_same_numbers_as_one(tmp_path: Path) -> None:
    scenario = _short()
    one = run_ensemble(scenario, 2, jobs=1, progress=False)
    two = run_ensemble(scenario, 2, jobs=2, progress=False)
    assert [s["total_t"] for s in one.summaries] == [s["total_t"] for s in two.summaries]
    xr.testing.assert_identical(one.dataset["monthly_emission"], two.dataset["monthly_emission"])
    two.save(tmp_path / "ens")
    back = Ensemble.load(tmp_path / "ens")
    assert back.seeds == two.seeds
    assert back.summaries == two.summaries
    np.testing.assert_allclose(
        back.dataset["daily_emission"].values, two.dataset["daily_emission"].values
    )


def test_member_run_alone_draws_the_same_fitted_parameters_as_in_the_ensemble(
    tmp_path: Path,
) -> None:
    # `sim run --member K` must run exactly the ensemble's member K, fitted-parameter draw
    # included (issue 14): its annual PM2.5 equals the member's, and differs from a run of the
    # member's seed with the undrawn (central) parameters.
    import json

    from click.testing import CliRunner

    from sim.cli import cli
    from sim.ensemble import member_scenario

    scenario = _short()
    ens = run_ensemble(scenario, 3, jobs=1, progress=False, attribution=False)
    drawn = ens.summaries[2]["parameter_draws"]
    assert drawn  # the fitted file has a covariance: every member draws
    seed = member_seed(scenario.run.seed, 2)
    again, drawn_again = member_scenario(scenario, seed)
    assert drawn_again == drawn
    assert again.air.region.pm25_ug_m3 == pytest.approx(drawn["air.region.pm25_ug_m3"])
    out = tmp_path / "member2"
    result = CliRunner().invoke(
        cli,
        ["run", str(BASELINE), "--set", "run.end=2024-01-05", "--set", "name=short",
         "--member", "2", "--no-figures", "-o", str(out), "-q"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    alone = json.loads((out / "summary.json").read_text())
    member = ens.summaries[2]["air"]["pm25_annual_mean_ug_m3"]
    assert alone["air"]["pm25_annual_mean_ug_m3"] == member
    central = sim.run(scenario, seed=seed, attribution=False).summary
    assert central["air"]["pm25_annual_mean_ug_m3"] != member
