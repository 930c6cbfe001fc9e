"""Open a report in headless Chromium (Debian's ``chromium``) through Playwright and inspect it.

Used by ``tests/test_report_browser.py``; runnable by hand:
``python tests/browser.py outputs/plan2024/report.html shot.png``.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Elements whose text must not spill out of their own box horizontally.
_OVERFLOW_JS = """
() => {
  const bad = [];
  const sel = 'h1,h2,h3,p,li,td,th,summary,figure,.box,details';
  const page = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('.box') && el.tagName !== 'DIV') continue;  // tables scroll in their box
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1 || r.right > page + 1) {
      bad.push(el.tagName + ': ' + (el.textContent || '').slice(0, 60));
    }
  }
  return bad;
}
"""
_FIRST_JS = """
() => {
  const h1 = document.querySelector('h1');
  let el = h1 ? h1.nextElementSibling : document.body.firstElementChild;
  return el ? el.id : null;
}
"""


@dataclass
class PageCheck:
    """What the browser saw."""

    height: int
    overflowing: list[str]
    first_after_title: str | None
    figures: int
    broken_figures: list[str]
    lang: str
    fonts: dict[str, list[str]] = field(default_factory=dict)


def chromium_available() -> str | None:
    """None when Chromium and Playwright are usable, else the reason they are not."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        return "no chromium (apt-get install chromium fonts-noto-cjk)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright for Python not installed (pip install playwright)"
    return None


def _fonts(page: Any, selector: str) -> list[str]:
    """Platform fonts that drew the text of the first element matching ``selector`` (CDP)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    if not node:
        return []
    found = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [f["familyName"] for f in found]


def inspect(html: Path, screenshot: Path, width: int = 1280) -> PageCheck:
    """Load ``html``, measure it, screenshot the full page into ``screenshot``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(html.resolve().as_uri())
            page.wait_for_load_state("load")
            height = int(page.evaluate("document.documentElement.scrollHeight"))
            figures = page.evaluate("document.querySelectorAll('figure').length")
            broken = page.evaluate(
                "[...document.querySelectorAll('figure')].filter(f => {"
                " const s = f.querySelector('svg, img');"
                " if (!s) return true; const r = s.getBoundingClientRect();"
                " return r.width < 50 || r.height < 50 || (s.tagName === 'IMG' && !s.complete);"
                "}).map(f => f.id)"
            )
            fonts = {sel: _fonts(page, sel) for sel in ("#verdict", "body > figure svg text", "td")}
            check = PageCheck(
                height=height,
                overflowing=page.evaluate(_OVERFLOW_JS),
                first_after_title=page.evaluate(_FIRST_JS),
                figures=int(figures),
                broken_figures=list(broken),
                lang=str(page.evaluate("document.documentElement.lang")),
                fonts=fonts,
            )
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return check


if __name__ == "__main__":
    print(inspect(Path(sys.argv[1]), Path(sys.argv[2])))
