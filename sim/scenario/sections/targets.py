"""Scenario section ``targets``: the plan's targets, each a comparison against a summary value.

A target reads one value of a run's summary by its dotted path, ``metric``
(``air.pm25_annual_mean_ug_m3``, ``measures.voc.reduction_t.VOC``), and compares it with
``value``. The 2024 plan's "about 40 µg/m³" is a threshold with a ``tolerance`` band: above the
threshold but inside the band is "within tolerance", not "not met".
"""

from __future__ import annotations

import difflib
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.base import Item, Section
from sim.scenario.quantity import Q

__all__ = ["METRICS", "Comparison", "Reduce", "Target", "TargetsConfig", "check_metric"]

#: How a value is compared with the threshold.
Comparison = Literal["<=", ">=", "=="]
#: How a mapping or list found at ``metric`` becomes one number.
Reduce = Literal["none", "min", "max", "sum", "mean"]


#: The summary values a target may read, by section: the known keys of each section (``*``: any
#: key below, e.g. a river section's or a source's name). A metric outside this table would
#: never be found in a run's summary and would be scored "not evaluated" — a silent pass — so it
#: is refused when the scenario is loaded. Keep in step with the outcomes' summaries
#: (tests/scenario/test_targets_metrics.py checks it against real runs).
METRICS: dict[str, tuple[str, ...]] = {
    "air": (
        "pm25_annual_mean_ug_m3", "pm10_annual_mean_ug_m3", "so2_annual_mean_ug_m3",
        "no2_annual_mean_ug_m3", "co_annual_mean_mg_m3", "o3_8h_p90_ug_m3", "good_days_ratio",
        "good_days", "days", "heavy_pollution_days", "pm25_monthly_mean_ug_m3.*",
        "pm25_by_scale_ug_m3.*", "pm25_by_origin_ug_m3.*", "primary_pollutant_days.*",
        "counterfactual_run", "pm25_change_by_actor_ug_m3.*", "good_days_change_by_actor.*",
        "no_measures.*", "district_alone.*", "actor_measures.*", "actor_split",
        "actors_with_measures", "assumption",
    ),
    "water": (
        "sections.*", "share_class_iii_or_better", "any_worse_than_v", "outlet_remediation_share",
        "cod_load_t", "nh3n_load_t", "cso_volume_m3", "cso_days", "black_odorous_days.*",
        "offseason_outlet_days", "cod_reduction_t", "nh3n_reduction_t", "cso_events",
        "overflow_rule_events", "plant_bypass_cod_t", "plant_bypass_nh3n_t",
        "section_margin.*", "deciding_species.*",
    ),
    "soil": (
        "plots_arrived", "plots_surveyed", "plots_cleared", "plots_contaminated",
        "plots_developed", "plots_developed_unsafe", "plots_pending_end", "safe_use_rate",
        "survey_wait.*", "review_wait.*", "survey_queue_max",
    ),
    "indicators": ("large_sites_monitored_share", "new_forklifts_nev_share"),
    "measures": tuple(
        f"{family}.{what}"
        for family in ("coal", "dust", "emergency", "household", "soil", "vehicles", "voc", "water")
        for what in (
            "reduction_t.*", "cost_cny", "cost_per_t.*", "annualised_cost_cny",
            "fiscal_outlay_cny", "full_year_reduction_t.*", "interaction_t.*", "by_measure.*",
        )
    ),
    "costs": ("*",),
    "total_t": ("*",),
    "emissions_t": ("*",),
    "sources_t": ("*",),
    "measure_costs_cny": ("*",),
    "period": ("hours",),
    "events": (),
}  # fmt: skip


def _matches(rest: str, pattern: str) -> bool:
    if pattern == "*":
        return bool(rest)
    if pattern.endswith(".*"):
        stem = pattern[:-2]
        return rest.startswith(stem + ".") and len(rest) > len(stem) + 1
    return rest == pattern


def check_metric(metric: str) -> str | None:
    """None when ``metric`` names a value a run's summary can hold, else what is wrong with it
    (the valid names, and the closest by difflib)."""
    section, _, rest = metric.partition(".")
    if section not in METRICS:
        close = difflib.get_close_matches(section, list(METRICS), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown summary section {section!r}{hint} (sections: {', '.join(METRICS)})"
    patterns = METRICS[section]
    if not patterns:
        return None if not rest else f"{section} is a number; it has no keys below it"
    if any(_matches(rest, p) for p in patterns):
        return None
    names = [f"{section}.{p}" for p in patterns]
    close = difflib.get_close_matches(metric, names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown metric {metric!r}{hint} (valid: {', '.join(names)})"


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
    decided_by: str = Field(
        "",
        max_length=400,
        description="The assumption that decides this target's result, in words; shown beside "
        "the result in scorecard.json, the printed scorecard and the report.",
    )
    decided_by_zh: str = Field(
        "", max_length=400, description="``decided_by`` in Chinese (the report's zh page)."
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
        problems = [
            f"items[{i}].metric = {t.metric!r}: {p}"
            for i, t in enumerate(self.items)
            if (p := check_metric(t.metric)) is not None
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self
