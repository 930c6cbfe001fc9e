"""Targets and the scorecard: comparisons, tolerance band, margins, not evaluated, exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from _support import BASELINE
from sim.scenario.sections.targets import Target, TargetsConfig
from sim.targets import (
    MET,
    NOT_EVALUATED,
    NOT_MET,
    WITHIN,
    Scorecard,
    evaluate,
    lookup,
    score_run,
)

SUMMARY = {
    "scenario": "hand",
    "air": {"pm25_annual_mean_ug_m3": 40.6, "good_days_ratio": 0.7},
    "measures": {"voc": {"reduction_t": {"VOC": 21.0, "PM2.5": 0.5}}},
    "water": {"sections": {"a": "III", "b": "worse than V"}, "any_worse_than_v": True},
}


def _t(metric: str, comparison: str, value: float, tolerance: float = 0.0, **kw: str) -> Target:
    return Target(
        name=metric.replace(".", "_"),
        metric=metric,
        comparison=comparison,  # type: ignore[arg-type]
        value=value,
        tolerance=tolerance,
        **kw,  # type: ignore[arg-type]
    )


def test_at_most_met_within_band_and_not_met() -> None:
    pm = _t("air.pm25_annual_mean_ug_m3", "<=", 40.0, tolerance=1.0)
    assert evaluate(pm, 39.5) == (MET, 0.5)
    status, margin = evaluate(pm, 40.6)
    assert status == WITHIN
    assert margin == pytest.approx(-0.6)
    assert evaluate(pm, 41.0)[0] == WITHIN  # the edge of the band is inside it
    status, margin = evaluate(pm, 41.5)
    assert status == NOT_MET
    assert margin == pytest.approx(-1.5)


def test_at_least_and_equal() -> None:
    good = _t("air.good_days_ratio", ">=", 0.67)
    assert evaluate(good, 0.67) == (MET, 0.0)
    assert evaluate(good, 0.66)[0] == NOT_MET
    assert evaluate(good, 0.70)[1] == pytest.approx(0.03)
    eq = _t("water.any_worse_than_v", "==", 0.0)
    assert evaluate(eq, 0.0) == (MET, 0.0)
    assert evaluate(eq, 1.0) == (NOT_MET, -1.0)


def test_missing_value_is_not_evaluated_never_met() -> None:
    cod = _t("measures.water.reduction_t.COD", ">=", 50.0)
    card = score_run([cod], SUMMARY)
    assert card.targets[0].status == NOT_EVALUATED
    assert card.targets[0].value is None
    assert card.all_met  # not evaluated does not fail --check-targets
    assert evaluate(cod, float("nan"))[0] == NOT_EVALUATED


def test_lookup_handles_keys_with_dots() -> None:
    assert lookup(SUMMARY, "measures.voc.reduction_t.PM2.5") == 0.5
    assert lookup(SUMMARY, "measures.voc.reduction_t.VOC") == 21.0
    assert lookup(SUMMARY, "measures.voc.cost") is None


def test_scorecard_of_a_hand_made_summary() -> None:
    targets = [
        _t("air.pm25_annual_mean_ug_m3", "<=", 40.0, tolerance=1.0),
        _t("air.good_days_ratio", ">=", 0.67),
        _t("measures.voc.reduction_t.VOC", ">=", 22.0, unit="t"),
        _t("water.sections", "<=", 5.0, reduce="max"),  # worst class: 6 (worse than V)
        _t("water.any_worse_than_v", "==", 0.0),
    ]
    card = score_run(targets, SUMMARY)
    got = {t.metric: (t.status, t.value, t.margin) for t in card.targets}
    assert got["air.pm25_annual_mean_ug_m3"][0] == WITHIN
    assert got["air.good_days_ratio"][0] == MET
    assert got["air.good_days_ratio"][2] == pytest.approx(0.03)
    assert got["measures.voc.reduction_t.VOC"] == (NOT_MET, 21.0, -1.0)
    assert got["water.sections"] == (NOT_MET, 6.0, -1.0)
    assert got["water.any_worse_than_v"] == (NOT_MET, 1.0, -1.0)
    assert not card.all_met
    assert card.not_met == [
        "measures_voc_reduction_t_VOC",
        "water_sections",
        "water_any_worse_than_v",
    ]
    again = Scorecard.from_dict(json.loads(json.dumps(card.to_dict())))
    assert [t.status for t in again.targets] == [t.status for t in card.targets]


def test_shipped_targets_cover_the_plan() -> None:
    baseline = Path(__file__).parents[1] / "scenarios" / "baseline.yaml"
    raw = yaml.safe_load(baseline.read_text(encoding="utf-8"))
    config = TargetsConfig.model_validate(raw["targets"])
    metrics = {t.metric for t in config.items}
    assert len(config.items) == 11
    assert {
        "air.pm25_annual_mean_ug_m3",
        "air.good_days_ratio",
        "measures.voc.reduction_t.VOC",
        "water.share_class_iii_or_better",
        "water.any_worse_than_v",
        "water.outlet_remediation_share",
        "soil.safe_use_rate",
    } <= metrics
    pm = next(t for t in config.items if t.metric == "air.pm25_annual_mean_ug_m3")
    assert (pm.comparison, pm.value, pm.tolerance) == ("<=", 40.0, 1.0)
    for item in raw["targets"]["items"]:  # every threshold carries its source
        assert item["value"]["source"]


def test_duplicate_target_names_are_rejected() -> None:
    t = _t("air.good_days_ratio", ">=", 0.67)
    with pytest.raises(ValueError, match="unique"):
        TargetsConfig(items=(t, t))


@pytest.fixture
def targets_schema() -> Iterator[None]:
    """Until schema.py imports this TargetsConfig, patch the Scenario model to use it (undone)."""
    from sim.scenario import schema

    field = schema.Scenario.model_fields["targets"]
    if field.annotation is TargetsConfig:
        yield
        return
    saved = field.annotation, field.default_factory
    field.annotation, field.default_factory = TargetsConfig, TargetsConfig
    schema.Scenario.model_rebuild(force=True)
    try:
        yield
    finally:
        field.annotation, field.default_factory = saved
        schema.Scenario.model_rebuild(force=True)


def _scenario_file(tmp_path: Path, comparison: str) -> Path:
    text = {
        "extends": str(BASELINE),
        "name": "check",
        "run": {"start": "2024-01-01", "end": "2024-01-03"},
        "targets": {
            "items": [
                {
                    "name": "pm25_emitted",
                    "metric": "total_t.PM2.5",
                    "comparison": comparison,
                    "value": 1.0e6,
                    "unit": "t",
                    "period": "run",  # a total over the run: judged on two days
                },
                {
                    "name": "absent",
                    "metric": "indicators.new_forklifts_nev_share",
                    "comparison": ">=",
                    "value": 1,
                    "period": "run",
                },
            ]
        },
    }
    path = tmp_path / f"check_{'le' if comparison == '<=' else 'ge'}.yaml"
    path.write_text(yaml.safe_dump(text))
    return path


@pytest.mark.usefixtures("targets_schema")
def test_check_targets_exit_codes(tmp_path: Path) -> None:
    from sim.cli import cli

    runner = CliRunner()
    met = _scenario_file(tmp_path, "<=")  # a few tonnes <= 1e6 t: met
    out = tmp_path / "met"
    res = runner.invoke(
        cli, ["run", str(met), "-o", str(out), "--check-targets", "--no-figures", "-q"]
    )
    assert res.exit_code == 0, res.output
    card = json.loads((out / "scorecard.json").read_text())
    assert [t["status"] for t in card["targets"]] == ["met", "not evaluated"]
    assert (out / "report.html").exists()
    assert (out / "dispatch.csv").exists()
    missed = _scenario_file(tmp_path, ">=")
    res = runner.invoke(
        cli,
        ["run", str(missed), "-o", str(tmp_path / "x"), "--check-targets", "--no-figures", "-q"],
    )
    assert res.exit_code == 3
    res = runner.invoke(cli, ["run", str(missed), "-o", str(tmp_path / "y"), "--no-figures", "-q"])
    assert res.exit_code == 0


def _with_alone(pm25: float, alone: float) -> dict[str, object]:
    return {"air": {"pm25_annual_mean_ug_m3": pm25,
                    "district_alone": {"pm25_annual_mean_ug_m3": alone}}}  # fmt: skip


def test_ensemble_scorecard_carries_the_district_alone_median_status_and_probability() -> None:
    from sim.report_text import scorecard_lines
    from sim.targets import score_ensemble

    pm = _t("air.pm25_annual_mean_ug_m3", "<=", 40.0, tolerance=1.0, unit="ug/m3")
    # district alone in 5 members: 39, 40, 40.5, 42, 43 -> median 40.5 (within the band);
    # met (<= 40) in 2 of 5 -> P 0.4
    pairs = [(38.0, 39.0), (39.0, 40.0), (39.5, 40.5), (41.0, 42.0), (42.0, 43.0)]
    card = score_ensemble([pm], [_with_alone(a, b) for a, b in pairs], "hand")
    alone = card.targets[0].district_alone
    assert alone == {"value": 40.5, "status": WITHIN, "probability_met": pytest.approx(0.4)}
    assert card.to_dict()["targets"][0]["district_alone"]["probability_met"] == pytest.approx(0.4)
    lines = scorecard_lines(card, "en")
    assert any(
        "Hongqiao alone (city and region as in the baseline): 40.5 µg/m³, within tolerance"
        " P(met) 40 %" in line for line in lines
    ), lines
    assert "Assumption deciding the air targets" in " ".join(lines)
    # a member without the district-alone value: no district-alone figure at all
    lone = {"air": {"pm25_annual_mean_ug_m3": 39.0}}
    partial = score_ensemble([pm], [_with_alone(38.0, 39.0), lone])
    assert partial.targets[0].district_alone is None
    assert not any("Assumption" in line for line in scorecard_lines(partial, "en"))


def test_the_assumption_deciding_a_target_is_named_beside_its_result() -> None:
    from sim.report_html import scorecard_html
    from sim.report_text import scorecard_lines

    voc = _t("measures.voc.reduction_t.VOC", ">=", 22.0, unit="t",
             decided_by="what counts: the VOC family only", decided_by_zh="统计口径")  # fmt: skip
    card = score_run([voc], SUMMARY)  # 21 t < 22 t
    assert card.targets[0].status == NOT_MET
    assert card.to_dict()["targets"][0]["decided_by"] == "what counts: the VOC family only"
    assert "    Decided by: what counts: the VOC family only" in scorecard_lines(card, "en")
    assert "    决定因素：统计口径" in scorecard_lines(card, "zh")
    assert "<li><b>measures_voc_reduction_t_VOC</b>: what counts: the VOC family only</li>" in (
        scorecard_html(card, "en")
    )
    plain = score_run([_t("measures.voc.reduction_t.VOC", ">=", 22.0)], SUMMARY)
    assert "decided_by" not in plain.to_dict()["targets"][0]
    assert "decided-by" not in scorecard_html(plain, "en")


def test_every_shipped_target_that_rests_on_an_assumption_names_it() -> None:
    import sim
    from sim.targets import scenario_targets

    named = {t.name for t in scenario_targets(sim.load_scenario(BASELINE)) if t.decided_by}
    assert {"pm25_annual_mean", "good_days_ratio", "voc_reduction",
            "sections_class_iii_or_better", "cod_reduction", "nh3n_reduction",
            "construction_land_safe_use"} <= named  # fmt: skip
