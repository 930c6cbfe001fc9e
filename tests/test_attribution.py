"""Attribution: family reductions equal bundle-minus-baseline; costs per tonne; results wiring."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from _support import PLAN2024, tiny_scenario, totals
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


FORKLIFTS = {"forklift_electric": {"start": "2024-01-01", "replacement_per_year": 0.5}}


def test_measures_alone_add_up_to_an_independent_family_and_report_their_costs() -> None:
    state = simulate_state(tiny_scenario({**RETIRE, **FORKLIFTS}, months=2))
    vehicles = attribute(state).summary()["vehicles"]
    alone = vehicles["by_measure"]
    assert set(alone) == {"retire_china3", "forklift_electric"}
    fields = {"annualised_cost_cny", "fiscal_outlay_cny", "reduction_t", "full_year_reduction_t",
              "pm25_ug_m3", "cost_per_t", "cost_per_ug_m3"}  # fmt: skip
    assert fields <= set(alone["retire_china3"])
    # the two act on different streams (road fleet, forklifts): nothing left for interaction
    for p in POLLUTANTS:
        total = (
            alone["retire_china3"]["reduction_t"][p] + alone["forklift_electric"]["reduction_t"][p]
        )
        # summary figures are rounded to 1e-6 t
        assert vehicles["interaction_t"][p] == pytest.approx(
            vehicles["reduction_t"][p] - total, abs=2e-6
        )
        assert vehicles["interaction_t"][p] == pytest.approx(0.0, abs=2e-6)
    # 88 vehicles x 10,000 CNY of subsidy are a transfer: fiscal outlay, not resource cost;
    # the 50,000 CNY capital over 5 years at 8 % is 50,000 x 0.25046 (annuity tables) a year
    retire = alone["retire_china3"]
    assert retire["fiscal_outlay_cny"] == pytest.approx(880_000)
    assert retire["annualised_cost_cny"] == pytest.approx(50_000 * 0.25046, rel=1e-4)
    nox = retire["full_year_reduction_t"]["NOx"]
    assert retire["cost_per_t"]["NOx"] == pytest.approx(retire["annualised_cost_cny"] / nox)


def test_full_year_reduction_applies_the_last_months_rate_to_the_whole_period() -> None:
    # retirement done by 1 February; flat hourly profiles, no temperature correction: the
    # full-period effect is February's hourly reduction times all 1,440 hours of Jan-Feb 2024
    found = attribute(simulate_state(tiny_scenario(RETIRE, months=2)), per_measure=False)
    february_per_hour = found.monthly_reduction_t[0, 1] / (29 * 24)
    assert found.full_year_reduction_t is not None
    np.testing.assert_allclose(found.full_year_reduction_t[0], february_per_hour * 1440, rtol=1e-9)
    nox = POLLUTANTS.index("NOx")
    assert found.full_year_reduction_t[0, nox] > found.reduction_t[0, nox]


def _rel_diff(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> float:
    assert set(a) == set(b)
    return max(float(np.abs(a[k] - b[k]).max() / max(np.abs(b[k]).max(), 1e-300)) for k in b)


def test_recombined_family_counterfactuals_equal_resimulating_without_the_family() -> None:
    """The oracle is the former method: the scenario simulated again without the family."""
    from sim.attribution import family_counterfactual
    from sim.outcomes.air import forecast_daily_pm25

    scenario = sim.load_scenario(PLAN2024)
    state = simulate_state(scenario, pm25_forecast=forecast_daily_pm25)
    without = state.without_measures()
    assert len(enabled_measures(scenario)) >= 6
    for family in enabled_measures(scenario):
        found = family_counterfactual(state, family, without)
        rerun = simulate_state(
            without_family(scenario, family), seed=state.seed, pm25_forecast=forecast_daily_pm25
        )
        assert _rel_diff(found, rerun.source_emissions) <= 1e-9, family


def test_measures_acting_through_source_events_recombined_equal_resimulating_them_away() -> None:
    """Open-burning patrols and re-burning prevention act on a source's own random events."""
    from sim.measure_effects import _without

    scenario = sim.load_scenario(PLAN2024)
    state = simulate_state(scenario)
    without = state.without_measures()
    for measure in ("open_burning_patrol", "reburning_prevention"):
        cfg = getattr(scenario.policies, measure).model_copy(update={"enabled": False})
        off = scenario.model_copy(
            update={"policies": scenario.policies.model_copy(update={measure: cfg})}
        )
        rerun = simulate_state(off, seed=state.seed).source_emissions
        assert _rel_diff(dict(_without(state, measure, without)), rerun) <= 1e-9, measure
