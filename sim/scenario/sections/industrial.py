"""Scenario section ``sources.industrial``: VOC-using enterprise groups and their boilers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.quantity import Q

__all__ = ["MAX_ENTERPRISE_GROUPS", "Boiler", "EnterpriseGroup", "IndustrialConfig"]

#: At most this many groups: each is one source key of the sector (keeps outputs readable).
MAX_ENTERPRISE_GROUPS = 10
Fraction = Annotated[float, Q("1")]

_AP42_14 = "Source: AP-42 §1.4 (natural gas combustion), Tables 1.4-1/1.4-2"


class Boiler(Section):
    """Natural-gas boilers of a group: fuel use and factors per 1000 m³ of gas.

    AP-42 §1.4 gives lb per 10⁶ scf; 1 lb/10⁶ scf = 0.01602 kg per 1000 m³.
    """

    gas_use_m3_yr: Annotated[float, Q("m3/yr")] = Field(0.0, ge=0, description="Gas burnt a year.")
    nox_kg_per_1000m3: Annotated[float, Q("kg/1000m3")] = Field(
        0.80,
        ge=0,
        description=f"NOx, low-NOx burner 50 lb/10⁶ scf. {_AP42_14}.",
    )
    pm_kg_per_1000m3: Annotated[float, Q("kg/1000m3")] = Field(
        0.12,
        ge=0,
        description=f"PM total (all PM2.5) 7.6 lb/10⁶ scf. {_AP42_14}.",
    )
    so2_kg_per_1000m3: Annotated[float, Q("kg/1000m3")] = Field(
        0.0096,
        ge=0,
        description=f"SO2 0.6 lb/10⁶ scf. {_AP42_14}.",
    )
    co_kg_per_1000m3: Annotated[float, Q("kg/1000m3")] = Field(
        1.35,
        ge=0,
        description=f"CO 84 lb/10⁶ scf. {_AP42_14}.",
    )
    voc_kg_per_1000m3: Annotated[float, Q("kg/1000m3")] = Field(
        0.088,
        ge=0,
        description=f"VOC 5.5 lb/10⁶ scf. {_AP42_14}.",
    )


class EnterpriseGroup(Item):
    """Enterprises of one process type (coating, printing, dry cleaning ...), treated as one.

    Annual VOC = ``solvent_use_t_yr`` × ``voc_content_g_kg`` (kg) × (1 − capture × removal),
    spread evenly over the operating hours of the year.
    """

    process: str = Field("", description="Process type (free text): coating, printing, ...")
    enterprises: Annotated[float, Q("enterprises")] = Field(
        1.0, ge=0, description="How many enterprises the group stands for (metadata)."
    )
    solvent_use_t_yr: Annotated[float, Q("t/yr")] = Field(
        ge=0, description="Coatings, inks, adhesives or solvents used a year."
    )
    voc_content_g_kg: Annotated[float, Q("g/kg")] = Field(
        ge=0, le=1000, description="VOC released per kg of material used."
    )
    capture_efficiency: Fraction = Field(
        ge=0, le=1, description="Share of the VOC collected and sent to treatment."
    )
    treatment: str = Field("none", description="Treatment technology (free text).")
    removal_efficiency: Fraction = Field(
        ge=0, le=1, description="Share of the captured VOC destroyed or retained."
    )
    start_hour: int = Field(8, ge=0, le=23, description="First operating hour (local).")
    end_hour: int = Field(18, ge=1, le=24, description="Operating until this hour (exclusive).")
    days: Literal["workdays", "all"] = "workdays"
    boiler: Boiler | None = Field(None, description="Gas boilers of the group, if any.")

    @field_validator("name")
    @classmethod
    def _stream_safe(cls, v: str) -> str:
        if not v.replace("_", "").isalnum() or not v.isascii() or v != v.lower():
            raise ValueError("must be lower-case letters, digits and '_' (it names ledger streams)")
        return v

    @model_validator(mode="after")
    def _check_hours(self) -> EnterpriseGroup:
        if self.end_hour <= self.start_hour:
            raise ValueError(
                f"end_hour(={self.end_hour}) must be after start_hour(={self.start_hour})"
            )
        return self


class IndustrialConfig(Section):
    """The industrial category: a few VOC-emitting enterprise groups (one source key each)."""

    enterprises: list[EnterpriseGroup] = Field(
        default_factory=list, max_length=MAX_ENTERPRISE_GROUPS
    )

    @model_validator(mode="after")
    def _unique(self) -> IndustrialConfig:
        names = [e.name for e in self.enterprises]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"enterprises: duplicate names {dup}")
        return self
