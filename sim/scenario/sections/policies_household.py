"""Scenario section: the household family of measures (fields of ``policies``)."""

from __future__ import annotations

from sim.scenario.base import Section

__all__ = ["HouseholdPolicies"]


class HouseholdPolicies(Section):
    """Measures of the household family; each field is one measure (absent: not applied)."""
