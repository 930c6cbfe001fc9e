"""Scenario section: the voc family of measures (fields of ``policies``)."""

from __future__ import annotations

from sim.scenario.base import Section

__all__ = ["VocPolicies"]


class VocPolicies(Section):
    """Measures of the voc family; each field is one measure (absent: not applied)."""
