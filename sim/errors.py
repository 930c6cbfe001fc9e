"""Errors raised by sim: a small hierarchy that the command line maps to exit codes."""

from __future__ import annotations

__all__ = ["CalibrationError", "ScenarioError", "SimError", "SweepError", "truncate_line"]


#: Longest problem line shown (characters); a value typed by the user may be huge.
MAX_LINE = 400
#: Most problems listed by one error.
MAX_PROBLEMS = 50


def truncate_line(line: str) -> str:
    """``line`` on one line, at most :data:`MAX_LINE` characters."""
    line = " ".join(line.splitlines())
    return line if len(line) <= MAX_LINE else f"{line[: MAX_LINE - 25]}… ({len(line)} characters)"


class SimError(Exception):
    """Base of every error sim raises on purpose.

    Parameters
    ----------
    problems
        One line per problem, each naming the file, the field path and what is expected.
    """

    exit_code = 1

    def __init__(self, *problems: str) -> None:
        lines = tuple(truncate_line(str(p)) for p in problems[:MAX_PROBLEMS])
        if len(problems) > MAX_PROBLEMS:
            lines += (f"... and {len(problems) - MAX_PROBLEMS} more problems",)
        self.problems: tuple[str, ...] = lines or ("unknown error",)
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
