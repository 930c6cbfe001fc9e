"""The city's hourly emissions: inventory, district profiles and adoption of the measures."""

from __future__ import annotations

import numpy as np
import pytest

from sim.air.city import HOURS_PER_YEAR, city_emissions_kg_h

INV = np.array([[8766.0, 0.0], [0.0, 17532.0]])  # t/yr: 1000 and 2000 kg/h on average


def test_without_district_emissions_the_inventory_is_spread_evenly() -> None:
    out = city_emissions_kg_h(INV, np.zeros((24, 2, 2)))
    np.testing.assert_allclose(out, np.tile([1000.0, 2000.0], (24, 1)))
    assert HOURS_PER_YEAR == 8766.0


def test_district_profile_shapes_the_city_and_keeps_its_mean() -> None:
    base = np.zeros((4, 2, 2))
    base[:, 0, 0] = [1.0, 3.0, 0.0, 0.0]  # mean 1 -> profile 1, 3, 0, 0
    out = city_emissions_kg_h(INV, base)
    np.testing.assert_allclose(out[:, 0], [1000.0, 3000.0, 0.0, 0.0])
    assert out[:, 0].mean() == pytest.approx(1000.0)
    np.testing.assert_allclose(out[:, 1], 2000.0)  # no district profile: flat


@pytest.mark.parametrize(("adoption", "expected"), [(0.0, 1000.0), (0.5, 750.0), (1.0, 500.0)])
def test_adoption_applies_that_share_of_the_districts_relative_change(
    adoption: float, expected: float
) -> None:
    base = np.ones((6, 2, 2))
    with_ = base.copy()
    with_[:, 0, 0] = 0.5  # the district halves sector 0, pollutant 0
    out = city_emissions_kg_h(INV, base, with_, adoption)
    np.testing.assert_allclose(out[:, 0], expected)
    np.testing.assert_allclose(out[:, 1], 2000.0)


def test_explicit_city_changes_multiply() -> None:
    change = np.array([[0.9, 1.0], [1.0, 0.5]])
    out = city_emissions_kg_h(INV, np.zeros((2, 2, 2)), change_factor=change)
    np.testing.assert_allclose(out[0], [900.0, 1000.0])
