"""An actor's hourly emissions: inventory × profiles × ramped measures, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from sim.air.actors import (
    ActorChange,
    actor_emissions_kg_h,
    change_factors,
    ramp,
    relative_change,
)


def test_ramp_is_linear_between_start_and_full_and_a_step_when_they_coincide() -> None:
    np.testing.assert_allclose(ramp([0, 10, 15, 20, 30], 10.0, 20.0), [0, 0, 0.5, 1, 1])
    np.testing.assert_allclose(ramp([9, 10, 11], 10.0, 10.0), [0, 1, 1])


def test_flat_profile_spreads_8766_t_as_1000_kg_per_hour() -> None:
    inv = np.zeros((2, 3))
    inv[0, 1] = 8766.0
    inv[1, 2] = 2 * 8766.0
    out = actor_emissions_kg_h(inv, np.ones((5, 2)))
    np.testing.assert_allclose(out, np.tile([0.0, 1000.0, 2000.0], (5, 1)))


def test_measures_on_one_cell_multiply_and_leave_the_others() -> None:
    hours = np.arange(4.0)
    changes = [
        ActorChange(sub_sector=0, pollutant=1, relative_change=-0.5, start_h=1.0, full_h=3.0),
        ActorChange(sub_sector=None, pollutant=1, relative_change=-0.2, start_h=0.0, full_h=0.0),
    ]
    f = change_factors(hours, changes, (2, 3))
    assert f is not None
    # cell (0, 1): (1 - 0.5·r)(0.8) with r = 0, 0, 0.5, 1
    np.testing.assert_allclose(f[:, 0, 1], [0.8, 0.8, 0.75 * 0.8, 0.5 * 0.8])
    np.testing.assert_allclose(f[:, 1, 1], 0.8)
    np.testing.assert_allclose(f[:, :, [0, 2]], 1.0)
    inv = np.full((2, 3), 8766.0)
    out = actor_emissions_kg_h(inv, np.ones((4, 2)), changes, hours)
    np.testing.assert_allclose(out[:, 1], 1000.0 * (f[:, 0, 1] + f[:, 1, 1]))
    np.testing.assert_allclose(out[:, 0], 2000.0)
    # the same as the full table of factors, ΣΣ W·I'·F
    w = np.linspace(0.5, 1.5, 8).reshape(4, 2)
    full = np.einsum("ts,sp,tsp->tp", w, inv * 1000.0 / 8766.0, f)
    np.testing.assert_allclose(actor_emissions_kg_h(inv, w, changes, hours), full, rtol=1e-12)
    assert change_factors(hours, [], (2, 3)) is None


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="relative_change"):
        ActorChange(None, None, -1.5, 0.0, 1.0)
    with pytest.raises(ValueError, match="full_h"):
        ActorChange(None, None, -0.1, 5.0, 1.0)
    with pytest.raises(ValueError, match="inventory_t_yr"):
        actor_emissions_kg_h(-np.ones((1, 1)), np.ones((2, 1)))


def test_relative_change_is_one_where_the_reference_is_zero() -> None:
    np.testing.assert_allclose(relative_change([[2.0, 5.0]], [[4.0, 0.0]]), [[0.5, 1.0]])
