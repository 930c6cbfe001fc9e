"""The scenario reference (``docs/scenario.md``), generated from the schema so it cannot drift."""

from __future__ import annotations

import types
import typing
from datetime import datetime
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from sim.scenario.quantity import Q

__all__ = ["scenario_reference"]

_HEADER = """# Scenario reference

Generated from the schema by `sim schema --markdown` (a test checks that this file is current).
Every key of a scenario file, with its type, unit, default and meaning. A number may be written
plain or as `{value: …, unit: …, source: …}`; a stated unit must equal the one listed here.
List entries have a `name` (unique in the list; `--set` can address `list[name].key`) and an
optional `source` that covers the entry's numbers.
"""


def _unit(info: FieldInfo) -> str:
    for meta in info.metadata:
        if isinstance(meta, Q) and meta.unit:
            return meta.unit
    return ""


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        out.extend(_models_in(arg))
    return out


def _type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _type_name(get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(annotation))
    if origin is typing.Literal:
        return " \\| ".join(repr(a) for a in get_args(annotation))
    if origin in (list, tuple):
        args = [a for a in get_args(annotation) if a is not Ellipsis]
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin is dict:
        k, v = get_args(annotation)
        return f"mapping {_type_name(k)} → {_type_name(v)}"
    if annotation is type(None):
        return "null"
    if isinstance(annotation, type):
        return {
            "float": "number",
            "int": "integer",
            "str": "text",
            "bool": "boolean",
            "datetime": "date-time",
        }.get(annotation.__name__, annotation.__name__)
    return str(annotation)


def _default(info: FieldInfo) -> str:
    if info.default is PydanticUndefined:
        if info.default_factory is not None:
            try:
                value = info.default_factory()  # type: ignore[call-arg]
            except TypeError:
                return "(computed)"
            if isinstance(value, BaseModel):
                return "(section defaults)"
            return f"`{value!r}`"
        return "**required**"
    value = info.default
    if isinstance(value, datetime):
        return f"`{value:%Y-%m-%d %H:%M}`"
    if isinstance(value, BaseModel):
        return "(section defaults)"
    text = repr(value)
    return f"`{text if len(text) < 60 else text[:57] + '...'}`"


def _rows(model: type[BaseModel], prefix: str, seen: set[type[BaseModel]]) -> list[str]:
    rows: list[str] = []
    nested: list[tuple[str, type[BaseModel]]] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        description = (info.description or "").replace("|", "\\|").replace("\n", " ")
        rows.append(
            f"| `{path}` | {_type_name(info.annotation)} | {_unit(info)} | "
            f"{_default(info)} | {description} |"
        )
        for sub in _models_in(info.annotation):
            is_list = get_origin(info.annotation) in (list, tuple) or "list" in _type_name(
                info.annotation
            )
            nested.append((f"{path}[]." if is_list else f"{path}.", sub))
    for sub_prefix, sub in nested:
        if sub not in seen:  # a model that contains itself is listed once
            rows.extend(_rows(sub, sub_prefix, seen | {sub}))
    return rows


def scenario_reference() -> str:
    """Markdown reference of every scenario key."""
    from sim.scenario.schema import Scenario

    out = [_HEADER]
    for name, info in Scenario.model_fields.items():
        out.append(f"\n## `{name}`\n")
        if info.description:
            out.append(f"{info.description}\n")
        out.append("| key | type | unit | default | meaning |")
        out.append("|---|---|---|---|---|")
        out.append(
            f"| `{name}` | {_type_name(info.annotation)} | {_unit(info)} | {_default(info)} | "
            f"{(info.description or '')} |"
        )
        for sub in _models_in(info.annotation):
            out.extend(_rows(sub, f"{name}.", {sub}))
    return "\n".join(out) + "\n"
