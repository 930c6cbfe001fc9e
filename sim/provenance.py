"""Which measure changed which state, and the run's emissions without one measure's changes.

The engine runs SimPy in a :class:`TaggedEnvironment`: every process remembers the measure that
started it (a process started by a process inherits its tag; the family modules register each
measure inside :func:`acting`), and the ledger keeps every stream change made under a tag
(:attr:`sim.ledger.Ledger.changes`). A measure's effect is then found *from its own recorded
state changes*, without simulating again: :func:`emissions_without` rebuilds the streams it
touched with its deltas taken out and recomputes the hourly emissions (the vectorised pass only).

Taking one measure's deltas out leaves every other change as it happened, so the figure is the
measure's effect given what the others did; where measures multiply into one stream, or one
measure's decisions read another's state, the pieces need not add up to the family's
counterfactual, and the difference is reported as ``interaction_t`` (:mod:`sim.attribution`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import simpy
from numpy.typing import NDArray

from sim.ledger import Ledger, Stream
from sim.sources.base import EmissionContext, activity_factor_stream

if TYPE_CHECKING:
    from sim.calendar import Calendar
    from sim.context import ProcessContext
    from sim.weather import Weather


class _FinishedRun(Protocol):
    """What :func:`emissions_without` reads of a finished run (a ``sim.engine.RunState``)."""

    @property
    def calendar(self) -> Calendar: ...
    @property
    def weather(self) -> Weather: ...
    @property
    def ledger(self) -> Ledger: ...
    @property
    def memo(self) -> dict[str, Any]: ...
    @property
    def source_emissions(self) -> dict[str, NDArray[np.float64]]: ...


__all__ = [
    "TaggedEnvironment",
    "acting",
    "emissions_recombined",
    "emissions_without",
    "stream_owners",
    "touched_by",
]


class TaggedEnvironment(simpy.Environment):
    """A SimPy environment that remembers which measure started each process."""

    def __init__(self) -> None:
        super().__init__()
        self.tag = ""
        self._tags: dict[simpy.Process, str] = {}

    def process(self, generator: Generator[Any, Any, Any]) -> simpy.Process:
        """Start a process; it carries its parent's tag, or the registration tag."""
        proc = super().process(generator)
        parent = self.active_process
        self._tags[proc] = self._tags.get(parent, "") if parent is not None else self.tag
        return proc

    def writer(self) -> str:
        """The measure whose process runs now ("" for a source or no measure)."""
        proc = self.active_process
        return self._tags.get(proc, "") if proc is not None else self.tag

    @contextlib.contextmanager
    def acting(self, measure: str) -> Iterator[None]:
        """Registration of ``measure``: what it starts or changes now is tagged with it."""
        before, self.tag = self.tag, measure
        try:
            yield
        finally:
            self.tag = before


def acting(ctx: ProcessContext, measure: str) -> contextlib.AbstractContextManager[None]:
    """``with acting(ctx, measure):`` around a measure's registration (no-op without tags)."""
    if isinstance(ctx.env, TaggedEnvironment):
        return ctx.env.acting(measure)
    return contextlib.nullcontext()


def touched_by(ledger: Ledger, measure: str) -> set[str]:
    """Names of the streams ``measure`` changed."""
    return {c.stream for c in ledger.changes if c.writer == measure}


def _ledger_without(ledger: Ledger, measure: str) -> Ledger:
    """A view of ``ledger`` whose streams hold no change made by ``measure`` (only the streams
    it changed are rebuilt; the others are shared)."""
    mine: dict[str, list[tuple[float, NDArray[np.float64]]]] = {}
    for c in ledger.changes:
        if c.writer == measure:
            mine.setdefault(c.stream, []).append((c.time_h, c.delta))
    rebuilt: dict[str, Stream | None] = {}
    for name, deltas in mine.items():
        s = ledger.stream(name)
        removed, k = np.zeros(s.shape), 0
        new = Stream(name, s.unit, s.long_name)
        # a change at t = 0 overwrites the declared value, so the first value is checked too
        for t, value in zip(s.times_h, s.values, strict=True):
            while k < len(deltas) and deltas[k][0] <= t:
                removed = removed + deltas[k][1]
                k += 1
            new.times_h.append(t)
            new.values.append(value - removed)
        rebuilt[name] = new
    return ledger.overlay(rebuilt)


