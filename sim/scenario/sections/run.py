"""The ``run``, ``district`` and ``targets`` sections: when, where, and the seed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Section
from sim.scenario.quantity import Q

__all__ = ["DistrictConfig", "ReportedProgress", "RunConfig"]


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


class ReportedProgress(Section):
    """Progress reported by ``as_of`` (``sim forecast --progress``; sim.spinup)."""

    as_of: datetime = Field(description="First hour not reported.")
    quantities: dict[str, float] = Field(
        default_factory=dict, description="`<measure>.<what>`: its progress stream at as_of."
    )
    projects: dict[str, date | None] = Field(
        default_factory=dict, description="`<measure>.<subject>`: commissioned on, null: not yet."
    )


class RunConfig(Section):
    """The simulated period and the root seed."""

    start: datetime = Field(
        datetime(2024, 1, 1), description="First hour simulated, local time (a date means 00:00)."
    )
    end: datetime = Field(
        datetime(2025, 1, 1), description="End of the run, exclusive, local time."
    )
    seed: int = Field(20240805, ge=0, description="Root seed; every random stream derives from it.")
    timezone: str = Field("Asia/Shanghai", description="IANA time zone of the local times.")
    ensemble: int = Field(
        1,
        ge=1,
        le=10_000,
        description="Ensemble members run by `sim run` (independent weather and uncertain "
        "inputs); 1: a single run with the root seed. Overridden by --ensemble.",
    )
    reported_progress: ReportedProgress | None = Field(
        None, description="Set by `sim forecast --progress`: the run restarts from it at as_of."
    )

    @field_validator("start", "end", mode="before")
    @classmethod
    def _dates(cls, value: object) -> object:
        if isinstance(value, date):
            return _as_datetime(value)
        return value

    @field_validator("start", "end")
    @classmethod
    def _whole_hour(cls, value: datetime) -> datetime:
        if value.minute or value.second or value.microsecond:
            raise ValueError("must fall on a whole hour")
        return value.replace(tzinfo=None)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (an IANA name such as Asia/Shanghai)"
            ) from None
        return value

    @model_validator(mode="after")
    def _order(self) -> RunConfig:
        if self.end <= self.start:
            raise ValueError(
                f"end ({self.end:%Y-%m-%d %H:%M}) must be after start ({self.start:%Y-%m-%d %H:%M})"
            )
        if (self.end - self.start).days > 366 * 5:
            raise ValueError("runs longer than five years are not supported")
        return self


class DistrictConfig(Section):
    """The district: its name, size and people."""

    name: str = Field("Hongqiao", min_length=1, description="District name.")
    area_km2: Annotated[float, Q("km2")] = Field(
        21.3, gt=0, description="Land area, km². Source: Hongqiao District government site (H)."
    )
    population: Annotated[int, Q("persons")] = Field(
        483_130, ge=0, description="Resident population. Source: 2020 census (H)."
    )
    extent_east_west_km: Annotated[float, Q("km")] = Field(
        6.0, gt=0, description="East-west extent, km. Source: DOMAIN.md §3 (about 6 km, H)."
    )
    extent_north_south_km: Annotated[float, Q("km")] = Field(
        5.6, gt=0, description="North-south extent, km. Source: DOMAIN.md §3 (about 5.6 km, H)."
    )
