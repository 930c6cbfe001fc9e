"""report.html of an optimisation: the verified figures of verification.json, in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from _support.optimise_toy import LINEAR, TOY_RUNNER, toy_spec
from _support.paths import REPO
from sim.optimise import OptimiseReport, load_optimisation, optimise
from sim.report_optimise import bundle_words, write_report

LEVERS = [
    {"name": "x0", "key": "x0", "range": [0, 10]},
    {"name": "x1", "key": "x1", "range": [0, 10]},
]


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, OptimiseReport, Path]:
    spec = toy_spec(
        {**LINEAR, "noise_sd": 0.5}, LEVERS, search={"evaluations": 30, "members": 12, "seed": 9}
    )
    out = tmp_path_factory.mktemp("opt") / "toy"
    return spec, optimise(spec, out, workers=1, runner=TOY_RUNNER, lang="zh"), out


def _text(html: str) -> str:
    """The page without its SVG figure (whose numbers are coordinates)."""
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.S)


def test_the_run_writes_report_html_in_the_language_asked(
    toy: tuple[Any, OptimiseReport, Path],
) -> None:
    _, report, out = toy
    html = (out / "report.html").read_text(encoding="utf-8")
    assert report.paths["report"] == out / "report.html"
    assert html.startswith("<!DOCTYPE html><html lang='zh-CN'>")
    assert "最优方案" in html
    assert "<svg" in html  # the frontier figure, inline


@pytest.mark.parametrize(("lang", "words"), [("en", "Best bundle"), ("zh", "最优方案")])
def test_report_shows_the_verified_figures_of_verification_json(
    toy: tuple[Any, OptimiseReport, Path], tmp_path: Path, lang: str, words: str
) -> None:
    spec, report, out = toy
    html = _text(write_report(spec, report.found, report.verified, tmp_path, lang).read_text())
    assert words in html
    data = json.loads((out / "verification.json").read_text(encoding="utf-8"))
    for bundle in data["bundles"]:
        t = bundle["targets"]["toy"]
        # By hand: "p [low, high]" to two decimals, e.g. 0.95 [0.89, 0.98].
        assert f"{t['p_met']:.2f} [{t['p_low']:.2f}, {t['p_high']:.2f}]" in html
        assert t["members"] == 64
    best = data["best"]["toy"]
    assert f"{best['p_low']:.2f}–{best['p_high']:.2f}" in html  # the sentence of the best
    n = data["disagreements"]
    expected = (
        f"{n['feasibility_differs']} of {n['bundles']} bundles"
        if lang == "en"
        else f"{n['bundles']} 个方案中有 {n['feasibility_differs']} 个不一致"
    )
    assert expected in html


def test_bundle_words_name_the_measures_on_and_off_and_the_intensities_set() -> None:
    spec = load_optimisation(REPO / "optimise" / "pm25_goodays_80.yaml")
    values: dict[str, Any] = {p.name: False for p in spec.levers if p.values is not None}
    values |= {"retire_china3": True, "retire_share": 0.5, "road_cleaning_h": None}
    en = bundle_words(spec, values, "en")
    assert en[0] == "Measures on: Retire China III and older vehicles."
    assert en[1].startswith("Measures off: New-energy vehicles in public fleets, ")
    assert en[2] == "Intensities: Retire China III and older vehicles: share = 0.5."
    zh = bundle_words(spec, values, "zh")
    assert zh[0] == "实施的措施：推动国三及以下排放标准汽车淘汰。"
    assert zh[2] == "强度：推动国三及以下排放标准汽车淘汰: 比例 = 0.5。"
