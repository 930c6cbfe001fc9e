"""``sim.forecast``: re-forecast the year from the observations to date (docs/forecast.md).

1. The scenario's whole year is run as an ensemble (each member its own weather, uncertain
   inputs and fitted air parameters, :func:`sim.ensemble.run_ensemble`); with reported progress
   the members restart from it at ``as_of`` (:mod:`sim.spinup`).
2. The observed days (from 1 January to the day before ``as_of``) replace the members' first
   days; the rest of each member's year is conditioned on the anomaly observed so far
   (:mod:`sim.forecasting.condition`).
3. Every scorecard target is scored on the members' year-end summaries, with the air values
   replaced by the conditioned ones: P(year-end met) per target.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.errors import ScenarioError
from sim.forecasting.observed import Observations, read_observations
from sim.forecasting.progress import Reported, behind_schedule, read_progress, scheduled_values
from sim.forecasting.yearend import YearEnd, year_end
from sim.streams import rng_for
from sim.targets import Scorecard, scenario_targets, score_ensemble

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = [
    "STRUCTURAL_SD_LOG",
    "Forecast",
    "Members",
    "conditioned_scorecard",
    "forecast",
    "members_daily",
    "run_members",
    "whole_year",
]

PM25_METRIC = "air.pm25_annual_mean_ug_m3"
GOOD_METRIC = "air.good_days_ratio"
#: What the members carry (docs/forecast.md).
PARAMETER_NOTE = (
    "members carry weather, uncertain-input and fitted air-parameter uncertainty (each member "
    "draws the calibrated parameters from their joint normal, as in sim run --ensemble)"
)
#: The model's persistent PM2.5 error against the bulletins, ln units (docs/forecast.md,
#: "The prior"; validation/backtest.py prints it): the mean square of the observed-minus-modelled
#: log anomaly of each bulletin year's longest observed period, less its weather-noise variance
#: and the members' own spread. Refitted after the third air refit of 2 December 2026 (sixteen
#: weather seeds, 2021 and 2023 observations): log anomalies 2020 0.48-0.52, 2022 0.18, 2024
#: 0.26-0.27 -> 0.314 (0.338 after the second refit, 0.281 before it, 0.184 before air part 2).
#: Three years, and 2020's includes the emission fall from 2020 to 2024.
STRUCTURAL_SD_LOG = 0.31


@dataclass
class Forecast:
    """A year-end forecast from ``as_of``: members' year-end values and every target's P(met)."""

    scenario: Scenario
    as_of: date
    observations: Observations
    yearend: YearEnd
    summaries: list[dict[str, Any]]
    scorecard: Scorecard
    progress_note: str
    behind: list[dict[str, Any]] = field(default_factory=list)
    #: ``--weekly``: one row per week's end (P(met) re-forecast from the data to that date).
    weekly: list[dict[str, Any]] | None = None
    #: The members' modelled daily means (members, days, 6), before conditioning.
    model_daily: Any = None
    #: Root seed of the ensemble (the anomaly draws come from it).
    seed: int = 0
    prior_sd_log: float | None = None
    structural_sd_log: float = 0.0
    #: The members' ensemble Dataset (for the weekly dispatch table); None if not kept.
    dataset: Any = None

    def band(self, values: Any) -> dict[str, float]:
        """Median and the 5-95 % range."""
        arr = np.asarray(values, dtype=float)
        return {
            "median": round(float(np.median(arr)), 4),
            "p05": round(float(np.percentile(arr, 5)), 4),
            "p95": round(float(np.percentile(arr, 95)), 4),
        }


def whole_year(scenario: Scenario, year: int) -> Scenario:
    """``scenario`` run over the whole calendar ``year``.

    Rebuilt from its raw mapping (not ``model_copy``): ensemble members re-validate the raw
    mapping when they draw the fitted parameters, and must see the same period.
    """
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    if scenario.run.start == start and scenario.run.end == end:
        return scenario
    return _override(scenario, {"run.start": start, "run.end": end})


def _override(scenario: Scenario, values: dict[str, Any]) -> Scenario:
    from sim.scenario import scenario_from_mapping

    return scenario_from_mapping(scenario.raw, origin=scenario.origin, overrides=values)


def _with_air(summary: Mapping[str, Any], pm25: float, good_ratio: float, good: float) -> dict:
    out = copy.deepcopy(dict(summary))
    air = dict(out.get("air") or {})
    air.update(
        pm25_annual_mean_ug_m3=round(pm25, 3), good_days_ratio=round(good_ratio, 4), good_days=good
    )
    out["air"] = air
    return out


def members_daily(dataset: Any) -> np.ndarray:
    """Members' daily means (members, days, 6) from an ensemble Dataset."""
    da = dataset["daily_concentration"].transpose("member", "day", ...)
    return np.asarray(da.values, dtype=float)


