"""Scenario section: the coal family of measures (fields of ``policies``)."""

from __future__ import annotations

from sim.scenario.base import Section

__all__ = ["CoalPolicies"]


class CoalPolicies(Section):
    """Measures of the coal family; each field is one measure (absent: not applied)."""
