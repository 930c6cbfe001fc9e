"""Sampling designs: sizes, bounds, marginals and run seeds."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pytest

from sim.sweep.design import make_design, run_seed, to_values
from sim.sweep.spec import Parameter, SweepSpec


def _spec(method: str, n: int, params: list[dict[str, Any]], **extra: Any) -> SweepSpec:
    return SweepSpec.model_validate(
        {
            "name": "t",
            "scenario_file": "x.yaml",
            "levers": params,
            "design": {"method": method, "n": n, "seed": 11, **extra},
            "outcomes": ["y"],
        }
    )


THREE = [
    {"name": "a", "key": "p.a", "range": [2.0, 5.0]},
    {"name": "b", "key": "p.b", "values": [10, 20, 30]},
    {"name": "c", "key": "p.c", "dist": {"dist": "triangular", "low": 0, "mode": 1, "high": 4}},
]


@pytest.mark.parametrize(
    ("method", "n", "expected_samples"),
    [("lhs", 40, 40), ("mc", 33, 33), ("sobol", 16, 16 * (3 + 2)), ("morris", 6, 6 * (3 + 1))],
)
def test_design_has_the_documented_number_of_samples(
    method: str, n: int, expected_samples: int
) -> None:
    design = make_design(_spec(method, n, THREE))
    assert design.n_samples == expected_samples
    assert design.unit.shape == (expected_samples, 3)


def test_grid_is_the_full_factorial_of_values_and_levels() -> None:
    params = [
        {"name": "a", "key": "p.a", "range": [0, 1], "levels": 3},
        {"name": "b", "key": "p.b", "values": ["x", "y"]},
    ]
    design = make_design(_spec("grid", 1, params))
    assert design.n_samples == 6
    pairs = set(zip(design.values["a"], design.values["b"], strict=True))
    assert pairs == {(a, b) for a in (0.0, 0.5, 1.0) for b in ("x", "y")}


def test_samples_stay_within_their_bounds_and_lists() -> None:
    design = make_design(_spec("lhs", 200, THREE))
    a = np.asarray(design.values["a"])
    assert a.min() >= 2.0
    assert a.max() <= 5.0
    assert set(design.values["b"]) == {10, 20, 30}
    c = np.asarray(design.values["c"])
    assert c.min() >= 0.0
    assert c.max() <= 4.0


def test_latin_hypercube_puts_one_point_in_each_stratum() -> None:
    design = make_design(_spec("lhs", 50, THREE))
    for j in range(3):
        strata = np.floor(design.unit[:, j] * 50).astype(int)
        assert sorted(strata) == list(range(50))


def test_values_list_is_sampled_in_equal_shares() -> None:
    design = make_design(_spec("lhs", 30, THREE))
    counts = {v: design.values["b"].count(v) for v in (10, 20, 30)}
    assert counts == {10: 10, 20: 10, 30: 10}  # LHS strata map 10 to each third


def test_distribution_is_mapped_by_its_quantile_function() -> None:
    p = Parameter.model_validate(
        {"name": "c", "key": "k", "dist": {"dist": "triangular", "low": 0, "mode": 1, "high": 4}}
    )
    # triangular(0, 1, 4): F(1) = (1-0)^2 / ((4-0)(1-0)) = 0.25; median = 4 - sqrt(0.5*4*3)
    values = to_values(p, np.array([0.25, 0.5]))
    assert values[0] == pytest.approx(1.0)
    assert values[1] == pytest.approx(4 - np.sqrt(6.0))


def test_integer_parameters_are_rounded() -> None:
    p = Parameter.model_validate({"name": "n", "key": "k", "range": [0, 10], "integer": True})
    assert to_values(p, np.array([0.0, 0.26, 0.99])) == [0, 3, 10]


def test_sobol_size_not_a_power_of_two_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="sim.sweep.design"):
        make_design(_spec("sobol", 12, THREE))
    assert "not a power of two" in caplog.text


def test_design_is_reproducible_from_its_seed() -> None:
    a = make_design(_spec("lhs", 20, THREE))
    b = make_design(_spec("lhs", 20, THREE))
    np.testing.assert_array_equal(a.unit, b.unit)


def test_run_seeds_are_deterministic_distinct_and_common_on_request() -> None:
    seeds = {run_seed(5, s, r) for s in range(50) for r in range(4)}
    assert len(seeds) == 200
    assert run_seed(5, 3, 1) == run_seed(5, 3, 1)
    assert run_seed(5, 0, 2, common=True) == run_seed(5, 9, 2, common=True)
    assert run_seed(5, 0, 1, common=True) != run_seed(5, 0, 2, common=True)


def test_runs_expand_samples_by_replication() -> None:
    spec = _spec("lhs", 4, THREE)
    design = make_design(spec.model_copy(update={"replications": 3}))
    assert design.n_runs == 12
    sample, rep, _, overrides = design.run(7)
    assert (sample, rep) == (2, 1)
    assert overrides == {
        "p.a": design.values["a"][2],
        "p.b": design.values["b"][2],
        "p.c": design.values["c"][2],
    }
