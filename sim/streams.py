"""Independent, named random streams from one root seed (no global random state).

Each component asks for its stream by name, so enabling or disabling one component never shifts
the draws of another: a bundle and its baseline share weather and every other exogenous draw
(common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["member_seeds", "rng_for"]


def rng_for(seed: int, name: str) -> np.random.Generator:
    """Return the generator of stream ``name`` under root ``seed``.

    The stream is ``SeedSequence(seed, spawn_key=(crc32(name),))``: stable across runs, Python
    versions and the order in which components are created.
    """
    if seed < 0:
        raise ValueError(f"seed(={seed}) must be >= 0.")
    key = zlib.crc32(name.encode("utf-8"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(key,))))


def member_seeds(seed: int, n: int) -> list[int]:
    """Root seeds for ``n`` ensemble members, spawned from ``seed`` (member 0 is not ``seed``)."""
    if n < 0:
        raise ValueError(f"n(={n}) must be >= 0.")
    children = np.random.SeedSequence(seed).spawn(n)
    return [int(c.generate_state(1, dtype=np.uint32)[0]) for c in children]
