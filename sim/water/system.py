"""Pure pieces of the district's water year: daily sums and build-up/wash-off.

Arrays in, arrays out (no calendar, weather or scenario objects): the orchestration that reads the
scenario and the run lives in :mod:`sim.outcomes.water_model`. See docs/model.md (Water).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.water.recurrence import linear_recurrence

__all__ = ["daily_sum", "event_count", "hours_per_day", "overflow_rule_events", "washoff_g_s"]

Array = NDArray[np.float64]


def daily_sum(hourly: NDArray[np.float64], day_index: NDArray[np.int64], n_days: int) -> Array:
    """Sum of an hourly array (time first) over each day; ``day_index`` gives each hour's day.

    Uses contiguous blocks (``np.add.reduceat``) when the hours are in day order and every day
    has hours, as a run's calendar always has; otherwise an unbuffered ``np.add.at``.
    """
    x = np.asarray(hourly, dtype=np.float64)
    di = np.asarray(day_index)
    if di.size and di[0] == 0 and di[-1] == n_days - 1:
        step = np.diff(di)
        if np.all((step == 0) | (step == 1)):
            starts = np.flatnonzero(np.r_[True, step != 0])
            return np.asarray(np.add.reduceat(x, starts, axis=0))
    out = np.zeros((n_days, *x.shape[1:]))
    np.add.at(out, di, x)
    return out


def hours_per_day(day_index: NDArray[np.int64], n_days: int) -> Array:
    """Number of hours of each day in the run (first and last days may be partial)."""
    return np.bincount(day_index, minlength=n_days).astype(np.float64)


def washoff_g_s(
    runoff_m3_s: Array,
    area_m2: Array,
    impervious_ha: Array,
    bmax_kg_ha: Array,
    buildup_rate_per_d: float,
    k_per_mm: float,
    cleared: list[tuple[float, Array]],
) -> Array:
    """Wash-off load per hour, area and pollutant, g/s (exponential build-up and wash-off).

    The pool B (kg per area and pollutant, limit ``impervious_ha × bmax_kg_ha``) builds up
    between steps, ``B <- Bmax - (Bmax - B)·exp(-rate·Δt)``; a runoff hour washes off
    ``B·(1 - exp(-k·depth))`` (depth in mm over the whole area; SWMM Reference Manual Vol. III,
    exponential build-up and wash-off); a network clearing ``(hour, share per area)`` removes a
    share. Every step is affine in B, so the whole year is one linear recurrence
    (:func:`sim.water.recurrence.linear_recurrence`) over the runoff hours and clearings in time
    order. Returned as a view of a pollutant-major array (fast per-pollutant arithmetic).
    """
    rate_h = buildup_rate_per_d / 24.0
    k_mm = k_per_mm
    n_t, n_a = runoff_m3_s.shape
    n_p = len(bmax_kg_ha)
    bmax = impervious_ha[:, None] * np.asarray(bmax_kg_ha)[None]  # kg, (n_a, n_p)
    out = np.zeros((n_p, n_t, n_a))
    wet = np.flatnonzero(runoff_m3_s.sum(axis=1) > 0.0)
    if wet.size == 0:
        return np.moveaxis(out, 0, -1)
    # the steps in time order: clearings at te <= t come before the runoff hour t
    events = sorted((e for e in cleared if e[0] <= wet[-1]), key=lambda e: e[0])
    ev_t = np.array([e[0] for e in events], dtype=np.float64)
    order = np.searchsorted(wet, ev_t, side="left")  # clearing before wet hour wet[order]
    n_s = wet.size + ev_t.size
    is_ev = np.zeros(n_s, dtype=bool)
    ev_pos = order + np.arange(ev_t.size)
    is_ev[ev_pos] = True
    time_h = np.empty(n_s)
    time_h[ev_pos] = ev_t
    time_h[~is_ev] = wet
    # "last": end of the previous runoff hour, or the latest clearing since then
    end_h = np.where(is_ev, time_h, time_h + 1.0)
    last = np.maximum.accumulate(np.r_[0.0, end_h[:-1]])
    grow = np.exp(-rate_h * np.maximum(time_h - last, 0.0))  # (n_s,)
    keep = np.ones((n_s, n_a))
    if ev_t.size:
        keep[ev_pos] = 1.0 - np.array([e[1] for e in events])
    depth_mm = runoff_m3_s[wet] * 3600.0 / area_m2 * 1e3
    keep[~is_ev] = np.exp(-k_mm * depth_mm)
    decay = (keep * grow[:, None])[..., None]  # (n_s, n_a, 1)
    after = linear_recurrence(decay, keep[..., None] * (1.0 - grow)[:, None, None] * bmax, bmax)
    before_prev = np.concatenate([bmax[None], after[:-1]])
    before = grow[:, None, None] * before_prev + (1.0 - grow)[:, None, None] * bmax
    washed = before[~is_ev] * -np.expm1(-k_mm * depth_mm)[..., None]  # kg in the hour
    out[:, wet] = np.moveaxis(washed, -1, 0) * (1e3 / 3600.0)  # kg/h -> g/s
    return np.moveaxis(out, 0, -1)


def _events(wet: NDArray[np.bool_], gap_h: int) -> list[tuple[int, int]]:
    """(first, last + 1) hour of each run of wet hours; runs closer than ``gap_h`` dry hours
    are one event."""
    hours = np.flatnonzero(wet)
    if hours.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(hours) > gap_h)
    starts = np.r_[hours[0], hours[cuts + 1]]
    ends = np.r_[hours[cuts], hours[-1]] + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def event_count(flow: NDArray[np.float64], gap_h: int = 6) -> int:
    """Number of events of a positive hourly series (e.g. overflow), split by ``gap_h`` dry h."""
    return len(_events(np.asarray(flow) > 0.0, gap_h))


def overflow_rule_events(
    rain_mm_h: NDArray[np.float64],
    min_depth_mm: float = 15.0,
    min_intensity_mm_h: float = 1.4,
    gap_h: int = 6,
) -> int:
    """Rain events that meet the overflow-start rule of DOMAIN.md §7 (Beijing, upper Beiyun:
    event depth >= 15 mm and mean intensity over its wet hours >= 1.4 mm/h; H), events split by
    ``gap_h`` dry hours."""
    rain = np.asarray(rain_mm_h, dtype=np.float64)
    n = 0
    for a, b in _events(rain > 0.0, gap_h):
        r = rain[a:b]
        depth = float(r.sum())
        if depth >= min_depth_mm and depth / np.count_nonzero(r) >= min_intensity_mm_h:
            n += 1
    return n
