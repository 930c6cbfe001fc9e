"""Helpers shared by the tests: an importable package, so that the suite runs from anywhere.

``tests/`` is put on ``sys.path`` by ``pythonpath = ["tests"]`` (pyproject.toml), so a test module
writes ``from _support import tiny_scenario`` whatever the import mode or working directory.
"""

from __future__ import annotations

from _support.paths import BASELINE, PLAN2024, REPO, SCENARIOS
from _support.scenarios import TINY_INDUSTRY, TINY_MOBILE, tiny_scenario, totals
from _support.weather import constant_weather

__all__ = [
    "BASELINE",
    "PLAN2024",
    "REPO",
    "SCENARIOS",
    "TINY_INDUSTRY",
    "TINY_MOBILE",
    "constant_weather",
    "tiny_scenario",
    "totals",
]
