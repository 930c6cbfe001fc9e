"""YAML read with bounded resources: size, node count, alias expansion, depth; no duplicate keys.

A 478-byte "billion laughs" file expands to gigabytes when its aliases are copied (by
``copy.deepcopy``, path resolution, or printing a value); here the document's node graph is
measured *as if expanded* before anything is constructed, and refused over
:data:`MAX_EXPANDED_NODES`. Files and ``--set`` values go through the same reader.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.errors import ScenarioError

__all__ = ["MAX_DEPTH", "MAX_EXPANDED_NODES", "MAX_FILE_BYTES", "load_yaml"]

#: Largest scenario or data YAML file read (bytes); the shipped scenarios are ~50 kB.
MAX_FILE_BYTES = 4 * 2**20
#: Largest number of nodes of a document with every alias expanded (the shipped scenarios have
#: ~10 000).
MAX_EXPANDED_NODES = 500_000
#: Deepest nesting of mappings and lists (the schema needs fewer than 10 levels).
MAX_DEPTH = 64


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (the last one would silently win)."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    mark = key_node.start_mark
                    raise _Duplicate(
                        f"duplicate key {key_node.value!r} (line {mark.line + 1}, column "
                        f"{mark.column + 1}); each key may appear once"
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


class _Duplicate(Exception):
    pass


def _expanded_size(root: Node) -> int:
    """Nodes of ``root`` with every alias expanded (memoised: never expands anything)."""
    memo: dict[int, int] = {}
    stack: list[tuple[Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            raise ScenarioError(f"nested more than {MAX_DEPTH} levels deep")
        if id(node) in memo:
            continue
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        if done or not children:
            total = 1 + sum(memo[id(c)] for c in children)
            memo[id(node)] = min(total, MAX_EXPANDED_NODES + 1)
            continue
        stack.append((node, depth, True))
        for child in children:
            if id(child) not in memo:
                stack.append((child, depth + 1, False))
    return memo[id(root)]


def load_yaml(text: str, where: str, syntax: str = "YAML syntax error") -> Any:
    """Parse one YAML document safely (no tags beyond the safe ones, bounded, no duplicates).

    Parameters
    ----------
    text
        The document.
    where
        What to name in errors (a file path, ``--set key=value``).
    syntax
        The words for a syntax error.

    Raises
    ------
    ScenarioError
        On a syntax error, a duplicate key, or a document too large, too deep or with too many
        aliases.
    """
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError(f"{where}: larger than {MAX_FILE_BYTES // 2**20} MB")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            size = _expanded_size(node)
        except ScenarioError as exc:
            raise ScenarioError(f"{where}: {exc.problems[0]}") from None
        if size > MAX_EXPANDED_NODES:
            raise ScenarioError(
                f"{where}: more than {MAX_EXPANDED_NODES} values once aliases are expanded "
                "(an alias bomb?); refused"
            )
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"{where}: {syntax}{at}: {problem}") from None
    except (ValueError, OverflowError) as exc:  # e.g. 2024-06-31: a date that does not exist
        raise ScenarioError(f"{where}: {exc} (an impossible date or number?)") from None
    except _Duplicate as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    except RecursionError:
        raise ScenarioError(f"{where}: nested too deeply") from None
    finally:
        loader.dispose()
