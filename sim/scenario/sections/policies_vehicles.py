"""Scenario section: the vehicles family of measures (fields of ``policies``)."""

from __future__ import annotations

from sim.scenario.base import Section

__all__ = ["VehiclesPolicies"]


class VehiclesPolicies(Section):
    """Measures of the vehicles family; each field is one measure (absent: not applied)."""
