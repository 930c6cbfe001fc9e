"""Results: the Dataset's shape and attributes, the summary, saving atomically and reading back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import sim
from sim.errors import SimError
from sim.results import Result

TINY = {"name": "tiny", "run": {"start": "2024-03-01", "end": "2024-03-15", "seed": 5}}


@pytest.fixture(scope="module")
def result() -> Result:
    baseline = sim.load_scenario(
        Path(__file__).parents[1] / "scenarios" / "baseline.yaml",
        overrides=["run.start=2024-03-01", "run.end=2024-03-15"],
    )
    return sim.run(baseline)


def test_dataset_has_named_dims_units_and_long_names(result: Result) -> None:
    ds = result.dataset
    assert ds["emission_rate"].dims == ("time", "sector", "pollutant")
    assert ds.sizes["time"] == 14 * 24
    for name, var in ds.data_vars.items():
        assert var.attrs.get("units"), name
        assert var.attrs.get("long_name"), name
    assert ds.attrs["Conventions"] == "CF-1.8"
    assert ds.attrs["seed"] == 20240805
    assert ds.attrs["scenario_name"] == "baseline"


def test_summary_totals_equal_the_dataset_sums(result: Result) -> None:
    rate = result.dataset["emission_rate"]
    for sector in rate["sector"].values:
        for pollutant in rate["pollutant"].values:
            expected = float(rate.sel(sector=sector, pollutant=pollutant).sum()) / 1000
            assert result.summary["emissions_t"][sector][pollutant] == pytest.approx(
                expected, abs=1e-6
            )
    monthly = result.dataset["monthly_emission"].sum("month")
    np.testing.assert_allclose(monthly.values, rate.sum("time").values / 1000, rtol=1e-12)
    by_source = result.dataset["source_emission"].sum("source")
    np.testing.assert_allclose(
        by_source.values, rate.sum(["time", "sector"]).values / 1000, rtol=1e-10
    )


def test_save_and_load_round_trip(result: Result, tmp_path: Path) -> None:
    folder = result.save(tmp_path / "run")
    back = Result.load(folder)
    assert "sources:" in back.dataset.attrs["scenario_resolved"]
    xr.testing.assert_allclose(back.dataset["emission_rate"], result.dataset["emission_rate"])
    assert back.summary == json.loads(json.dumps(result.summary))
    assert len(back.events) == len(result.events)
    assert back.scenario.scenario_hash == result.scenario.scenario_hash
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_save_refuses_existing_folder(result: Result, tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    with pytest.raises(SimError, match="use --overwrite"):
        result.save(tmp_path / "run")


def test_load_rejects_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    with pytest.raises(SimError, match="not a sim run folder"):
        Result.load(tmp_path)


def test_run_accepts_a_path_and_a_seed(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(json.dumps(TINY))
    a = sim.run(path, seed=1)
    b = sim.run(sim.load_scenario(path), seed=1)
    assert a.summary["seed"] == 1
    xr.testing.assert_identical(a.dataset["wind_speed"], b.dataset["wind_speed"])


def test_result_scorecard_scores_the_scenarios_targets_on_its_own_summary(result: Result) -> None:
    from sim.targets import scenario_targets, score_run

    card = result.scorecard
    assert [t.name for t in card.targets] == [t.name for t in scenario_targets(result.scenario)]
    assert card.to_dict() == score_run(scenario_targets(result.scenario), result.summary).to_dict()
    assert len(card.targets) > 0
