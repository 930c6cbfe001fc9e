"""Display names (every target, measure, family, sector in English and Chinese, the plan's own
wording) and numbers for people (separators, 万元/MCNY, %, no scientific notation, no "-0")."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
import yaml

import sim.display_names
import sim.report_format
import sim.report_html
from sim.display_names import NAMES, NOT_VERBATIM, display
from sim.policies import FAMILIES, family_module
from sim.report_format import money, number, percent, quantity, target_quantity
from sim.sources.base import SECTORS

REPO = Path(__file__).resolve().parents[1]
PLAN = Path("/work/shared/seed/hongqiao-2024-pollution-plan.zh.txt")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _shipped_targets() -> set[str]:
    names = set()
    for path in REPO.glob("scenarios/**/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in (data.get("targets") or {}).get("items") or []:
            names.add(item["name"])
    return names


def _measures() -> set[str]:
    out: set[str] = set()
    for fam in FAMILIES:
        module = family_module(fam)
        if module is not None:
            out |= set(module.MEASURES)
    return out


@pytest.mark.parametrize(
    ("kind", "keys"),
    [
        ("target", _shipped_targets()),
        ("measure", _measures()),
        ("family", set(FAMILIES)),
        ("sector", set(SECTORS)),
    ],
)
def test_every_name_has_english_and_chinese(kind: str, keys: set[str]) -> None:
    assert keys, kind
    missing = sorted(keys - set(NAMES[kind]))
    assert missing == []
    for key in keys:
        en, zh = NAMES[kind][key]
        assert en
        assert not _CJK.search(en), en
        assert _CJK.search(zh), zh


@pytest.mark.skipif(not PLAN.exists(), reason="the plan's text is not on this machine")
def test_chinese_target_and_measure_names_are_the_plans_wording() -> None:
    plan = PLAN.read_text(encoding="utf-8")
    for kind in ("target", "measure"):
        for key, (_, zh) in NAMES[kind].items():
            if key not in NOT_VERBATIM:
                assert zh.replace("“", "").replace("”", "") in plan.replace("“", "").replace(
                    "”", ""
                ), (kind, key, zh)


def test_display_falls_back_to_the_key_and_rejects_unknown_languages() -> None:
    assert display("target", "good_days_ratio", "zh") == "优良天数比率"
    assert display("target", "made_up") == "made_up"
    with pytest.raises(ValueError, match="lang"):
        display("target", "good_days_ratio", "fr")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.125e5, "112,500"),  # separators, no 1.125e+05
        (-0.0, "0"),  # no "-0"
        (-1e-12, "0"),  # a float residue reads as 0
        (-1.47, "-1.47"),
        (37.185, "37.2"),
        (40.0, "40"),
        (2.81, "2.81"),
        (0.00298, "0.003"),  # at most 4 decimals
        (1234567.0, "1,234,567"),
        (float("nan"), "–"),
    ],
)
def test_number_three_significant_figures_with_separators(value: float, text: str) -> None:
    assert number(value) == text


def test_money_in_wan_yuan_and_mcny_percent_and_units() -> None:
    # 112,500 CNY = 11.25 万元 -> 11.3 (half up); 112.5 kCNY -> 113 kCNY
    assert money(112_500.0, "zh") == "11.3 万元"
    assert money(112_500.0, "en") == "113 kCNY"
    assert money(3.78e8, "en") == "378 MCNY"
    assert money(3.78e8, "zh") == "37,800 万元"
    assert money(450.0, "en") == "450 CNY"
    assert percent(0.7104, "en", 1) == "71.0 %"
    assert percent(0.67, "zh") == "67%"
    assert quantity(0.67, "1") == "67 %"
    assert quantity(0.7104, "1") == "71 %"  # within 0.05 points of a whole percent
    assert quantity(0.7154, "1") == "71.5 %"
    assert quantity(37.185, "ug/m3") == "37.2 µg/m³"
    assert quantity(37.185, "ug/m3", "zh") == "37.2 微克/立方米"
    assert quantity(20.5, "t", "zh") == "20.5 吨"
    assert target_quantity(0.0, "1", "water.any_worse_than_v") == "none"
    assert target_quantity(1.0, "1", "water.any_worse_than_v", "zh") == "有"


@pytest.mark.parametrize("module", [sim.display_names, sim.report_format, sim.report_html])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
