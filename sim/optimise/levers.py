"""Levers as a search space: a range is a coordinate, a list of values an integer index.

The search works in this encoded space (bounds and integrality for scipy's differential evolution);
:func:`decode` turns a point back into scenario overrides (``--set`` keys) and lever values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.sweep.spec import Parameter

__all__ = ["decode", "encode"]


def encode(levers: Iterable[Parameter]) -> tuple[list[tuple[float, float]], NDArray[np.bool_]]:
    """Bounds and integrality of the search space: a range as it is, a values list as an index."""
    bounds: list[tuple[float, float]] = []
    integral: list[bool] = []
    for p in levers:
        if p.values is not None:
            bounds.append((0.0, float(len(p.values) - 1)))
            integral.append(True)
        else:
            assert p.range is not None
            bounds.append((float(p.range[0]), float(p.range[1])))
            integral.append(bool(p.integer))
    return bounds, np.array(integral, dtype=bool)


def decode(
    levers: list[Parameter], x: NDArray[np.float64]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Scenario overrides (key -> value) and lever values (name -> value) of a point ``x``.

    The intensities of a measure switched off by its on/off lever are left out of the overrides
    (value None), see :func:`_inside_switches`.
    """
    overrides: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for p, xi in zip(levers, x, strict=True):
        if p.values is not None:
            idx = int(np.clip(round(float(xi)), 0, len(p.values) - 1))
            value: Any = p.values[idx]
        elif p.integer:
            value = round(float(xi))
        else:
            value = round(float(xi), 6)
        overrides[p.key] = value
        values[p.name] = value
    for inner, switch in _inside_switches(levers):
        if not values[switch.name]:
            del overrides[inner.key]
            values[inner.name] = None
    return overrides, values


def _inside_switches(levers: list[Parameter]) -> list[tuple[Parameter, Parameter]]:
    """(lever, its measure's on/off lever) for levers of a measure that has an on/off lever.

    An on/off lever has a key ``<measure>.enabled`` and the values ``[false, true]``; a lever
    whose key is below ``<measure>.`` sets an intensity of that measure. With the measure off its
    intensities act on nothing, so :func:`decode` leaves them as the base has them (value None):
    bundles that differ only there are one bundle, run once.
    """
    switches = [
        p
        for p in levers
        if p.key.endswith(".enabled") and p.values is not None and set(p.values) == {False, True}
    ]
    return [
        (p, s)
        for s in switches
        for p in levers
        if p is not s and p.key.startswith(s.key.removesuffix("enabled"))
    ]
