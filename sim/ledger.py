"""The ledger: the log of discrete events and the piecewise-constant state they leave behind.

SimPy processes write here; the vectorised emission pass reads hourly series back. A *stream* is a
named state variable (a scalar or a fixed-shape vector, e.g. the counts of every fleet cohort) whose
value changes only at event times. :meth:`Ledger.hourly` returns its exact mean over each hour.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Change", "Event", "Ledger", "Stream", "progress_stream"]


def progress_stream(measure: str, what: str) -> str:
    """Name of the ledger stream tracking ``what`` for ``measure`` (e.g. vehicles retired).

    Measures write these streams and the outcomes and the dispatch read them; the name is the
    only thing the two sides share.
    """
    return f"progress.{measure}.{what}"


@dataclass(frozen=True)
class Event:
    """One discrete event: what happened, when, to whom, by how much.

    Attributes
    ----------
    time_h
        Hours since the start of the run.
    process
        The process that caused it (``"coal.reburning"``, ``"retire_china3"``).
    kind
        What happened (``"start"``, ``"retired"``, ``"commissioned"``).
    subject
        What it happened to (a cohort, an enterprise, a site); may be empty.
    quantities
        Numbers that describe it, named with their unit (``{"vehicles": 12.0}``).
    """

    time_h: float
    process: str
    kind: str
    subject: str
    quantities: Mapping[str, float]


@dataclass(frozen=True)
class Change:
    """One change of a stream by a measure: ``delta`` added to its value from ``time_h`` on."""

    stream: str
    time_h: float
    writer: str
    delta: NDArray[np.float64]


@dataclass
class Stream:
    """A piecewise-constant state series: ``values[k]`` holds from ``times_h[k]`` on."""

    name: str
    unit: str
    long_name: str
    times_h: list[float] = field(default_factory=list)
    values: list[NDArray[np.float64]] = field(default_factory=list)

    @property
    def current(self) -> NDArray[np.float64]:
        """The latest value (a copy)."""
        return self.values[-1].copy()

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of one value (``()`` for a scalar stream)."""
        return self.values[0].shape


