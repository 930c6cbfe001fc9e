"""Read scenario files: YAML, ``extends:`` inheritance, ``--set`` overrides, and clear errors.

Every problem becomes a :class:`~sim.errors.ScenarioError` with one line per problem that names the
file, the field path and what is expected, e.g.::

    baseline.yaml: sources.mobile.fleet[3].count = -5: Input should be greater than or equal to 0
"""

from __future__ import annotations

import copy
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sim.errors import ScenarioError
from sim.scenario.messages import did_you_mean, format_validation_error
from sim.scenario.quantity import is_sourced_mapping
from sim.scenario.safe_yaml import MAX_FILE_BYTES, load_yaml

__all__ = [
    "apply_overrides",
    "deep_merge",
    "did_you_mean",
    "format_validation_error",
    "parse_override",
    "read_text_file",
    "read_with_extends",
    "validate_mapping",
]

M = TypeVar("M", bound=BaseModel)

_PATH_KEYS = re.compile(r"^(path|.*_path|.*_file)$")
_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def read_text_file(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """Read a regular UTF-8 text file of at most ``limit`` bytes, or raise ScenarioError.

    Devices, FIFOs and folders are refused before they are opened (``/dev/zero`` would never end;
    a FIFO would block); binary and non-UTF-8 files are named as such.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise ScenarioError(f"{path}: {kind}; expected a YAML file")
    if st.st_size > limit:
        raise ScenarioError(
            f"{path}: {st.st_size} bytes; files larger than {limit // 2**20} MB are refused"
        )
    try:
        with path.open("rb") as fh:
            blob = fh.read(limit + 1)
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror}") from None
    if len(blob) > limit:
        raise ScenarioError(f"{path}: files larger than {limit // 2**20} MB are refused")
    if b"\x00" in blob:
        raise ScenarioError(f"{path}: a binary file, not YAML text")
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None


def _read_yaml(path: Path) -> dict[str, Any]:
    data = load_yaml(read_text_file(path), str(path))
    if data is None:
        raise ScenarioError(f"{path}: empty file; expected a mapping of sections (name:, run:)")
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: top level must be a mapping of sections, not {_kind(data)}")
    bad = [k for k in data if not isinstance(k, str)]
    if bad:
        raise ScenarioError(f"{path}: top-level keys must be text; got {str(bad[0])[:40]}")
    return data


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


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
    if not parent_path.is_file():
        raise ScenarioError(f"{path}: extends = {parent_ref!r}: not a regular file")
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
    value = (
        load_yaml(raw, f"--set {text}", syntax=f"value {raw.strip()} is not valid YAML")
        if raw.strip()
        else ""
    )
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
        [(k, v, f"{k}={v}") for k, v in overrides.items()]
        if isinstance(overrides, Mapping)
        else [(*parse_override(o), o) for o in overrides]
    )
    out = copy.deepcopy(dict(data))
    origins: dict[tuple[str | int, ...], str] = {}
    for key, value, typed in items:
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
                    names = [str(item.get("name")) for item in node if isinstance(item, dict)]
                    raise ScenarioError(
                        f"--set {key}: no item named {seg[0]!r} in {where}"
                        f"{did_you_mean(seg[0], names)} (names: {', '.join(names)})"
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
        origins[tuple(loc)] = f"--set {typed.strip()}"
    return out, origins


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
        raise ScenarioError(*format_validation_error(exc, file, data, origins, model)) from None
    if context_check is not None:
        problems = context_check(obj)
        if problems:
            raise ScenarioError(*(f"{file}: {p}" for p in problems))
    return obj
