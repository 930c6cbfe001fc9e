"""Read scenario files: YAML, ``extends:`` inheritance, ``--set`` overrides, and clear errors.

Every problem becomes a :class:`~sim.errors.ScenarioError` with one line per problem that names the
file, the field path and what is expected, e.g.::

    baseline.yaml: sources.mobile.fleet[3].count = -5: Input should be greater than or equal to 0
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from sim.errors import ScenarioError
from sim.scenario.quantity import is_sourced_mapping

__all__ = [
    "apply_overrides",
    "deep_merge",
    "format_validation_error",
    "parse_override",
    "read_with_extends",
    "validate_mapping",
]

M = TypeVar("M", bound=BaseModel)

_PATH_KEYS = re.compile(r"^(path|.*_path|.*_file)$")
_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"{path}: YAML syntax error{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: top level must be a mapping of sections, not {type(data).__name__}"
        )
    return data


def deep_merge(base: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``child`` over ``base``: mappings merge key by key, everything else replaces.

    Lists replace whole; a ``{value, unit, source}`` mapping replaces whole (a new value must not
    inherit the old value's source).
    """
    out = copy.deepcopy(dict(base))
    for key, value in child.items():
        old = out.get(key)
        if (
            isinstance(old, dict)
            and isinstance(value, dict)
            and not is_sourced_mapping(old)
            and not is_sourced_mapping(value)
        ):
            out[key] = deep_merge(old, value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _resolve_paths(node: Any, base_dir: Path) -> Any:
    """Make relative file paths absolute against the folder of the file that wrote them."""
    if isinstance(node, dict):
        return {
            k: (
                str((base_dir / v).resolve())
                if isinstance(k, str)
                and _PATH_KEYS.match(k)
                and isinstance(v, str)
                and v
                and not Path(v).is_absolute()
                else _resolve_paths(v, base_dir)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_resolve_paths(v, base_dir) for v in node]
    return node


def read_with_extends(path: Path, _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Read ``path`` and everything it ``extends:``, merged (the child wins).

    Raises
    ------
    ScenarioError
        On a missing file, bad YAML, a bad ``extends`` value or a cycle.
    """
    path = path.resolve()
    if path in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, path))
        raise ScenarioError(f"{_chain[-1]}: extends: cycle detected: {cycle}")
    data = _resolve_paths(_read_yaml(path), path.parent)
    parent_ref = data.pop("extends", None)
    if parent_ref is None:
        return data
    if not isinstance(parent_ref, str) or not parent_ref:
        raise ScenarioError(f"{path}: extends = {parent_ref!r}: expected a relative file path")
    parent_path = (path.parent / parent_ref).resolve()
    if not parent_path.exists():
        raise ScenarioError(f"{path}: extends = {parent_ref!r}: file not found ({parent_path})")
    parent = read_with_extends(parent_path, (*_chain, path))
    merged = deep_merge(parent, data)
    if "name" not in data:
        merged["name"] = path.stem  # a child without a name is named after its file
    return merged


# -- overrides ---------------------------------------------------------------------------------
def parse_override(text: str) -> tuple[str, Any]:
    """Split ``dotted.path=value``; the value is parsed as YAML (``0.9``, ``true``, ``[1, 2]``)."""
    if "=" not in text:
        raise ScenarioError(f"--set {text}: expected dotted.path=value")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key:
        raise ScenarioError(f"--set {text}: empty path")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        raise ScenarioError(f"--set {text}: value {raw!r} is not valid YAML") from None
    return key, value


def _segments(key: str) -> list[str | int | tuple[str]]:
    """``a.b[3].c`` -> ['a', 'b', 3, 'c']; ``a.b[heavy].c`` -> ['a', 'b', ('heavy',), 'c']."""
    out: list[str | int | tuple[str]] = []
    for part in key.split("."):
        if not part:
            raise ScenarioError(f"--set {key}: empty path segment")
        for m in _SEGMENT.finditer(part):
            name, index = m.group(1), m.group(2)
            if name is not None:
                out.append(name)
            elif index.strip().lstrip("-").isdigit():
                out.append(int(index))
            else:
                out.append((index.strip(),))
    return out


def apply_overrides(
    data: Mapping[str, Any], overrides: Sequence[str] | Mapping[str, Any]
) -> tuple[dict[str, Any], dict[tuple[str | int, ...], str]]:
    """Apply ``--set`` overrides to a raw scenario mapping.

    Returns
    -------
    data, origins
        The new mapping, and for each overridden location (a pydantic-style ``loc`` tuple) the
        override text that set it, so validation errors can be attributed to ``--set``.
    """
    items = (
        list(overrides.items())
        if isinstance(overrides, Mapping)
        else [parse_override(o) for o in overrides]
    )
    out = copy.deepcopy(dict(data))
    origins: dict[tuple[str | int, ...], str] = {}
    for key, value in items:
        segs = _segments(key)
        node: Any = out
        loc: list[str | int] = []
        for i, seg in enumerate(segs):
            last = i == len(segs) - 1
            where = ".".join(str(s) for s in loc) or "(top level)"
            if isinstance(seg, tuple) and isinstance(node, dict):
                seg = seg[0]  # ``mapping[key]``: a keyed table (e.g. an air inventory)
            if isinstance(seg, tuple):
                if not isinstance(node, list):
                    raise ScenarioError(f"--set {key}: {where} is not a list")
                matches = [
                    j
                    for j, item in enumerate(node)
                    if isinstance(item, dict) and item.get("name") == seg[0]
                ]
                if not matches:
                    names = [item.get("name") for item in node if isinstance(item, dict)]
                    raise ScenarioError(
                        f"--set {key}: no item named {seg[0]!r} in {where} (names: {names})"
                    )
                seg = matches[0]
            if isinstance(seg, int):
                if not isinstance(node, list):
                    raise ScenarioError(f"--set {key}: {where} is not a list")
                if not -len(node) <= seg < len(node):
                    raise ScenarioError(
                        f"--set {key}: index {seg} out of range for {where} ({len(node)} items)"
                    )
                seg = seg % len(node)
            elif not isinstance(node, dict):
                raise ScenarioError(f"--set {key}: {where} is not a mapping")
            assert isinstance(seg, (str, int))
            loc.append(seg)
            if last:
                is_index = isinstance(node, list) and isinstance(seg, int)
                old = node[seg] if is_index else node.get(seg)
                if is_sourced_mapping(old) and not isinstance(value, dict):
                    node[seg] = {k: v for k, v in old.items() if k == "unit"} | {
                        "value": value,
                        "source": f"--set {key}",
                    }
                else:
                    node[seg] = value
            else:
                if isinstance(node, dict) and seg not in node:
                    node[seg] = {}
                node = node[seg]
        origins[tuple(loc)] = f"--set {key}={value!r}"
    return out, origins


# -- validation --------------------------------------------------------------------------------
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


def format_validation_error(
    exc: ValidationError,
    file: str,
    data: Mapping[str, Any],
    origins: Mapping[tuple[str | int, ...], str] | None = None,
) -> list[str]:
    """One line per pydantic error: ``file: field.path = value: message``."""
    lines = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # pydantic adds union/tag names to loc; keep only real keys/indices present in the data
        clean: list[str | int] = []
        for part in loc:
            found, _ = _get(data, (*clean, part))
            if found or err["type"] in {"extra_forbidden", "missing"}:
                clean.append(part)
        path = _loc_text(clean) or "(top level)"
        found, value = _get(data, clean)
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (not in the schema; check the spelling)"
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


def validate_mapping(
    model: type[M],
    data: Mapping[str, Any],
    file: str,
    origins: Mapping[tuple[str | int, ...], str] | None = None,
    *,
    context_check: Callable[[M], list[str]] | None = None,
) -> M:
    """Validate ``data`` into ``model`` or raise ScenarioError with one line per problem."""
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(*format_validation_error(exc, file, data, origins)) from None
    if context_check is not None:
        problems = context_check(obj)
        if problems:
            raise ScenarioError(*(f"{file}: {p}" for p in problems))
    return obj
