"""``-j`` is capped by the cores and the memory available, with a warning."""

from __future__ import annotations

import logging

import pytest

import sim.ensemble as ensemble


@pytest.mark.parametrize(
    ("requested", "cores", "memory_mb", "tasks", "expected"),
    [
        (16, 2, 64_000, 100, 2),  # cores bind: 2
        (16, 8, 1_000, 100, 3),  # memory binds: 1000 MB // 300 MB = 3
        (16, 8, 100, 100, 1),  # less than one worker's memory: still 1
        (None, 4, 64_000, 100, 4),  # default: all cores
        (4, 8, 64_000, 2, 2),  # never more workers than tasks
    ],
)
def test_jobs_are_capped_by_cores_memory_and_tasks(
    monkeypatch: pytest.MonkeyPatch,
    requested: int | None,
    cores: int,
    memory_mb: int,
    tasks: int,
    expected: int,
) -> None:
    monkeypatch.setattr(ensemble, "default_jobs", lambda: cores)
    monkeypatch.setattr(ensemble, "available_memory_bytes", lambda: memory_mb * 2**20)
    assert ensemble.cap_jobs(requested, tasks) == expected


def test_a_reduced_request_is_warned_about(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ensemble, "default_jobs", lambda: 2)
    monkeypatch.setattr(ensemble, "available_memory_bytes", lambda: 64 * 2**30)
    with caplog.at_level(logging.WARNING, logger="sim.ensemble"):
        assert ensemble.cap_jobs(16, 100) == 2
    assert "-j 16 reduced to 2 (2 cores" in caplog.text
