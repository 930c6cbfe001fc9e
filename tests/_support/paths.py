"""Paths of the repository, independent of the working directory."""

from __future__ import annotations

from pathlib import Path

#: The repository root (the folder holding ``sim/``, ``scenarios/``, ``tests/``).
REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
BASELINE = SCENARIOS / "baseline.yaml"
PLAN2024 = SCENARIOS / "plan2024.yaml"
