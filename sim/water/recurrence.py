"""First-order linear recurrences over time, ``x[t] = a[t]·x[t-1] + b[t]``, solved vectorised.

The exact exponential updates of the river segments and the build-up pool are linear
recurrences with coefficients known in advance; instead of stepping them one day or one hour at
a time in Python, :func:`linear_recurrence` evaluates the closed form

    x[t] = P[t]·(x0 + Σ_{s<=t} b[s]/P[s]),     P[t] = a[0]·a[1]···a[t],

with cumulative sums of ``log a`` in blocks short enough that ``1/P`` can neither overflow nor
underflow (blockwise scan; e.g. Blelloch 1990, *Prefix sums and their applications*, §1.4 on
first-order recurrences). Rounding differs from sequential stepping by a few units in the last
place times the block's log-span (relative ~1e-14; tested against a plain loop).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["linear_recurrence"]

#: Largest |Σ log a| spanned inside one block (bounds 1/P by e^200 there).
_BLOCK_LOG_SPAN = 200.0
#: Steps per block at most.
_MAX_BLOCK = 64
#: Per-step decays below exp(-_LOG_FLOOR) are taken as exp(-_LOG_FLOOR) (x changes by at most
#: 2e-22 of its previous value).
_LOG_FLOOR = 50.0


def linear_recurrence(
    decay: ArrayLike,
    increment: ArrayLike,
    x0: ArrayLike,
    log_decay: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Solve ``x[t] = decay[t]·x[t-1] + increment[t]`` along axis 0, with ``x[-1] = x0``.

    The steps are cut into equal blocks of L steps (L·max|log a| <= 200); inside every block,
    all blocks at once, the closed form from a zero start; then one short loop over the blocks
    carries each block's end state into the next (``x = local + P·carry``).

    Parameters
    ----------
    decay
        Multipliers ``a[t]``, 0 <= a <= 1, shape ``(n, ...)`` (broadcast with ``increment``).
    increment
        Additive terms ``b[t]``, shape ``(n, ...)``.
    x0
        State before the first step, broadcastable to ``increment.shape[1:]``.
    log_decay
        ``log a`` if the caller has it exactly (e.g. ``-k·dt`` for ``a = exp(-k·dt)``).

    Returns
    -------
    numpy.ndarray
        ``x[t]`` for every t, shape of the broadcast ``(decay, increment)``.
    """
    a = np.asarray(decay, dtype=np.float64)
    b = np.asarray(increment, dtype=np.float64)
    shape = np.broadcast_shapes(a.shape, b.shape)
    if not shape:
        raise ValueError("decay and increment must have a time axis (axis 0).")
    n, rest = shape[0], shape[1:]
    if log_decay is None:
        if np.any(a < 0.0) or np.any(a > 1.0):
            raise ValueError("decay must lie in [0, 1].")
        with np.errstate(divide="ignore"):
            la = np.log(a)
    else:
        la = np.asarray(log_decay, dtype=np.float64)
        if np.any(la > 0.0):
            raise ValueError("log_decay must be <= 0.")
    start = np.broadcast_to(np.asarray(x0, dtype=np.float64), rest)
    if n == 0:
        return np.empty(shape)
    la = np.maximum(la, -_LOG_FLOOR)
    worst = float(-la.min()) if la.size else 0.0
    size = int(min(_MAX_BLOCK, max(1, _BLOCK_LOG_SPAN // max(worst, 1e-300))))
    n_blocks = -(-n // size)
    pad = n_blocks * size - n
    la_b = np.zeros((n_blocks * size, *rest))
    la_b[:n] = la
    b_b = np.zeros((n_blocks * size, *rest))
    b_b[:n] = b
    la_b = la_b.reshape(n_blocks, size, *rest)
    b_b = b_b.reshape(n_blocks, size, *rest)
    lcum = np.cumsum(la_b, axis=1)  # in [-200 - 50, 0]
    grow = np.exp(lcum)  # P within the block
    local = np.cumsum(b_b * np.exp(-lcum), axis=1)
    local *= grow
    # carry each block's end state into the next
    carry = _carry(grow[:, -1], local[:, -1], start)
    local += grow * carry[:, None]
    out = local.reshape(n_blocks * size, *rest)
    return out[: n_blocks * size - pad] if pad else out


def _carry(p_end: NDArray[np.float64], l_end: NDArray[np.float64], start: NDArray) -> NDArray:
    """State entering each block: ``x[k+1] = p_end[k]·x[k] + l_end[k]`` from ``x[0] = start``."""
    n_blocks, rest = p_end.shape[0], p_end.shape[1:]
    if start.size <= 16:  # a few columns: plain floats beat numpy calls on tiny arrays
        pe = p_end.reshape(n_blocks, -1).tolist()
        le = l_end.reshape(n_blocks, -1).tolist()
        xs = start.ravel().tolist()
        rows = []
        for k in range(n_blocks):
            rows.append(xs)
            xs = [p * v + q for p, v, q in zip(pe[k], xs, le[k], strict=True)]
        return np.array(rows, dtype=np.float64).reshape(n_blocks, *rest)
    carry = np.empty((n_blocks, *rest))
    x = start.copy()
    for k in range(n_blocks):
        carry[k] = x
        x = p_end[k] * x + l_end[k]
    return carry
