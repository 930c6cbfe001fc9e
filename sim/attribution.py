"""What each family of measures buys: reductions against the same run without that family.

For every measure family with an enabled measure, the scenario is run again with that family's
measures set to ``enabled: false`` (overrides on ``scenario.raw``), with the same seed, so that
weather and every exogenous draw are shared (common random numbers). The attributable reduction
is the counterfactual's emissions minus the run's, per pollutant, for the whole run and by month.
``cost_cny`` is the cash the family booked (capital, operating and transfers); the economic
figures are :mod:`sim.costs`' annualised resource cost and fiscal outlay, and cost per tonne is
annualised cost over the *full-year-equivalent* reduction (:mod:`sim.measure_effects`), undefined
(NaN; ``null`` in JSON) where that reduction is not positive.

Families are removed one at a time, so with interacting families (an alert cutting a source that
a retrofit has already cut) the attributions need not add up to the joint effect. Within a family,
each measure's own recorded state changes are also taken out alone (``by_measure``,
:mod:`sim.provenance`, no new run); the family's figure minus the sum of its
measures' is reported as ``interaction_t``. docs/costs.md explains the figures.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from sim.costs import cost_model, measure_costs
from sim.measure_effects import MeasureEffect, full_year_delta_kg_h, measure_effects
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
    "family_counterfactual",
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
    month_start = state.calendar.times.to_period("M").to_timestamp()
    return pd.DatetimeIndex(month_start.unique()), _monthly_t(state, state.source_emissions)


def family_costs_cny(state: RunState, measures: tuple[str, ...]) -> float:
    """Cash booked by ``measures`` in the run (capital, operating and transfers), CNY."""
    keys = ("capital_cny", "operating_cny", "transfer_cny")
    return float(
        sum(
            sum(e.quantities.get(k, 0.0) for k in keys)
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
    #: CNY booked (capital, operating, transfers), shape (families,).
    cost_cny: NDArray[np.float64]
    #: full-year-equivalent reductions, t, shape (families, pollutants).
    full_year_reduction_t: NDArray[np.float64] | None = None
    #: annualised resource cost and public cash spent, CNY, shape (families,).
    annualised_cost_cny: NDArray[np.float64] | None = None
    fiscal_outlay_cny: NDArray[np.float64] | None = None
    #: family -> measure -> its effect alone (empty when not computed).
    by_measure: dict[str, dict[str, MeasureEffect]] | None = None

    @property
    def cost_per_t(self) -> NDArray[np.float64]:
        """Annualised CNY per full-year tonne, shape (families, pollutants); NaN where <= 0.

        Without the annualised figures (an Attribution built by hand) it is booked cost over the
        in-year reduction.
        """
        red = self.reduction_t if self.full_year_reduction_t is None else self.full_year_reduction_t
        cost = self.cost_cny if self.annualised_cost_cny is None else self.annualised_cost_cny
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(red > 0, cost[:, None] / red, np.nan)

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
                "reduction_t": _pol(reduction),
                "cost_cny": round(float(self.cost_cny[i]), 2),
                "cost_per_t": {
                    p: None if np.isnan(per_t[i, j]) else round(float(per_t[i, j]), 2)
                    for j, p in enumerate(POLLUTANTS)
                },
            }
            if self.full_year_reduction_t is not None:
                out[family]["full_year_reduction_t"] = _pol(self.full_year_reduction_t[i])
            if self.annualised_cost_cny is not None and self.fiscal_outlay_cny is not None:
                out[family]["annualised_cost_cny"] = round(float(self.annualised_cost_cny[i]), 2)
                out[family]["fiscal_outlay_cny"] = round(float(self.fiscal_outlay_cny[i]), 2)
            effects = (self.by_measure or {}).get(family)
            if effects:
                out[family]["by_measure"] = {m: e.summary() for m, e in effects.items()}
                alone = sum((e.reduction_t for e in effects.values()), np.zeros(len(POLLUTANTS)))
                out[family]["interaction_t"] = _pol(reduction - alone)
        return out

    def lines(self) -> list[str]:
        """Fixed-width tables for the terminal: by family, then by measure."""
        if not self.families:
            return []
        idx = [POLLUTANTS.index(p) for p in SHOWN]
        cost = self.cost_cny if self.annualised_cost_cny is None else self.annualised_cost_cny
        head = f"{'family':<12}" + "".join(f"{p:>9}" for p in SHOWN) + f"{'MCNY/yr':>11}"
        lines = ["", "Reductions attributable to each measure family (t in the run)", head]
        lines.append("-" * len(head))
        per_t = self.cost_per_t
        for i, family in enumerate(self.families):
            red = "".join(f"{self.reduction_t[i, j]:>9.2f}" for j in idx)
            lines.append(f"{family:<12}{red}{cost[i] / 1e6:>11.2f}")
            # cost per tonne is shown where the family cuts at least 0.1 t (a side effect of a
            # few kilograms would print a meaningless figure); summary.json keeps every value
            cpt = "".join(
                f"{'-':>9}"
                if np.isnan(per_t[i, j]) or self.reduction_t[i, j] < MIN_SHOWN_T
                else f"{per_t[i, j] / 1e3:>9.0f}"
                for j in idx
            )
            lines.append(f"{'  kCNY/t fy':<12}{cpt}")
        return lines + self._measure_lines()

    def _measure_lines(self) -> list[str]:
        rows = [
            (m, e) for fam in self.families for m, e in (self.by_measure or {}).get(fam, {}).items()
        ]
        if not rows:
            return []
        head = (
            f"{'measure':<24}{'kCNY/yr':>9}{'fiscal k':>9}{'PM2.5 t':>8}{'NOx t':>8}"
            f"{'VOC t':>8}{'ug/m3':>8}{'MCNY/ug':>9}"
        )
        out = ["", "By measure, full-year-equivalent (annualised cost at 8 %)", head]
        out.append("-" * len(head))
        p, x, v = (POLLUTANTS.index(k) for k in ("PM2.5", "NOx", "VOC"))
        for m, e in rows:
            fy, ug = e.full_year_reduction_t, e.pm25_full_year_ug_m3
            fiscal = e.costs.fiscal_outlay_cny if e.costs else 0.0
            per = e.annualised_cost_cny / ug / 1e6 if ug > 1e-6 else float("nan")
            out.append(
                f"{m:<24}{e.annualised_cost_cny / 1e3:>9.0f}{fiscal / 1e3:>9.0f}{fy[p]:>8.2f}"
                f"{fy[x]:>8.2f}{fy[v]:>8.2f}{ug:>8.4f}{per:>9.1f}"
            )
        return out


def _pol(values: NDArray[np.float64]) -> dict[str, float]:
    return {p: round(float(values[j]), 6) for j, p in enumerate(POLLUTANTS)}


def _a(units: str, long_name: str, comment: str) -> dict[str, str]:
    return {"units": units, "long_name": long_name, "comment": comment}


def attribute(
    state: RunState, *, per_measure: bool = True, without_measures: RunState | None = None
) -> Attribution:
    """Attribute the run's reductions to each family with an enabled measure.

    No new simulation: the run without a family is the run's ledger with the streams that
    family's measures own taken from ``without_measures``, the same scenario and seed run
    without any measure (:func:`sim.provenance.emissions_recombined`; measures of one family
    never touch another family's streams), and only the vectorised emission pass recomputed. A
    family whose streams another family shares is simulated without it instead. With
    ``per_measure``, each measure of the families that change air emissions is also taken out
    alone (:func:`sim.measure_effects.measure_effects`; no further run).
    A run with no enabled measure gives an Attribution with no families.
    """
    measures = enabled_measures(state.scenario)
    months, run_monthly = monthly_totals_t(state)
    n = len(measures)
    monthly = np.zeros((n, len(months), len(POLLUTANTS)))
    full_year = np.zeros((n, len(POLLUTANTS)))
    costs, annualised, fiscal = np.zeros(n), np.zeros(n), np.zeros(n)
    if measures and without_measures is None:
        without_measures = state.without_measures()
    for i, (family, names) in enumerate(measures.items()):
        other = family_counterfactual(state, family, without_measures)
        monthly[i] = _monthly_t(state, other) - run_monthly
        costs[i] = family_costs_cny(state, names)
        found = measure_costs(state, names)
        annualised[i] = sum(c.annualised_cny() for c in found.values())
        fiscal[i] = sum(c.fiscal_outlay_cny for c in found.values())
        episodic = all(cost_model(m).effect == "episodic" for m in names)
        share = max(c.active_share for c in found.values())
        _, fy = full_year_delta_kg_h(state, other, episodic=episodic, active_share=share)
        full_year[i] = fy.sum(axis=0) / 1000.0
    by_measure: dict[str, dict[str, MeasureEffect]] = {}
    if per_measure and measures:
        effects = measure_effects(state, measures, without_measures=without_measures)
        by_measure = {f: {m: effects[m] for m in ms} for f, ms in measures.items()}
    return Attribution(
        families=tuple(measures),
        measures=measures,
        months=months,
        reduction_t=monthly.sum(axis=1),
        monthly_reduction_t=monthly,
        cost_cny=costs,
        full_year_reduction_t=full_year,
        annualised_cost_cny=annualised,
        fiscal_outlay_cny=fiscal,
        by_measure=by_measure,
    )


def family_counterfactual(
    state: RunState, family: str, without_measures: RunState | None
) -> dict[str, NDArray[np.float64]]:
    """Hourly source emissions (kg/h) of the run without ``family``'s measures.

    Recombined from the run and ``without_measures`` where the family's streams are its own;
    otherwise (or without provenance) the scenario is simulated again without the family.
    """
    from sim.provenance import emissions_recombined, stream_owners

    if without_measures is not None:
        if "family_owners" not in state.memo:
            group = {m: f for f, ms in enabled_measures(state.scenario).items() for m in ms}
            state.memo["family_owners"] = stream_owners(state, without_measures, group)
        found = emissions_recombined(state, without_measures, state.memo["family_owners"], family)
        if found is not None:
            return found
    from sim.engine import simulate_state

    off = without_family(state.scenario, family)
    return simulate_state(off, seed=state.seed, pm25_forecast=state.pm25_forecast).source_emissions


def _monthly_t(state: RunState, emissions: dict[str, NDArray[np.float64]]) -> NDArray[np.float64]:
    """Emissions of all sources by month, t, shape (months, pollutants), on ``state``'s months."""
    hourly = np.zeros((state.calendar.n_hours, len(POLLUTANTS)))
    for arr in emissions.values():
        hourly += arr
    month_start = state.calendar.times.to_period("M").to_timestamp()
    months = pd.DatetimeIndex(month_start.unique())
    out = np.zeros((len(months), len(POLLUTANTS)))
    np.add.at(out, months.get_indexer(month_start), hourly)
    return out / 1000.0
