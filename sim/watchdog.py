"""Worker processes that exit when their driver dies (no orphans after a SIGKILL).

Two guards, installed in every worker process (and in the forkserver) of a sweep or ensemble:

- on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the process when its parent
  dies;
- everywhere, a daemon thread that polls ``os.getppid()`` every :data:`POLL_S` seconds and exits
  the process when the parent changed (a dead parent's children are re-parented).

A forkserver's workers are children of the forkserver, which is a child of the driver: the
driver dies, the forkserver exits, its workers exit.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

__all__ = ["POLL_S", "install", "parent_death_signal"]

#: Seconds between two looks at the parent process.
POLL_S = 0.5
_PR_SET_PDEATHSIG = 1


def parent_death_signal(sig: int = signal.SIGKILL) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent dies; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)) == 0
    except (OSError, AttributeError):  # pragma: no cover - no libc prctl
        return False


def _watch(parent: int) -> None:
    while True:
        time.sleep(POLL_S)
        if os.getppid() != parent:
            os._exit(1)


def install() -> None:
    """Make this (worker) process exit when its parent dies (call once per process)."""
    parent = os.getppid()
    parent_death_signal()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="sim-watchdog", daemon=True).start()
