"""Comparing bundles: common random numbers, reductions, cost per tonne, ranking, files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import xarray as xr

import sim
from _support import BASELINE
from sim.compare import Comparison, compare
from sim.ensemble import Ensemble
from sim.scenario.schema import Scenario
from sim.scenario.sections.targets import Target
from sim.targets import score_ensemble

TARGET = Target(name="pm25_emitted", metric="total_t.PM2.5", comparison="<=", value=92.0, unit="t")


def _ens(name: str, pm25: list[float], cost: float, voc: float = 50.0) -> Ensemble:
    summaries: list[dict[str, Any]] = [
        {
            "scenario": name,
            "total_t": {"PM2.5": p, "VOC": voc, "NOx": 80.0},
            "water": {"cod_load_t": 500.0},
            "measure_costs_cny": {"m": cost} if cost else {},
        }
        for p in pm25
    ]
    return Ensemble(Scenario(name=name), 1, [11, 12], summaries, xr.Dataset())


def _comparison(criterion: str = "cost_per_t_PM2.5") -> Comparison:
    ens = [
        _ens("base", [100.0, 96.0], 0.0),
        _ens("a", [90.0, 86.0], 1.0e6, voc=40.0),
        _ens("b", [95.0, 91.0], 2.0e5),
    ]
    names = [e.scenario.name for e in ens]
    cards = [score_ensemble([TARGET], e.summaries, e.scenario.name) for e in ens]
    return Comparison(names, ens, cards, criterion)


def test_paired_reductions_cost_per_tonne_and_ranking() -> None:
    table = _comparison().bundles_table().set_index("bundle")
    # paired member differences against "base": a -10 t (both members), b -5 t
    assert table.loc["a", "reduction_t_PM2.5"] == pytest.approx(10.0)
    assert table.loc["b", "reduction_t_PM2.5"] == pytest.approx(5.0)
    assert table.loc["a", "reduction_t_VOC"] == pytest.approx(10.0)
    assert table.loc["a", "cost_per_t_PM2.5"] == pytest.approx(1.0e5)
    assert table.loc["b", "cost_per_t_PM2.5"] == pytest.approx(4.0e4)
    assert table.loc["a", "cost_per_t_VOC"] == pytest.approx(1.0e5)
    assert table.loc["b", "reduction_t_COD"] == 0.0
    assert list(table["rank"]) == [1, 2, 3]
    assert list(table.index) == ["b", "a", "base"]  # cheapest tonne first; base has none
    by_reduction = _comparison("reduction_PM2.5").bundles_table()
    assert list(by_reduction["bundle"]) == ["a", "b", "base"]


def test_targets_side_by_side_with_change_against_first() -> None:
    rows = _comparison().targets_table().set_index("bundle")
    assert rows.loc["base", "probability_met"] == 0.0
    assert rows.loc["a", "probability_met"] == 1.0
    assert rows.loc["b", "probability_met"] == 0.5  # 95 no, 91 yes
    assert rows.loc["a", "change_vs_first"] == pytest.approx(-10.0)  # medians 88 vs 98
    ds = _comparison().dataset()
    assert ds["probability_met"].sel(bundle="b", target="pm25_emitted") == 0.5
    assert ds["cost_per_t_PM2.5"].attrs["units"] == "CNY t-1"


def test_save_writes_tables_and_report(tmp_path: Path) -> None:
    out = _comparison().save(tmp_path / "cmp", figures=True)
    for name in ("comparison.nc", "comparison.csv", "bundles.csv", "report.html"):
        assert (out / name).exists(), name
    assert (out / "figures" / "cost_effectiveness.png").exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert all(f"<b>{n}</b>" in html for n in ("base", "a", "b"))


def test_identical_bundle_compares_as_zero_difference() -> None:
    base = sim.load_scenario(BASELINE, overrides=["run.end=2024-01-04", "name=base"])
    same = sim.load_scenario(BASELINE, overrides=["run.end=2024-01-04", "name=same"])
    result = compare([base, same], ensemble=2, jobs=1)
    assert result.names == ["base", "same"]
    first, second = result.ensembles
    assert [s["total_t"] for s in first.summaries] == [s["total_t"] for s in second.summaries]
    row = result.bundles_table().set_index("bundle").loc["same"]
    for pol in ("PM2.5", "VOC", "NOx"):
        assert row[f"reduction_t_{pol}"] == 0.0
    assert row["cost_cny"] == 0.0


def test_family_cost_per_tonne_from_the_attribution() -> None:
    comparison = _comparison()
    for s in comparison.ensembles[1].summaries:
        s["measures"] = {"voc": {"reduction_t": {"VOC": 20.0, "PM2.5": 0.0}, "cost_cny": 1.0e6}}
    rows = comparison.families_table().set_index(["bundle", "family", "quantity"])["median"]
    assert rows[("a", "voc", "cost_per_t_VOC")] == pytest.approx(5.0e4)  # 1e6 CNY / 20 t
    assert ("a", "voc", "cost_per_t_PM2.5") not in rows.index  # no reduction, no ratio
