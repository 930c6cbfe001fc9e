"""Scenario section ``targets``: the plan's targets, each a comparison against a summary value.

A target reads one value of a run's summary by its dotted path, ``metric``
(``air.pm25_annual_mean_ug_m3``, ``measures.voc.reduction_t.VOC``), and compares it with
``value``. The 2024 plan's "about 40 µg/m³" is a threshold with a ``tolerance`` band: above the
threshold but inside the band is "within tolerance", not "not met".
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.quantity import Q

__all__ = ["Comparison", "Reduce", "Target", "TargetsConfig"]

#: How a value is compared with the threshold.
Comparison = Literal["<=", ">=", "=="]
#: How a mapping or list found at ``metric`` becomes one number.
Reduce = Literal["none", "min", "max", "sum", "mean"]


class Target(Item):
    """One target: ``<metric> <comparison> <value>`` in ``unit``, with a tolerance band."""

    description: str = Field("", description="The target as the plan words it.")
    metric: str = Field(
        min_length=1,
        description="Dotted path of the value in the run summary, e.g. air.pm25_annual_mean_ug_m3 "
        "(named 'metric', not 'path': keys named path are resolved as files).",
    )
    comparison: Comparison = Field(description="'<=', '>=' or '==' (value against threshold).")
    value: Annotated[float, Q(None)] = Field(description="The threshold, in ``unit``.")
    unit: str = Field("1", description="Unit of the value and the threshold ('1': a fraction).")
    tolerance: Annotated[float, Q(None)] = Field(
        0.0,
        ge=0,
        description="Width of the band past the threshold counted 'within tolerance', in ``unit``.",
    )
    period: Literal["year", "run"] = Field(
        "year",
        description="'year': an annual target, not judged on a run shorter than whole calendar "
        "years (status 'partial year'); 'run': judged on any period (e.g. a total over the run).",
    )
    reduce: Reduce = Field(
        "none",
        description="How a mapping or list at ``metric`` becomes one number (e.g. max of classes).",
    )


class TargetsConfig(Section):
    """The targets a run is checked against (``sim run --check-targets``)."""

    items: tuple[Target, ...] = Field((), description="The targets, in the order reported.")

    @model_validator(mode="after")
    def _unique(self) -> TargetsConfig:
        names = [t.name for t in self.items]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"target names must be unique; repeated: {', '.join(dup)}")
        return self
