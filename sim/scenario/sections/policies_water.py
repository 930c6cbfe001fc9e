"""Scenario section: the water family of measures (fields of ``policies``)."""

from __future__ import annotations

from sim.scenario.base import Section

__all__ = ["WaterPolicies"]


class WaterPolicies(Section):
    """Measures of the water family; each field is one measure (absent: not applied)."""
