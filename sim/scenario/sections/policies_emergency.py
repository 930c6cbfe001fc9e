"""Scenario section: the emergency family of measures (fields of ``policies``)."""

from __future__ import annotations

from sim.scenario.base import Section

__all__ = ["EmergencyPolicies"]


class EmergencyPolicies(Section):
    """Measures of the emergency family; each field is one measure (absent: not applied)."""
