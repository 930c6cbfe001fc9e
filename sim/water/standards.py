"""Surface-water quality classes (GB 3838-2002) and black-odorous water grades (2015 guideline).

GB 3838-2002 *Environmental quality standards for surface water*, Table 1 (basic items, mg/L):
a water body's class is the class of its worst item; beyond class V it is "worse than V" (劣Ⅴ).
DO is a lower limit (higher is better); every other item is an upper limit. TP limits are those
for rivers. Black-odorous grades follow the 2015 *Guideline for the remediation of urban
black and odorous water bodies* (MOHURD/MEP): light — DO 0.2-2.0 mg/L or NH3-N 8-15 mg/L;
heavy — DO < 0.2 mg/L or NH3-N > 15 mg/L (transparency and ORP are not modelled here).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BLACK_ODOROUS_NAMES",
    "CLASS_NAMES",
    "GB3838_LIMITS_MG_L",
    "NOT_CLASSIFIABLE",
    "REPORTING_DECIMALS",
    "annual_class",
    "as_reported",
    "black_odorous_grade",
    "class_iii_margin",
    "deciding_item",
    "deciding_items",
    "monthly_class",
    "share_class_iii_or_better",
    "surface_water_class",
]

#: GB 3838-2002 Table 1 limits, classes I-V, mg/L (DOMAIN.md §7, H). DO: minimum; others: max.
GB3838_LIMITS_MG_L: Mapping[str, tuple[float, float, float, float, float]] = {
    "do": (7.5, 6.0, 5.0, 3.0, 2.0),
    "codmn": (2.0, 4.0, 6.0, 10.0, 15.0),
    "cod": (15.0, 15.0, 20.0, 30.0, 40.0),
    "bod5": (3.0, 3.0, 4.0, 6.0, 10.0),
    "nh3n": (0.15, 0.5, 1.0, 1.5, 2.0),
    "tp": (0.02, 0.1, 0.2, 0.3, 0.4),
}

#: Decimals to which each item is reported before it is compared with the limits: those of the
#: GB 3838-2002 Table 1 limits, finer where the national methods report finer (DO, permanganate
#: index and BOD5 to 0.1 mg/L; COD to 1 mg/L, HJ 828-2017; NH3-N and TP to 0.01 mg/L).
#: assumed where a method's own rule was not seen (M).
REPORTING_DECIMALS: Mapping[str, int] = {
    "do": 1,
    "codmn": 1,
    "cod": 0,
    "bod5": 1,
    "nh3n": 2,
    "tp": 2,
}

#: Class number of a value that cannot be classified (NaN): never counted as any class.
NOT_CLASSIFIABLE = 0

#: Class names by class number 1-6; 0 is "not classifiable".
CLASS_NAMES: tuple[str, ...] = ("not classifiable", "I", "II", "III", "IV", "V", "worse than V")

#: Black-odorous grade names by grade number 0-2.
BLACK_ODOROUS_NAMES: tuple[str, ...] = ("none", "light", "heavy")


def as_reported(item: str, conc: ArrayLike) -> NDArray[np.float64]:
    """A concentration rounded as reported (:data:`REPORTING_DECIMALS`), half to even (GB/T
    8170-2008 "四舍六入五成双"). Binary noise is removed first (rounding to 9 decimals), so
    0.1 + 0.2 reports as 0.30 and 0.125 as 0.12. NaN stays NaN."""
    c = np.asarray(conc, dtype=np.float64)
    scale = 10.0 ** REPORTING_DECIMALS[item]
    return np.asarray(np.round(np.round(c * scale, 9)) / scale)


def _item_class(item: str, conc: ArrayLike) -> NDArray[np.int64]:
    """Class 1-6 of one item as reported; :data:`NOT_CLASSIFIABLE` (0) where it is NaN."""
    c = as_reported(item, conc)
    limits = np.asarray(GB3838_LIMITS_MG_L[item])
    if item == "do":
        # class k if c >= limit_k: count limits not met, from the strictest
        cls = 1 + np.sum(c[..., None] < limits, axis=-1)
    else:
        cls = 1 + np.sum(c[..., None] > limits, axis=-1)
    return np.where(np.isnan(c), NOT_CLASSIFIABLE, cls).astype(np.int64)


def surface_water_class(
    do: ArrayLike | None = None,
    codmn: ArrayLike | None = None,
    cod: ArrayLike | None = None,
    bod5: ArrayLike | None = None,
    nh3n: ArrayLike | None = None,
    tp: ArrayLike | None = None,
) -> NDArray[np.int64]:
    """GB 3838-2002 class (1-5 for I-V, 6 for worse than V) from any subset of items.

    Parameters
    ----------
    do, codmn, cod, bod5, nh3n, tp
        Concentrations, mg/L: dissolved oxygen, permanganate index, COD (dichromate), BOD5,
        ammonia nitrogen, total phosphorus (river limits). Arrays broadcast together; each is
        rounded as reported (:func:`as_reported`) before it is compared with the limits.

    Returns
    -------
    numpy.ndarray
        The worst item's class, elementwise (GB 3838-2002 §6: single-factor evaluation);
        :data:`NOT_CLASSIFIABLE` (0) where any given item is NaN (the worst item is unknown).
    """
    given = {
        k: v
        for k, v in {
            "do": do,
            "codmn": codmn,
            "cod": cod,
            "bod5": bod5,
            "nh3n": nh3n,
            "tp": tp,
        }.items()
        if v is not None
    }
    if not given:
        raise ValueError("surface_water_class needs at least one item.")
    classes = np.broadcast_arrays(*[_item_class(k, v) for k, v in given.items()])
    worst = np.maximum.reduce(classes)
    unknown = np.logical_or.reduce([c == NOT_CLASSIFIABLE for c in classes])
    return np.asarray(np.where(unknown, NOT_CLASSIFIABLE, worst), dtype=np.int64)


def black_odorous_grade(do: ArrayLike, nh3n: ArrayLike) -> NDArray[np.int64]:
    """Black-odorous grade 0 none / 1 light / 2 heavy from DO and NH3-N (mg/L), worst decides.

    Light: DO < 2.0 or NH3-N > 8.0; heavy: DO < 0.2 or NH3-N > 15 (2015 guideline, DOMAIN.md §7).
    """
    d = np.asarray(do, dtype=np.float64)
    n = np.asarray(nh3n, dtype=np.float64)
    grade_do = np.where(d < 0.2, 2, np.where(d < 2.0, 1, 0))
    grade_n = np.where(n > 15.0, 2, np.where(n > 8.0, 1, 0))
    return np.asarray(np.maximum(grade_do, grade_n), dtype=np.int64)


def _period_class(
    period: NDArray[np.int64], n_periods: int, items: Mapping[str, ArrayLike]
) -> NDArray[np.int64]:
    # period means as one matrix product with the (n_periods, n_samples) membership matrix
    member = (np.arange(n_periods)[:, None] == period[None, :]).astype(np.float64)
    counts = member.sum(axis=1)
    means: dict[str, NDArray[np.float64]] = {}
    for name, values in items.items():
        v = np.asarray(values, dtype=np.float64)
        total = (member @ v.reshape(v.shape[0], -1)).reshape((n_periods, *v.shape[1:]))
        with np.errstate(invalid="ignore", divide="ignore"):
            means[name] = total / counts.reshape((n_periods,) + (1,) * (v.ndim - 1))
    return surface_water_class(**means)


def monthly_class(month: ArrayLike, **items: ArrayLike) -> NDArray[np.int64]:
    """Class of each month (rows 0-11 for months 1-12) from monthly mean concentrations.

    Parameters
    ----------
    month
        Month number 1-12 of each sample (first axis of the item arrays), e.g. per day.
    **items
        Item arrays (``do=``, ``cod=``, ...) of shape ``(n_samples, ...)``, e.g. (days, sections).

    Returns
    -------
    numpy.ndarray
        Classes of shape ``(12, ...)``; a month without samples is not classifiable (0).
    """
    m = np.asarray(month, dtype=np.int64) - 1
    if np.any((m < 0) | (m > 11)):
        raise ValueError("month must be in 1..12.")
    return _period_class(m, 12, items)


def annual_class(**items: ArrayLike) -> NDArray[np.int64]:
    """Class from annual mean concentrations; items have shape ``(n_samples, ...)``."""
    first = np.asarray(next(iter(items.values())))
    return _period_class(np.zeros(first.shape[0], dtype=np.int64), 1, items)[0]


def share_class_iii_or_better(classes: ArrayLike) -> float:
    """Share (0-1) of sections at class III or better (the plan's target indicator).

    Raises ValueError when a class is :data:`NOT_CLASSIFIABLE`: the share is then unknown.
    """
    c = np.asarray(classes)
    if c.size == 0:
        raise ValueError("classes is empty.")
    if np.any(c == NOT_CLASSIFIABLE):
        raise ValueError("a section is not classifiable (NaN concentration): share unknown.")
    return float(np.mean(c <= 3))


def class_iii_margin(item: str, conc: ArrayLike) -> NDArray[np.float64]:
    """Distance to the class III limit in the item's unit (mg/L), positive when better than the
    limit: DO − 5 for DO, limit − value for every other item (values as reported)."""
    c = as_reported(item, conc)
    limit = GB3838_LIMITS_MG_L[item][2]
    return np.asarray(c - limit if item == "do" else limit - c)


def deciding_item(means_mg_l: Mapping[str, float]) -> str:
    """The item that decides a sample's class: the one with the worst class; among equals, the
    one with the smallest margin to its class III limit relative to that limit."""

    def key(item: str) -> tuple[int, float]:
        cls = int(_item_class(item, np.array([means_mg_l[item]]))[0])
        rel = float(class_iii_margin(item, means_mg_l[item])) / GB3838_LIMITS_MG_L[item][2]
        return (-cls, rel)

    return min(means_mg_l, key=key)


def deciding_items(means_mg_l: Mapping[str, ArrayLike]) -> list[str]:
    """:func:`deciding_item` of many samples at once: ``means_mg_l`` maps each item to the
    samples' values ``(n,)``; the classes and margins are worked out once per item."""
    items = list(means_mg_l)
    cls = [np.atleast_1d(_item_class(k, means_mg_l[k])).tolist() for k in items]
    rel = [
        (np.atleast_1d(class_iii_margin(k, means_mg_l[k])) / GB3838_LIMITS_MG_L[k][2]).tolist()
        for k in items
    ]
    out = []
    for s in range(len(cls[0]) if cls else 0):

        def key(i: int, s: int = s) -> tuple[int, float]:
            return (-cls[i][s], rel[i][s])

        out.append(items[min(range(len(items)), key=key)])
    return out
