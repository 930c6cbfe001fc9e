"""Shared fixtures: small calendars and seeded generators.

Helpers that tests import live in the package ``tests/_support`` (``from _support import ...``;
``tests`` is on the path through ``pythonpath`` in pyproject.toml), never in a conftest.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from _support import constant_weather  # noqa: F401  (transition: tests owned by #12/#13)
from sim.calendar import Calendar


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


@pytest.fixture
def year_2024() -> Calendar:
    return Calendar(datetime(2024, 1, 1), datetime(2025, 1, 1))
