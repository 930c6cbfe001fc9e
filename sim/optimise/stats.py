"""Confidence intervals for a probability estimated from a finite ensemble.

A bundle met a target in ``k`` of ``n`` members. The raw share ``k / n`` of a small ensemble is
optimistic for the best of many candidates (the winner's curse): the search therefore asks that the
*lower* bound of the Wilson score interval meets the constraint, and verification reports the
Wilson interval of fresh members (Clopper–Pearson is given for comparison).

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
J. Am. Stat. Assoc. 22, 209-212.
Clopper, C. J., Pearson, E. S. (1934). The use of confidence or fiducial limits illustrated in the
case of the binomial. Biometrika 26, 404-413.
Brown, L. D., Cai, T. T., DasGupta, A. (2001). Interval estimation for a binomial proportion.
Statist. Sci. 16, 101-133.
"""

from __future__ import annotations

import math

from scipy.stats import beta, norm

__all__ = ["clopper_pearson", "wilson"]


def wilson(k: int, n: int, confidence: float = 0.9) -> tuple[float, float]:
    """Two-sided Wilson score interval of a proportion: ``(low, high)``.

    Parameters
    ----------
    k
        Successes (members meeting the target).
    n
        Trials (members); ``n = 0`` gives ``(0, 1)``.
    confidence
        Two-sided coverage, e.g. 0.9 (z = 1.645).
    """
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= k <= n:
        raise ValueError(f"k(={k}) must be within [0, n(={n})]")
    z = float(norm.ppf(0.5 + confidence / 2.0))
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def clopper_pearson(k: int, n: int, confidence: float = 0.9) -> tuple[float, float]:
    """Two-sided Clopper–Pearson ("exact") interval of a proportion: ``(low, high)``."""
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= k <= n:
        raise ValueError(f"k(={k}) must be within [0, n(={n})]")
    a = 1.0 - confidence
    low = 0.0 if k == 0 else float(beta.ppf(a / 2, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - a / 2, k + 1, n - k))
    return low, high
