"""What each family of measures buys: reductions against the same run without that family.

For every measure family with an enabled measure, the scenario is run again with that family's
measures set to ``enabled: false`` (overrides on ``scenario.raw``), with the same seed, so that
weather and every exogenous draw are shared (common random numbers). The attributable reduction
is the counterfactual's emissions minus the run's, per pollutant, for the whole run and by month.
Cost is the sum of the family's cost events (capital + operating, CNY); cost per tonne is cost
over reduction, undefined (NaN; ``null`` in JSON) where the reduction is not positive.

Families are removed one at a time, so with interacting families (an alert cutting a source that
a retrofit has already cut) the attributions need not add up to the joint effect.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from sim.policies import FAMILIES, family_module
from sim.sources.base import POLLUTANTS

if TYPE_CHECKING:
    from sim.engine import RunState
    from sim.scenario.schema import Scenario

#: Smallest reduction (t) whose cost per tonne the printed table shows.
MIN_SHOWN_T = 0.1

__all__ = [
    "Attribution",
    "attribute",
    "enabled_measures",
    "family_costs_cny",
    "monthly_totals_t",
    "without_family",
]

#: Pollutants shown in the printed table.
SHOWN: tuple[str, ...] = ("PM2.5", "PM10", "NOx", "VOC", "SO2")


def enabled_measures(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """Family -> its enabled measures, for every family with at least one (registry order)."""
    out: dict[str, tuple[str, ...]] = {}
    for family in FAMILIES:
        module = family_module(family)
        if module is None:
            continue
        on = tuple(
            m
            for m in module.MEASURES
            if getattr(getattr(scenario.policies, m, None), "enabled", False)
        )
        if on:
            out[family] = on
    return out


def without_family(scenario: Scenario, family: str) -> Scenario:
    """The same scenario with every measure of ``family`` disabled (validated again)."""
    from sim.scenario import scenario_from_mapping

    raw: dict[str, Any] = (
        copy.deepcopy(scenario.raw)
        if scenario.raw
        else scenario.model_dump(mode="json", exclude_none=True)
    )
    policies = raw.setdefault("policies", {})
    for measure in enabled_measures(scenario).get(family, ()):
        entry = policies.get(measure)
        policies[measure] = {**(entry if isinstance(entry, dict) else {}), "enabled": False}
    return scenario_from_mapping(raw, origin=scenario.origin)


def monthly_totals_t(state: RunState) -> tuple[pd.DatetimeIndex, NDArray[np.float64]]:
    """Months of the run and emissions of all sources by month, t, shape (months, pollutants)."""
    hourly = np.zeros((state.calendar.n_hours, len(POLLUTANTS)))
    for arr in state.source_emissions.values():
        hourly += arr
    month_start = state.calendar.times.to_period("M").to_timestamp()
    months = pd.DatetimeIndex(month_start.unique())
    out = np.zeros((len(months), len(POLLUTANTS)))
    np.add.at(out, months.get_indexer(month_start), hourly)
    return months, out / 1000.0


def family_costs_cny(state: RunState, measures: tuple[str, ...]) -> float:
    """Capital plus operating cost booked by ``measures`` in the run, CNY."""
    return float(
        sum(
            e.quantities.get("capital_cny", 0.0) + e.quantities.get("operating_cny", 0.0)
            for e in state.ledger.events
            if e.kind == "cost" and e.process in measures
        )
    )


@dataclass(frozen=True)
class Attribution:
    """Reductions and costs attributable to each measure family of one run."""

    families: tuple[str, ...]
    measures: dict[str, tuple[str, ...]]
    months: pd.DatetimeIndex
    #: t over the run, shape (families, pollutants).
    reduction_t: NDArray[np.float64]
    #: t by month, shape (families, months, pollutants).
    monthly_reduction_t: NDArray[np.float64]
    #: CNY, shape (families,).
    cost_cny: NDArray[np.float64]

    @property
    def cost_per_t(self) -> NDArray[np.float64]:
        """CNY per tonne reduced, shape (families, pollutants); NaN where reduction <= 0."""
        red = self.reduction_t
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(red > 0, self.cost_cny[:, None] / red, np.nan)

    def to_dataset(self) -> xr.Dataset:
        """Variables ``measure_reduction``, ``measure_monthly_reduction``, ``measure_cost``,
        ``measure_cost_per_t`` on dimensions ``family``, ``month``, ``pollutant``."""
        fam, mon, pol = "family", "month", "pollutant"
        note = "counterfactual (family disabled, same seed) minus this run"
        what = "emission reduction attributable to the measure family"
        data = {
            "measure_reduction": ((fam, pol), self.reduction_t, _a("t", what, note)),
            "measure_monthly_reduction": (
                (fam, mon, pol),
                self.monthly_reduction_t,
                _a("t", f"{what}, by month", note),
            ),
            "measure_cost": (
                (fam,),
                self.cost_cny,
                _a("CNY", "capital and operating cost of the family", "sum of its cost events"),
            ),
            "measure_cost_per_t": (
                (fam, pol),
                self.cost_per_t,
                _a("CNY t-1", "cost per tonne reduced", "NaN where the reduction is <= 0"),
            ),
        }
        coords = {
            fam: (fam, list(self.families), {"long_name": "measure family (sim.policies)"}),
            mon: (mon, self.months.values, {"long_name": "first day of the month"}),
            pol: (pol, list(POLLUTANTS)),
        }
        return xr.Dataset(data, coords=coords)

    def summary(self) -> dict[str, Any]:
        """The ``measures`` section of summary.json, keyed by family."""
        per_t = self.cost_per_t
        out: dict[str, Any] = {}
        for i, family in enumerate(self.families):
            reduction = self.reduction_t[i]
            out[family] = {
                "measures": list(self.measures[family]),
                "reduction_t": {p: round(float(reduction[j]), 6) for j, p in enumerate(POLLUTANTS)},
                "cost_cny": round(float(self.cost_cny[i]), 2),
                "cost_per_t": {
                    p: None if np.isnan(per_t[i, j]) else round(float(per_t[i, j]), 2)
                    for j, p in enumerate(POLLUTANTS)
                },
            }
        return out

    def lines(self) -> list[str]:
        """A fixed-width table for the terminal: reductions (t) and cost per tonne."""
        if not self.families:
            return []
        idx = [POLLUTANTS.index(p) for p in SHOWN]
        head = f"{'family':<12}" + "".join(f"{p:>9}" for p in SHOWN) + f"{'cost MCNY':>11}"
        lines = ["", "Reductions attributable to each measure family (t/period)", head]
        lines.append("-" * len(head))
        per_t = self.cost_per_t
        for i, family in enumerate(self.families):
            red = "".join(f"{self.reduction_t[i, j]:>9.2f}" for j in idx)
            lines.append(f"{family:<12}{red}{self.cost_cny[i] / 1e6:>11.2f}")
            # cost per tonne is shown where the family cuts at least 0.1 t (a side effect of a
            # few kilograms would print a meaningless figure); summary.json keeps every value
            cpt = "".join(
                f"{'-':>9}"
                if np.isnan(per_t[i, j]) or self.reduction_t[i, j] < MIN_SHOWN_T
                else f"{per_t[i, j] / 1e3:>9.0f}"
                for j in idx
            )
            lines.append(f"{'  kCNY/t':<12}{cpt}")
        return lines


def _a(units: str, long_name: str, comment: str) -> dict[str, str]:
    return {"units": units, "long_name": long_name, "comment": comment}


def attribute(state: RunState) -> Attribution:
    """Attribute the run's reductions to each family with an enabled measure.

    Runs the engine once more per family (same seed). A run with no enabled measure gives an
    Attribution with no families.
    """
    from sim.engine import simulate_state

    measures = enabled_measures(state.scenario)
    months, run_monthly = monthly_totals_t(state)
    monthly = np.zeros((len(measures), len(months), len(POLLUTANTS)))
    costs = np.zeros(len(measures))
    for i, (family, names) in enumerate(measures.items()):
        other = simulate_state(
            without_family(state.scenario, family),
            seed=state.seed,
            pm25_forecast=state.pm25_forecast,
        )
        _, cf_monthly = monthly_totals_t(other)
        monthly[i] = cf_monthly - run_monthly
        costs[i] = family_costs_cny(state, names)
    return Attribution(
        families=tuple(measures),
        measures=measures,
        months=months,
        reduction_t=monthly.sum(axis=1),
        monthly_reduction_t=monthly,
        cost_cny=costs,
    )
