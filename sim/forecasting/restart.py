"""Restart the remaining year from reported progress (``sim forecast --progress``).

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

from sim.ledger import Change, Ledger, Stream, progress_stream

__all__ = ["commissioned_at", "restart_ledger", "retime_project", "retime_quantity"]

F64 = NDArray[np.float64]
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
