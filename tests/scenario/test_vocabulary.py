"""One vocabulary: every pollutant and sector list in sim is the one of sim.scenario.vocabulary.

Copies still held by modules other issues own are compared here so that they cannot drift until
they import the vocabulary themselves.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sim.scenario import vocabulary as v

REPO = Path(__file__).resolve().parents[2]


def test_the_vocabulary_holds_the_plans_names_and_units() -> None:
    assert v.POLLUTANTS == ("PM2.5", "PM10", "NOx", "SO2", "VOC", "CO", "NH3")
    assert v.SECTORS == ("mobile", "industrial", "coal", "dust", "household")
    assert v.AIR_POLLUTANTS == ("PM2.5", "PM10", "SO2", "NO2", "CO", "O3")  # HJ 633-2012 order
    assert v.WATER_POLLUTANTS == ("cod", "nh3n", "tp")
    assert v.KG_PER_T == 1000.0
    assert v.HOURS_PER_YEAR == 8766.0  # 365.25 d x 24 h
    assert v.HOURS_PER_MONTH == 730.5
    assert v.HEAVY_POLLUTION_AQI == 200.0  # HJ 633-2012 Table 2: level V from 201


def test_sources_and_policies_use_the_vocabulary_objects_themselves() -> None:
    from sim.calibration.observables import HEAVY_AQI
    from sim.policies.voc import HOURS_PER_YEAR
    from sim.sources.base import POLLUTANTS, SECTORS

    assert POLLUTANTS is v.POLLUTANTS
    assert SECTORS is v.SECTORS
    assert HOURS_PER_YEAR is v.HOURS_PER_YEAR
    assert HEAVY_AQI is v.HEAVY_POLLUTION_AQI


def _tuple_constant(path: Path, name: str) -> tuple[str, ...] | None:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == name and node.value is not None:
            value = ast.literal_eval(node.value)
            return tuple(value) if isinstance(value, tuple) else None
    return None


def test_remaining_copies_in_other_modules_equal_the_vocabulary() -> None:
    copies = {
        # (file, name): the vocabulary entry it must equal. Remove a line when its copy is gone.
        ("sim/scenario/sections/air.py", "_POLLUTANTS"): v.POLLUTANTS,  # #12 (air)
        ("sim/scenario/sections/air.py", "_SECTORS"): v.SECTORS,  # #12 (air)
        ("sim/air/response.py", "AIR_POLLUTANTS"): v.AIR_POLLUTANTS,  # #12 (air)
        ("sim/water/sewage.py", "POLLUTANTS"): v.WATER_POLLUTANTS,  # #13 (water)
    }
    for (file, name), expected in copies.items():
        found = _tuple_constant(REPO / file, name)
        if found is not None:  # the copy was replaced by an import: nothing left to compare
            assert found == expected, f"{file}:{name} = {found} differs from the vocabulary"
