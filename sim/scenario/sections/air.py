"""Scenario section ``air``: the air-quality response at district, city and regional scale."""

from __future__ import annotations

from sim.scenario.base import Section

__all__ = ["AirConfig"]


class AirConfig(Section):
    """Air-quality response parameters (district box, city, region, chemistry)."""
