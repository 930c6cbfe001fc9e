"""Partial-year runs made honest: play the year from 1 January, keep the asked period.

A run whose ``run.start`` lies after 1 January of its year does not start its measures from
nothing: the engine plays the discrete events from the year's first hour (the *spin-up*) and
keeps only the hours of ``[run.start, run.end)``. Vehicles retired by a quota before the start
count as retired, outlets remediated by then stay remediated, sites opened stay open; the
period's hourly emissions, weather, state streams and events are exactly those hours of the
whole-year run with the same seed (the same weather and draws: common random numbers with it).

Events before the start (and the costs they book) belong to the months before the period and are
dropped; state streams keep their value at the start as their initial value.

**Restart from reported progress** (``run.reported_progress``, from ``sim forecast --progress``).

The engine plays the scenario's schedule; :func:`restart_ledger` then re-times each reported
measure's own state changes (those the ledger kept under its name, :mod:`sim.provenance`) so that
the state at ``as_of`` is the reported one and the remaining work follows the scenario's pace
*from there*:

- **A quantity** ``<measure>.<what> = R`` (e.g. ``retire_china3.vehicles_retired = 100``): the
  measure's changes are walked in time order along its progress stream. The changes that make up
  the first ``R`` are *done*: they keep their times (moved to the hour before ``as_of`` when
  the measure is ahead). The tranche in which ``R`` falls is split in proportion; its rest and
  every later change are shifted by the *slip* ``as_of − t*`` (``t*`` the time of that
  tranche), so the remaining work starts at ``as_of`` with the scenario's spacing: a slipped
  measure stays slipped, one ahead of schedule stays ahead. Changes shifted past the year's
  end are dropped.
- **A project date** ``<measure>.commissioned.<subject> = DATE`` (or ``null``: not commissioned
  by ``as_of``): the changes the measure made at the time of ``subject``'s event move to ``DATE``
  (``null``: to ``as_of``, later than scheduled by exactly its slip).

Every stream the measure touched is rebuilt as ``value(t) − Σ its scheduled deltas to t + Σ its
re-timed deltas to t``: exact where the measure's changes add to the stream (fleet counts,
volumes, progress counts); where a delta was a multiplier's change the re-timed delta is an
approximation. The measure's events are moved with the same mapping (not split).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.calendar import Calendar
from sim.ledger import Change, Ledger, Stream, progress_stream
from sim.weather.hourly import Weather

__all__ = [
    "commissioned_at",
    "crop_calendar",
    "crop_ledger",
    "crop_weather",
    "restart_ledger",
    "retime_project",
    "retime_quantity",
    "spinup_start",
    "year_start",
]


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


# -- restart from reported progress ----------------------------------------------------------------
Moves = list[tuple[Change, float, float]]  # (change, new time, share of its delta)


def _hour(calendar: Any, day: date | datetime) -> float:
    moment = day if isinstance(day, datetime) else datetime(day.year, day.month, day.day)
    return float(calendar.hours_since_start(moment))


def retime_quantity(ledger: Ledger, measure: str, what: str, reported: float, as_of_h: float
                    ) -> Ledger:  # fmt: skip
    """The ledger with ``measure`` restarted from ``reported`` on its ``what`` at ``as_of_h``."""
    mine = sorted((c for c in ledger.changes if c.writer == measure), key=lambda c: c.time_h)
    if not mine:
        return ledger
    name = progress_stream(measure, what)
    done = float(np.sum(ledger.stream(name).values[0])) if ledger.has(name) else 0.0
    t_star, share = float("inf"), 1.0
    for c in (c for c in mine if c.stream == name):
        step = float(np.sum(c.delta))
        if step > 0 and done + step > reported + 1e-9:
            t_star, share = c.time_h, max(reported - done, 0.0) / step
            break
        done += step
    slip = as_of_h - t_star if np.isfinite(t_star) else 0.0

    def by(t: float) -> float:  # done: by as_of (an hour before it if scheduled later)
        return t if t < as_of_h else as_of_h - 1.0

    def where(t: float) -> list[tuple[float, float]]:
        if t < t_star:
            return [(by(t), 1.0)]
        if t > t_star:
            return [(t + slip, 1.0)]
        return [(by(t), share), (t + slip, 1.0 - share)]

    return _rebuild(ledger, measure, mine, where)


def retime_project(ledger: Ledger, measure: str, subject: str, new_h: float | None,
                   as_of_h: float) -> Ledger:  # fmt: skip
    """``subject``'s changes moved to ``new_h`` (None: not done by ``as_of_h``, moved there)."""
    t_event = commissioned_at(ledger.events, measure, subject)
    if t_event is None:
        raise KeyError(subject)
    target = new_h if new_h is not None else max(t_event, as_of_h)
    mine = sorted((c for c in ledger.changes if c.writer == measure), key=lambda c: c.time_h)
    return _rebuild(ledger, measure, mine, lambda t: [(target if t == t_event else t, 1.0)])


