"""Partial-year runs made honest: play the year from 1 January, keep the asked period.

A run whose ``run.start`` lies after 1 January of its year does not start its measures from
nothing: the engine plays the discrete events from the year's first hour (the *spin-up*) and
keeps only the hours of ``[run.start, run.end)``. Vehicles retired by a quota before the start
count as retired, outlets remediated by then stay remediated, sites opened stay open; the
period's hourly emissions, weather, state streams and events are exactly those hours of the
whole-year run with the same seed (the same weather and draws: common random numbers with it).

Events before the start (and the costs they book) belong to the months before the period and are
dropped; state streams keep their value at the start as their initial value.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from sim.calendar import Calendar
from sim.ledger import Ledger, Stream
from sim.weather.hourly import Weather

__all__ = ["crop_calendar", "crop_ledger", "crop_weather", "spinup_start", "year_start"]


def year_start(start: datetime) -> datetime:
    """Midnight of 1 January of ``start``'s year."""
    return datetime(start.year, 1, 1)


def spinup_start(start: datetime) -> datetime | None:
    """Where the engine starts playing events for a run starting at ``start``.

    None when ``start`` is the year's first hour (no spin-up needed).
    """
    first = year_start(start)
    return None if start <= first else first


def _crop_stream(s: Stream, offset_h: float, n_hours: int) -> Stream:
    """Stream ``s`` seen from ``offset_h`` on, times shifted by ``-offset_h``."""
    times = np.asarray(s.times_h)
    k = int(np.searchsorted(times, offset_h, side="right") - 1)
    keep = [
        (t - offset_h, v)
        for t, v in zip(s.times_h[k + 1 :], s.values[k + 1 :], strict=True)
        if t - offset_h < n_hours
    ]
    return Stream(
        s.name,
        s.unit,
        s.long_name,
        [0.0, *(t for t, _ in keep)],
        [s.values[max(k, 0)].copy(), *(v for _, v in keep)],
    )


def crop_ledger(ledger: Ledger, offset_h: int, n_hours: int) -> Ledger:
    """The ledger of hours ``[offset_h, offset_h + n_hours)``, its time origin moved there.

    Each stream starts from its value at ``offset_h`` (the state reached during the spin-up);
    events in the window are kept with shifted times, earlier and later ones dropped.
    """
    if offset_h < 0 or offset_h + n_hours > ledger.n_hours:
        raise ValueError(
            f"window [{offset_h}, {offset_h + n_hours}) outside the ledger's {ledger.n_hours} h."
        )
    out = Ledger(n_hours)
    for name in ledger.stream_names:
        out._streams[name] = _crop_stream(ledger.stream(name), float(offset_h), n_hours)
    end = offset_h + n_hours
    out._events = [
        dataclasses.replace(e, time_h=e.time_h - offset_h)
        for e in ledger.events
        if offset_h <= e.time_h < end
    ]
    out.changes = [  # a measure's changes before the start hold from the period's first hour
        dataclasses.replace(c, time_h=max(c.time_h - offset_h, 0.0))
        for c in ledger.changes
        if c.time_h < end
    ]
    return out


def crop_weather(weather: Weather, offset_h: int, n_hours: int) -> Weather:
    """Hours ``[offset_h, offset_h + n_hours)`` of ``weather``."""
    window = slice(offset_h, offset_h + n_hours)
    arrays: dict[str, NDArray[np.float64] | NDArray[np.bool_]] = {
        f.name: getattr(weather, f.name)[window] for f in dataclasses.fields(weather)
    }
    return Weather(**arrays)  # type: ignore[arg-type]


def crop_calendar(full: Calendar, start: datetime, end: datetime) -> tuple[Calendar, int]:
    """The period's calendar and its first hour's index in ``full``."""
    period = Calendar(start, end, full.timezone)
    return period, round(full.hours_since_start(start))
