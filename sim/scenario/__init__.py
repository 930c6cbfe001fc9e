"""Scenario files: schema, loading with ``extends:`` and ``--set``, provenance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

__all__ = ["load_scenario", "scenario_from_mapping"]

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario


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
    scenario = validate_mapping(Scenario, raw, origin, origins, context_check=_files_exist)
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
