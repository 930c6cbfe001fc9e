"""Scenario section ``water``: sewage, drainage areas, sewers, treatment plant and rivers."""

from __future__ import annotations

from sim.scenario.base import Section

__all__ = ["WaterConfig"]


class WaterConfig(Section):
    """Water system of the district."""
