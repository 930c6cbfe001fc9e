"""Calibration: a twin experiment, statistics by hand, period mapping, observables, the command."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from click.testing import CliRunner

from sim.calibration import (
    OBSERVABLES,
    calibrate,
    exceedance_ratio,
    fit_statistics,
    good_days_ratio,
    heavy_days,
    load_spec,
    read_observations,
    resolve_observable,
)
from sim.cli import cli
from sim.errors import CalibrationError

ROOT = Path(__file__).parents[1]
TRUE = {"air.region.pm25_ug_m3": 20.0, "air.chemistry.hox_production_ppb_h": 5.0}


def _twin(tmp_path: Path) -> Path:
    """A June scenario, observations simulated with TRUE, a calibration file from 10 and 2."""
    scenario = {
        "extends": str(ROOT / "scenarios" / "baseline.yaml"),
        "name": "twin",
        "run": {"start": "2024-06-01", "end": "2024-07-01"},
    }
    (tmp_path / "twin.yaml").write_text(yaml.safe_dump(scenario))
    from sim.calibration.fit import Model

    spec = {
        "scenario": "twin.yaml",
        "seeds": [7],
        "parameters": [
            {"path": "air.region.pm25_ug_m3", "initial": 10.0, "lower": 2.0, "upper": 40.0},
            {"path": "air.chemistry.hox_production_ppb_h", "initial": 2.0, "lower": 0.5,
             "upper": 10.0},
        ],
        "observations": [{
            "file": "obs.csv", "period": "month",
            "columns": {"pm25": {"observable": "pm25_mean", "sigma_rel": 0.1},
                        "o3": {"observable": "o3_8h_p90", "sigma_rel": 0.1}},
        }],
        "max_evaluations": 60,
        "output": "fitted/twin.yaml",
        "figure": "fitted/twin.png",
    }  # fmt: skip
    (tmp_path / "obs.csv").write_text("year,month,pm25,o3\n2022,6,1,1\n")
    (tmp_path / "cal.yaml").write_text(yaml.safe_dump(spec))
    loaded = load_spec(tmp_path / "cal.yaml")
    model = Model(loaded, tmp_path)
    obs = read_observations(loaded, tmp_path, 2024)
    values = model.simulate(np.array(list(TRUE.values())), obs)
    by = {(o.label, o.column): v for o, v in zip(obs, values, strict=True)}
    rows = ["year,month,pm25,o3"] + [
        f"2022,{m},{by[(f'2022-0{m}', 'pm25')]},{by[(f'2022-0{m}', 'o3')]}" for m in (6,)
    ]
    (tmp_path / "obs.csv").write_text("\n".join(rows) + "\n")
    return tmp_path / "cal.yaml"


def test_twin_experiment_recovers_the_known_parameters(tmp_path: Path) -> None:
    result = calibrate(_twin(tmp_path))
    for name, value in TRUE.items():
        assert result.parameters[name] == pytest.approx(value, rel=0.02), name
    assert result.cost < 1e-3
    assert result.statistics["pm25_mean"]["verdict"] == "meets goal"
    fitted = yaml.safe_load(result.output.read_text())
    assert fitted["parameters"]["air.region.pm25_ug_m3"]["lower"] == 2.0
    assert len(fitted["data_used"]) == 2
    assert result.figure is not None
    assert result.figure.stat().st_size > 0


def test_fit_statistics_by_hand() -> None:
    # O = 10, 20, 30; M = 12, 18, 33: NMB = 3/60 = 0.05, NME = 7/60 = 0.1167,
    # r = 210 / (sqrt(200)·sqrt(234)) = 0.9707 -> meets the PM goal (±10 %, 35 %, > 0.70)
    st = fit_statistics(np.array([10.0, 20.0, 30.0]), np.array([12.0, 18.0, 33.0]), "pm25_mean")
    assert st["nmb"] == pytest.approx(0.05)
    assert st["nme"] == pytest.approx(0.1167, abs=1e-4)
    assert st["r"] == pytest.approx(0.971, abs=1e-3)
    assert st["verdict"] == "meets goal"
    # O3: NMB +20 % fails even the criterion (±15 %)
    o3 = fit_statistics(np.array([100.0, 200.0]), np.array([120.0, 240.0]), "o3_8h_p90")
    assert o3["verdict"] == "fails criterion"
    assert fit_statistics(np.array([1.0]), np.array([1.0]), "good_days_ratio")["verdict"] == (
        "no benchmark"
    )


def test_observed_periods_map_onto_the_same_months_of_the_simulated_year() -> None:
    spec = load_spec(ROOT / "calibration" / "air.yaml")
    obs = read_observations(spec, ROOT / "calibration", 2024)
    h1 = [o for o in obs if o.label == "2022-H1" and o.observable == "pm25_mean"]
    assert len(h1) == 1
    assert (h1[0].start.isoformat(), h1[0].end.isoformat()) == ("2024-01-01", "2024-07-01")
    assert h1[0].observed == 38.0
    assert not [o for o in obs if o.label.startswith("2018")]  # years [2020, 2024] only
    ratios = [o.observed for o in obs if o.observable == "good_days_ratio"]
    assert max(ratios) <= 1.0  # per cent scaled to a fraction


def test_observables_resolve_by_name_or_import_path() -> None:
    assert resolve_observable("pm25_mean") is OBSERVABLES["pm25_mean"]
    assert resolve_observable("sim.calibration:no2_mean") is OBSERVABLES["no2_mean"]
    with pytest.raises(CalibrationError):
        resolve_observable("no_such_observable")
    with pytest.raises(CalibrationError):
        resolve_observable("sim.calibration:nothing_here")


def test_command_reports_statistics_and_bad_files_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: x.yaml\nparameters: []\n")
    res = runner.invoke(cli, ["calibrate", str(bad)])
    assert res.exit_code == 2
    assert "error:" in res.output


def _daily_dataset(daily: list[list[float]], aqi_values: list[float]) -> xr.Dataset:
    """A hand-made results Dataset: daily concentrations (PM2.5 ... O3 MDA8) and AQI."""
    days = pd.date_range("2024-01-01", periods=len(aqi_values), freq="D")
    return xr.Dataset(
        {
            "daily_concentration": (("day", "air_pollutant"), np.array(daily, dtype=float)),
            "aqi": (("day",), np.array(aqi_values, dtype=float)),
        },
        coords={"day": days, "air_pollutant": ["PM2.5", "PM10", "SO2", "NO2", "CO", "O3"]},
    )


def test_heavy_days_counts_days_above_aqi_200_within_the_period() -> None:
    # AQI 50, 201, 250, 200 (not heavy: 201-300 is), 300, missing; in Jan 1-6
    ds = _daily_dataset([[10, 20, 5, 20, 500, 80]] * 6, [50, 201, 250, 200, 300, np.nan])
    assert heavy_days(ds, date(2024, 1, 1), date(2024, 1, 7)) == 3.0
    assert heavy_days(ds, date(2024, 1, 3), date(2024, 1, 5)) == 1.0  # Jan 3-4: 250, 200
    assert "heavy_days" in OBSERVABLES


def test_exceedance_ratio_is_one_at_the_breakpoint_of_the_level() -> None:
    # HJ 633 Table 1: IAQI 200 at PM2.5 150, O3-8h 265, CO 24 mg/m³; IAQI 100 at 75 and 160
    daily = np.array([[150.0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 265.0], [0, 0, 0, 0, 24000.0, 0]])
    np.testing.assert_allclose(exceedance_ratio(daily, 200.0), 1.0)
    np.testing.assert_allclose(exceedance_ratio(np.array([[60.0, 0, 0, 0, 0, 200.0]]), 100.0),
                               200.0 / 160.0)  # fmt: skip


def test_soft_day_counts_weigh_each_day_logistically_and_tend_to_the_exact_count() -> None:
    # PM2.5 150 (r = 1: weight 1/2), 300 (r = 2), 30 (r = 0.2); O3 low
    ds = _daily_dataset([[150, 0, 0, 0, 0, 50], [300, 0, 0, 0, 0, 50], [30, 0, 0, 0, 0, 50]],
                        [200, 350, 43])  # fmt: skip
    start, end = date(2024, 1, 1), date(2024, 1, 4)
    w = 1.0 / (1.0 + np.exp(-1.0 / 0.1))  # r = 2 at soft 0.1
    assert heavy_days(ds, start, end, soft=0.1) == pytest.approx(0.5 + w + 1 / (1 + np.exp(8)))
    assert heavy_days(ds, start, end, soft=1e-4) == pytest.approx(1.5, abs=1e-6)
    assert heavy_days(ds, start, end) == 1.0
    # good days: AQI <= 100 <=> r(100) <= 1; PM2.5 150 and 300 are not good, 30 is
    assert good_days_ratio(ds, start, end) == pytest.approx(1 / 3)
    assert good_days_ratio(ds, start, end, soft=1e-4) == pytest.approx(1 / 3, abs=1e-6)


def test_sim_calibrate_is_the_calibration_function() -> None:
    import sim
    import sim.calibration as package

    assert sim.calibrate is package.calibrate


def test_hydrology_statistics_by_hand() -> None:
    from sim.calibration.output import hydrology_statistics

    observed = np.array([2.0, 4.0, 6.0, 8.0])  # mean 5, spread 20
    simulated = np.array([2.5, 3.5, 6.5, 7.0])  # errors -0.5, 0.5, -0.5, 1.0: SSE 1.75
    stats = hydrology_statistics(observed, simulated)
    assert stats["nse"] == pytest.approx(1 - 1.75 / 20, abs=1e-4)
    assert stats["rsr"] == pytest.approx((1.75 / 20) ** 0.5, abs=1e-4)
    assert stats["pbias_pct"] == pytest.approx(100 * 0.5 / 20, abs=1e-3)  # 2.5 %: very good
    assert stats["moriasi"] == "very good"
    biased = hydrology_statistics(observed, observed * 0.8)  # PBIAS 20 %: not good for flow
    assert biased["pbias_pct"] == pytest.approx(20.0)
    assert biased["moriasi"] == "satisfactory"
    assert hydrology_statistics(observed, observed * 0.8, nutrient=True)["moriasi"] == "very good"
