"""Numbers for people: thousands separators, money in 万元 or MCNY, percentages, units always shown.

No scientific notation and no "-0": a value that rounds to zero shows as 0. Precision follows the
size of the number (three significant figures, whole numbers from 100 up), which is what a printed
table needs; files meant for machines (``summary.json``, ``results.nc``) keep full precision.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sim.display_names import check_lang

__all__ = [
    "BOOLEAN_METRICS",
    "COMPARISONS",
    "UNITS",
    "money",
    "number",
    "percent",
    "plan_text",
    "quantity",
    "target_quantity",
    "unit_label",
    "value_text",
]

#: Unit spellings of the scenario files -> (English, Chinese) display.
UNITS: dict[str, tuple[str, str]] = {
    "ug/m3": ("µg/m³", "微克/立方米"),
    "µg/m³": ("µg/m³", "微克/立方米"),
    "t": ("t", "吨"),
    "t/yr": ("t/yr", "吨/年"),
    "CNY": ("CNY", "元"),
    "CNY/t": ("CNY/t", "元/吨"),
    "m2": ("m²", "平方米"),
    "d": ("days", "天"),
    "1": ("%", "%"),
}

#: Comparison signs as printed.
COMPARISONS = {">=": "≥", "<=": "≤", "==": "=", ">": ">", "<": "<"}
#: Target metrics that are yes/no (1/0): shown as words, not percentages.
BOOLEAN_METRICS = {"water.any_worse_than_v": (("none", "无"), ("at least one", "有"))}


#: Most decimals shown: smaller values read as 0 (a float's 1e-12 residue is not "-0.000000000001").
MAX_DECIMALS = 4


def _digits(value: float) -> int:
    """Decimals for three significant figures, none from 100 up, at most :data:`MAX_DECIMALS`."""
    size = abs(value)
    if size >= 100 or size == 0:
        return 0
    return min(MAX_DECIMALS, max(0, 2 - math.floor(math.log10(size))))


def _round(value: float, places: int) -> float:
    """``value`` rounded half away from zero (11.25 -> 11.3, as people round)."""
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def number(value: Any, decimals: int | None = None) -> str:
    """``value`` with thousands separators, about three significant figures, never "-0".

    Examples
    --------
    >>> number(112500.0), number(-0.00004), number(0.01234), number(None), number(-0.4, 0)
    ('112,500', '0', '0.0123', '–', '0')
    """
    if value is None or isinstance(value, str):
        return "–" if value is None else value
    v = float(value)
    if not math.isfinite(v):
        return "–"
    places = _digits(v) if decimals is None else decimals
    v = _round(v, places)
    if decimals is None and v == round(v):
        places = 0
    text = f"{v:,.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")  # 0.500 -> 0.5: trailing zeros claim nothing
    if text.lstrip("-").strip("0.,") == "":
        return "0"
    return text


def percent(ratio: Any, lang: str = "en", decimals: int = 0) -> str:
    """A ratio (0.71) as a percentage ("71 %" in English, "71%" in Chinese)."""
    if ratio is None or not math.isfinite(float(ratio)):
        return "–"
    text = number(100.0 * float(ratio), decimals)
    return f"{text}%" if check_lang(lang) == "zh" else f"{text} %"


def money(cny: Any, lang: str = "en") -> str:
    """Yuan as people read them: 万元 in Chinese; MCNY, kCNY or CNY in English.

    Examples
    --------
    >>> money(112500.0, "zh"), money(112500.0, "en"), money(2.5e6, "en")
    ('11.3 万元', '113 kCNY', '2.5 MCNY')
    """
    if cny is None or not math.isfinite(float(cny)):
        return "–"
    v = float(cny)
    if check_lang(lang) == "zh":
        return f"{number(v / 1e4)} 万元"
    if abs(v) >= 1e6:
        return f"{number(v / 1e6)} MCNY"
    if abs(v) >= 1e3:
        return f"{number(v / 1e3)} kCNY"
    return f"{number(v)} CNY"


def unit_label(unit: str, lang: str = "en") -> str:
    """The unit as shown in tables and axis labels."""
    pair = UNITS.get(unit)
    if pair is None:
        return unit
    return pair[1] if check_lang(lang) == "zh" else pair[0]


def quantity(value: Any, unit: str, lang: str = "en") -> str:
    """``value`` with its unit: ratios (unit "1") as %, yuan as money, others "12.3 µg/m³"."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if unit == "1":
        whole = abs(100.0 * float(value) - round(100.0 * float(value))) < 0.05
        return percent(value, lang, 0 if whole else 1)
    if unit == "CNY":
        return money(value, lang)
    if unit == "CNY/t":
        return f"{money(value, lang)}/{unit_label('t', lang)}"
    label = unit_label(unit, lang)
    return f"{number(value)} {label}".rstrip()


def target_quantity(value: Any, unit: str, metric: str = "", lang: str = "en") -> str:
    """A target's value or threshold: yes/no metrics as words, else :func:`quantity`."""
    words = BOOLEAN_METRICS.get(metric)
    if words is not None and value is not None and math.isfinite(float(value)):
        pair = words[1] if float(value) > 0 else words[0]
        return pair[1] if check_lang(lang) == "zh" else pair[0]
    return quantity(value, unit, lang)


def value_text(score: Any, lang: str = "en", value: Any = "median") -> str:
    """A scorecard line's value (or ``value``) with its unit, as people read it."""
    shown = score.value if isinstance(value, str) else value
    return target_quantity(shown, score.unit, score.metric, lang)


def plan_text(score: Any, lang: str = "en") -> str:
    """A scorecard line's requirement, e.g. "≤ 40 µg/m³", "≥ 67 %", "= none"."""
    sign = COMPARISONS.get(score.comparison, score.comparison)
    return f"{sign} {target_quantity(score.threshold, score.unit, score.metric, lang)}"
