"""Calibration: a twin experiment, statistics by hand, period mapping, observables, the command."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from sim.calibrate import (
    OBSERVABLES,
    calibrate,
    fit_statistics,
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
    from sim.calibrate import _Model

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
    model = _Model(loaded, tmp_path)
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
    assert resolve_observable("sim.calibrate:no2_mean") is OBSERVABLES["no2_mean"]
    with pytest.raises(CalibrationError):
        resolve_observable("no_such_observable")
    with pytest.raises(CalibrationError):
        resolve_observable("sim.calibrate:nothing_here")


def test_command_reports_statistics_and_bad_files_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: x.yaml\nparameters: []\n")
    res = runner.invoke(cli, ["calibrate", str(bad)])
    assert res.exit_code == 2
    assert "error:" in res.output
