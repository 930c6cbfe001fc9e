"""Errors raised by sim: a small hierarchy that the command line maps to exit codes."""

from __future__ import annotations

__all__ = ["CalibrationError", "ScenarioError", "SimError", "SweepError"]


class SimError(Exception):
    """Base of every error sim raises on purpose.

    Parameters
    ----------
    problems
        One line per problem, each naming the file, the field path and what is expected.
    """

    exit_code = 1

    def __init__(self, *problems: str) -> None:
        self.problems: tuple[str, ...] = tuple(problems) or ("unknown error",)
        super().__init__("\n".join(self.problems))


class ScenarioError(SimError):
    """A scenario, sweep or data file that is missing, malformed or invalid (exit code 2)."""

    exit_code = 2


class CalibrationError(SimError):
    """A calibration that cannot be set up or does not converge."""

    exit_code = 2


class SweepError(SimError):
    """A sweep that cannot be set up, or whose store is inconsistent."""

    exit_code = 2
