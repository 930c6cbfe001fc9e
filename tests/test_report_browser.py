"""report.html in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

For a single run, an ensemble and a comparison, in English and Chinese: no text overflows its box
horizontally, every figure is drawn, the verdict follows the title, the page declares its
language, and Chinese text is drawn with a real CJK font (the DevTools protocol's
``CSS.getPlatformFontsForNode``: missing-glyph boxes are as wide as glyphs, so width proves
nothing). Screenshots go to ``tests/artifacts/`` (ignored by git). Without Chromium or Playwright
the tests skip with the reason; ``apt-get install chromium fonts-noto-cjk`` and
``pip install -e '.[test]'`` provide them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from browser import chromium_available, inspect

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"
_REASON = chromium_available()
pytestmark = pytest.mark.skipif(_REASON is not None, reason=_REASON or "")
CJK_FONTS = ("Noto Sans CJK", "Source Han Sans", "WenQuanYi", "Microsoft YaHei", "PingFang")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """report.html of a run, a 2-member ensemble and a comparison, in en and zh."""
    import sim
    from sim.compare import compare
    from sim.ensemble import run_ensemble
    from sim.report import write_run_outputs
    from sim.report_compare import write_comparison_report

    root = tmp_path_factory.mktemp("browser")
    base = sim.load_scenario(REPO / "scenarios" / "baseline.yaml")
    plan = sim.load_scenario(REPO / "scenarios" / "plan2024.yaml")
    run = sim.run(plan)
    ens = run_ensemble(base, 2, jobs=1, progress=False, attribution=False)
    saved = {
        "base": sim.run(base, attribution=False).save(root / "b"),
        "plan": run.save(root / "p"),
    }
    out: dict[str, Path] = {}
    for lang in ("en", "zh"):
        folder = run.save(root / f"run_{lang}")
        write_run_outputs(folder, scenario=plan, dataset=run.dataset, summaries=[run.summary],
                          events=run.events, lang=lang)  # fmt: skip
        out[f"run_{lang}"] = folder / "report.html"
        folder = root / f"ensemble_{lang}"
        folder.mkdir()
        write_run_outputs(folder, scenario=base, dataset=ens.dataset, summaries=ens.summaries,
                          lang=lang)  # fmt: skip
        out[f"ensemble_{lang}"] = folder / "report.html"
        comparison = compare([saved["base"], saved["plan"]])
        folder = comparison.save(root / f"compare_{lang}")
        out[f"compare_{lang}"] = write_comparison_report(comparison, folder, lang=lang)
    return out


@pytest.mark.parametrize("kind", ["run", "ensemble", "compare"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_renders_in_chromium(reports: dict[str, Path], kind: str, lang: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"report_{kind}_{lang}.png"
    check = inspect(reports[f"{kind}_{lang}"], shot)
    assert check.overflowing == [], check.overflowing
    assert check.first_after_title == "verdict"
    assert check.figures >= 3
    assert check.broken_figures == []
    assert check.lang == ("zh-CN" if lang == "zh" else "en")
    if lang == "zh":
        for selector, fonts in check.fonts.items():
            assert any(f.startswith(CJK_FONTS) for f in fonts), (selector, fonts)
    assert shot.stat().st_size > 10_000
    (ARTIFACTS / f"report_{kind}_{lang}.txt").write_text(
        f"height {check.height} px; figures {check.figures}; fonts {check.fonts}\n"
    )
