"""The air section: inventories addressable with --set, defaults kept, bad values refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import cli
from sim.errors import ScenarioError
from sim.scenario import load_scenario
from sim.scenario.sections.air import CITY_INVENTORY_KT, REGION_INVENTORY_KT

ROOT = Path(__file__).parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"


def test_set_one_inventory_number_keeps_every_other_default() -> None:
    s = load_scenario(BASELINE, ["air.city.inventory[on_road].nox_t=12345",
                                 "air.region.inventory[power].so2_t=7"])  # fmt: skip
    assert s.air is not None
    assert s.air.city.inventory["on_road"].nox_t == 12345.0
    assert s.air.city.inventory["on_road"].voc_t == CITY_INVENTORY_KT["on_road"][4] * 1000.0
    assert s.air.city.inventory["power"].nox_t == CITY_INVENTORY_KT["power"][2] * 1000.0
    assert s.air.region.inventory["power"].so2_t == 7.0
    assert s.air.region.inventory["power"].nox_t == REGION_INVENTORY_KT["power"][2] * 1000.0
    assert len(s.air.city.inventory) == 11


@pytest.mark.parametrize(
    "override",
    [
        "air.city.inventory[on_road].nox_t=-5",
        "air.city.inventory[onroad].nox_t=5",
        "air.region.inventory[power].nox_kt=5",
        "air.city.inventory[power].pm25_t=1e9",
        "air.city.plan_delivery=1.5",
        "air.district.scale[mobile].nox=-1",
    ],
)
def test_bad_inventory_values_fail_with_exit_2(override: str, tmp_path: Path) -> None:
    with pytest.raises(ScenarioError):
        load_scenario(BASELINE, [override])
    result = CliRunner().invoke(
        cli, ["run", str(BASELINE), "-o", str(tmp_path / "out"), "--set", override]
    )
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in result.output


def test_a_measure_ending_before_it_starts_is_refused() -> None:
    bad = ("air.city.measures=[{name: x, relative_change: -0.1, start: 2024-06-01, "
           "full_by: 2024-01-01, source: assumed}]")  # fmt: skip
    with pytest.raises(ScenarioError, match="full_by"):
        load_scenario(BASELINE, [bad])


@pytest.mark.parametrize("actor", ["city", "region"])
def test_two_measures_of_one_actor_with_one_name_are_refused(actor: str) -> None:
    one = ("{name: x, relative_change: -0.1, start: 2024-01-01, full_by: 2024-06-01, "
           "source: assumed}")  # fmt: skip
    with pytest.raises(ScenarioError, match="measure names must be unique"):
        load_scenario(BASELINE, [f"air.{actor}.measures=[{one}, {one}]"])
    single = load_scenario(BASELINE, [f"air.{actor}.measures=[{one}]"])
    assert len(getattr(single.air, actor).measures) == 1


def test_sector_keys_of_the_district_scale_are_the_vocabulary_sectors() -> None:
    import typing

    from sim.scenario.sections.air_actors import Sector
    from sim.scenario.vocabulary import SECTORS

    assert typing.get_args(Sector) == SECTORS


def test_district_scale_multiplies_only_the_named_category_and_pollutant() -> None:
    s = load_scenario(BASELINE, ["air.district.scale[mobile].nox=1.5"])
    assert s.air is not None
    factors = s.air.district.factors()
    assert factors[0] == (1.0, 1.0, 1.5, 1.0, 1.0, 1.0, 1.0)
    assert all(f == (1.0,) * 7 for f in factors[1:])


@pytest.mark.parametrize(
    "file", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name
)
def test_every_top_level_scenario_validates_with_zero_unsourced_inputs(file: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(file), "--provenance"])
    assert result.exit_code == 0, result.output
    assert " 0 unsourced" in result.output.splitlines()[0], result.output.splitlines()[0]


def test_hongqiao_alone_is_plan2024_without_the_city_and_region_measures() -> None:
    plan = load_scenario(ROOT / "scenarios" / "plan2024.yaml")
    alone = load_scenario(ROOT / "scenarios" / "plan2024_hongqiao_alone.yaml")
    assert plan.air is not None
    assert alone.air is not None
    assert len(plan.air.city.measures) == 6
    assert len(plan.air.region.measures) == 3
    assert alone.air.city.measures == ()
    assert alone.air.region.measures == ()
    assert alone.policies == plan.policies
