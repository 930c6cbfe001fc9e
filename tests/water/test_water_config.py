"""Physical bounds of the water section: one-line errors naming the field and the reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sim.scenario import load_scenario
from sim.scenario.sections.water import WaterConfig

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"


def _water() -> dict[str, Any]:
    sc = load_scenario(BASELINE)
    assert sc.water is not None
    return sc.water.model_dump()


def test_the_baseline_water_section_is_within_bounds() -> None:
    WaterConfig.model_validate(_water())


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        (("sewage", "per_capita_l_d"), 5.0, "greater than 10"),  # m³ typed for L
        (("drainage_areas", 0, "slope"), 3.0, "less than or equal to 0.5"),  # per cent for m/m
        (("rivers", 0, "flow_m3_s"), 2e5, "less than or equal to 100000"),
        (("kinetics", "theta_cod"), 0.9, "greater than or equal to 1"),
        (("kinetics", "k_cod_per_d"), {"dist": "uniform", "low": 0.1, "high": 20.0}, "k_cod_per_d"),
        (("rivers", 0, "cod_mg_l"), 900.0, "raw sewage"),
        (("evaporation_mm_d",), (30.0,) * 12, "evaporation_mm_d"),
    ],
)
def test_out_of_bounds_values_are_refused(path: tuple[Any, ...], value: Any, words: str) -> None:
    data = _water()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(ValueError, match=words):
        WaterConfig.model_validate(data)
