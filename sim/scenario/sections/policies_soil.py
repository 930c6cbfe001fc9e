"""Scenario section: the soil family of measures (fields of ``policies``)."""

from __future__ import annotations

from sim.scenario.base import Section

__all__ = ["SoilPolicies"]


class SoilPolicies(Section):
    """Measures of the soil family; each field is one measure (absent: not applied)."""
