"""Costs: annuities against their definition and published tables; transfers kept out."""

from __future__ import annotations

import pytest
from policies import tiny_scenario

from sim.costs import (
    DISCOUNT_RATE,
    MeasureCosts,
    annualised_cost,
    capital_recovery_factor,
    costs_summary,
)
from sim.engine import simulate_state


@pytest.mark.parametrize(
    ("rate", "years", "table"),
    [(0.08, 10, 0.14903), (0.05, 20, 0.08024), (0.08, 5, 0.25046), (0.06, 50, 0.06344)],
)
def test_crf_matches_published_annuity_tables(rate: float, years: int, table: float) -> None:
    # standard compound-interest tables (capital recovery factor A/P, 4-5 decimals)
    assert capital_recovery_factor(rate, years) == pytest.approx(table, abs=6e-6)


@pytest.mark.parametrize(
    ("capital", "rate", "years"), [(1e6, 0.08, 10), (2.3e8, 0.08, 50), (5e4, 0.05, 3)]
)
def test_annuity_repays_the_capital_at_present_value(
    capital: float, rate: float, years: int
) -> None:
    # C over L years at r costs C·r/(1−(1+r)^−L) a year: the payments discounted at r sum to C
    payment = annualised_cost(capital, 0.0, rate, years)
    present = sum(payment / (1 + rate) ** t for t in range(1, years + 1))
    assert present == pytest.approx(capital, rel=1e-12)
    assert payment == pytest.approx(capital * rate / (1 - (1 + rate) ** -years), rel=1e-12)


def test_zero_rate_is_straight_line_and_operating_adds() -> None:
    assert annualised_cost(1000.0, 50.0, 0.0, 4) == pytest.approx(300.0)
    with pytest.raises(ValueError, match="years"):
        capital_recovery_factor(0.08, 0)


def test_transfers_are_fiscal_outlay_not_resource_cost() -> None:
    only_subsidy = MeasureCosts("retire_china3", 0.0, 0.0, 1_000_000.0, 1.0)
    assert only_subsidy.annualised_cny() == 0.0
    assert only_subsidy.fiscal_outlay_cny == 1_000_000.0
    assert only_subsidy.booked_cny == 1_000_000.0


def test_part_year_operating_cost_is_scaled_to_a_full_year() -> None:
    half = MeasureCosts("road_cleaning", 0.0, 100.0, 0.0, 0.5)
    assert half.annualised_cny() == pytest.approx(200.0)
    assert half.fiscal_outlay_cny == pytest.approx(100.0)  # public, cash spent in the run


def test_retirement_subsidy_by_class_is_a_transfer_and_residual_value_the_cost() -> None:
    retire = {
        "retire_china3": {
            "start": "2024-01-01",
            "deadline": "2024-02-15",
            "target_fraction": 0.8,
            "subsidy_cny_by_class": {"car": 20000, "heavy_truck": 100000},
            "residual_value_cny_by_class": {"car": 8000},
        }
    }
    state = simulate_state(tiny_scenario(retire, months=2))
    found = costs_summary(state)
    # eligible: 100 China III cars and 10 China III heavy trucks; 80 % retired = 80 + 8
    assert found["transfers_cny"] == pytest.approx(80 * 20000 + 8 * 100000)
    assert found["fiscal_outlay_cny"] == pytest.approx(80 * 20000 + 8 * 100000)
    # residual value over the 5 years brought forward at 8 %: CRF(8 %, 5) = 0.25046 (tables)
    assert found["annualised_cost_cny"] == pytest.approx(80 * 8000 * 0.25046, rel=1e-4)
    assert found["booked_cny"] == pytest.approx(80 * 20000 + 8 * 100000 + 80 * 8000)
    assert found["discount_rate"] == DISCOUNT_RATE
