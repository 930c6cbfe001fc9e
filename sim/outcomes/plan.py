"""Plan facts that no physical outcome computes: measure costs and the plan's indicators.

Read from a finished run (its ledger and scenario) and added to the top level of the run summary,
where the targets (:mod:`sim.targets`) read them like any other value:

``measure_costs_cny``
    Cash booked by each measure (ledger events of kind ``cost``: capital, operating and
    transfers such as subsidies), CNY.
``costs``
    Annualised resource cost and fiscal outlay by measure (:func:`sim.costs.costs_summary`).
``indicators.large_sites_monitored_share``
    Of the construction sites at least ``policies.site_dust_control.monitoring_threshold_m2``
    large (5,000 m² when that measure is absent: the plan, measure 4) that worked during the run,
    the share whose networked monitoring was on at some time (ledger ``dust.site.monitored``).
``indicators.new_forklifts_nev_share``
    The new-energy share of forklifts < 3 t bought under ``forklift_electric`` (its expected
    ``electric_share``); absent without the measure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.ledger import Ledger
from sim.scenario.distributions import expected
from sim.scenario.sections.dust import LARGE_SITE_AREA_M2

if TYPE_CHECKING:
    from sim.engine import RunState
    from sim.scenario.schema import Scenario

__all__ = ["measure_costs_cny", "monitoring_threshold_m2", "plan_facts", "plan_indicators"]

#: Ledger streams of the construction sites (written by sim.sources.dust and sim.policies.dust).
_MONITORED, _ACTIVE = "dust.site.monitored", "dust.site.active"


def measure_costs_cny(ledger: Ledger) -> dict[str, float]:
    """Cash booked by each measure (capital + operating + transfers), CNY (2 decimals)."""
    costs: dict[str, float] = {}
    for event in ledger.events:
        if event.kind == "cost":
            amount = event.quantities.get("capital_cny", 0.0) + event.quantities.get(
                "operating_cny", 0.0
            )
            amount += event.quantities.get("transfer_cny", 0.0)
            costs[event.process] = costs.get(event.process, 0.0) + amount
    return {k: round(v, 2) for k, v in sorted(costs.items())}


def monitoring_threshold_m2(scenario: Scenario) -> float:
    """Site area from which monitoring is required, m²: the scenario's, else the plan's 5,000."""
    cfg = getattr(scenario.policies, "site_dust_control", None)
    return float(cfg.monitoring_threshold_m2) if cfg is not None else LARGE_SITE_AREA_M2


def _large_sites(scenario: Scenario) -> NDArray[np.bool_]:
    dust = scenario.sources.dust
    sites = dust.construction.sites if dust is not None else ()
    threshold = monitoring_threshold_m2(scenario)
    return np.asarray([s.area_m2 >= threshold for s in sites], dtype=bool)


def plan_indicators(ledger: Ledger, scenario: Scenario) -> dict[str, Any]:
    """The plan's indicators (module doc) from a run's ledger and scenario; JSON-ready."""
    out: dict[str, Any] = {}
    if ledger.has(_MONITORED) and ledger.has(_ACTIVE):
        monitored = np.stack(ledger.stream(_MONITORED).values).max(axis=0)
        active = np.stack(ledger.stream(_ACTIVE).values).max(axis=0)
        sel = _large_sites(scenario) & (active > 0)
        if sel.any():
            out["large_sites_monitored_share"] = round(float((monitored[sel] > 0).mean()), 4)
    forklift = getattr(scenario.policies, "forklift_electric", None)
    if forklift is not None and forklift.enabled:
        out["new_forklifts_nev_share"] = round(expected(forklift.electric_share), 4)
    return out


def plan_facts(state: RunState) -> dict[str, Any]:
    """``measure_costs_cny``, ``costs`` and (when any) ``indicators``: the summary's top level."""
    from sim.costs import costs_summary

    out: dict[str, Any] = {
        "measure_costs_cny": measure_costs_cny(state.ledger),
        "costs": costs_summary(state),
    }
    indicators = plan_indicators(state.ledger, state.scenario)
    if indicators:
        out["indicators"] = indicators
    return out
