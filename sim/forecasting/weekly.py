"""``sim forecast --weekly``: the forecast re-made every week from the data to that date.

Each Monday before ``as_of`` (data through the Sunday before it) and ``as_of`` itself get one row
(column ``as_of``, the first day not observed): the observations cut to the days before it, the
same members conditioned on them (:func:`sim.forecasting.yearend.year_end`), and P(year-end met)
of every target. Only daily observations can be cut by week; with period rows the table has the
one row at ``as_of``. Written as ``dispatch.csv`` in the forecast's folder: the members' own weekly
dispatch table (:func:`sim.dispatch.weekly_dispatch`, medians over members) with one column
``forecast_p_met.<target>`` per target, filled in the ISO week whose last observed day the
re-forecast used (empty in the weeks after ``as_of``, not observed yet).
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from sim.forecasting.observed import Observations
from sim.forecasting.run import Forecast, conditioned_scorecard
from sim.forecasting.yearend import year_end
from sim.streams import rng_for

__all__ = ["cut", "weekly_table", "write_weekly"]


def cut(obs: Observations, end: date) -> Observations:
    """Daily observations of the days before ``end``."""
    n = (end - obs.first_day).days
    daily = {k: v[:n] for k, v in obs.daily.items()}
    pm = daily["pm25"]
    good = None
    if obs.good_days is not None:
        from sim.forecasting.observed import count_good_days

        good = count_good_days(daily)
    return replace(
        obs, end_day=end, days=n, daily=daily, pm25_mean_ug_m3=float(np.nanmean(pm)), good_days=good
    )


def weekly_table(fc: Forecast) -> list[dict[str, Any]]:
    """One row per week: the re-forecast's as-of date, the days observed, P(met) per target."""
    obs = fc.observations
    ends = [fc.as_of]
    if obs.kind == "daily":
        monday = obs.first_day + timedelta(days=(6 - obs.first_day.weekday()) % 7 + 1)
        ends = []
        while monday < obs.end_day:
            ends.append(monday)
            monday += timedelta(days=7)
        ends.append(fc.as_of)
    rows = []
    for end in ends:
        part = cut(obs, min(end, obs.end_day)) if obs.kind == "daily" else obs
        if part.days < 1 or np.isnan(part.pm25_mean_ug_m3):
            continue
        rng = rng_for(fc.seed, "forecast.anomaly")
        ye = year_end(fc.model_daily, part, rng, fc.prior_sd_log, fc.structural_sd_log)
        _, card = conditioned_scorecard(fc.scenario, fc.summaries, ye)
        row: dict[str, Any] = {"as_of": end.isoformat(), "observed_days": part.days}
        row.update({f"p_met.{t.name}": t.probability_met for t in card.targets})
        rows.append(row)
    return rows


def dispatch_table(fc: Forecast, rows: list[dict[str, Any]]) -> Any:
    """The members' weekly dispatch with the re-forecasts' P(met) in their weeks (a DataFrame)."""
    import pandas as pd

    from sim.dispatch import weekly_dispatch
    from sim.targets import scenario_targets

    table = weekly_dispatch(fc.dataset, scenario_targets(fc.scenario))
    weeks = []
    for r in rows:
        iso = (date.fromisoformat(r["as_of"]) - timedelta(days=1)).isocalendar()
        weeks.append(f"{iso.year}-W{iso.week:02d}")
    found = (
        pd.DataFrame(rows)
        .drop(columns=["as_of"])
        .rename(columns=lambda c: c.replace("p_met.", "forecast_p_met."))
    )
    found["forecast_as_of"] = [r["as_of"] for r in rows]
    found["iso_week"] = weeks
    found = found.rename(columns={"observed_days": "forecast_observed_days"})
    return table.merge(found.drop_duplicates("iso_week", keep="last"), on="iso_week", how="left")


def write_weekly(fc: Forecast, rows: list[dict[str, Any]], path: Path) -> None:
    """``dispatch.csv``: the members' dispatch table with the weekly P(met) (empty: none)."""
    if fc.dataset is not None:
        table = dispatch_table(fc, rows)
        for col in [c for c in table.columns if c.startswith("forecast_p_met.")]:
            table[col] = table[col].map(lambda v: "" if v is None or v != v else f"{v:.4f}")
        table["forecast_observed_days"] = table["forecast_observed_days"].map(
            lambda v: "" if v != v else str(int(v))
        )
        table.to_csv(path, index=False, lineterminator="\n")
        return
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: "" if v is None else (f"{v:.4f}" if isinstance(v, float) else v)
                        for k, v in r.items()})  # fmt: skip
