"""The pieces of the ``air`` section that describe an actor's emissions and measures.

Sub-sector keys, an inventory entry, a dated measure, the default inventories of the rest of
Tianjin and of the region (each number sourced or ``assumed:``), and the district's sensitivity
multipliers. Used by :mod:`sim.scenario.sections.air`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.quantity import Q
from sim.scenario.vocabulary import POLLUTANTS

__all__ = [
    "CITY_INVENTORY_KT",
    "CITY_INVENTORY_SOURCE",
    "REGION_INVENTORY_KT",
    "REGION_INVENTORY_SOURCE",
    "SUBSECTOR_KEYS",
    "ActorMeasure",
    "CityConfig",
    "PollutantFactors",
    "Sector",
    "SubSector",
    "SubSectorEmission",
    "inventory_table",
    "merge_inventory",
    "unique_measures",
]

#: Fixed sub-sector keys of an actor's inventory (the same list as sim.air.profiles.SUBSECTORS).
SubSector = Literal[
    "power", "industrial_combustion", "industrial_process", "solvents", "residential", "on_road",
    "non_road", "road_dust", "construction_dust", "agriculture", "other",
]  # fmt: skip
SUBSECTOR_KEYS: tuple[str, ...] = SubSector.__args__  # type: ignore[attr-defined]
#: Inventory fields in vocabulary POLLUTANTS order.
_FIELDS = ("pm25_t", "pm10_t", "nox_t", "so2_t", "voc_t", "co_t", "nh3_t")
#: Emission bound: 5 Mt/yr is above any sub-sector of the whole North China Plain (BTH's total
#: NOx in 2014 was 2.1 Mt, Zheng et al. 2019).
_MAX_T = 5.0e6

#: The five source categories as a type (the vocabulary's SECTORS).
Sector = Literal["mobile", "industrial", "coal", "dust", "household"]


class PollutantFactors(Section):
    """Multipliers on one source category's emissions by pollutant (1 = as simulated)."""

    pm25: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="PM2.5.")
    pm10: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="PM10.")
    nox: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="NOx.")
    so2: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="SO2.")
    voc: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="VOC.")
    co: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="CO.")
    nh3: Annotated[float, Q("1")] = Field(1.0, ge=0, le=10, description="NH3.")

    def as_tuple(self) -> tuple[float, ...]:
        """Factors in vocabulary POLLUTANTS order."""
        return (self.pm25, self.pm10, self.nox, self.so2, self.voc, self.co, self.nh3)


class SubSectorEmission(Section):
    """Annual emissions of one sub-sector of an actor, t/yr, with the entry's source."""

    pm25_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="Primary PM2.5.")
    pm10_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="Primary PM10.")
    nox_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="NOx as NO2.")
    so2_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="SO2.")
    voc_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="NMVOC.")
    co_t: Annotated[float, Q("t/yr")] = Field(
        0.0, ge=0, le=10 * _MAX_T, description="CO (bound ten times the others': CO is emitted "
        "in about ten times the mass of NOx)."
    )
    nh3_t: Annotated[float, Q("t/yr")] = Field(0.0, ge=0, le=_MAX_T, description="NH3.")
    source: str | None = Field(None, description="Where the entry's numbers come from.")

    def as_tuple(self) -> tuple[float, ...]:
        """t/yr in vocabulary POLLUTANTS order."""
        return tuple(float(getattr(self, f)) for f in _FIELDS)


class ActorMeasure(Item):
    """A dated measure of the city or the region: a relative change of one sub-sector's (or all)
    emissions of one pollutant (or all), reached along a linear ramp from ``start`` to ``full_by``.
    """

    sub_sector: SubSector | Literal["all"] = Field("all", description="A sub-sector, or 'all'.")
    pollutant: str = Field("all", description="A pollutant (PM2.5, NOx ...), or 'all'.")
    relative_change: Annotated[float, Q("1")] = Field(
        ge=-1,
        le=1,
        description=(
            "Relative change of the emissions when complete, e.g. -0.1 for a 10 % cut. Bounds: "
            "[-1, 1]: no emission goes below 0, and a plan does not double an inventory."
        ),
    )
    start: date = Field(description="First day of the ramp.")
    full_by: date = Field(description="Day the full change is reached (= start: a step).")

    @field_validator("pollutant")
    @classmethod
    def _pollutant(cls, value: str) -> str:
        if value != "all" and value not in POLLUTANTS:
            raise ValueError(f"must be 'all' or one of {POLLUTANTS}")
        return value

    @model_validator(mode="after")
    def _dates(self) -> ActorMeasure:
        if self.full_by < self.start:
            raise ValueError(f"full_by ({self.full_by}) must not be before start ({self.start})")
        return self


