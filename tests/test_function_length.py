"""No function in ``sim/`` is longer than 80 lines (STYLE.md), read from the source with ``ast``.

A function's length is from its ``def`` line to its last line, decorators excluded, docstring
included. Exceptions are listed with their reason; the temporary ones are in files other issues
own and are split there (the integrator removes an entry once its split is merged). An entry
that is no longer needed fails the test, so the list only shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_LINES = 80

#: (file relative to the repository, function name) -> why it may stay longer for now.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _lengths() -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for path in sorted((REPO / "sim").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                key = (rel, node.name)
                out[key] = max(out.get(key, 0), length)
    return out


def test_no_function_in_sim_is_longer_than_80_lines_except_the_listed_ones() -> None:
    long = {key: n for key, n in _lengths().items() if n > MAX_LINES}
    unlisted = {
        f"{f}:{name} ({n} lines)" for (f, name), n in long.items() if (f, name) not in EXCEPTIONS
    }
    assert not unlisted, f"functions over {MAX_LINES} lines; split them: {sorted(unlisted)}"


def test_every_listed_exception_is_still_needed() -> None:
    lengths = _lengths()
    stale = [f"{f}:{name}" for (f, name) in EXCEPTIONS if lengths.get((f, name), 0) <= MAX_LINES]
    assert not stale, f"these functions are now short (or gone); remove their exceptions: {stale}"


def test_the_length_rule_counts_a_known_function_correctly() -> None:
    source = "def f():\n" + "    x = 1\n" * 80 + "    return x\n"
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    assert (node.end_lineno or 0) - node.lineno + 1 == 82