def forecast(
    scenario: Scenario | str | Path,
    as_of: date | str,
    observed: str | Path | Observations,
    *,
    progress: str | Path | None = None,
    ensemble: int = 20,
    jobs: int | None = 1,
    seed: int | None = None,
    attribution: bool = False,
    prior_sd_log: float | None = None,
    structural_sd_log: float | None = None,
    members: Members | None = None,
) -> Forecast:
    """Re-forecast the year from the observations before ``as_of``.

    Parameters
    ----------
    scenario
        The scenario (or its path); its year is ``as_of``'s.
    as_of
        First day not observed; the forecast covers ``as_of`` to 31 December.
    observed
        The observed-data CSV (:func:`sim.forecasting.observed.read_observations`).
    progress
        The progress YAML (what measures did by ``as_of``); None: the scenario's own schedule.
    ensemble, jobs, seed
        Members, worker processes and root seed (default the scenario's).
    attribution
        Run the attribution in every member (needed by targets on ``measures.*``).
    prior_sd_log
        Prior standard deviation of the persistent PM2.5 anomaly, ln units; None: fitted (the
        members' persistent spread, :func:`sim.forecasting.condition.persistent_sd`, combined
        with ``structural_sd_log``).
    structural_sd_log
        The model's persistent error against real data, ln units (default
        :data:`STRUCTURAL_SD_LOG`, from the bulletin years; 0 for twin experiments).
    members
        Members already run for this scenario and year (:func:`run_members`); not with
        ``progress`` (a restart needs its own runs).
    """
    from sim.api import load_scenario

    scen = scenario if not isinstance(scenario, (str, Path)) else load_scenario(scenario)
    day = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    if ensemble < 2:
        raise ScenarioError(f"--ensemble: expected at least 2 members, got {ensemble}")
    obs = observed if isinstance(observed, Observations) else read_observations(observed, day)
    note = "progress: the scenario's own schedule to the as-of date (no --progress given)"
    scen = whole_year(scen, day.year)
    root = scen.run.seed if seed is None else seed
    behind: list[dict[str, Any]] = []
    if progress is not None:
        reported = read_progress(progress, day)
        behind = compare_with_schedule(scen, root, day, reported, progress)
        scen = restarted(scen, day, reported)
        note = (
            f"progress: reported in {progress}; before the as-of date the measures' state is the "
            "reported one, after it they follow the scenario's paces from there"
        )
    if members is None or progress is not None:
        members = run_members(scen, day.year, ensemble, jobs, seed=root, attribution=attribution)
    struct = STRUCTURAL_SD_LOG if structural_sd_log is None else structural_sd_log
    rng = rng_for(root, "forecast.anomaly")
    ye = year_end(members.daily, obs, rng, prior_sd_log, struct)
    summaries, card = conditioned_scorecard(scen, members.summaries, ye)
    return Forecast(scen, day, obs, ye, summaries, card, note, behind, None, members.daily, root,
                    prior_sd_log, struct, getattr(members, "dataset", None))  # fmt: skip


@dataclass(frozen=True)
class Members:
    """The ensemble behind a forecast: members' summaries and daily means (members, days, 6)."""

    summaries: list[dict[str, Any]]
    daily: Any
    dataset: Any = None


def run_members(
    scenario: Scenario | str | Path,
    year: int,
    ensemble: int,
    jobs: int | None = 1,
    cache: Path | None = None,
    *,
    seed: int | None = None,
    attribution: bool = False,
) -> Members:
    """Run ``scenario``'s whole ``year`` as an ensemble (each member draws its weather, uncertain
    inputs and fitted air parameters: :func:`sim.ensemble.run_ensemble`).

    ``cache``: a folder where the members are kept (pickle) and reused by the validation scripts.
    """
    import pickle

    from sim.api import load_scenario
    from sim.ensemble import run_ensemble

    scen = scenario if not isinstance(scenario, (str, Path)) else load_scenario(scenario)
    scen = whole_year(scen, year)
    root = scen.run.seed if seed is None else seed
    path = None if cache is None else cache / f"{scen.name}_{year}_{ensemble}_{root}.pkl"
    if path is not None and path.is_file():
        with path.open("rb") as fh:
            found: Members = pickle.load(fh)
        return found
    ens = run_ensemble(scen, ensemble, jobs=jobs, seed=root, progress=False,
                       attribution=attribution)  # fmt: skip
    out = Members(ens.summaries, members_daily(ens.dataset), ens.dataset)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            pickle.dump(out, fh)
    return out


def restarted(scen: Scenario, day: date, reported: Reported) -> Scenario:
    """``scen`` whose runs restart from ``reported`` at ``day`` (sim.spinup)."""
    state = {
        "as_of": datetime(day.year, day.month, day.day),
        "quantities": dict(reported.quantities),
        "projects": dict(reported.projects),
    }
    return _override(scen, {"run.reported_progress": state})


def compare_with_schedule(
    scen: Scenario, seed: int, day: date, reported: Reported, path: str | Path
) -> list[dict[str, Any]]:
    """Reported progress against the scenario's schedule (one engine run, root seed)."""
    from sim.engine import simulate_state
    from sim.spinup import commissioned_at

    ledger = simulate_state(scen, seed=seed).ledger
    as_of_h = 24.0 * (day - date(day.year, 1, 1)).days
    rows = behind_schedule(reported.quantities, scheduled_values(ledger, as_of_h), path)
    for key, when in sorted(reported.projects.items()):
        measure, subject = key.split(".", 1)
        t_event = commissioned_at(ledger.events, measure, subject)
        if t_event is None:
            raise ScenarioError(f"{path}: measures.{measure}.commissioned.{subject}: no such "
                                f"project in the scenario's {measure} events")  # fmt: skip
        planned = date(day.year, 1, 1) + timedelta(hours=t_event)
        actual = when or day
        rows.append({"progress": f"{key}.commissioned", "reported": str(when or "not yet"),
                     "scheduled": planned.isoformat(), "behind_by": (actual - planned).days,
                     "behind": bool((actual - planned).days > 0)})  # fmt: skip
    return rows


def conditioned_scorecard(
    scen: Scenario, members: list[dict[str, Any]], ye: YearEnd
) -> tuple[list[dict[str, Any]], Scorecard]:
    """Members' summaries with the conditioned year-end air values, and their scorecard."""
    summaries = [
        _with_air(s, float(p), float(r), float(g))
        for s, p, r, g in zip(
            members, ye.pm25_annual_mean_ug_m3, ye.good_days_ratio, ye.good_days, strict=True
        )
    ]
    return summaries, score_ensemble(scenario_targets(scen), summaries, scen.name)
