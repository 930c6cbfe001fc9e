"""Water measures: separation removes CSOs, remediation removes dry-weather discharge, no-ops."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.engine import simulate_state
from sim.outcomes.water import compute
from sim.outcomes.water_model import simulate_water, state_series
from sim.scenario import load_scenario
from sim.streams import rng_for

WATER = Path(__file__).parents[2] / "scenarios" / "baseline.yaml"
SHORT = {"run.start": "2024-06-01", "run.end": "2024-09-01"}


def _run(overrides: dict[str, Any]) -> Any:
    sc = load_scenario(WATER, {**SHORT, **overrides})
    state = simulate_state(sc)
    series, cleared = state_series(state)
    assert sc.water is not None
    run = simulate_water(
        sc.water,
        state.calendar,
        state.weather,
        series,
        cleared,
        rng_for(state.seed, "water.parameters"),
    )
    return state, run


@pytest.fixture(scope="module")
def baseline() -> Any:
    return _run({})


def test_year_water_and_pollutant_balance_closes_to_1e9(baseline: Any) -> None:
    _, run = baseline
    d = run.drainage
    paths = ("overflow", "rain_outlet", "cross_connection", "to_plant", "tank_return")
    v = sum(d.water_m3[p].sum() for p in paths) + d.storage_m3[-1].sum()
    assert v == pytest.approx(d.inflow_m3.sum(), rel=1e-9)
    m = sum(d.load_kg[p].sum(axis=(0, 1)) for p in paths) + d.storage_kg[-1].sum(axis=0)
    np.testing.assert_allclose(m, d.inflow_kg.sum(axis=(0, 1)), rtol=1e-9)
    plant_kg = sum(d.plant_kg[p].sum(axis=0) for p in ("effluent", "bypass", "removed"))
    into_plant = (d.load_kg["to_plant"] + d.load_kg["tank_return"]).sum(axis=(0, 1))
    np.testing.assert_allclose(plant_kg, into_plant, rtol=1e-9)
    assert d.water_m3["overflow"].sum() > 0.0  # the baseline has CSOs to remove


def test_separating_all_combined_area_at_start_removes_every_cso() -> None:
    projects = [
        {
            "name": n,
            "area": n,
            "share": 1.0,
            "start": "2024-01-01",
            "duration_days": 0.0,
            "stages": 1,
        }
        for n in ("sancha_old_city", "south_canal_west")
    ]
    _, run = _run(
        {
            "policies.rain_sewage_separation": {
                "start": "2024-01-01",
                "crews": 2,
                "projects": projects,
            }
        }
    )
    assert run.drainage.water_m3["overflow"].sum() == 0.0


def test_remediating_every_outlet_removes_all_dry_weather_discharge() -> None:
    sc = load_scenario(WATER, SHORT)
    assert sc.water is not None
    total = sum(a.outlets for a in sc.water.drainage_areas)
    state, run = _run(
        {
            "policies.outlet_remediation": {
                "start": "2024-01-01",
                "target_share": 1.0,
                "outlets_per_month": 1e7,
            }
        }
    )
    rem = state.ledger.current("water.outlets_remediated")
    assert rem.sum() == total
    # the listed outlets' own dry-weather sewage stops too (after the first hour)
    assert run.outlets.direct_m3[1:].sum() == 0.0
    assert _run({})[1].outlets.direct_m3.sum() > 0.0
    dry = ~run.drainage.wet
    dry[0] = False  # every outlet is remediated within the first hour (a Poisson stream)
    assert run.drainage.water_m3["cross_connection"][dry].sum() == 0.0
    assert run.drainage.water_m3["rain_outlet"][dry].sum() == 0.0
    base = _run({})[1].drainage
    assert base.water_m3["cross_connection"][~base.wet].sum() > 0.0


def test_disabled_measure_leaves_the_baseline_identical(baseline: Any) -> None:
    state0, run0 = baseline
    state1, run1 = _run({"policies.outlet_remediation": {"enabled": False}})
    assert state1.ledger.events == state0.ledger.events
    for p, v in run0.drainage.water_m3.items():
        np.testing.assert_array_equal(run1.drainage.water_m3[p], v)
    np.testing.assert_array_equal(run1.section_mg_l, run0.section_mg_l)


def test_outcome_summary_has_loads_for_attribution(baseline: Any) -> None:
    state, _ = baseline
    s = compute(state).summary
    assert {"cod_load_t", "nh3n_load_t", "sections", "share_class_iii_or_better"} <= set(s)
    assert s["cod_load_t"] > 0.0


def test_loads_to_rivers_include_the_plant_bypass_and_it_is_reported(baseline: Any) -> None:
    # plant outside the modelled rivers: COD to rivers = overflow + rain outlets +
    # cross-connections + the bypass (effluent not counted) + the listed outlets' dry-weather
    # sewage (issue 16), summed independently here
    from sim.outcomes.water import build_outcome

    state, run = baseline
    d = run.drainage
    paths = ("overflow", "rain_outlet", "cross_connection")
    cod_kg = sum(d.load_kg[p][..., 0].sum() for p in paths) + d.plant_kg["bypass"][:, 0].sum()
    direct_kg = run.outlets.direct_kg[..., 0].sum()
    # the outlets table's "after" column is what the outlets send: the same load
    assert run.outlets.table["cod_after_t"].sum() == pytest.approx(direct_kg / 1e3, rel=1e-6)
    cod_kg += direct_kg
    summary = build_outcome(run, state).summary
    assert summary["cod_load_t"] == pytest.approx(cod_kg / 1e3, abs=1e-4)
    assert summary["plant_bypass_cod_t"] == pytest.approx(
        d.plant_kg["bypass"][:, 0].sum() / 1e3, abs=1e-4
    )
    assert summary["plant_bypass_nh3n_t"] == pytest.approx(
        d.plant_kg["bypass"][:, 2].sum() / 1e3, abs=1e-4
    )
    assert summary["plant_bypass_cod_t"] > 0.0  # the plant (1.3 × dry-weather flow) overflows
    # the areas' shares of the bypass add up to the plant's
    np.testing.assert_allclose(d.bypass_kg.sum(axis=1), d.plant_kg["bypass"], rtol=1e-12)


def test_a_nan_section_concentration_fails_the_outcome_with_exit_code_4(baseline: Any) -> None:
    from dataclasses import replace

    from sim.outcomes.water import WaterResultInvalid, build_outcome

    state, run = baseline
    bad = run.section_mg_l.copy()
    bad[10, 0, 3] = np.nan
    with pytest.raises(WaterResultInvalid) as err:
        build_outcome(replace(run, section_mg_l=bad), state)
    assert err.value.exit_code == 4


def test_work_end_skips_paused_months_by_hand() -> None:
    from sim.policies.water import work_end_h

    # hours of January (744) then February (696) then March (744)
    month = np.repeat([1, 2, 3], [744, 696, 744])
    # no pause: plain addition
    assert work_end_h(month, 5.5, 10.0, []) == pytest.approx(15.5)
    # January paused: 10 h of work started on 1 Jan end 10 h into February
    assert work_end_h(month, 0.0, 10.0, [1]) == pytest.approx(744 + 10)
    # started at hour 740.5 of January with February paused: 3.5 h in January, 6.5 in March
    assert work_end_h(month, 740.5, 10.0, [2]) == pytest.approx(744 + 696 + 6.5)
    # beyond the run's end every hour counts: 100 h from 2,180 with March paused
    assert work_end_h(month, 2180.0, 100.0, [3]) == pytest.approx(2184 + 100)


def test_separation_books_capital_by_stage_and_pauses_in_paused_months() -> None:
    # run 1 Jun - 1 Sep; 40 d of work in 2 stages from 1 Jun, July paused: stage 1 done after
    # 20 d (21 Jun, hour 480); stage 2 works 21-30 Jun (10 d), waits through July, and ends 10 d
    # into August: hour (30 + 31 + 10) x 24 = 1,704. Each stage books half of 1 M CNY.
    project = {
        "name": "p", "area": "sancha_old_city", "share": 1.0, "start": "2024-06-01",
        "duration_days": 40.0, "stages": 2, "capital_cny": 1e6,
    }  # fmt: skip
    state, _ = _run(
        {
            "policies.rain_sewage_separation": {
                "start": "2024-06-01", "crews": 1, "projects": [project], "pause_months": [7],
            }
        }
    )  # fmt: skip
    ev = state.ledger.events
    costs = [
        (e.time_h, e.quantities["capital_cny"])
        for e in ev
        if e.process == "rain_sewage_separation" and e.kind == "cost" and e.subject
    ]
    assert costs == [(pytest.approx(480.0), 5e5), (pytest.approx(1704.0), 5e5)]
