"""The ``sources.coal`` section: scattered household coal (散煤) and re-burning (复烧) episodes."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.quantity import Q

__all__ = ["DEFAULT_HEATING_PROFILE", "CoalConfig", "CoalType"]

#: Relative coal-feeding rate by local hour 0-23: refuelling peaks at 06-08 and 17-21, banked
#: stove overnight. Assumed: the shape of household heating practice (stove banked at night,
#: stoked on rising and on return home); only the shape matters, it is normalised.
# fmt: off
DEFAULT_HEATING_PROFILE: tuple[float, ...] = (
    0.4, 0.3, 0.3, 0.3, 0.3, 0.6,  # 00-05 banked
    1.5, 2.0, 1.5, 1.0, 0.8, 0.8,  # 06-11 morning stoking
    1.0, 0.8, 0.7, 0.8, 1.0, 1.6,  # 12-17
    2.0, 2.0, 1.6, 1.2, 0.8, 0.5,  # 18-23 evening peak, then banking
)
# fmt: on

# Tianjin municipal environmental monitoring centre (2017, reported by 天津网 2017-09-08): every
# 10,000 t of scattered coal emits about 59 t PM2.5 and 69 t PM10 -> PM2.5/PM10 = 59/69 = 0.855.
_PM_RATIO_SOURCE = (
    "Source: Tianjin environmental monitoring centre 2017 (59 t PM2.5 and 69 t PM10 per 10,000 t "
    "scattered coal, reported by 天津网 2017-09-08): 59/69 = 0.855 (M)."
)


class CoalType(Item):
    """One kind of household coal, its remaining households and its emission factors (g/kg coal)."""

    households: Annotated[float, Q("households")] = Field(
        0.0,
        ge=0,
        description="Households still burning this coal at the start of the run. Source: the "
        "bureau's scattered-coal ledger; assumed: 0 unless the scenario says otherwise.",
    )
    pm25_g_kg: Annotated[float, Q("g/kg")] = Field(
        13.2,
        ge=0,
        description="PM2.5 per kg coal burned. Source: DOMAIN.md §5, bituminous chunk 13.2 ± 5.5 "
        "g/kg (M).",
    )
    pm25_pm10_ratio: Annotated[float, Q("1")] = Field(
        0.855, gt=0, le=1, description="PM2.5/PM10 mass ratio. " + _PM_RATIO_SOURCE
    )
    so2_g_kg: Annotated[float, Q("g/kg")] = Field(
        1.7,
        ge=0,
        description="SO2 per kg coal. Source: Liang et al. 2017, 1.5-1.9 kg/t (H); midpoint.",
    )
    nox_g_kg: Annotated[float, Q("g/kg")] = Field(
        1.3,
        ge=0,
        description="NOx (as NO2) per kg coal. Source: Liang et al. 2017, 0.4-2.2 kg/t (H); "
        "midpoint.",
    )
    co_g_kg: Annotated[float, Q("g/kg")] = Field(
        54.5,
        ge=0,
        description="CO per kg coal. Source: Liang et al. 2017, 22-87 kg/t (H); midpoint.",
    )
    voc_g_kg: Annotated[float, Q("g/kg")] = Field(
        5.0,
        ge=0,
        description="Non-methane VOC per kg coal. Source: Klein et al. 2018 (ES&T), "
        "traditional stove, 1.5-14.1 g/kg for bituminous coals, < 0.1 g/kg for anthracite (H); "
        "5 g/kg is about the geometric mean of the bituminous range (M).",
    )


def _default_coal_types() -> tuple[CoalType, ...]:
    return (
        CoalType(name="bituminous_chunk", source="DOMAIN.md §5; Liang 2017; Klein 2018"),
        CoalType(
            name="semi_coke_briquette",
            source="DOMAIN.md §5: semi-coke briquettes -94 % PM2.5 vs raw coal (H)",
            pm25_g_kg=0.79,
            voc_g_kg=0.1,
        ),
    )


class CoalConfig(Section):
    """Scattered household coal: who still burns it, how much, and re-burning after conversion."""

    coal_types: tuple[CoalType, ...] = Field(
        default_factory=_default_coal_types,
        description="Coal kinds in use; the stream coal.households is a vector in this order. "
        "Defaults: bituminous chunk (PM2.5 13.2 g/kg) and semi-coke briquette (PM2.5 13.2 x "
        "(1 - 0.94) = 0.79 g/kg, DOMAIN.md §5 H; VOC 0.1 g/kg assumed like anthracite, Klein "
        "2018, because semi-coke is devolatilised).",
    )
    coal_t_per_household_season: Annotated[float, Q("t")] = Field(
        2.0,
        ge=0,
        description="Coal burned per household over a whole heating season (15 Nov - 15 Mar), t. "
        "Source: Beijing suburban households burned 2-3 t a year before conversion (China Daily "
        "2015-12-01, M); the lower end is taken for Tianjin's smaller urban bungalows. DOMAIN.md "
        "§5 gives 1.16 t for Guiyang (M), a milder climate.",
    )
    heating_base_temperature_c: Annotated[float, Q("degC")] = Field(
        18.0,
        description="Base temperature of heating degree-hours, °C: coal use in an hour is "
        "proportional to max(base - T, 0). Source: the 18 °C base of China's heating "
        "degree-days (GB 50176-2016 thermal design code, M).",
    )
    diurnal_profile: tuple[float, ...] = Field(
        DEFAULT_HEATING_PROFILE,
        description="24 relative weights by local hour (normalised). Assumed: morning and "
        "evening stoking peaks, night banking.",
    )
    reburning_coal_type: str = Field(
        "bituminous_chunk", description="Coal burned in re-burning episodes (a name in coal_types)."
    )
    reburning_episodes_per_month: Annotated[float, Q("1/month")] = Field(
        0.5,
        ge=0,
        description="Poisson rate of re-burning episodes per month of heating season. Assumed: "
        "a few episodes a winter found by grid inspection in a converted urban district.",
    )
    reburning_households_mean: Annotated[float, Q("households")] = Field(
        3.0,
        ge=1,
        description="Mean households per episode (1 + Poisson(mean - 1)). Assumed: a courtyard.",
    )
    reburning_duration_days_mean: Annotated[float, Q("d")] = Field(
        10.0,
        gt=0,
        description="Mean duration of an episode until found or ended (exponential), days. "
        "Assumed: grid inspectors patrol weekly to fortnightly.",
    )

    @field_validator("diurnal_profile")
    @classmethod
    def _profile(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if len(value) != 24 or min(value) < 0 or sum(value) <= 0:
            raise ValueError("must be 24 non-negative weights with a positive sum")
        return value

    @model_validator(mode="after")
    def _names(self) -> CoalConfig:
        names = [t.name for t in self.coal_types]
        if not names:
            raise ValueError("coal_types must name at least one coal")
        if len(set(names)) != len(names):
            raise ValueError(f"coal_types names must be unique: {names}")
        if self.reburning_coal_type not in names:
            raise ValueError(
                f"reburning_coal_type {self.reburning_coal_type!r} is not one of {names}"
            )
        return self
