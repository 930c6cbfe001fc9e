"""Properties of the response: never negative, monotone in primary emissions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.air.response import AirParams, BoxGeometry, MetArrays, air_response

N = 48
_PARAMS = AirParams(district=BoxGeometry(21.3e6, 5000.0), city=BoxGeometry(1.2e10, 1.1e5))

_emissions = arrays(np.float64, (N, 7), elements=st.floats(0, 500))
_met = st.builds(
    lambda u, h, t, rh, s, r: MetArrays(
        np.full(N, u), np.full(N, h), np.full(N, t), np.full(N, rh), np.full(N, s),
        np.full(N, r), np.full(N, 180.0),
    ),
    st.floats(0.3, 10), st.floats(50, 2000), st.floats(-15, 38), st.floats(5, 100),
    st.floats(0, 1000), st.floats(0, 20),
)  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(e=_emissions, met=_met)
def test_concentrations_are_never_negative(e: np.ndarray, met: MetArrays) -> None:
    resp = air_response(e, e * 100, met, _PARAMS)
    assert np.all(resp.total >= 0)
    assert np.all(resp.pm25_by_origin >= 0)


@settings(max_examples=30, deadline=None)
@given(e=_emissions, extra=_emissions, met=_met)
def test_more_emissions_never_lower_primary_pm(
    e: np.ndarray, extra: np.ndarray, met: MetArrays
) -> None:
    low = air_response(e, e * 100, met, _PARAMS).pm25_by_origin[..., 0]
    high = air_response(e + extra, (e + extra) * 100, met, _PARAMS).pm25_by_origin[..., 0]
    assert np.all(high >= low - 1e-9 * (1 + np.abs(low)))
