"""Physical plausibility bounds on every numeric scenario input, by what the field measures.

Fields say what they measure in their names (``_m_s``, ``_share``, ``_days``, ``_cny``, ...), so
the bounds are one table (:data:`RULES`) keyed on the name, each with its reason, applied by
:class:`sim.scenario.base.Section` to every numeric field after pydantic's own checks (a field's
explicit ``Field(ge=..., le=...)`` still holds too). A field whose name no rule matches gets
:data:`FALLBACK`. Every number must also be finite (``allow_inf_nan=False``).

A distribution must lie inside its field's bounds: ``fixed`` value; ``uniform``/``triangular``
low and high (``low <= mode <= high`` is checked by the distribution itself); ``normal`` mean and
its clipping bounds (a normal for a field bounded on both sides must be clipped); ``lognormal``
median (and the field must have no upper bound); ``beta`` its rescaling interval.

The bounds are wide on purpose: they catch units (wind in km/h, mixing height in km), typos
(``5`` for a probability) and absurd values (``1e308``), not unusual but possible inputs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["EXEMPT_MODULES", "FALLBACK", "RULES", "Bound", "bound_for", "check_value"]


@dataclass(frozen=True)
class Bound:
    """``low <= x <= high`` (``open_low``: ``low < x``), optionally a whole number."""

    low: float
    high: float
    reason: str
    integer: bool = False
    open_low: bool = False

    def text(self) -> str:
        """``within [0, 1]``, ``in (0, 10000]``, ..."""
        left = "(" if self.open_low else "["
        lo = _num(self.low)
        kind = "a whole number " if self.integer else ""
        return f"must be {kind}in {left}{lo}, {_num(self.high)}] ({self.reason})"


def _num(x: float) -> str:
    if isinstance(x, int):
        return str(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:g}"


_INF = math.inf
_SHARE = Bound(0.0, 1.0, "a probability, share, efficiency or compliance rate is a fraction")
_DAYS = Bound(0.0, 3660.0, "a duration or delay within ten years")
_COUNT = Bound(0.0, 1e8, "a count, below 10^8 (the district has 0.5 M people)", True)
_COST = Bound(0.0, 1e12, "a cost in CNY below 10^12 (the district's yearly budget is ~10^10)")

#: (pattern on the field name, bound); the first match wins.
RULES: tuple[tuple[str, Bound], ...] = (
    (r"^seed$", Bound(0, 2**63 - 1, "seeds are 63-bit non-negative integers", True)),
    (r"^ensemble$", Bound(1, 100_000, "ensemble members: at most 100 000", True)),
    (r"(probability|_share$|^share$|efficiency|compliance|effectiveness|_fraction$)", _SHARE),
    (r"(^dust_reduction$|^content_ratio$|^decay_per_step$|^adoption$)", _SHARE),
    (r"_pct$", Bound(0.0, 100.0, "relative humidity and other percentages are 0-100 %")),
    (r"(sigma|_sd$|log_sd|_sd_)", Bound(0.0, 10.0, "a spread (log-sd or sd) below 10")),
    (r"mixing_height_m$", Bound(10.0, 6000.0, "mixing-layer heights lie within 10 to 6000 m")),
    (r"(_m_s$|^wind)", Bound(0.0, 60.0, "10-m wind above 60 m/s exceeds any typhoon record")),
    (r"(_mm_h$|_threshold_mm_h$)", Bound(0.0, 300.0, "rain above 300 mm/h exceeds the records")),
    (r"^rain_mm$", Bound(0.0, 3000.0, "a month's rain above 3000 mm exceeds the records")),
    (r"depth_mm$", Bound(0.0, 1000.0, "a rain event above 1000 mm exceeds the records")),
    (r"_c$", Bound(-50.0, 55.0, "air temperatures on Earth's plains lie within -50 to 55 °C")),
    (r"_km2$", Bound(1e-3, 1e6, "0.1 ha to 10^6 km² (Tianjin 1.2e4 km², the BTH region 2.2e5)")),
    (r"_m2$", Bound(0.0, 1e10, "an area below 10^4 km² (10^10 m²)")),
    (r"(_days$|_days_mean$|^days$)", _DAYS),
    (r"(_h$|_hours$|_dry_h$)", Bound(0.0, 8784.0, "a duration within a (leap) year of hours")),
    (r"^(start_hour|end_hour|hour)$", Bound(0.0, 24.0, "an hour of the day")),
    (r"_months$", Bound(0.0, 120.0, "a duration within ten years")),
    (r"multiplier$", Bound(0.0, 100.0, "an emission multiplier; 100x exceeds any measurement")),
    (r"(cny|_cost)", _COST),
    (
        r"^(count|households|population|enterprises|vehicles|outlets|stations|points|crews"
        r"|contractors|survey_teams|review_panels|stages|target_households"
        r"|inspections_per_year)$",
        _COUNT,
    ),
    (r"^stove_heads$", Bound(0.0, 1e3, "mean stove heads per restaurant")),
    (r"(_per_year$|_per_month$|_per_day$|_month$|per_trip$)", Bound(0.0, 1e8, "a rate below 1e8")),
    (r"(_profile$|^workday$|^day_off$|_factor$)", Bound(0.0, 1e3, "a relative weight or factor")),
    (r"(exponent|coefficient)$", Bound(0.0, 100.0, "a dimensionless model coefficient")),
)

#: The bound of a numeric field no rule names: finite and below 10^15 in its unit (no input of sim
#: comes near: the largest are costs, ~10^10 CNY).
FALLBACK = Bound(-1e15, 1e15, "no input of sim is larger than 10^15 in its unit")

#: Section modules whose bounds their own owners set (the air and water sections).
EXEMPT_MODULES = frozenset({"sim.scenario.sections.air", "sim.scenario.sections.water"})

_COMPILED = tuple((re.compile(p), b) for p, b in RULES)


def bound_for(name: str) -> Bound:
    """The bound of a field called ``name``."""
    for pattern, bound in _COMPILED:
        if pattern.search(name):
            return bound
    return FALLBACK


def _inside(x: float, b: Bound) -> bool:
    if not math.isfinite(x):
        return False
    above = x > b.low if b.open_low else x >= b.low
    return above and x <= b.high


def _numbers(value: Any) -> Iterator[Any]:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, (int, float)):
        yield value
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _numbers(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif type(value).__name__ == "Distribution":
        yield value


def _distribution_problem(d: Any, b: Bound) -> str | None:
    two_sided = math.isfinite(b.low) and math.isfinite(b.high) and b is not FALLBACK
    if d.dist == "fixed":
        points = [d.value]
    elif d.dist in ("uniform", "triangular"):
        points = [d.low, d.high]
    elif d.dist == "normal":
        if two_sided and (d.low is None or d.high is None):
            return "a normal distribution here needs low and high clipping inside the bounds"
        points = [d.mean, *(p for p in (d.low, d.high) if p is not None)]
    elif d.dist == "lognormal":
        if two_sided and b.high < FALLBACK.high:
            return "a lognormal distribution is unbounded above; use triangular or beta"
        points = [d.median]
    else:
        points = [0.0 if d.low is None else d.low, 1.0 if d.high is None else d.high]
    bad = [p for p in points if p is not None and not _inside(float(p), b)]
    if bad:
        return f"{d.dist} distribution reaches {_num(float(bad[0]))}"
    return None


def check_value(name: str, value: Any) -> str | None:
    """None when ``value`` of field ``name`` is within its bound, else the problem."""
    b = bound_for(name)
    for x in _numbers(value):
        if type(x).__name__ == "Distribution":
            problem = _distribution_problem(x, b)
            if problem is not None:
                return f"{name}: {problem}; values {b.text()}"
            continue
        if not _inside(float(x), b):
            return f"{name} = {_num(x)}: {b.text()}"
        if b.integer and isinstance(x, float) and not x.is_integer():
            return f"{name} = {x:g}: {b.text()}"
    return None