def inventory_table(rows: dict[str, tuple[float, ...]], source: str) -> dict[str, dict[str, Any]]:
    """Raw inventory mapping ``{sub_sector: {pm25_t: ..., source: ...}}`` from kt/yr rows.

    Each entry's ``source`` points at the full text (the field's description) to keep the
    scenario reference readable.
    """
    short = source.split(";", 1)[0] + "; see the inventory's description (docs/scenario.md)"
    return {
        key: {"source": short, **{f: v * 1000.0 for f, v in zip(_FIELDS, row, strict=True)}}
        for key, row in rows.items()
    }


#: The rest of Tianjin, kt/yr, about 2022 (see CITY_INVENTORY_SOURCE).
CITY_INVENTORY_KT: dict[str, tuple[float, ...]] = {
    #                      PM2.5  PM10   NOx   SO2   VOC    CO     NH3
    "power":                (1.0,  1.5,  20.0, 6.0,  2.0,   30.0,  0.0),
    "industrial_combustion": (4.0, 5.5,  25.0, 8.0,  5.0,   120.0, 0.0),
    "industrial_process":   (12.0, 17.0, 20.0, 6.0,  100.0, 450.0, 2.0),
    "solvents":             (0.0,  0.0,  0.0,  0.0,  90.0,  0.0,   0.0),
    "residential":          (6.0,  6.5,  3.0,  3.0,  15.0,  150.0, 3.0),
    "on_road":              (2.0,  2.2,  45.0, 0.5,  50.0,  200.0, 2.0),
    "non_road":             (1.5,  1.6,  25.0, 6.0,  5.0,   30.0,  0.0),
    "road_dust":            (12.0, 28.0, 0.0,  0.0,  0.0,   0.0,   0.0),
    "construction_dust":    (6.0,  12.0, 0.0,  0.0,  0.0,   0.0,   0.0),
    "agriculture":          (1.0,  1.5,  0.0,  0.0,  3.0,   0.0,   30.0),
    "other":                (4.5,  4.2,  2.0,  0.5,  20.0,  20.0,  3.0),
}  # fmt: skip
CITY_INVENTORY_SOURCE = (
    "assumed (L), about 2022; no complete sector-by-pollutant inventory of Tianjin was found "
    "(DOMAIN.md §8). Totals (PM2.5 50, PM10 80, NOx 140, SO2 30, VOC 290, CO 1000, NH3 40 kt): "
    "BTH 2014 totals implied by Zheng et al. 2019 (ACP 19:3447) × Tianjin's ~10 % population "
    "share × the 2014-2024 fall (PM2.5 -55 %, SO2 -80 %, NOx -35 %, VOC -25 %, assumed from the "
    "fall of observed concentrations). Split: non-road NOx 25 / SO2 6 kt after Tianjin 2015 "
    "(29 / 13.7 kt, ships 74 %; SO2 halved by the ship fuel-sulfur caps, assumed; Zhang Yi et "
    "al. 2017); industrial VOC 190 kt after Tianjin 2014's 165 kt industrial VOC (Hao et al. "
    "2017) with solvents from its product-use and coating share; industry 40-55 % of SO2/NOx/PM "
    "after the BTH industrial shares (Zheng et al. 2019) less the steel capacity cut (-40 %, "
    "Tianjin attainment plan 2024); dust 36 % of primary PM2.5 and agriculture 75 % of NH3 "
    "(shares of Chinese city and provincial inventories, e.g. Sichuan 2015, L)"
)

#: Beijing-Tianjin-Hebei without Tianjin, kt/yr, about 2022 (see REGION_INVENTORY_SOURCE).
REGION_INVENTORY_KT: dict[str, tuple[float, ...]] = {
    #                      PM2.5  PM10   NOx    SO2    VOC     CO      NH3
    "power":                (15.0, 20.0, 200.0, 60.0,  15.0,   300.0,  0.0),
    "industrial_combustion": (50.0, 65.0, 250.0, 110.0, 60.0,  1000.0, 0.0),
    "industrial_process":   (170.0, 230.0, 300.0, 110.0, 1100.0, 5000.0, 15.0),
    "solvents":             (0.0,  0.0,  0.0,   0.0,   900.0,  0.0,    0.0),
    "residential":          (120.0, 130.0, 40.0, 60.0, 300.0,  2500.0, 40.0),
    "on_road":              (20.0, 22.0, 400.0, 3.0,   450.0,  1000.0, 15.0),
    "non_road":             (15.0, 16.0, 170.0, 10.0,  60.0,   150.0,  0.0),
    "road_dust":            (80.0, 150.0, 0.0,  0.0,   0.0,    0.0,    0.0),
    "construction_dust":    (45.0, 70.0, 0.0,   0.0,   0.0,    0.0,    0.0),
    "agriculture":          (15.0, 20.0, 0.0,   0.0,   50.0,   0.0,    600.0),
    "other":                (25.0, 11.0, 15.0,  3.0,   154.0,  50.0,   30.0),
}  # fmt: skip
REGION_INVENTORY_SOURCE = (
    "assumed (L), about 2022: BTH 2014 totals from Zheng et al. 2019 (ACP 19:3447; industry "
    "SO2 869, NOx 1164, PM10 910, PM2.5 622, NMVOC 1390 kt = 61/55/62/56/36 % of the totals: "
    "1425/2116/1468/1111/3861 kt) × the 2014-2022 fall (SO2 -75 %, NOx -35 %, PM -50 %, VOC "
    "-20 %, assumed); NH3 700 kt and CO 10 Mt assumed (Hebei's agriculture and steel); split "
    "over sub-sectors like the city's, with more steel, residential coal and agriculture. Only "
    "relative changes against this table move the calibrated background (docs/model.md)"
)