class Ledger:
    """Event log and state streams of one run.

    Parameters
    ----------
    n_hours
        Length of the run in hours; :meth:`hourly` returns arrays of this length.
    """

    def __init__(self, n_hours: int, writer: Callable[[], str] | None = None) -> None:
        if n_hours <= 0:
            raise ValueError(f"n_hours(={n_hours}) must be > 0.")
        self.n_hours = n_hours
        self._streams: dict[str, Stream] = {}
        self._events: list[Event] = []
        #: Who is writing now (a measure's name, "" for a source); with it every stream change
        #: made by a measure is kept in :attr:`changes` (sim.provenance).
        self._writer = writer
        self.changes: list[Change] = []
        #: Stream -> the measure that declared it (only streams declared by a measure).
        self.declared_by: dict[str, str] = {}

    # -- state ---------------------------------------------------------------------------------
    def declare(
        self, name: str, initial: ArrayLike, *, unit: str = "1", long_name: str = ""
    ) -> None:
        """Create stream ``name`` with its value at t = 0."""
        if name in self._streams:
            raise ValueError(f"stream {name!r} is already declared.")
        value = np.array(initial, dtype=np.float64)
        self._streams[name] = Stream(name, unit, long_name or name, [0.0], [value])
        who = self._writer() if self._writer is not None else ""
        if who:
            self.declared_by[name] = who

    def overlay(self, replaced: Mapping[str, Stream | None]) -> Ledger:
        """A ledger sharing this one's streams and events, with ``replaced`` streams swapped in
        (``None`` removes a stream). Nothing is copied; neither ledger may be written after."""
        out = Ledger(self.n_hours)
        streams = {**self._streams, **{k: v for k, v in replaced.items() if v is not None}}
        for name in [k for k, v in replaced.items() if v is None]:
            streams.pop(name, None)
        out._streams, out._events = streams, self._events
        return out

    def has(self, name: str) -> bool:
        """Whether stream ``name`` exists."""
        return name in self._streams

    def stream(self, name: str) -> Stream:
        """The stream called ``name``."""
        try:
            return self._streams[name]
        except KeyError:
            raise KeyError(f"no stream {name!r}; declared: {sorted(self._streams)}") from None

    @property
    def stream_names(self) -> list[str]:
        """Names of all declared streams, sorted."""
        return sorted(self._streams)

    def current(self, name: str) -> NDArray[np.float64]:
        """The latest value of stream ``name`` (a copy)."""
        return self.stream(name).current

    def set(
        self,
        time_h: float,
        name: str,
        value: ArrayLike,
        *,
        index: Any = None,
    ) -> NDArray[np.float64]:
        """Change stream ``name`` from ``time_h`` on; returns the new whole value.

        ``index`` sets only those elements of a vector stream (numpy indexing).
        """
        s = self.stream(name)
        if time_h < s.times_h[-1]:
            raise ValueError(
                f"time_h(={time_h}) precedes the last change of {name!r} ({s.times_h[-1]})."
            )
        if index is not None:
            new = s.values[-1].copy()
            new[index] = value
        else:
            new = np.array(value, dtype=np.float64)
            if new.shape != s.shape:
                new = np.broadcast_to(new, s.shape).copy()
        who = self._writer() if self._writer is not None else ""
        if who:
            self.changes.append(Change(name, float(time_h), who, new - s.values[-1]))
        if s.times_h[-1] == time_h:
            s.values[-1] = new
        else:
            s.times_h.append(float(time_h))
            s.values.append(new)
        return new.copy()

    def add(
        self, time_h: float, name: str, delta: ArrayLike, *, index: Any = None
    ) -> NDArray[np.float64]:
        """Add ``delta`` to stream ``name`` (or to its elements ``index``) from ``time_h`` on."""
        cur = self.stream(name).values[-1]
        if index is None:
            return self.set(time_h, name, cur + np.asarray(delta, dtype=np.float64))
        return self.set(time_h, name, cur[index] + np.asarray(delta, dtype=np.float64), index=index)

    def hourly(self, name: str) -> NDArray[np.float64]:
        """Hour-mean of stream ``name``: shape ``(n_hours, *stream.shape)``.

        A change at a whole hour takes effect for that hour; a change inside an hour is weighted
        by the fraction of the hour it holds, so the series integrates exactly to the state's
        time integral.
        """
        s = self.stream(name)
        n = self.n_hours
        times = np.asarray(s.times_h, dtype=np.float64)
        values = np.stack(s.values)
        hours = np.arange(n, dtype=np.float64)
        idx = np.searchsorted(times, hours, side="right") - 1
        out = values[np.clip(idx, 0, None)]
        fractional = [t for t in s.times_h[1:] if t < n and t != math.floor(t)]
        for hour in sorted({math.floor(t) for t in fractional}):
            lo, hi = float(hour), float(hour + 1)
            k0 = int(np.searchsorted(times, lo, side="right") - 1)
            acc = np.zeros(s.shape)
            t_prev, v_prev = lo, values[max(k0, 0)]
            k = k0 + 1
            while k < len(times) and times[k] < hi:
                acc += v_prev * (times[k] - t_prev)
                t_prev, v_prev = times[k], values[k]
                k += 1
            acc += v_prev * (hi - t_prev)
            out[hour] = acc
        return out

    def segments(self, name: str) -> list[tuple[int, int, NDArray[np.float64]]]:
        """Stream ``name`` as hour-aligned constant pieces ``(first_hour, end_hour, value)``.

        The pieces tile ``[0, n_hours)``; an hour containing a change at a fractional time is a
        piece of its own whose value is the exact hour-mean (as in :meth:`hourly`). Use it to
        apply a rarely changing state to hourly arrays one piece at a time.
        """
        s = self.stream(name)
        n = self.n_hours
        cuts = {0, n}
        for t in s.times_h[1:]:
            if t < n:
                hour = math.floor(t)
                cuts.add(hour)
                if t != hour:  # the hour holding a fractional change stands alone
                    cuts.add(min(n, hour + 1))
        edges = sorted(cuts)
        hourly_at = {}
        fractional = {math.floor(t) for t in s.times_h[1:] if t < n and t != math.floor(t)}
        if fractional:
            full = self.hourly(name)
            hourly_at = {h: full[h] for h in fractional}
        times = np.asarray(s.times_h)
        out: list[tuple[int, int, NDArray[np.float64]]] = []
        for a, b in itertools.pairwise(edges):
            if a in hourly_at:
                out.append((a, b, hourly_at[a]))
            else:
                k = int(np.searchsorted(times, a, side="right") - 1)
                out.append((a, b, s.values[max(k, 0)]))
        return out

    # -- events --------------------------------------------------------------------------------
    def record(
        self, time_h: float, process: str, kind: str, subject: str = "", **quantities: float
    ) -> Event:
        """Write one event to the log and return it."""
        event = Event(
            float(time_h), process, kind, subject, {k: float(v) for k, v in quantities.items()}
        )
        self._events.append(event)
        return event

    @property
    def events(self) -> list[Event]:
        """All events in the order they were recorded (SimPy time order)."""
        return list(self._events)

    def events_table(self) -> dict[str, list[Any]]:
        """Events as columns: time, process, kind, subject, quantities (JSON)."""
        events = sorted(self._events, key=lambda e: e.time_h)
        return {
            "time_h": [e.time_h for e in events],
            "process": [e.process for e in events],
            "kind": [e.kind for e in events],
            "subject": [e.subject for e in events],
            "quantities": [json.dumps(dict(e.quantities), sort_keys=True) for e in events],
        }
