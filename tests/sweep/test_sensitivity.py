"""Sensitivity indices through the sweep's own design and analysis code, on the Ishigami function.

Published values for a = 7, b = 0.1 (Ishigami & Homma 1990; Saltelli et al. 2008, *Global
Sensitivity Analysis: The Primer*, §4.6): S1 = 0.314, 0.442, 0.0; ST = 0.558, 0.442, 0.244.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.sweep.design import SweepDesign, make_design
from sim.sweep.sensitivity import indices_for
from sim.sweep.spec import SweepSpec
from sim.sweep.targets import met, prim_box, probability_curves

S1 = [0.314, 0.442, 0.0]
ST = [0.558, 0.442, 0.244]


def _ishigami_design(method: str, n: int) -> tuple[SweepDesign, np.ndarray]:
    spec = SweepSpec.model_validate(
        {
            "name": "ishigami",
            "scenario_file": "x.yaml",
            "levers": [
                {"name": f"x{i}", "key": f"f.x{i}", "range": [-np.pi, np.pi]} for i in (1, 2, 3)
            ],
            "design": {"method": method, "n": n, "seed": 2024},
            "outcomes": ["y"],
        }
    )
    design = make_design(spec)
    x1, x2, x3 = (np.asarray(design.values[f"x{i}"]) for i in (1, 2, 3))
    y = np.sin(x1) + 7.0 * np.sin(x2) ** 2 + 0.1 * x3**4 * np.sin(x1)
    return design, y


def test_sobol_indices_of_ishigami_match_published_values() -> None:
    design, y = _ishigami_design("sobol", 1024)
    table = indices_for("sobol", design.unit, y, design.names)["sobol"]
    np.testing.assert_allclose(table["S1"], S1, atol=0.05)
    np.testing.assert_allclose(table["ST"], ST, atol=0.05)


def test_rbd_fast_on_a_latin_hypercube_matches_ishigami_first_order() -> None:
    design, y = _ishigami_design("lhs", 2000)
    table = indices_for("lhs", design.unit, y, design.names)["rbd_fast"]
    np.testing.assert_allclose(table["S1"], S1, atol=0.04)


def test_morris_ranks_ishigami_x3_as_interacting() -> None:
    design, y = _ishigami_design("morris", 60)
    table = indices_for("morris", design.unit, y, design.names)["morris"]
    # x3 acts only through its interaction with x1: its mean effect mu is small against mu*
    assert abs(table.loc["x3", "mu"]) < 0.5 * table.loc["x3", "mu_star"]
    assert table.loc["x3", "sigma"] > 0


def test_met_applies_thresholds_and_keeps_missing_runs_missing() -> None:
    out = met(np.array([1.0, 2.0, 3.0, np.nan]), {"le": 2.0, "gt": 1.0})
    np.testing.assert_array_equal(out, [0.0, 1.0, 0.0, np.nan])


def test_probability_curves_follow_a_step_in_the_lever() -> None:
    x = np.repeat(np.arange(4.0), 10)
    curves = probability_curves({"pace": x}, {"t": (x >= 2).astype(float)})
    assert curves.p_met.tolist() == [0.0, 0.0, 1.0, 1.0]
    assert curves.n_runs.tolist() == [10, 10, 10, 10]


def test_prim_box_finds_the_region_that_meets_the_targets() -> None:
    rng = np.random.default_rng(3)
    x = rng.random((2000, 2))
    success = (x[:, 0] > 0.6) & (x[:, 1] < 0.5)
    box, stats = prim_box(x, success, ["a", "b"])
    assert box.loc[0, "box_low"] == pytest.approx(0.6, abs=0.04)
    assert box.loc[1, "box_high"] == pytest.approx(0.5, abs=0.04)
    assert stats["density"] > 0.9
    assert stats["coverage"] > 0.8
