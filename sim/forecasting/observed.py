"""Observed air data for ``sim forecast``: daily rows or period rows, validated at the edge.

Two layouts, told apart by the header (docs/forecast.md):

- **daily**: ``date, pm25, pm10, no2, so2, co, o3_8h`` — one row per day, µg/m³ (CO mg/m³,
  O3 the day's maximum 8-h mean); a missing value is left empty.
- **periods**: the columns of ``calibration/observations/observations_tianjin_periods.csv``
  (``start, end, pm25, ..., good_days_ratio, good_days``; ``start``/``end`` as ``YYYY-MM``,
  whole months inclusive, or ``YYYY-MM-DD``, ``end`` inclusive); ``good_days_ratio`` in per cent,
  converted here to the summary's fraction. Overlapping periods: the longest one starting on
  the earliest day is used (a Jan-Oct row supersedes Jan-Sep).

Every problem is a one-line :class:`~sim.errors.ScenarioError` naming the file, the row and what
is expected (exit code 2): missing columns, values out of their unit's range, duplicate days,
and any observation on or after ``as_of`` (that would leak the future into the forecast).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from sim.errors import ScenarioError

__all__ = [
    "DAILY_COLUMNS",
    "Observations",
    "count_good_days",
    "from_daily_array",
    "read_observations",
]

#: Columns of the daily layout, and the largest plausible value in its unit.
DAILY_COLUMNS = {
    "pm25": 1000.0,
    "pm10": 2000.0,
    "no2": 1000.0,
    "so2": 2000.0,
    "co": 50.0,
    "o3_8h": 800.0,
}
_UNITS = {"co": "mg/m3"}


@dataclass(frozen=True)
class Observations:
    """What was observed before ``as_of``.

    Attributes
    ----------
    kind
        ``"daily"`` or ``"periods"``.
    first_day, end_day
        The observed span ``[first_day, end_day)``.
    pm25_ug_m3
        Daily layout: the daily PM2.5 (NaN where missing), one per day of the span.
    daily
        Daily layout: every column's daily values (µg/m³, CO mg/m³).
    pm25_mean_ug_m3
        Mean PM2.5 over the observed days.
    good_days, days
        Good days (AQI <= 100) counted and the days they are counted over.
    """

    kind: str
    first_day: date
    end_day: date
    pm25_mean_ug_m3: float
    good_days: float | None
    days: int
    daily: dict[str, NDArray[np.float64]] = field(default_factory=dict)

    @property
    def good_days_ratio(self) -> float | None:
        """Good days as a fraction of the days observed."""
        return None if self.good_days is None else self.good_days / self.days


def _number(path: Path, row: int, col: str, text: str | None, upper: float) -> float:
    if text is None or not text.strip():
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise ScenarioError(f"{path}: row {row}, {col}: expected a number, got {text!r}") from None
    if not 0.0 <= value <= upper:
        unit = _UNITS.get(col, "ug/m3" if col in DAILY_COLUMNS else "")
        raise ScenarioError(
            f"{path}: row {row}, {col}: {value:g} is outside [0, {upper:g}] {unit}".rstrip()
        )
    return value


def _day(path: Path, row: int, col: str, text: str, end: bool = False) -> date:
    """A day; ``YYYY-MM`` is the month's first day (or, for ``end``, its last day)."""
    try:
        if len(text.strip()) == 7:
            first = date.fromisoformat(text.strip() + "-01")
            if not end:
                return first
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return nxt - timedelta(days=1)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ScenarioError(
            f"{path}: row {row}, {col}: expected a date YYYY-MM-DD (or YYYY-MM), got {text!r}"
        ) from None


def _read_daily(path: Path, rows: list[dict[str, str]], as_of: date) -> Observations:
    seen: dict[date, int] = {}
    values: dict[date, dict[str, float]] = {}
    for i, r in enumerate(rows, start=2):
        day = _day(path, i, "date", r["date"])
        if day in seen:
            raise ScenarioError(f"{path}: row {i}, date: {day} repeats row {seen[day]}")
        if day >= as_of:
            raise ScenarioError(
                f"{path}: row {i}, date: {day} is on or after --as-of {as_of} (observations must "
                "precede the forecast)"
            )
        seen[day] = i
        values[day] = {c: _number(path, i, c, r.get(c), u) for c, u in DAILY_COLUMNS.items()}
    if not values:
        raise ScenarioError(f"{path}: no observation rows")
    first, last = min(values), max(values)
    n = (last - first).days + 1
    daily = {c: np.full(n, np.nan) for c in DAILY_COLUMNS}
    for day, vals in values.items():
        for c, v in vals.items():
            daily[c][(day - first).days] = v
    pm = daily["pm25"]
    if np.isnan(pm).all():
        raise ScenarioError(f"{path}: pm25: no value given")
    good = count_good_days(daily)
    return Observations(
        "daily", first, last + timedelta(days=1), float(np.nanmean(pm)), good, n, daily
    )


