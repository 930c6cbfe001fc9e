"""The ``sources.household`` section: restaurant cooking fumes, household solvents, open burning."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.quantity import Q

__all__ = [
    "HouseholdConfig",
    "OpenBurningConfig",
    "RestaurantConfig",
    "RestaurantSize",
    "SolventConfig",
]

# fmt: off
#: Relative cooking activity by local hour. Assumed: lunch peak 11-13, dinner peak 17-20, some
#: breakfast and late-night trade.
MEALTIME_PROFILE: tuple[float, ...] = (
    0.1, 0.0, 0.0, 0.0, 0.0, 0.2,
    0.6, 0.6, 0.3, 0.3, 1.0, 3.0,
    3.0, 1.0, 0.3, 0.3, 1.0, 3.0,
    3.0, 2.0, 0.8, 0.5, 0.3, 0.2,
)
#: Relative use of household solvents by local hour. Assumed: personal-care and cleaning products
#: used 07-22, most in the morning and evening.
SOLVENT_PROFILE: tuple[float, ...] = (
    0.1, 0.1, 0.1, 0.1, 0.1, 0.2,
    0.6, 1.5, 1.5, 1.2, 1.0, 1.0,
    1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
    1.2, 1.5, 1.5, 1.2, 0.6, 0.2,
)
#: Open-burning events per month, Jan-Dec. Assumed: leaf and rubbish burning in autumn and winter,
#: ritual paper burning at Qingming (Apr), the Zhongyuan festival (Aug) and winter clothes day
#: (Nov); very few in the rainy summer.
BURNING_EVENTS_PER_MONTH: tuple[float, ...] = (
    3.0, 4.0, 2.0, 4.0, 1.0, 0.5, 0.5, 2.0, 1.0, 2.0, 4.0, 3.0,
)
# fmt: on

#: National restaurants, 2017: 17 per 10,000 people x 1,390 million people (NBS 2017).
_NATIONAL_RESTAURANTS = 17e-4 * 1.390e9

_FUMES_ARITHMETIC = (
    "Derived from Jin et al. 2021 (China 2017 catering: PM2.5 38 kt, VOC 34 kt emitted; 17 "
    "restaurants per 10,000 people x 1,390 M people = 2.363 M restaurants): 16.08 kg PM2.5 and "
    "14.39 kg VOC emitted per restaurant-year. With stove heads large 8 / medium 4 / small 1.5 "
    "(GB 18483-2001 size classes >= 6 / 3-5 / 1-2 heads; typical values assumed) and shares "
    "4 / 14 / 82 % (small 82 %, Jin 2021; the rest split by assumption), purifiers installed "
    "74/66/51 % with removal 63/50/31 % (Jin 2021): mean stove heads x (1 - share x removal) = "
    "0.04x8x0.534 + 0.14x4x0.67 + 0.82x1.5x0.842 = 1.5815, so PM2.5 = 16.08/1.5815 = 10.17 kg "
    "per stove head-year uncontrolled (M)."
)


def _check_profile(value: tuple[float, ...], length: int) -> tuple[float, ...]:
    if len(value) != length or min(value) < 0 or sum(value) <= 0:
        raise ValueError(f"must be {length} non-negative weights with a positive sum")
    return value


class RestaurantSize(Item):
    """A size class of restaurants: how many, how big, and how well their fumes are cleaned."""

    count: Annotated[float, Q("restaurants")] = Field(ge=0, description="Restaurants of this size.")
    stove_heads: Annotated[float, Q("1")] = Field(
        gt=0, description="Typical stove heads (基准灶头) per restaurant (GB 18483-2001 classes)."
    )
    purifier_share: Annotated[float, Q("1")] = Field(
        ge=0, le=1, description="Share with a fume purifier installed. Source: Jin et al. 2021 (H)."
    )
    removal_efficiency: Annotated[float, Q("1")] = Field(
        ge=0,
        le=1,
        description="Net PM removal of installed purifiers. Source: Jin et al. 2021 (H).",
    )


def _default_sizes() -> tuple[RestaurantSize, ...]:
    source = "Jin et al. 2021 (shares, purifiers); counts for 483,130 people x 17/10,000 = 821"
    return (
        RestaurantSize(name="large", count=33, stove_heads=8, purifier_share=0.74,
                       removal_efficiency=0.63, source=source),
        RestaurantSize(name="medium", count=115, stove_heads=4, purifier_share=0.66,
                       removal_efficiency=0.50, source=source),
        RestaurantSize(name="small", count=672, stove_heads=1.5, purifier_share=0.51,
                       removal_efficiency=0.31, source=source),
    )  # fmt: skip


class RestaurantConfig(Section):
    """Cooking fumes (油烟) by restaurant size."""

    sizes: tuple[RestaurantSize, ...] = Field(
        default_factory=_default_sizes,
        description="Size classes; the restaurant streams are vectors in this order. Default "
        "counts for Hongqiao: 483,130 x 17/10,000 = 821, split 4/14/82 %.",
    )
    pm25_kg_per_stove_head_year: Annotated[float, Q("kg/yr")] = Field(
        10.17, ge=0, description="Uncontrolled PM2.5 per stove head per year. " + _FUMES_ARITHMETIC
    )
    voc_kg_per_stove_head_year: Annotated[float, Q("kg/yr")] = Field(
        6.82,
        ge=0,
        description="VOC per stove head per year, not removed by purifiers (they are built for "
        "particles and oil mist; assumed). 14.39 kg per restaurant / mean 2.11 stove heads = "
        "6.82 (M, same arithmetic as PM2.5).",
    )
    pm25_pm10_ratio: Annotated[float, Q("1")] = Field(
        0.9,
        gt=0,
        le=1,
        description="PM2.5/PM10 of cooking fumes. Assumed: cooking aerosol is mostly sub-micron.",
    )
    mealtime_profile: tuple[float, ...] = Field(
        MEALTIME_PROFILE, description="24 relative hourly weights (normalised). Assumed."
    )

    @field_validator("mealtime_profile")
    @classmethod
    def _profile(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        return _check_profile(value, 24)

    @model_validator(mode="after")
    def _names(self) -> RestaurantConfig:
        names = [s.name for s in self.sizes]
        if len(set(names)) != len(names):
            raise ValueError(f"restaurant size names must be unique: {names}")
        return self


class SolventConfig(Section):
    """Household and commercial solvent VOC (personal care, cleaning products)."""

    voc_kg_per_person_year: Annotated[float, Q("kg/yr")] = Field(
        1.57,
        ge=0,
        description="VOC per resident per year. Source: Cui et al. 2021 (环境科学学报 41:2272), "
        "China 2017 daily-chemical products 2.185 Mt / 1,390 M people = 1.57 kg (M); Beijing "
        "and Shanghai 3.2-3.3 kg by the same study.",
    )
    daytime_profile: tuple[float, ...] = Field(
        SOLVENT_PROFILE, description="24 relative hourly weights (normalised). Assumed."
    )

    @field_validator("daytime_profile")
    @classmethod
    def _profile(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        return _check_profile(value, 24)


class OpenBurningConfig(Section):
    """Open burning of leaves, rubbish and ritual paper as discrete events."""

    events_per_month: Annotated[tuple[float, ...], Q("1/month")] = Field(
        BURNING_EVENTS_PER_MONTH,
        description="Poisson rate of events in each month Jan-Dec. Assumed (see module).",
    )
    mass_kg_mean: Annotated[float, Q("kg")] = Field(
        30.0, gt=0, description="Mean material burned per event (exponential), kg. Assumed: a pile."
    )
    duration_h: Annotated[float, Q("h")] = Field(
        2.0, gt=0, description="Hours an event burns. Assumed."
    )
    pm25_g_kg: Annotated[float, Q("g/kg")] = Field(
        6.26, ge=0, description="Source: GFED4 agricultural-waste factors after Akagi 2011 (H)."
    )
    pm10_g_kg: Annotated[float, Q("g/kg")] = Field(
        12.4, ge=0, description="Total PM as a PM10 upper bound. Source: GFED4 AGRI TPM (H/M)."
    )
    nox_g_kg: Annotated[float, Q("g/kg")] = Field(
        4.77, ge=0, description="As NO2: GFED4 AGRI NOx 3.11 g/kg as NO x 46/30 (M)."
    )
    so2_g_kg: Annotated[float, Q("g/kg")] = Field(0.4, ge=0, description="Source: GFED4 AGRI (H).")
    voc_g_kg: Annotated[float, Q("g/kg")] = Field(
        9.9,
        ge=0,
        description="Non-methane hydrocarbons, GFED4 AGRI (H); oxygenated VOC not counted.",
    )
    co_g_kg: Annotated[float, Q("g/kg")] = Field(102.0, ge=0, description="Source: GFED4 AGRI (H).")
    nh3_g_kg: Annotated[float, Q("g/kg")] = Field(2.17, ge=0, description="Source: GFED4 AGRI (H).")

    @field_validator("events_per_month")
    @classmethod
    def _months(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if len(value) != 12 or min(value) < 0:
            raise ValueError("must be 12 non-negative monthly rates")
        return value


class HouseholdConfig(Section):
    """Household sources: restaurants, solvents, open burning."""

    population: Annotated[float | None, Q("persons")] = Field(
        None,
        ge=0,
        description="Population served by the household sources; default: district.population.",
    )
    restaurants: RestaurantConfig = Field(default_factory=RestaurantConfig)
    solvents: SolventConfig = Field(default_factory=SolventConfig)
    open_burning: OpenBurningConfig = Field(default_factory=OpenBurningConfig)