def commissioned_at(events: Any, measure: str, subject: str) -> float | None:
    """Hour of ``subject``'s "commissioned" event of ``measure`` (else its first event)."""
    mine = [e for e in events if e.process == measure and e.subject == subject]
    done = [e.time_h for e in mine if e.kind == "commissioned"] or [e.time_h for e in mine]
    return min(done) if done else None


def _rebuild(
    ledger: Ledger,
    measure: str,
    mine: list[Change],
    where: Callable[[float], list[tuple[float, float]]],
) -> Ledger:
    """A copy of ``ledger`` with ``mine`` moved by ``where`` (time -> [(new time, share)])."""
    moves: Moves = [(c, t, s) for c in mine for t, s in where(c.time_h) if s > 0]
    rebuilt: dict[str, Stream | None] = {}
    for name in sorted({c.stream for c in mine}):
        rebuilt[name] = _stream(ledger.stream(name), [c for c in mine if c.stream == name],
                                [(c, t, s) for c, t, s in moves if c.stream == name],
                                ledger.n_hours)  # fmt: skip
    out = ledger.overlay(rebuilt)
    others = [c for c in ledger.changes if c.writer != measure]
    kept = [dataclasses.replace(c, time_h=t, delta=c.delta * s) for c, t, s in moves
            if t < ledger.n_hours]  # fmt: skip
    out.changes = sorted(others + kept, key=lambda c: c.time_h)
    out.declared_by = dict(ledger.declared_by)
    out._events = [_event(e, measure, where, ledger.n_hours) for e in ledger.events]
    out._events = sorted((e for e in out._events if e is not None), key=lambda e: e.time_h)
    return out


def _event(e: Any, measure: str, where: Any, n_hours: int) -> Any:
    if e.process != measure:
        return e
    t = where(e.time_h)[-1][0]
    return dataclasses.replace(e, time_h=t) if t < n_hours else None


def _stream(s: Stream, old: list[Change], new: Moves, n_hours: int) -> Stream:
    """``s`` with the deltas ``old`` taken out and ``new`` (re-timed, scaled) put in."""
    times = sorted({*s.times_h, *(t for _, t, _ in new if t < n_hours)})
    orig_t = np.asarray(s.times_h)
    out = Stream(s.name, s.unit, s.long_name)
    for t in times:
        k = int(np.searchsorted(orig_t, t, side="right") - 1)
        value = s.values[max(k, 0)].copy()
        for c in old:
            if c.time_h <= t:
                value = value - c.delta
        for c, tn, share in new:
            if tn <= t:
                value = value + share * c.delta
        out.times_h.append(float(t))
        out.values.append(value)
    return out


def restart_ledger(ledger: Ledger, reported: Any, calendar: Any) -> Ledger:
    """Apply a run's ``run.reported_progress`` (``as_of``, ``quantities``, ``projects``)."""
    as_of_h = _hour(calendar, reported.as_of)
    for key, value in sorted(reported.quantities.items()):
        measure, what = key.split(".", 1)
        ledger = retime_quantity(ledger, measure, what, float(value), as_of_h)
    for key, when in sorted(reported.projects.items()):
        measure, subject = key.split(".", 1)
        new_h = None if when is None else _hour(calendar, when)
        if commissioned_at(ledger.events, measure, subject) is not None:
            ledger = retime_project(ledger, measure, subject, new_h, as_of_h)
    return ledger
