"""The search space: a switched-off measure's intensities are one bundle, whatever their value."""

from __future__ import annotations

import numpy as np

from sim.optimise.levers import decode, encode
from sim.sweep.spec import Parameter

LEVERS = [
    Parameter(name="retire", key="policies.retire_china3.enabled", values=[False, True]),
    Parameter(name="share", key="policies.retire_china3.target_fraction", range=[0.3, 1.0]),
    Parameter(name="days", key="policies.site_dust_control.inspection_interval_days",
              range=[7, 30], integer=True),
]  # fmt: skip


def test_encode_gives_an_index_for_a_list_and_the_range_otherwise() -> None:
    bounds, integral = encode(LEVERS)
    assert bounds == [(0.0, 1.0), (0.3, 1.0), (7.0, 30.0)]
    assert integral.tolist() == [True, False, True]


def test_a_measure_switched_on_takes_its_intensity() -> None:
    overrides, values = decode(LEVERS, np.array([1.0, 0.5, 12.4]))
    assert overrides == {
        "policies.retire_china3.enabled": True,
        "policies.retire_china3.target_fraction": 0.5,
        "policies.site_dust_control.inspection_interval_days": 12,
    }
    assert values == {"retire": True, "share": 0.5, "days": 12}


def test_a_measure_switched_off_leaves_its_intensity_to_the_base() -> None:
    a, values = decode(LEVERS, np.array([0.0, 0.5, 12.0]))
    b, _ = decode(LEVERS, np.array([0.0, 0.9, 12.0]))
    assert a == b == {
        "policies.retire_china3.enabled": False,
        "policies.site_dust_control.inspection_interval_days": 12,
    }
    assert values == {"retire": False, "share": None, "days": 12}