def emissions_without(state: _FinishedRun, measure: str) -> dict[str, NDArray[np.float64]] | None:
    """Hourly source emissions of the run with ``measure``'s state changes taken out, kg/h.

    None when the run kept no provenance (then the caller simulates without the measure).
    Sources whose sector no changed stream belongs to keep the run's arrays.
    """
    if state.memo.get("categories") is None:
        return None
    touched = touched_by(state.ledger, measure)
    state_streams = {n for n in touched if not n.startswith(("progress.", "water."))}  # no air
    if not state_streams:
        return dict(state.source_emissions)
    return _emissions(state, _ledger_without(state.ledger, measure), _sectors(state_streams))


def _sectors(streams: set[str]) -> set[str]:
    return {n.removeprefix("activity_factor.").split(".", 1)[0] for n in streams}


def _emissions(
    state: _FinishedRun, ledger: Ledger, sectors: set[str]
) -> dict[str, NDArray[np.float64]]:
    """The run's source emissions with those of ``sectors`` recomputed from ``ledger``."""
    ctx = EmissionContext(calendar=state.calendar, weather=state.weather, ledger=ledger)
    out = dict(state.source_emissions)
    for category in state.memo["categories"]:
        if category.sector not in sectors and not (sectors - _KNOWN):
            continue
        for name, arr in category.emissions(ctx).items():
            key = f"{category.sector}.{name}"
            factor = activity_factor_stream(key)
            out[key] = arr * ledger.hourly(factor).reshape(-1, 1) if ledger.has(factor) else arr
    return out


def _source_of(stream: str) -> str:
    return ".".join(stream.removeprefix("activity_factor.").split(".", 2)[:2])


def _same(a: Ledger, b: Ledger, name: str) -> bool:
    if not (a.has(name) and b.has(name)):
        return False
    sa, sb = a.stream(name), b.stream(name)
    return sa.times_h == sb.times_h and all(
        np.array_equal(x, y) for x, y in zip(sa.values, sb.values, strict=True)
    )


def stream_owners(
    state: _FinishedRun, without: _FinishedRun, group: Mapping[str, str]
) -> dict[str, set[str]]:
    """Stream -> the groups (``group``: measure -> family, or measure -> itself) that made it
    differ from the same run without measures.

    A group owns the streams its measures changed or declared; a stream no measure wrote that
    still differs from the run without measures (a source's own process reading a measure's
    stream, e.g. open burning under patrols) belongs to the groups owning streams of the same
    source, or to ``"?"`` when there are none.
    """
    owners: dict[str, set[str]] = {}
    for c in state.ledger.changes:
        owners.setdefault(c.stream, set()).add(group.get(c.writer, c.writer))
    for name, who in state.ledger.declared_by.items():
        owners.setdefault(name, set()).add(group.get(who, who))
    by_source: dict[str, set[str]] = {}
    for name, found in owners.items():
        by_source.setdefault(_source_of(name), set()).update(found)
    for name in set(state.ledger.stream_names) | set(without.ledger.stream_names):
        if name not in owners and not _same(state.ledger, without.ledger, name):
            owners[name] = set(by_source.get(_source_of(name), {"?"}))
    return owners


def emissions_recombined(
    state: _FinishedRun, without: _FinishedRun, owners: Mapping[str, set[str]], key: str
) -> dict[str, NDArray[np.float64]] | None:
    """Hourly source emissions of the run without group ``key``, kg/h, with no new simulation.

    Every stream ``key`` owns alone (:func:`stream_owners`) is taken from the same run without
    any measure (same seed, so the sources' own draws agree), every other stream from this run,
    and the sources of the sectors concerned are recomputed (the vectorised pass). None when a
    stream of ``key`` is shared with another group (not separable: simulate instead) or the run
    kept no provenance.
    """
    if state.memo.get("categories") is None:
        return None
    mine = {s for s, found in owners.items() if key in found}
    acting = {s for s in mine if _sectors({s}) - _NOT_EMITTED}
    if any(len(owners[s]) > 1 for s in acting):  # shared streams that emit: not separable
        return None
    if not acting:
        return dict(state.source_emissions)
    cf = without.ledger
    ledger = state.ledger.overlay({s: cf.stream(s) if cf.has(s) else None for s in acting})
    return _emissions(state, ledger, _sectors(acting))


_KNOWN = {"mobile", "industrial", "coal", "dust", "household"}
#: Streams of these prefixes feed no source's emissions (measure progress, the water network).
_NOT_EMITTED = {"progress", "water"}
