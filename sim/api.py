"""The Python API behind every command: load a scenario, run it."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.engine import simulate_state
from sim.results import Result
from sim.scenario import load_scenario as _load
from sim.scenario.schema import Scenario

__all__ = ["load_scenario", "run", "run_summary"]


def load_scenario(
    path: str | Path, overrides: Sequence[str] | Mapping[str, Any] | None = None
) -> Scenario:
    """Read and validate a scenario file; see :func:`sim.scenario.load_scenario`."""
    return _load(path, overrides)


def run(
    scenario: Scenario | str | Path,
    *,
    seed: int | None = None,
    attribution: bool = True,
    validate: bool = True,
) -> Result:
    """Simulate one scenario and return its :class:`~sim.results.Result`.

    Parameters
    ----------
    scenario
        A validated scenario, or the path of a scenario file.
    seed
        Root seed; defaults to the scenario's ``run.seed``.
    attribution
        When a measure is enabled, attribute reductions and costs to each measure family
        (:mod:`sim.attribution`; from the run without measures, no further engine run).
        False skips it.
    validate
        Check that every number of the summary is finite (:mod:`sim.validity`); False leaves
        the check to the caller (an ensemble checks all its members and names the bad ones).

    Raises
    ------
    sim.validity.InvalidResultError
        (exit code 4) When ``validate`` and the run produced a NaN or infinite value.
    """
    if not isinstance(scenario, Scenario):
        scenario = _load(scenario)
    from sim.outcomes.air import forecast_daily_pm25

    state = simulate_state(scenario, seed=seed, pm25_forecast=forecast_daily_pm25)
    without = state.without_measures()  # the one run without measures, for outcomes and attribution
    from sim.outcomes import compute_outcomes
    from sim.outcomes.plan import plan_facts
    from sim.policies import measure_families

    outcomes = compute_outcomes(state, without)
    result = Result.assemble(state, outcomes, plan_facts(state), measure_families())
    if attribution:
        from sim.attribution import attribute, enabled_measures

        if enabled_measures(scenario):
            found = attribute(state, without_measures=without)
            result.attach_measures(found.to_dataset(), found.summary(), found.lines())
    if validate:
        from sim.validity import check_summary

        check_summary(result.summary, f"{scenario.name} (seed {result.summary.get('seed')})")
    return result


def run_summary(
    scenario: Scenario,
    *,
    seed: int | None = None,
    outcomes: Collection[str] | None = None,
    attribution: bool = False,
) -> dict[str, Any]:
    """The summary of one run alone, for callers that read a few figures of many runs.

    The same engine run, run without measures and outcomes as :func:`run`, but no results
    Dataset, events table or emission tables are built, and only the outcome modules named in
    ``outcomes`` are computed (None: every one the scenario has). The summary holds
    ``scenario``, ``seed``, each computed outcome's section, the plan facts (``costs``,
    ``indicators``, ``measure_costs_cny``) and, with ``attribution``, ``measures``; each of
    these equals the same section of ``run(scenario, seed=seed).summary``. Not validated: the
    caller checks the figures it reads.
    """
    from sim.outcomes import compute_outcomes
    from sim.outcomes.air import forecast_daily_pm25
    from sim.outcomes.plan import plan_facts

    state = simulate_state(scenario, seed=seed, pm25_forecast=forecast_daily_pm25)
    without = state.without_measures()
    found = compute_outcomes(state, without, only=outcomes)
    summary: dict[str, Any] = {"scenario": scenario.name, "seed": int(state.seed)}
    summary |= {name: outcome.summary for name, outcome in found.items()}
    summary |= plan_facts(state)
    if attribution:
        from sim.attribution import attribute, enabled_measures

        if enabled_measures(scenario):
            summary["measures"] = attribute(state, without_measures=without).summary()
    return summary
