"""Numbers with provenance: a scenario input may be a plain number or ``{value, unit, source}``.

Inside sim every such input is a plain ``float``: the unit is checked once, at load time, and the
source stays in the resolved scenario's raw mapping, where :mod:`sim.scenario.provenance` reads it.

Fields declare their unit with :class:`Q`::

    silt_loading_g_m2: Annotated[float, Q("g/m2")] = Field(0.6, ge=0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

__all__ = ["PROVENANCE_KEYS", "Q", "is_sourced_mapping", "normalise_unit"]

#: Keys a ``{value, unit, source}`` mapping may hold.
PROVENANCE_KEYS = frozenset({"value", "unit", "source"})


def is_sourced_mapping(node: object) -> bool:
    """Return True when ``node`` is a ``{value, unit, source}`` mapping (it has a ``value`` key)."""
    return isinstance(node, dict) and "value" in node and set(node) <= PROVENANCE_KEYS


def normalise_unit(unit: str) -> str:
    """Spell a unit one way: no spaces, ASCII exponents and micro sign, lower case."""
    return (
        unit.replace(" ", "")
        .replace("µ", "u")
        .replace("μ", "u")
        .replace("³", "3")
        .replace("²", "2")
        .replace("^", "")
        .replace("**", "")
        .lower()
    )


@dataclass(frozen=True)
class Q:
    """Field metadata: a number in ``unit`` that may be written with provenance.

    A mapping ``{value, unit, source}`` is reduced to its value; a stated unit must equal
    ``unit`` (sim converts no units silently). ``unit=None`` accepts any stated unit.
    """

    unit: str | None

    def _unwrap(self, raw: object) -> object:
        if isinstance(raw, dict):
            extra = set(raw) - PROVENANCE_KEYS
            if "value" not in raw or extra:
                detail = f"unexpected keys {sorted(extra)}" if extra else "'value' is missing"
                raise ValueError(
                    f"expected a number or a mapping {{value, unit, source}}: {detail}"
                )
            stated = raw.get("unit")
            if (
                self.unit is not None
                and stated is not None
                and normalise_unit(str(stated)) != normalise_unit(self.unit)
            ):
                raise ValueError(f"unit {stated!r} given, {self.unit!r} expected")
            source = raw.get("source")
            if source is not None and not isinstance(source, str):
                raise ValueError("source must be a text")
            return raw["value"]
        if isinstance(raw, bool):
            raise ValueError("expected a number, got a boolean")
        return raw

    def __get_pydantic_core_schema__(
        self, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self._unwrap, handler(source_type))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        inner = handler(schema)
        sourced = {
            "type": "object",
            "properties": {
                "value": inner,
                "unit": {"type": "string"},
                "source": {"type": "string"},
            },
            "required": ["value"],
            "additionalProperties": False,
        }
        out: JsonSchemaValue = {"anyOf": [inner, sourced]}
        if self.unit is not None:
            out["x-unit"] = self.unit
        return out
