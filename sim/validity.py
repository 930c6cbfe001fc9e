"""A run that produced invalid numbers fails; it is never scored "met" or "not evaluated".

Every number of a run's summary is what targets are scored against (any dotted path can be a
target's ``metric``), so one NaN or infinite value anywhere in it makes the run invalid: the
command exits with code 4 and writes nothing. In an ensemble one such member fails the ensemble
and is named.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sim.errors import SimError

__all__ = ["InvalidResultError", "check_summaries", "check_summary", "non_finite"]

#: At most this many offending paths are named in the message.
_SHOWN = 5


class InvalidResultError(SimError):
    """A run produced NaN or infinite values in what is scored (exit code 4)."""

    exit_code = 4


def non_finite(node: Any, path: str = "") -> Iterator[str]:
    """Dotted paths of every NaN or infinite number in a JSON-like ``node``."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from non_finite(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from non_finite(value, f"{path}[{i}]")
    elif isinstance(node, bool) or node is None or isinstance(node, str):
        return
    else:
        try:
            number = float(node)
        except (TypeError, ValueError):
            return
        if not math.isfinite(number):
            yield path or "(value)"


def _describe(paths: list[str]) -> str:
    shown = ", ".join(paths[:_SHOWN])
    more = f" and {len(paths) - _SHOWN} more" if len(paths) > _SHOWN else ""
    return f"{shown}{more}"


def check_summary(summary: Mapping[str, Any], label: str) -> None:
    """Raise :class:`InvalidResultError` if ``summary`` holds a NaN or infinite number.

    Parameters
    ----------
    summary
        A run's summary (the values targets read).
    label
        What to call the run in the message (the scenario name, a member).
    """
    bad = list(non_finite(summary))
    if bad:
        raise InvalidResultError(
            f"{label}: the run produced invalid numbers (NaN or infinite) in "
            f"{_describe(bad)}; nothing was written — check the inputs' values and units"
        )


def check_summaries(summaries: Sequence[Mapping[str, Any]], label: str) -> None:
    """Check every member of an ensemble; one invalid member fails it and is named."""
    problems = []
    for k, summary in enumerate(summaries):
        bad = list(non_finite(summary))
        if bad:
            seed = summary.get("seed", "?")
            problems.append(
                f"{label}: member {k} (seed {seed}) produced invalid numbers (NaN or infinite) "
                f"in {_describe(bad)}"
            )
    if problems:
        problems.append(f"{label}: the ensemble is invalid; nothing was written")
        raise InvalidResultError(*problems)
