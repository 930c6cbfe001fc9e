"""Scenario section: the dust family of measures (fields of ``policies``).

The plan's measure 4 (area sources): the "six 100 %" package and monitoring at sites of at least
5,000 m², muck trucks, stockpiles and bare land, road cleaning judged by grams per m² (以克论净),
prefabricated buildings, and open-burning control.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from sim.scenario.base import Section
from sim.scenario.distributions import Uncertain
from sim.scenario.measure import MeasureConfig
from sim.scenario.quantity import Q

__all__ = [
    "BareLandCover",
    "DustPolicies",
    "MuckTruckEnclosure",
    "OpenBurningPatrol",
    "PrefabricatedBuildings",
    "RoadCleaning",
    "SiteDustControl",
]

Fraction = Annotated[float, Q("1")]


class SiteDustControl(MeasureConfig):
    """``site_dust_control``: the six-100 % package, monitoring, lapses and inspections.

    From the measure's start (or a site's opening) every site works at the package's control
    efficiency (never below its own). Sites lapse at random (Poisson); a lapsed site falls back
    to its own configured control until the lapse is found: within ``monitored_detection_days``
    at a site with networked monitoring, otherwise at an inspection round (each finds it with
    ``detection_probability``). Large sites get monitoring ``monitoring_install_days`` after the
    measure starts or they open, whichever is later.
    """

    package_control_efficiency: Uncertain = Field(
        0.75,
        description="Control efficiency of a site that keeps the full package. Source: the "
        "'six 100 %' package removes 60-80 % (DOMAIN.md §5, L).",
    )
    monitoring_threshold_m2: Annotated[float, Q("m2")] = Field(
        5000.0, ge=0, description="Sites at least this large get monitoring. Source: the plan, 4."
    )
    monitoring_install_days: Uncertain = Field(
        30.0, description="Days to install and network monitoring at a site. Assumed."
    )
    lapses_per_site_month: Annotated[float, Q("1/month")] = Field(
        1.0, ge=0, description="Rate at which a working site drops the package. Assumed."
    )
    monitored_detection_days: Annotated[float, Q("d")] = Field(
        1.0, ge=0, description="Days for the network to flag a lapse at a monitored site. Assumed."
    )
    inspection_interval_days: Annotated[float, Q("d")] = Field(
        14.0, gt=0, description="Days between inspection rounds of unmonitored sites. Assumed."
    )
    detection_probability: Uncertain = Field(
        0.7, description="Chance that a round finds a lapse at an unmonitored site. Assumed."
    )
    monitoring_capital_cny_per_site: Annotated[float, Q("CNY")] = Field(
        0.0, ge=0, description="Cost of video and PM monitoring at one site, CNY."
    )


class _Ramp(MeasureConfig):
    reached_by: date = Field(
        date(2024, 6, 30), description="Day the target is reached (linear monthly steps)."
    )


class MuckTruckEnclosure(_Ramp):
    """``muck_truck_enclosure``: the share of trips in sealed, washed trucks rises to a target."""

    target_enclosed_fraction: Fraction = Field(
        1.0, ge=0, le=1, description="Share of muck-truck trips in enclosed trucks at the end."
    )


class BareLandCover(_Ramp):
    """``bare_land_cover``: stockpiles and bare land covered (netting, greening) to a target."""

    target_uncovered_fraction: Fraction = Field(
        0.05, ge=0, le=1, description="Share of bare land left uncovered at the end."
    )
    cost_cny_per_m2: Annotated[float, Q("CNY/m2")] = Field(
        0.0, ge=0, description="Cost of covering one m², CNY (booked at each step)."
    )


class RoadCleaning(_Ramp):
    """``road_cleaning``: mechanised wet sweeping judged by grams of dust per m² (以克论净)."""

    target_silt_loading_g_m2: Uncertain = Field(
        0.5,
        description="Road silt loading sL reached and kept, g/m² (used only when "
        "`cleaning_interval_h` is not given).",
    )
    cleaning_interval_h: Annotated[float, Q("h")] | None = Field(
        None,
        ge=1,
        le=24 * 30,
        description="Silt regeneration model (sim.policies.silt): hours between the extra "
        "washing or sweeping passes. Bounds: hourly passes to monthly ones.",
    )
    removal_per_cleaning: Fraction = Field(
        0.3, ge=0, le=1, description="Share of the road silt one pass removes."
    )
    silt_recovery_h: Annotated[float, Q("h")] = Field(
        12.0,
        ge=0.5,
        le=24 * 14,
        description="e-folding time of silt regeneration between passes, h. Bounds: field "
        "effects of sweeping last 2-3 h, of washing about a day (Karanasiou 2011; Amato 2009).",
    )
    covered_road_share: Fraction = Field(
        1.0, ge=0, le=1, description="Share of the road length in the programme."
    )
    cost_cny_per_km_year: Annotated[float, Q("CNY/km/yr")] = Field(
        0.0, ge=0, description="Extra cleaning cost per km of road per year, CNY."
    )


class PrefabricatedBuildings(MeasureConfig):
    """``prefabricated_buildings``: prefabricated share of new buildings; less on-site work.

    A site opening on or after ``start`` whose name is in ``sites`` (empty: every site) emits
    ``1 - share x dust_reduction`` of its controlled dust.
    """

    sites: tuple[str, ...] = Field((), description="Building sites it applies to; empty: all.")
    prefabricated_share: Uncertain = Field(
        0.3, description="Prefabricated share of new floor area. Source: the plan, 30 % by 2025."
    )
    dust_reduction: Uncertain = Field(
        0.5,
        description="Share of on-site construction dust avoided for prefabricated floor area. "
        "Assumed: factory-made components remove most on-site cutting, mixing and formwork.",
    )


class OpenBurningPatrol(MeasureConfig):
    """``open_burning_patrol``: patrols deter open burning of leaves and rubbish."""

    prevented_share: Uncertain = Field(
        0.5, description="Share of would-be burning events prevented while patrols run. Assumed."
    )


class DustPolicies(Section):
    """Measures of the dust family; each field is one measure (absent: not applied)."""

    site_dust_control: SiteDustControl | None = Field(
        None, description="Six-100 % package, monitoring at large sites, inspections (plan 4)."
    )
    muck_truck_enclosure: MuckTruckEnclosure | None = Field(
        None, description="Muck trucks enclosed (plan 4)."
    )
    bare_land_cover: BareLandCover | None = Field(
        None, description="Stockpiles and bare land covered (plan 4)."
    )
    road_cleaning: RoadCleaning | None = Field(
        None, description="Road cleaning judged by grams per m² (plan 4)."
    )
    prefabricated_buildings: PrefabricatedBuildings | None = Field(
        None, description="Prefabricated buildings share (plan 4)."
    )
    open_burning_patrol: OpenBurningPatrol | None = Field(
        None, description="Open-burning control (plan 4)."
    )
