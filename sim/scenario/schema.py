"""The scenario: every section, validated once into frozen models.

``levers`` (what the bureau decides) live under ``policies``; ``uncertainties`` (weather,
compliance, emission factors) under ``meteorology`` and the sources' parameters.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import Field, PrivateAttr

from sim.scenario.base import Section
from sim.scenario.sections.air import AirConfig
from sim.scenario.sections.coal import CoalConfig
from sim.scenario.sections.dust import DustConfig
from sim.scenario.sections.household import HouseholdConfig
from sim.scenario.sections.industrial import IndustrialConfig
from sim.scenario.sections.meteorology import MeteorologyConfig
from sim.scenario.sections.mobile import MobileConfig
from sim.scenario.sections.policies_coal import CoalPolicies
from sim.scenario.sections.policies_dust import DustPolicies
from sim.scenario.sections.policies_emergency import EmergencyPolicies
from sim.scenario.sections.policies_household import HouseholdPolicies
from sim.scenario.sections.policies_soil import SoilPolicies
from sim.scenario.sections.policies_vehicles import VehiclesPolicies
from sim.scenario.sections.policies_voc import VocPolicies
from sim.scenario.sections.policies_water import WaterPolicies
from sim.scenario.sections.run import DistrictConfig, RunConfig
from sim.scenario.sections.targets import TargetsConfig
from sim.scenario.sections.water import WaterConfig

__all__ = ["PoliciesConfig", "Scenario", "SourcesConfig", "TargetsConfig"]


class SourcesConfig(Section):
    """The five source categories; a category left out emits nothing."""

    mobile: MobileConfig | None = Field(
        None, description="On-road fleet, non-road machinery, fuel evaporation."
    )
    industrial: IndustrialConfig | None = Field(
        None, description="VOC-using enterprises and combustion."
    )
    coal: CoalConfig | None = Field(None, description="Remaining scattered-coal households.")
    dust: DustConfig | None = Field(
        None, description="Construction sites, roads, bare land, muck trucks."
    )
    household: HouseholdConfig | None = Field(
        None, description="Restaurants, solvents, open burning."
    )


class PoliciesConfig(
    VehiclesPolicies,
    VocPolicies,
    DustPolicies,
    CoalPolicies,
    HouseholdPolicies,
    EmergencyPolicies,
    WaterPolicies,
    SoilPolicies,
):
    """The plan's measures (levers): one field per measure, grouped by family in sim.policies."""


class Scenario(Section):
    """One resolved scenario: what to simulate, where, and with which measures."""

    name: str = Field(
        min_length=1,
        pattern=r"^[A-Za-z0-9_\-][A-Za-z0-9_.\-]*$",
        description="Short name; also the default output folder name (so it may not start with "
        "a dot: '.' and '..' would name outputs/ itself or its parent).",
    )
    description: str = Field("", description="What this scenario represents.")
    run: RunConfig = Field(default_factory=RunConfig, description="Period and seed.")
    district: DistrictConfig = Field(default_factory=DistrictConfig, description="The district.")
    meteorology: MeteorologyConfig = Field(
        default_factory=MeteorologyConfig, description="Hourly weather: synthetic or observed."
    )
    sources: SourcesConfig = Field(default_factory=SourcesConfig, description="Emission sources.")
    air: AirConfig | None = Field(None, description="Air-quality response; absent: emissions only.")
    water: WaterConfig | None = Field(None, description="Water system; absent: no water outcome.")
    policies: PoliciesConfig = Field(
        default_factory=PoliciesConfig, description="Measures (levers)."
    )
    targets: TargetsConfig = Field(default_factory=TargetsConfig, description="Targets to check.")

    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)
    _origin: str = PrivateAttr(default="<memory>")

    @property
    def raw(self) -> dict[str, Any]:
        """The resolved mapping this scenario was validated from (sources and units kept)."""
        return self._raw

    @property
    def origin(self) -> str:
        """The file it was read from, or ``<memory>``."""
        return self._origin

    @property
    def scenario_hash(self) -> str:
        """SHA-256 of the validated scenario (defaults included), first 16 hex digits."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
