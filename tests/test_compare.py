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
from sim.report_text import comparison_lines
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
            # hand-made: annualised at a quarter of the booked cost
            "costs": {"annualised_cost_cny": cost / 4, "fiscal_outlay_cny": cost},
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
    # annualised (a quarter of the booked): a 2.5e5 CNY/yr / 10 t, b 5e4 / 5 t
    assert table.loc["a", "cost_per_t_PM2.5"] == pytest.approx(2.5e4)
    assert table.loc["b", "cost_per_t_PM2.5"] == pytest.approx(1.0e4)
    assert table.loc["a", "cost_per_t_VOC"] == pytest.approx(2.5e4)
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


def test_save_writes_tables_and_the_caller_writes_the_report(tmp_path: Path) -> None:
    from sim.report_compare import write_comparison_report

    comparison = _comparison()
    out = comparison.save(tmp_path / "cmp")
    assert not (out / "report.html").exists()  # compare does not call the report
    write_comparison_report(comparison, out, figures=True)
    for name in ("comparison.nc", "comparison.csv", "bundles.csv", "report.html"):
        assert (out / name).exists(), name
    assert (out / "figures" / "cost_effectiveness.png").exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert all(f"<b>{n}</b>" in html for n in ("base", "a", "b"))
    # P(met) of pm25_emitted (<= 92 t): base 0/2, a 2/2, b 1/2 -> it differs, so it is shown
    assert "Targets whose result differs between bundles (1 of 1)" in html
    # cost per t PM2.5: a 2.5e5 CNY/yr / 10 t = 2.5e4, b 5e4 / 5 t = 1e4 -> b first; b meets it
    # in 1 of 2
    assert (
        "Ranked by cost per tonne of PM2.5 cut, the first bundle is b: 0.5 of its 1 evaluated "
        "targets expected to be met, at an annualised cost of 50 kCNY a year." in html
    )
    assert "<td>0 % · 98 t</td>" in html
    assert "<td>100 % · 88 t</td>" in html


def test_compare_module_does_not_import_the_report() -> None:
    import ast

    tree = ast.parse(Path(sim.compare.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not {m for m in imported if m.startswith(("sim.report", "sim.plots"))} - {
        "sim.report_text"
    }


def test_printed_tables_fit_100_columns_with_14_long_bundle_names() -> None:
    from sim.report_text import text_width

    ens = [
        _ens(f"plan2024-bundle-{i:02d}-rain_sewage_separation_and_more", [90.0 + i, 86.0], 1e6)
        for i in range(14)
    ]
    names = [e.scenario.name for e in ens]
    cards = [score_ensemble([TARGET], e.summaries, e.scenario.name) for e in ens]
    for lang in ("en", "zh"):
        lines = comparison_lines(Comparison(names, ens, cards), lang)
        assert max(text_width(line) for line in lines) <= 100
        assert all(any(line.endswith(f"= {n}") for line in lines) for n in names)  # full names


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


def test_printed_targets_are_rows_with_full_names_when_few_bundles_fit() -> None:
    lines = comparison_lines(_comparison(), "en")
    # pm25_emitted (<= 92 t): P(met) base 0 of 2, a 2 of 2, b 1 of 2 (the 2-member ensembles)
    row = next(line for line in lines if line.startswith("pm25_emitted"))
    assert row.split()[1:] == ["0", "%", "100", "%", "50", "%"]
    assert max(len(line) for line in lines) <= 100
