"""The configuration vocabulary: the names and unit constants every layer shares, defined once.

A scenario file, the sources, the policies, the physics and the outputs all speak of the same
pollutants, sectors and units. They are defined here, in the scenario layer, which imports
nothing of ``sim`` (DESIGN.md, "Layers and who may import whom"), so that any layer may import
them without creating a cycle. Adding a pollutant or a source category starts in this table
(docs/architecture.md, "Contributor's guide").

This module holds plain constants only: no pydantic, no numpy, no I/O. It is the one part of
``sim.scenario`` that the physics layers (``sim.air``, ``sim.water``) may import.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "AIR_POLLUTANTS",
    "HEAVY_POLLUTION_AQI",
    "HOURS_PER_MONTH",
    "HOURS_PER_YEAR",
    "KG_PER_T",
    "POLLUTANTS",
    "SECTORS",
    "WATER_POLLUTANTS",
]

#: Emitted pollutants every source reports, in this order (kg/h). NOx as NO2-equivalent mass;
#: VOC as non-methane VOC mass. Arrays over pollutants use this order as their last axis.
POLLUTANTS: Final[tuple[str, ...]] = ("PM2.5", "PM10", "NOx", "SO2", "VOC", "CO", "NH3")

#: The plan's five source categories (its "five sources treated together"), in this order.
SECTORS: Final[tuple[str, ...]] = ("mobile", "industrial", "coal", "dust", "household")

#: Ambient pollutants of the air-quality response (µg/m³, CO included in µg/m³), HJ 633 order.
AIR_POLLUTANTS: Final[tuple[str, ...]] = ("PM2.5", "PM10", "SO2", "NO2", "CO", "O3")

#: Pollutants carried through sewers and rivers (mg/L): COD, ammonia nitrogen, total phosphorus.
WATER_POLLUTANTS: Final[tuple[str, ...]] = ("cod", "nh3n", "tp")

#: Kilograms per tonne.
KG_PER_T: Final[float] = 1000.0

#: Mean hours in a year and a month (365.25 days): pro-rata costs, paces, t/yr ➜ kg/h.
HOURS_PER_YEAR: Final[float] = 365.25 * 24.0
HOURS_PER_MONTH: Final[float] = HOURS_PER_YEAR / 12.0

#: A day is "heavily polluted" when its AQI exceeds this (HJ 633-2012, Table 2: level V, > 200).
HEAVY_POLLUTION_AQI: Final[float] = 200.0
