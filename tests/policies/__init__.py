"""Tests of the measure families (helpers: tests/_support/scenarios.py)."""
