"""Incremental cost-effectiveness against the reference, paired by member: hand calculations."""

from __future__ import annotations

import math
from typing import Any

import pytest

from sim.increments import bundle_economics, increments, p_all_met
from sim.scenario.sections.targets import Target


def member(cost: float, pm25: float, fiscal: float = 0.0, voc: float = 0.0) -> dict[str, Any]:
    return {
        "costs": {"annualised_cost_cny": cost, "fiscal_outlay_cny": fiscal},
        "air": {"pm25_annual_mean_ug_m3": pm25},
        "voc": voc,
    }


def test_two_bundles_by_hand() -> None:
    # reference: 10 CNY/yr in every member; PM2.5 40, 41, 42 (weather differs by member)
    ref = [member(10.0, 40.0), member(10.0, 41.0), member(10.0, 42.0)]
    # the bundle costs 6 more and is 1, 1.5 and 1 µg/m³ cleaner in the same members
    bundle = [member(16.0, 39.0), member(16.0, 39.5), member(16.0, 41.0)]
    found = increments(ref, bundle)
    assert found["incremental_annualised_cost_cny"] == 6.0
    assert found["incremental_pm25_ug_m3"] == -1.0  # median of (−1, −1.5, −1)
    # numpy's linear percentiles of (−1.5, −1, −1): 5 % −1.45, 95 % −1
    assert found["incremental_pm25_p05"] == pytest.approx(-1.45)
    assert found["incremental_pm25_p95"] == pytest.approx(-1.0)
    assert found["incremental_cost_per_ug_m3"] == pytest.approx(6.0)  # 6 CNY / 1 µg/m³
    assert found["incremental_note"] == ""


def test_interval_containing_zero_gives_n_a_with_the_reason() -> None:
    ref = [member(10.0, 40.0), member(10.0, 41.0)]
    bundle = [member(11.0, 39.0), member(11.0, 41.5)]  # −1 and +0.5: the interval holds 0
    found = increments(ref, bundle)
    assert math.isnan(found["incremental_cost_per_ug_m3"])
    assert "contains 0" in found["incremental_note"]
    assert found["incremental_annualised_cost_cny"] == 1.0


def test_dirtier_bundle_and_the_reference_itself_have_no_ratio() -> None:
    ref = [member(10.0, 40.0)]
    assert "higher" in increments(ref, [member(5.0, 41.0)])["incremental_note"]
    same = increments(ref, ref)
    assert same["incremental_note"].startswith("reference")
    assert same["incremental_pm25_ug_m3"] == 0.0


def test_p_all_met_counts_members_meeting_every_target_at_once() -> None:
    pm = Target(name="pm", metric="air.pm25_annual_mean_ug_m3", comparison="<=", value=40.0)
    voc = Target(name="voc", metric="voc", comparison=">=", value=22.0)
    # member 1 meets both; member 2 only PM2.5; member 3 only VOC; member 4 both
    members = [
        member(0, 39, voc=23),
        member(0, 39, voc=20),
        member(0, 41, voc=23),
        member(0, 40, voc=22),
    ]
    assert p_all_met([pm, voc], members) == 0.5
    # each target alone is met in 3 of 4 members, yet both at once only in 2
    assert p_all_met([pm], members) == 0.75


def test_bundle_columns_carry_costs_and_fiscal_outlay() -> None:
    ref = [member(0.0, 45.0)]
    found = bundle_economics(ref, [member(100.0, 44.0, fiscal=300.0)], ())
    assert found["annualised_cost_cny"] == 100.0
    assert found["fiscal_outlay_cny"] == 300.0
    assert found["pm25_ug_m3"] == 44.0
    assert found["incremental_cost_per_ug_m3"] == pytest.approx(100.0)
    assert math.isnan(found["p_all_met"])  # no target evaluated


def _comparison(criterion: str) -> Any:
    import xarray as xr

    from sim.compare import Comparison
    from sim.ensemble import Ensemble
    from sim.scenario.schema import Scenario
    from sim.targets import score_ensemble

    pm = Target(name="pm", metric="air.pm25_annual_mean_ug_m3", comparison="<=", value=40.0)
    members = {
        "ref": [member(0.0, 41.0), member(0.0, 42.0)],
        "cheap": [member(10.0, 40.0), member(10.0, 41.0)],  # 10 CNY/yr for 1 µg/m³
        "clean": [member(100.0, 38.0), member(100.0, 39.0)],  # 100 CNY/yr for 3 µg/m³
    }
    ens = [Ensemble(Scenario(name=n), 1, [1, 2], s, xr.Dataset()) for n, s in members.items()]
    cards = [score_ensemble([pm], e.summaries, e.scenario.name) for e in ens]
    return Comparison(list(members), ens, cards, criterion)


@pytest.mark.parametrize(
    ("criterion", "order"),
    [
        ("cost", ["ref", "cheap", "clean"]),
        ("pm25", ["clean", "cheap", "ref"]),
        # 10 CNY per µg/m³ against 100/3 = 33.3; the reference has no ratio and comes last
        ("cost_per_ug_m3", ["cheap", "clean", "ref"]),
        # all targets met in 2 of 2 members (clean), 1 of 2 (cheap), 0 (ref)
        ("p_all_met", ["clean", "cheap", "ref"]),
    ],
)
def test_bundles_rank_by_cost_pm25_cost_per_ug_and_p_all_met(
    criterion: str, order: list[str]
) -> None:
    table = _comparison(criterion).bundles_table()
    assert list(table["bundle"]) == order
    row = table.set_index("bundle").loc["clean"]
    assert row["incremental_cost_per_ug_m3"] == pytest.approx(100.0 / 3.0)
    assert row["incremental_pm25_ug_m3"] == pytest.approx(-3.0)


def test_compare_applies_set_to_every_bundle(tmp_path: Any) -> None:
    import yaml
    from policies import tiny_scenario

    from sim.compare import compare

    files = []
    for name, policies in (("a", {}), ("b", {"forklift_electric": {"start": "2024-01-01"}})):
        raw = tiny_scenario(policies).raw
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump({**raw, "name": name}))
        files.append(path)
    found = compare(files, jobs=1, attribution=False, overrides=["run.end=2024-01-15"])
    assert [str(e.scenario.run.end)[:10] for e in found.ensembles] == ["2024-01-15"] * 2


def test_compare_cost_per_tonne_charges_only_the_extra_cost() -> None:
    import xarray as xr

    from sim.compare import Comparison
    from sim.ensemble import Ensemble
    from sim.scenario.schema import Scenario

    def s(cost: float, pm_t: float) -> dict[str, Any]:
        return {**member(cost, 40.0), "total_t": {"PM2.5": pm_t}, "measure_costs_cny": {"m": cost}}

    # the plan costs 1,000 CNY/yr; a variant 50 more for 0.5 t less PM2.5: 100 CNY per t,
    # not the whole 1,050 over 0.5 t
    ens = [
        Ensemble(Scenario(name="plan"), 1, [1], [s(1000.0, 10.0)], xr.Dataset()),
        Ensemble(Scenario(name="variant"), 1, [1], [s(1050.0, 9.5)], xr.Dataset()),
    ]
    cards = [score_card(e) for e in ens]
    table = Comparison(["plan", "variant"], ens, cards, "cost").bundles_table().set_index("bundle")
    assert table.loc["variant", "cost_per_t_PM2.5"] == pytest.approx(100.0)


def score_card(ens: Any) -> Any:
    from sim.targets import score_ensemble

    return score_ensemble([], ens.summaries, ens.scenario.name)
