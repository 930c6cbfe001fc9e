"""The hourly time axis of a run and its calendar masks (seasons, weekends, public holidays).

Times are local civil time (Asia/Shanghai has no daylight saving), hour ``h`` covering
``[start + h, start + h + 1)``.
"""

from __future__ import annotations

import csv
import functools
import logging
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from importlib import resources

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["Calendar", "load_holidays", "year_calendar"]

log = logging.getLogger(__name__)

#: Heating season in Tianjin: 15 Nov - 15 Mar inclusive (DOMAIN.md §5, H).
HEATING_START = (11, 15)
HEATING_END = (3, 15)
#: Flood season: 1 Jun - 30 Sep (DOMAIN.md §1, the plan's rain-outlet rule).
FLOOD_MONTHS = (6, 7, 8, 9)
#: Ozone control season: May - Sep (the plan, measure 3).
OZONE_MONTHS = (5, 6, 7, 8, 9)


@functools.lru_cache(maxsize=1)
def load_holidays() -> tuple[dict[date, str], dict[date, str]]:
    """Read the shipped table of Chinese public holidays and make-up working days (cached).

    Returns
    -------
    holidays, makeup_workdays
        Mappings from a date to the holiday's name (shared: do not modify).
    """
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    text = resources.files("sim").joinpath("data/holidays_cn.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    for row in rows:
        day = date.fromisoformat(row["date"])
        (holidays if row["kind"] == "holiday" else workdays)[day] = row["name"]
    return holidays, workdays


@dataclass(frozen=True)
class Calendar:
    """Hourly axis from ``start`` (inclusive) to ``end`` (exclusive).

    Parameters
    ----------
    start, end
        Local times on whole hours.
    timezone
        IANA name, kept as metadata (Asia/Shanghai: UTC+8, no daylight saving).
    """

    start: datetime
    end: datetime
    timezone: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"end(={self.end}) must be after start(={self.start}).")

    @cached_property
    def times(self) -> pd.DatetimeIndex:
        """Start of every hour (local time, timezone-naive)."""
        return pd.date_range(self.start, self.end, freq="h", inclusive="left")

    @property
    def n_hours(self) -> int:
        """Number of hours in the run."""
        return len(self.times)

    @cached_property
    def days(self) -> pd.DatetimeIndex:
        """Every calendar day the run touches."""
        return pd.DatetimeIndex(self.times.normalize().unique())

    @cached_property
    def day_index(self) -> NDArray[np.int64]:
        """For each hour, the index of its day in :attr:`days`."""
        return np.asarray(self.days.get_indexer(self.times.normalize()), dtype=np.int64)

    @cached_property
    def hour_of_day(self) -> NDArray[np.int64]:
        """Local hour 0-23 of each hour."""
        return np.asarray(self.times.hour, dtype=np.int64)

    @cached_property
    def month(self) -> NDArray[np.int64]:
        """Month 1-12 of each hour."""
        return np.asarray(self.times.month, dtype=np.int64)

    @cached_property
    def day_of_year(self) -> NDArray[np.int64]:
        """Day of year 1-366 of each hour."""
        return np.asarray(self.times.day_of_year, dtype=np.int64)

    @cached_property
    def heating_season(self) -> NDArray[np.bool_]:
        """Hours in the heating season (15 Nov - 15 Mar, inclusive)."""
        m, d = self.month, np.asarray(self.times.day)
        after_start = (m > HEATING_START[0]) | ((m == HEATING_START[0]) & (d >= HEATING_START[1]))
        before_end = (m < HEATING_END[0]) | ((m == HEATING_END[0]) & (d <= HEATING_END[1]))
        return np.asarray(after_start | before_end)

    @cached_property
    def flood_season(self) -> NDArray[np.bool_]:
        """Hours in the flood season (June - September)."""
        return np.isin(self.month, FLOOD_MONTHS)

    @cached_property
    def ozone_season(self) -> NDArray[np.bool_]:
        """Hours in the ozone control season (May - September)."""
        return np.isin(self.month, OZONE_MONTHS)

    @cached_property
    def weekend(self) -> NDArray[np.bool_]:
        """Saturday and Sunday hours."""
        return np.asarray(self.times.day_of_week >= 5)

    @cached_property
    def _holiday_tables(self) -> tuple[dict[date, str], dict[date, str]]:
        holidays, workdays = load_holidays()
        years = {d.year for d in holidays}
        missing = sorted({t.year for t in self.days} - years)
        if missing:
            log.warning("no public-holiday table for %s: only weekends count as days off", missing)
        return holidays, workdays

    @cached_property
    def public_holiday(self) -> NDArray[np.bool_]:
        """Hours on a public holiday (days off by State Council notice)."""
        holidays, _ = self._holiday_tables
        return self._on_days(holidays)

    @cached_property
    def makeup_workday(self) -> NDArray[np.bool_]:
        """Hours on a weekend day that is worked in exchange for a holiday (调休)."""
        _, workdays = self._holiday_tables
        return self._on_days(workdays)

    def _on_days(self, days: dict[date, str]) -> NDArray[np.bool_]:
        wanted = np.array(sorted(days), dtype="datetime64[D]")
        flags = np.isin(self.days.values.astype("datetime64[D]"), wanted)
        return np.asarray(flags[self.day_index])

    @cached_property
    def day_off(self) -> NDArray[np.bool_]:
        """Hours on a day off: a weekend that is not a make-up workday, or a public holiday."""
        return np.asarray((self.weekend & ~self.makeup_workday) | self.public_holiday)

    @cached_property
    def workday(self) -> NDArray[np.bool_]:
        """Hours on a working day."""
        return np.asarray(~self.day_off)

    def hours_since_start(self, when: datetime | date | str) -> float:
        """Hours from :attr:`start` to ``when`` (a date means its midnight)."""
        moment: datetime
        if isinstance(when, str):
            moment = pd.Timestamp(when).to_pydatetime()
        elif isinstance(when, datetime):
            moment = when
        else:
            moment = datetime(when.year, when.month, when.day)
        return (moment.replace(tzinfo=None) - self.start).total_seconds() / 3600.0

    def daily_mean(self, hourly: NDArray[np.float64]) -> NDArray[np.float64]:
        """Mean over each day of an hourly array (first axis is time)."""
        sums = np.zeros((len(self.days), *hourly.shape[1:]))
        np.add.at(sums, self.day_index, hourly)
        counts = np.bincount(self.day_index, minlength=len(self.days)).reshape(
            (-1,) + (1,) * (hourly.ndim - 1)
        )
        return np.asarray(sums / counts)


@functools.lru_cache(maxsize=8)
def year_calendar(year: int, timezone: str = "Asia/Shanghai") -> Calendar:
    """The calendar of a whole civil year (cached: calendars are immutable)."""
    return Calendar(datetime(year, 1, 1), datetime(year + 1, 1, 1), timezone)