def merge_inventory(value: Any, table: dict[str, tuple[float, ...]], source: str) -> Any:
    """Complete a partial inventory with the defaults, field by field (``--set`` one number)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return value
    defaults = inventory_table(table, source)
    unknown = sorted(set(value) - set(defaults))
    if unknown:
        raise ValueError(f"unknown sub-sector(s) {unknown}; expected keys {sorted(defaults)}")
    merged = {}
    for key, row in defaults.items():
        given = value.get(key) or {}
        if not isinstance(given, dict):
            raise ValueError(f"{key}: expected a mapping of {_FIELDS}")
        merged[key] = {**row, **given}
    return merged


_PLAN_DELIVERY = (
    "Share of the actor's listed measures carried out by the end of the run: every measure's "
    "relative change is multiplied by it (a sweep lever; 1 = the plan as written). Bounds: 0-1."
)


def unique_measures(value: tuple[ActorMeasure, ...]) -> tuple[ActorMeasure, ...]:
    """``value`` if its measures' names are unique (an actor's measures are named in outputs)."""
    names = [m.name for m in value]
    if len(set(names)) != len(names):
        raise ValueError(f"measure names must be unique, got {names}")
    return value


class CityConfig(Section):
    """The rest of Tianjin: a larger box, its inventory, its profiles and its own plan."""

    enabled: bool = Field(True, description="Include the city scale (false: district + region).")
    area_km2: Annotated[float, Q("km2")] = Field(
        11945.0,
        gt=0,
        le=20000,
        description="Area of the rest of the city. Source: Tianjin 11,966 km² (DOMAIN §4) less "
        "the district's 21 km². Bounds: (0, 20,000] km², Tianjin with its sea area.",
    )
    length_km: Annotated[float, Q("km")] = Field(
        110.0,
        gt=0,
        le=500,
        description="Along-wind length of the city box. Source: assumed: sqrt(11,966 km²). "
        "Bounds: (0, 500] km, Tianjin's north-south extent is about 190 km.",
    )
    receptor_factor: Annotated[float, Q("1")] = Field(
        1.0,
        gt=0,
        le=5,
        description=(
            "City increment at the district relative to the city-box mean (an urban-core "
            "receptor sees more than the average). Source: assumed: 1, no structure inside the "
            "box. Bounds: (0, 5], an urban core a few times the city mean."
        ),
    )
    max_reaction_time_h: Annotated[float, Q("h")] = Field(
        24.0,
        gt=0,
        le=240,
        description=(
            "Cap on the city box's reaction time L/u for secondary PM. Source: assumed: air "
            "older than a day counts as regional. Bounds: (0, 240] h, ten days."
        ),
    )
    inventory: dict[SubSector, SubSectorEmission] = Field(
        default_factory=lambda: inventory_table(CITY_INVENTORY_KT, CITY_INVENTORY_SOURCE),  # type: ignore[arg-type]
        description=(
            "Annual emissions of the rest of the city by sub-sector (fixed keys; a key or field "
            "not given keeps its default): `--set 'air.city.inventory[on_road].nox_t=50000'`. "
            f"Source of the defaults: {CITY_INVENTORY_SOURCE}."
        ),
    )
    measures: tuple[ActorMeasure, ...] = Field(
        (), description="The city's own dated measures (none in the baseline)."
    )
    plan_delivery: Annotated[float, Q("1")] = Field(1.0, ge=0, le=1, description=_PLAN_DELIVERY)

    @field_validator("inventory", mode="before")
    @classmethod
    def _complete(cls, value: Any) -> Any:
        return merge_inventory(value, CITY_INVENTORY_KT, CITY_INVENTORY_SOURCE)

    @field_validator("measures")
    @classmethod
    def _unique(cls, value: tuple[ActorMeasure, ...]) -> tuple[ActorMeasure, ...]:
        return unique_measures(value)
