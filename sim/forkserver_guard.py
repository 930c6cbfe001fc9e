"""Imported by the forkserver of a sweep or ensemble (a preload module), and nowhere else.

The forkserver's workers inherit its environment and its parent (the driver that started it),
so the forkserver itself, not the driver, sets what the workers need:

- one thread per process for the numeric libraries (``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``,
  ``MKL_NUM_THREADS``, unless already set): the pool provides the parallelism. This module is the
  first preload and imports no numeric library, so the limits are in place before numpy loads;
- a guard (:func:`sim.watchdog.install`) that ends the forkserver when its driver dies.

The driver's own ``os.environ`` is never touched. Imported anywhere else (not from
``multiprocessing.forkserver.main``) the module does nothing.
"""

from __future__ import annotations

import os
import sys
from types import FrameType

from sim.watchdog import install

__all__ = ["THREAD_VARS", "in_forkserver"]

#: One thread per worker process for the numeric libraries.
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def in_forkserver() -> bool:
    """True when called while ``multiprocessing.forkserver.main`` imports its preload modules."""
    from multiprocessing import forkserver

    main_code = forkserver.main.__code__
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code is main_code:
            return True
        frame = frame.f_back
    return False


if in_forkserver():
    for _var in THREAD_VARS:
        os.environ.setdefault(_var, "1")  # the forkserver's own environment, for its workers
    install()
