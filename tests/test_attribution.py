"""Attribution: family reductions equal bundle-minus-baseline; costs per tonne; results wiring."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from _support import tiny_scenario, totals
from sim.attribution import Attribution, attribute, enabled_measures, without_family
from sim.engine import simulate_state
from sim.sources.base import POLLUTANTS

RETIRE = {
    "retire_china3": {
        "start": "2024-01-01",
        "deadline": "2024-02-15",
        "target_fraction": 0.8,
        "subsidy_cny_per_vehicle": 10000,
        "capital_cost_cny": 50000,
    }
}
ALERTS = {
    "emergency_response": {
        "forecast": {"error_sigma": 0.0},
        "thresholds_ug_m3": {"yellow": 40.0, "orange": 50.0, "red": 65.0},
        "actions": [
            {"name": "print", "target": "industrial.printing", "yellow": 0.3, "orange": 0.5,
             "red": 1.0},
        ],
    }
}  # fmt: skip


def test_single_family_bundle_attribution_equals_bundle_minus_baseline() -> None:
    bundle = simulate_state(tiny_scenario(RETIRE, months=2))
    baseline = simulate_state(tiny_scenario(months=2))
    found = attribute(bundle)
    assert found.families == ("vehicles",)
    np.testing.assert_allclose(
        found.reduction_t[0], (totals(baseline) - totals(bundle)) / 1000, rtol=1e-12, atol=1e-15
    )
    assert found.reduction_t[0, POLLUTANTS.index("PM2.5")] > 0
    # monthly: January and February, summing to the total
    assert found.monthly_reduction_t.shape == (1, 2, len(POLLUTANTS))
    np.testing.assert_allclose(found.monthly_reduction_t.sum(axis=1), found.reduction_t)
    # two tranches of 0.8 x 110 / 2 = 44 vehicles, 10,000 CNY each, plus 50,000 CNY capital
    assert found.cost_cny[0] == pytest.approx(88 * 10000 + 50000)


def test_each_family_is_removed_alone_with_the_others_kept() -> None:
    both = tiny_scenario({**RETIRE, **ALERTS}, months=1, industry=True)
    assert enabled_measures(both) == {
        "vehicles": ("retire_china3",),
        "emergency": ("emergency_response",),
    }
    no_vehicles = without_family(both, "vehicles")
    assert no_vehicles.policies.retire_china3 is not None
    assert not no_vehicles.policies.retire_china3.enabled
    assert no_vehicles.policies.emergency_response is not None
    assert no_vehicles.policies.emergency_response.enabled
    state = simulate_state(both)
    found = attribute(state)
    alone = simulate_state(tiny_scenario(ALERTS, industry=True))
    plain = simulate_state(tiny_scenario(industry=True))
    voc = POLLUTANTS.index("VOC")
    # the alerts only touch the printer, whose VOC no vehicle measure changes
    assert found.reduction_t[1, voc] == pytest.approx(
        (totals(plain) - totals(alone))[voc] / 1000, rel=1e-12
    )


def test_cost_per_tonne_is_undefined_where_nothing_is_reduced() -> None:
    found = Attribution(
        families=("a",),
        measures={"a": ("m",)},
        months=pd.DatetimeIndex(["2024-01-01"]),
        reduction_t=np.array([[2.0, 0.0, -1.0, 4.0, 0, 0, 0]]),
        monthly_reduction_t=np.zeros((1, 1, 7)),
        cost_cny=np.array([100.0]),
    )
    per_t = found.cost_per_t[0]
    assert per_t[0] == 50.0
    assert per_t[3] == 25.0
    assert np.isnan(per_t[1])
    assert np.isnan(per_t[2])
    summary = found.summary()["a"]
    assert summary["cost_per_t"]["PM2.5"] == 50.0
    assert summary["cost_per_t"]["PM10"] is None


def test_run_writes_the_measures_section_and_variables(tmp_path: Path) -> None:
    result = sim.run(tiny_scenario(RETIRE, months=2))
    measures = result.summary["measures"]
    assert list(measures) == ["vehicles"]
    assert measures["vehicles"]["cost_cny"] == pytest.approx(930000)
    ds = result.dataset
    assert ds["measure_reduction"].dims == ("family", "pollutant")
    assert ds["measure_monthly_reduction"].dims == ("family", "month", "pollutant")
    retired = ds["progress"].sel(progress_stream="progress.retire_china3.vehicles_retired")
    assert retired.dims == ("day",)
    assert float(retired[0]) == pytest.approx(44.0)
    assert float(retired[-1]) == pytest.approx(88.0)
    assert any("attributable" in line for line in result.extras["lines"])
    assert set(result.events.loc[result.events.process == "retire_china3", "family"]) == {
        "vehicles"
    }
    folder = result.save(tmp_path / "run")
    back = json.loads((folder / "summary.json").read_text())
    assert back["measures"]["vehicles"]["reduction_t"]["PM2.5"] > 0
    loaded = sim.Result.load(folder)
    np.testing.assert_allclose(loaded.dataset["measure_reduction"], ds["measure_reduction"])


def test_run_without_measures_or_with_attribution_off_has_no_measures_section() -> None:
    assert "measures" not in sim.run(tiny_scenario()).summary
    assert "measures" not in sim.run(tiny_scenario(RETIRE), attribution=False).summary
