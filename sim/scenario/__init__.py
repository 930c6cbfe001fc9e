"""Scenario files: schema, loading with ``extends:`` and ``--set``, provenance."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

__all__ = ["load_scenario", "scenario_from_mapping"]

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

log = logging.getLogger(__name__)


def _files_exist(scenario: Scenario) -> list[str]:
    """Input files named by the scenario must exist (checked before anything runs)."""
    problems = []
    met = scenario.meteorology
    if met.mode == "file":
        if not met.path:
            problems.append("meteorology.path: required when meteorology.mode is 'file'")
        elif not Path(met.path).exists():
            problems.append(f"meteorology.path = {met.path!r}: weather file not found")
    return problems


#: Dates further than this from the run (years) are typos (2204 for 2024), not plans.
DATE_WINDOW_YEARS = 50
#: Fields whose date is when something is reached; after the run's end it is never reached.
_REACHED_BY = ("deadline", "reached_by", "installed_by", "adopted_by")


def _dates(node: object, path: str) -> Iterator[tuple[str, date]]:
    from pydantic import BaseModel

    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _dates(getattr(node, name), f"{path}.{name}" if path else name)
    elif isinstance(node, (tuple, list)):
        for i, item in enumerate(node):
            yield from _dates(item, f"{path}[{i}]")
    elif isinstance(node, date):
        yield path, node.date() if isinstance(node, datetime) else node


def _dates_in_run(scenario: Scenario) -> list[str]:
    """Every date within :data:`DATE_WINDOW_YEARS` of the run; a warning for a date by which
    something is reached that falls after the run's end (it is never reached in the run)."""
    start, end = scenario.run.start.date(), scenario.run.end.date()
    problems, late = [], []
    for path, day in _dates(scenario, ""):
        if abs(day.year - start.year) > DATE_WINDOW_YEARS:
            problems.append(
                f"{path} = {day.isoformat()}: more than {DATE_WINDOW_YEARS} years from the run "
                f"({start.isoformat()} to {end.isoformat()}); a typo?"
            )
        elif path.rsplit(".", 1)[-1] in _REACHED_BY and day > end:
            late.append(f"{path} = {day.isoformat()}")
    if late and not problems:
        log.warning(
            "%d dates by which measures reach their goal fall after the run's end (%s), so "
            "these goals are not reached within the run: %s%s",
            len(late), end.isoformat(), late[0], " and more" if len(late) > 1 else "",
        )  # fmt: skip
    return problems


def _context_problems(scenario: Scenario) -> list[str]:
    return _files_exist(scenario) + _dates_in_run(scenario)


def scenario_from_mapping(
    data: Mapping[str, Any],
    *,
    origin: str = "<memory>",
    overrides: Sequence[str] | Mapping[str, Any] | None = None,
) -> Scenario:
    """Validate a raw mapping (as read from YAML) into a :class:`Scenario`."""
    from sim.scenario.loading import apply_overrides, validate_mapping
    from sim.scenario.schema import Scenario

    raw = dict(data)
    origins: dict[tuple[str | int, ...], str] = {}
    if overrides:
        raw, origins = apply_overrides(raw, overrides)
    scenario = validate_mapping(Scenario, raw, origin, origins, context_check=_context_problems)
    scenario._raw = raw
    scenario._origin = origin
    return scenario


def load_scenario(
    path: str | Path, overrides: Sequence[str] | Mapping[str, Any] | None = None
) -> Scenario:
    """Read a scenario file (following ``extends:``), apply overrides, validate.

    Parameters
    ----------
    path
        A YAML scenario file.
    overrides
        ``["policies.x.y=0.9", ...]`` or ``{"policies.x.y": 0.9}``; values are validated like file
        values and never evaluated as code.

    Raises
    ------
    sim.errors.ScenarioError
        With one line per problem naming the file, the field and what is expected.
    """
    from sim.scenario.loading import read_with_extends

    path = Path(path)
    data = read_with_extends(path)
    data.setdefault("name", path.stem)
    return scenario_from_mapping(data, origin=str(path), overrides=overrides)
