"""Error text of scenario validation: one line per problem, "did you mean" for typos.

``file: field.path = value: message``, attributed to the ``--set`` that wrote the value.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

__all__ = ["did_you_mean", "format_validation_error", "keys_at"]


def did_you_mean(word: str, names: Sequence[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``names`` (difflib), or ``""``."""
    close = difflib.get_close_matches(word, list(names), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _loc_text(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _get(data: Any, loc: Sequence[str | int]) -> tuple[bool, Any]:
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False, None
    return True, node


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold (through unions, tuples, lists, dicts)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        out.extend(_models_in(arg))
    return out


def keys_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The keys the schema allows at ``loc`` (a best effort through unions and lists)."""
    models = [model]
    for part in loc:
        if isinstance(part, int):
            continue  # an index into a list: the element models are already in ``models``
        found: list[type[BaseModel]] = []
        for m in models:
            info = m.model_fields.get(part)
            if info is not None:
                found.extend(_models_in(info.annotation))
        models = found
    return sorted({name for m in models for name in m.model_fields})


#: Error types of the distribution branch of a number-or-distribution field.
_NOT_A_MAPPING = frozenset({"model_type", "dict_type", "model_attributes_type"})


def _other_branch(err: Any, errors: Sequence[Any]) -> bool:
    """True for the error of the union branch the value was not written for: "not a
    distribution" for a number, "not a number" for a mapping (when another error remains)."""
    if err["type"] not in _NOT_A_MAPPING and not err["type"].startswith("float_"):
        return False
    is_mapping = isinstance(err.get("input"), dict)
    wrong = err["type"].startswith("float_") if is_mapping else err["type"] in _NOT_A_MAPPING
    if not wrong:
        return False
    field = err["loc"][: _field_depth(err["loc"])]
    return any(
        e is not err and e["loc"][: _field_depth(e["loc"])] == field and not _same_kind(e, err)
        for e in errors
    )


def _field_depth(loc: Sequence[Any]) -> int:
    """Length of ``loc`` up to the field (pydantic appends union branch names after it)."""
    for i, part in enumerate(loc):
        if isinstance(part, str) and (part in ("float", "Distribution") or "[" in part):
            return i
    return len(loc)


def _same_kind(a: Any, b: Any) -> bool:
    kinds = (_NOT_A_MAPPING, "float_")
    return any(
        (a["type"] in k and b["type"] in k)
        if isinstance(k, frozenset)
        else (a["type"].startswith(k) and b["type"].startswith(k))
        for k in kinds
    )


def format_validation_error(
    exc: ValidationError,
    file: str,
    data: Mapping[str, Any],
    origins: Mapping[tuple[str | int, ...], str] | None = None,
    model: type[BaseModel] | None = None,
) -> list[str]:
    """One line per pydantic error: ``file: field.path = value: message``.

    A number that fails both branches of "number or distribution" gives one line (the number's
    problem), not a second one saying it is not a distribution.
    """
    lines = []
    errors = exc.errors()
    for err in errors:
        if _other_branch(err, errors):
            continue
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # pydantic adds union/tag names to loc; keep only real keys/indices present in the data
        clean: list[str | int] = []
        for part in loc:
            found, _ = _get(data, (*clean, part))
            if found or err["type"] in {"extra_forbidden", "missing"}:
                clean.append(part)
        path = _loc_text(clean) or "(top level)"
        found, value = _get(data, clean)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            valid = keys_at(model, clean[:-1]) if model is not None and clean else []
            hint = did_you_mean(str(clean[-1]), valid) if valid else ""
            msg = f"unknown key (not in the schema; check the spelling){hint}"
        elif err["type"] == "missing":
            msg = "required key is missing"
        shown = ""
        if found and not isinstance(value, (dict, list)):
            shown = (
                f" = {value!r}"
                if isinstance(value, (str, int, float, type(None)))
                else f" = '{value}'"
            )
        origin = None
        for oloc, text in (origins or {}).items():
            if tuple(clean[: len(oloc)]) == oloc or tuple(oloc[: len(clean)]) == tuple(clean):
                origin = text
        where = f"{file} ({origin})" if origin else file
        lines.append(f"{where}: {path}{shown}: {msg}")
    return lines or [f"{file}: invalid"]
