"""Where every number of a scenario comes from: list the inputs with no source.

A number is *sourced* when it is written ``{value, unit, source}`` with a source, or when it sits in
a mapping (a list entry) whose ``source`` field is set. A source that begins ``assumed`` or
``calibrated`` is counted apart: it is a declared assumption, not a citation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sim.scenario.quantity import is_sourced_mapping

__all__ = ["Input", "list_inputs"]

#: Top-level sections that hold run settings, not data.
_NOT_DATA = frozenset({"name", "description", "extends", "run"})

Status = Literal["sourced", "assumed", "calibrated", "unsourced"]


@dataclass(frozen=True)
class Input:
    """One numeric input of a resolved scenario."""

    path: str
    value: Any
    unit: str | None
    source: str | None

    @property
    def status(self) -> Status:
        """``sourced``, ``assumed``, ``calibrated`` or ``unsourced``."""
        if not self.source:
            return "unsourced"
        head = self.source.strip().lower()
        if head.startswith("assumed"):
            return "assumed"
        if head.startswith("calibrated"):
            return "calibrated"
        return "sourced"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_number_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_number(v) for v in value)


def _walk(node: Any, path: str, inherited: str | None) -> Iterator[Input]:
    if is_sourced_mapping(node):
        yield Input(path, node["value"], node.get("unit"), node.get("source") or inherited)
    elif isinstance(node, Mapping):
        own = node.get("source") if isinstance(node.get("source"), str) else None
        for key, value in node.items():
            child = f"{path}.{key}" if path else str(key)
            yield from _walk(value, child, own or inherited)
    elif _is_number_list(node) or _is_number(node):
        yield Input(path, node, None, inherited)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]", inherited)


def list_inputs(raw: Mapping[str, Any]) -> list[Input]:
    """Every numeric input of a resolved scenario mapping, with its source if any."""
    out: list[Input] = []
    for key, value in raw.items():
        if key not in _NOT_DATA:
            out.extend(_walk(value, str(key), None))
    return out
