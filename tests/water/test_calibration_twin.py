"""Water calibration ready for data: the section-observation CSV format and a twin experiment
(observations made by the model with a known parameter are fitted back to it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.calibration import calibrate
from sim.calibration.fit import Model
from sim.calibration.spec import load_spec
from sim.calibration.water import SECTION_COLUMNS, observation_specs, read_section_observations
from sim.errors import CalibrationError
from sim.outcomes.water import section_mean

BASELINE = Path(__file__).parents[2] / "scenarios" / "baseline.yaml"
PARAM = "water.rivers[north_canal].nh3n_mg_l"


def _spec(tmp_path: Path, observations: list[dict[str, object]], initial: float) -> Path:
    spec = {
        "scenario": str(BASELINE),
        "seeds": [7],
        "outcomes": ["water"],
        "method": "least_squares",
        "max_evaluations": 12,
        "diff_step": 0.01,
        "output": str(tmp_path / "fitted.yaml"),
        "figure": None,
        "parameters": [{"path": PARAM, "initial": initial, "lower": 0.2, "upper": 3.0}],
        "observations": observations,
    }
    path = tmp_path / "water.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def test_bad_rows_give_one_line_errors(tmp_path: Path) -> None:
    f = tmp_path / "obs.csv"
    f.write_text(",".join(SECTION_COLUMNS) + "\nhaihe_sancha,2024-01,2024-01,nh3n,0.6,ug/L,x\n")
    with pytest.raises(CalibrationError, match="row 2: unit must be mg/L"):
        read_section_observations(f)
    f.write_text(",".join(SECTION_COLUMNS) + "\nhaihe_sancha,2024-03,2024-01,nh3n,0.6,mg/L,x\n")
    with pytest.raises(CalibrationError, match="end is before start"):
        read_section_observations(f)


def test_twin_experiment_recovers_the_upstream_nh3n(tmp_path: Path) -> None:
    truth = 1.3
    # the observations: monthly NH3-N at the North Canal outlet from the model at the truth
    unused = {"file": "unused.csv", "period": "year", "columns": {"v": {"observable": "x:y"}}}
    model = Model(load_spec(_spec(tmp_path, [unused], truth)), tmp_path)
    ds = model.datasets(np.array([truth]))[0]
    rows = []
    for m in range(1, 13):
        start = f"2024-{m:02d}-01"
        end = "2025-01-01" if m == 12 else f"2024-{m + 1:02d}-01"
        value = section_mean(ds, start, end, "north_canal_outlet", "nh3n")
        rows.append(f"north_canal_outlet,2024-{m:02d},2024-{m:02d},nh3n,{value:.6f},mg/L,twin")
    obs = tmp_path / "obs.csv"
    obs.write_text(",".join(SECTION_COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    specs = [s.model_dump() for s in observation_specs(obs, tmp_path)]
    assert len(specs) == 1
    result = calibrate(_spec(tmp_path, specs, 0.8), write=False, figure=False)
    assert result.parameters[PARAM] == pytest.approx(truth, rel=2e-3)
    stats = result.statistics["sim.outcomes.water:section_mean"]
    # a perfect fit: NSE 1, RSR 0, PBIAS 0 -> Moriasi "very good"
    assert stats["nse"] == pytest.approx(1.0, abs=1e-3)
    assert stats["rsr"] == pytest.approx(0.0, abs=0.03)
    assert stats["pbias_pct"] == pytest.approx(0.0, abs=0.5)
    assert stats["verdict"] == "Moriasi: very good"
