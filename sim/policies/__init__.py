"""The plan's measures, one module per family; each family registers SimPy processes.

Contract of a family module ``sim.policies.<family>``:

- ``FAMILY``: its name (a key of :data:`FAMILIES`);
- ``MEASURES``: the names of its measures, which are fields of ``scenario.policies``;
- ``register(ctx: ProcessContext) -> None``: registers the processes of its enabled measures.

A measure absent from the scenario, or with ``enabled: false``, registers nothing, so the run is
identical (bit for bit) to one without it.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.context import ProcessHook
    from sim.scenario.schema import Scenario

__all__ = ["FAMILIES", "family_module", "family_of", "measure_families", "measure_hooks"]

#: Measure families, in the order their processes are registered.
FAMILIES: tuple[str, ...] = (
    "vehicles",
    "voc",
    "dust",
    "coal",
    "household",
    "emergency",
    "water",
    "soil",
)


def family_module(family: str) -> ModuleType:
    """The module of ``family``."""
    if family not in FAMILIES:
        raise ValueError(f"family(={family!r}) must be one of {FAMILIES}.")
    return importlib.import_module(f"sim.policies.{family}")


def family_of(measure: str) -> str:
    """The family a measure belongs to."""
    for family in FAMILIES:
        if measure in family_module(family).MEASURES:
            return family
    raise KeyError(f"no family has a measure called {measure!r}")


def measure_hooks(scenario: Scenario) -> list[ProcessHook]:
    """The ``register`` function of every family that has an enabled measure in ``scenario``."""
    hooks: list[ProcessHook] = []
    for family in FAMILIES:
        module = family_module(family)
        enabled = any(
            getattr(getattr(scenario.policies, m, None), "enabled", False) for m in module.MEASURES
        )
        if enabled:
            hooks.append(module.register)
    return hooks


def measure_families() -> dict[str, str]:
    """The family of every measure (``measure name -> family``), from each family's MEASURES."""
    out: dict[str, str] = {}
    for family in FAMILIES:
        for measure in getattr(family_module(family), "MEASURES", ()):
            out[measure] = family
    return out
