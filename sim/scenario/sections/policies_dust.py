"""Scenario section: the dust family of measures (fields of ``policies``)."""

from __future__ import annotations

from sim.scenario.base import Section

__all__ = ["DustPolicies"]


class DustPolicies(Section):
    """Measures of the dust family; each field is one measure (absent: not applied)."""
