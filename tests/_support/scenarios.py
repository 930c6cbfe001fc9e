"""Tiny scenarios for the measure, attribution and property tests, and their emission totals."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.engine import RunState
from sim.scenario import scenario_from_mapping
from sim.scenario.schema import Scenario

FLAT = {"workday": [1.0] * 24, "day_off": [1.0] * 24}

#: A small fleet whose factors are read by hand from sim/data/vehicle_ef_mee2014_gkm.csv:
#: PM2.5 car III 0.011, car V/VI 0.006; heavy truck III 0.243, VI 0.027 (blank -> V).
TINY_MOBILE: dict[str, Any] = {
    "profiles": {"flat": FLAT},
    "cold_correction": False,
    "classes": {
        "car": {"annual_km": 10000, "district_fraction": 1.0, "profile": "flat"},
        "taxi": {"annual_km": 1000, "profile": "flat"},
        "bus": {"annual_km": 20000, "district_fraction": 1.0, "profile": "flat"},
        "light_truck": {"annual_km": 1000, "profile": "flat"},
        "medium_truck": {"annual_km": 1000, "profile": "flat"},
        "heavy_truck": {"annual_km": 50000, "district_fraction": 0.5, "profile": "flat"},
    },
    "evaporative": {"gasoline_throughput_t_yr": 1000, "profile": "flat"},
    "fleet": [
        {"name": "car3", "vehicle_class": "car", "standard": "china3", "count": 100},
        {"name": "car5", "vehicle_class": "car", "standard": "china5", "count": 100},
        {"name": "bus4", "vehicle_class": "bus", "standard": "china4", "count": 20},
        {"name": "bus5", "vehicle_class": "bus", "standard": "china5", "count": 50},
        {"name": "ht3", "vehicle_class": "heavy_truck", "standard": "china3", "count": 10},
        {"name": "ht5", "vehicle_class": "heavy_truck", "standard": "china5", "count": 20},
        {"name": "ht6", "vehicle_class": "heavy_truck", "standard": "china6", "count": 5},
    ],
    "non_road": [
        {"name": "excavator", "fuel": "diesel", "stage": "stage3", "count": 10, "power_kw": 100,
         "load_factor": 0.4, "annual_hours": 1000},
        {"name": "forklift_diesel", "fuel": "diesel", "stage": "stage3", "count": 100,
         "power_kw": 40, "load_factor": 0.3, "annual_hours": 1500},
        {"name": "forklift_lpg", "fuel": "lpg", "count": 50, "power_kw": 35, "load_factor": 0.3,
         "annual_hours": 1500},
        {"name": "forklift_electric", "fuel": "electric", "count": 10, "power_kw": 20,
         "load_factor": 0.3, "annual_hours": 1500},
    ],
}  # fmt: skip

TINY_INDUSTRY: dict[str, Any] = {
    "enterprises": [
        {"name": "printing", "process": "printing", "enterprises": 2, "solvent_use_t_yr": 10,
         "voc_content_g_kg": 500, "capture_efficiency": 0.5, "removal_efficiency": 0.4,
         "start_hour": 0, "end_hour": 24, "days": "all"},
    ]
}  # fmt: skip


def tiny_scenario(
    policies: dict[str, Any] | None = None, *, months: int = 1, industry: bool = False
) -> Scenario:
    """A scenario of ``months`` months from 2024-01-01 with :data:`TINY_MOBILE` only."""
    sources: dict[str, Any] = {"mobile": copy.deepcopy(TINY_MOBILE)}
    if industry:
        sources["industrial"] = copy.deepcopy(TINY_INDUSTRY)
    raw = {
        "name": "tiny",
        "run": {"start": "2024-01-01", "end": f"2024-{months + 1:02d}-01", "seed": 7},
        "sources": sources,
        "policies": copy.deepcopy(policies or {}),
    }
    return scenario_from_mapping(raw)


def totals(state: RunState) -> NDArray[np.float64]:
    """Emissions of every source summed over the run, kg, by pollutant."""
    return np.asarray(sum(a.sum(axis=0) for a in state.source_emissions.values()))