def count_good_days(daily: dict[str, NDArray[np.float64]]) -> float:
    """Days with AQI <= 100 (HJ 633-2012), counted over the days with any value."""
    from sim.air.aqi import aqi

    res = aqi(daily["pm25"], daily["pm10"], daily["so2"], daily["no2"], daily["co"], daily["o3_8h"])
    found = ~np.isnan(res.aqi)
    return float(np.sum(res.aqi[found] <= 100.0) * len(found) / max(int(found.sum()), 1))


def _read_periods(path: Path, rows: list[dict[str, str]], as_of: date) -> Observations:
    year_start = date(as_of.year, 1, 1)
    found: list[tuple[date, date, float, float | None]] = []
    for i, r in enumerate(rows, start=2):
        start = _day(path, i, "start", r["start"])
        last = _day(path, i, "end", r["end"], end=True)
        if last < start:
            raise ScenarioError(f"{path}: row {i}, end: {last} precedes start {start}")
        if start < year_start:
            continue  # another year's bulletin
        if last >= as_of:
            raise ScenarioError(
                f"{path}: row {i}, end: {last} is on or after --as-of {as_of} (observations must "
                "precede the forecast)"
            )
        days = (last - start).days + 1
        pm = _number(path, i, "pm25", r.get("pm25"), DAILY_COLUMNS["pm25"])
        ratio = _number(path, i, "good_days_ratio", r.get("good_days_ratio"), 100.0)
        if 0.0 < ratio <= 1.0:
            raise ScenarioError(
                f"{path}: row {i}, good_days_ratio: {ratio:g} looks like a fraction; expected "
                "per cent (0-100)"
            )
        count = _number(path, i, "good_days", r.get("good_days"), float(days))
        good = count if not math.isnan(count) else ratio / 100.0 * days
        found.append((start, last, pm, None if math.isnan(good) else good))
    return _chain(path, found, year_start)


def _chain(
    path: Path, rows: list[tuple[date, date, float, float | None]], year_start: date
) -> Observations:
    """Contiguous periods from 1 January: at each step the longest row starting there."""
    day, pm_sum, good_sum, n = year_start, 0.0, 0.0, 0
    good_known = True
    while True:
        here = [r for r in rows if r[0] == day and not math.isnan(r[2])]
        if not here:
            break
        start, last, pm, good = max(here, key=lambda r: r[1])
        days = (last - start).days + 1
        pm_sum, n = pm_sum + pm * days, n + days
        good_known = good_known and good is not None
        good_sum += good or 0.0
        day = last + timedelta(days=1)
    if n == 0:
        raise ScenarioError(
            f"{path}: no period with a pm25 value starts on {year_start} (the observed span must "
            "begin on 1 January of the --as-of year)"
        )
    return Observations("periods", year_start, day, pm_sum / n, good_sum if good_known else None, n)


def read_observations(path: str | Path, as_of: date) -> Observations:
    """Read and validate an observed-data CSV (daily or period rows) before ``as_of``.

    Raises
    ------
    ScenarioError
        One line naming the file, row and column: a missing file or column, a value outside its
        unit's range, a repeated day, an observation on or after ``as_of``.
    """
    p = Path(path)
    if not p.is_file():
        raise ScenarioError(f"{p}: observed-data file not found")
    with p.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(line for line in fh if not line.startswith("#"))
        header = [h.strip() for h in reader.fieldnames or []]
        reader.fieldnames = header
        rows = list(reader)
    if "date" in header:
        missing = [c for c in ("date", *DAILY_COLUMNS) if c not in header]
        if missing:
            raise ScenarioError(f"{p}: missing column(s) {', '.join(missing)} (daily layout)")
        obs = _read_daily(p, rows, as_of)
    elif "start" in header and "end" in header:
        missing = [c for c in ("pm25", "good_days_ratio", "good_days") if c not in header]
        if missing:
            raise ScenarioError(f"{p}: missing column(s) {', '.join(missing)} (period layout)")
        obs = _read_periods(p, rows, as_of)
    else:
        raise ScenarioError(
            f"{p}: expected a 'date' column (daily rows) or 'start' and 'end' (period rows)"
        )
    if obs.first_day != date(as_of.year, 1, 1):
        raise ScenarioError(
            f"{p}: observations start on {obs.first_day}; expected 1 January {as_of.year}"
        )
    return obs


def from_daily_array(daily_ug_m3: NDArray[np.float64], first_day: date) -> Observations:
    """Observations from modelled daily means (days, 6: PM2.5, PM10, SO2, NO2, CO, O3 MDA8;
    µg/m³, CO µg/m³ as in the results' ``daily_concentration``): a twin experiment's "truth"."""
    arr = np.asarray(daily_ug_m3, dtype=float)
    cols = ("pm25", "pm10", "so2", "no2", "co", "o3_8h")
    daily = {c: arr[:, i].copy() for i, c in enumerate(cols)}
    daily["co"] = daily["co"] / 1000.0
    n = arr.shape[0]
    return Observations(
        "daily", first_day, first_day + timedelta(days=n), float(np.nanmean(daily["pm25"])),
        count_good_days(daily), n, daily,
    )  # fmt: skip
